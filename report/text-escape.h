/*
 * Text that came from a trace (host names, process names, kallsyms
 * symbols, babeltrace2's messages quoting metadata) made safe for a
 * terminal: control characters, C1 controls and bytes that are not UTF-8
 * become \xNN, so an escape sequence in a trace cannot drive the terminal
 * of whoever reads the report.
 */
#ifndef SWAPTRACE_TEXT_ESCAPE_H
#define SWAPTRACE_TEXT_ESCAPE_H

#include <glib.h>
#include <stdbool.h>

/* Appends s to out, escaped; line breaks kept when keep_newlines (tabs always). */
void text_escape_append(GString *out, const char *s, bool keep_newlines);
/* s escaped, in a new string; NULL for NULL. */
char *text_escape(const char *s, bool keep_newlines);

#endif
