#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

#include "commands.h"
#include "replay.h"

#include "banned.h"

bool cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv)
{
	g_autofree char *prgname = g_strdup_printf("swaptrace %s", cmd);
	GError *error = NULL;

	g_set_prgname(prgname);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		cli_usage_error(cmd, "%s", error->message);
		g_error_free(error);
		return false;
	}
	return true;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'swaptrace %s --help'\n", cmd);
	return EXIT_USAGE;
}

bool cli_analyzer_options(const char *cmd, const char *stale, const char *full,
			  AnalyzerOptions *ret_opts)
{
	AnalyzerOptions opts;

	analyzer_options_init(&opts);
	if (stale && !parse_duration_ns(stale, &opts.stale_threshold_ns)) {
		cli_usage_error(cmd, "invalid duration '%s' for --stale-threshold", stale);
		return false;
	}
	if (full && !parse_duration_ns(full, &opts.full_threshold_ns)) {
		cli_usage_error(cmd, "invalid duration '%s' for --full-threshold", full);
		return false;
	}
	*ret_opts = opts;
	return true;
}

void cli_print_error(const GError *error)
{
	fprintf(stderr, "error: %s\n", error->message);
}
