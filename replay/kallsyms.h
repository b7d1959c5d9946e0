/*
 * Symbolises kernel addresses with a `kallsyms` file saved beside a trace
 * (cat /proc/kallsyms as root on the traced machine, at record time).
 */
#ifndef SWAPTRACE_KALLSYMS_H
#define SWAPTRACE_KALLSYMS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct Kallsyms Kallsyms;

#include "trace-reader.h"

/* NULL with REPLAY_ERROR_INPUT if the file cannot be read. */
Kallsyms *kallsyms_load(const char *path, GError **error);
/*
 * The `kallsyms` file saved beside the traces reader found, loaded; the
 * first trace's wins.  NULL without *error when there is none.
 */
Kallsyms *kallsyms_find(const TraceReader *reader, GError **error);
Kallsyms *kallsyms_free(Kallsyms *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Kallsyms, kallsyms_free)

/*
 * "symbol+0xoff" of the text symbol at or below ip, in a string owned by
 * the caller; NULL when ip is 0 or below every symbol, or when the file
 * holds only zero addresses (kptr_restrict hid them).
 */
char *kallsyms_site(const Kallsyms *k, uint64_t ip);

#endif
