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
#include "trace-reader.h"

/*
 * Usage errors found after option parsing (an output inside an input
 * trace): the command prints them and exits EXIT_USAGE.
 */
#define CLI_ERROR (cli_error_quark())
typedef enum CliErrorCode {
	CLI_ERROR_USAGE,
} CliErrorCode;
GQuark cli_error_quark(void);

/* Sends GLib's debug and info messages to stderr when --verbose is given. */
void cli_log_init(void);
/*
 * Parses argv (argv[0] is the subcommand name) with ctx and the option
 * every command has, -v/--verbose (verbose_help, or by default "log what
 * swaptrace does"); on a usage error prints "error: ..." and a hint, and
 * returns false.  --help prints and exits 0, as GOption does.
 */
bool cli_parse(GOptionContext *ctx, const char *cmd, const char *verbose_help, int *argc,
	       char ***argv);
/* Was --verbose given? */
bool cli_verbose(void);
/*
 * The one error printer: "error: MESSAGE" on stderr, in git's wording
 * (lower case, no full stop, the subject quoted).
 */
void cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* cli_error(), then a --help hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * Default analyzer options, then --stale-threshold and --full-threshold
 * (NULL when not given), which replay and check share; on a bad duration
 * prints the usage error and returns false.
 */
bool cli_analyzer_options(const char *cmd, const char *stale, const char *full,
			  AnalyzerOptions *ret_opts);
/*
 * Default decoder options, then --decoder-timeout DUR, --decoder-memory
 * SIZE (NULL when not given) and --merge, which replay and check share; on
 * a bad value prints the usage error and returns false.
 */
bool cli_reader_options(const char *cmd, const char *timeout, const char *memory, bool merge,
			TraceReaderOptions *ret_opts);
/* "512M", "4G", "1048576": bytes; false if bad. */
bool parse_size(const char *text, uint64_t *ret_bytes);
/* "12.5 s", "3 ms" ... : parses --*-threshold values into ns; false if bad. */
bool parse_duration_ns(const char *text, int64_t *ret_ns);
/* Was sig ignored when swaptrace started (nohup, a shell's trap '' sig)? Then keep it so. */
bool cli_signal_inherited_ignore(int sig);
/* cli_error() of a GError from a stage. */
void cli_print_error(const GError *error);

#endif
