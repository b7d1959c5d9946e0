/*
 * Option parsing and error printing shared by the subcommands.
 */
#include "cli.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

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

bool parse_duration_ns(const char *text, int64_t *ret_ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 },   { "s", 1e9 },
		{ "", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	char *end;
	double v;

	if (!text || !*text)
		return false;
	v = g_ascii_strtod(text, &end);
	if (end == text || !isfinite(v) || v < 0)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double ns = v * units[i].ns;

			/* (double)INT64_MAX rounds up to 2^63, which llround() overflows. */
			if (ns >= (double)INT64_MAX)
				return false;
			*ret_ns = (int64_t)llround(ns);
			return true;
		}
	}
	return false;
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
