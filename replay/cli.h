/*
 * Helpers shared by the subcommands' option parsing (GOptionContext) and
 * error printing, so every command words things the same way (git).
 */
#ifndef SWAPTRACE_CLI_H
#define SWAPTRACE_CLI_H

#include <glib.h>
#include <stdbool.h>

/*
 * Parses argv (argv[0] is the subcommand name) with ctx; on a usage error
 * prints "error: ..." and a hint, and returns false.  --help prints and
 * exits 0, as GOption does.
 */
bool cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);
/* "error: MESSAGE" then a --help hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "error: MESSAGE" once, for a GError from the library. */
void cli_print_error(const GError *error);

#endif
