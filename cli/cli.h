/*
 * Helpers shared by the subcommands' option parsing (GOptionContext) and
 * error printing, so every command words things the same way (git).
 */
#ifndef SWAPTRACE_CLI_H
#define SWAPTRACE_CLI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "analyzer.h"

/*
 * Parses argv (argv[0] is the subcommand name) with ctx; on a usage error
 * prints "error: ..." and a hint, and returns false.  --help prints and
 * exits 0, as GOption does.
 */
bool cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);
/* "error: MESSAGE" then a --help hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * Default analyzer options, then --stale-threshold and --full-threshold
 * (NULL when not given), which replay and check share; on a bad duration
 * prints the usage error and returns false.
 */
bool cli_analyzer_options(const char *cmd, const char *stale, const char *full,
			  AnalyzerOptions *ret_opts);
/* "12.5 s", "3 ms" ... : parses --*-threshold values into ns; false if bad. */
bool parse_duration_ns(const char *text, int64_t *ret_ns);
/* "error: MESSAGE" once, for a GError from the library. */
void cli_print_error(const GError *error);

#endif
