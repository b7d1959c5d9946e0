/*
 * What every subcommand shares: option parsing (--verbose included), the
 * one error printer, and where GLib log messages go.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "text-escape.h"

#include "banned.h"

static gboolean verbose;

GQuark cli_error_quark(void)
{
	return g_quark_from_static_string("swaptrace-cli-error-quark");
}

/*
 * Debug and info messages (g_debug(), g_info()) from any stage, one line
 * each, "DOMAIN: MESSAGE", only with --verbose; warnings and worse go to
 * GLib's default writer, always.
 */
static GLogWriterOutput log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
				   gpointer user)
{
	const char *domain = "swaptrace", *message = "";

	g_autofree char *safe = NULL;

	if (!(level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_WARNING)))
		return g_log_writer_default(level, fields, n_fields, user);
	if (!verbose && !(level & G_LOG_LEVEL_WARNING))
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp(fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
			domain = fields[i].value;
		else if (strcmp(fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
			message = fields[i].value;
	}
	/* Messages quote names from the trace: no raw control character reaches the terminal. */
	safe = text_escape(message, true);
	if (level & G_LOG_LEVEL_WARNING)
		fprintf(stderr, "warning: %s\n", safe);
	else
		fprintf(stderr, "%s: %s\n", domain, safe);
	return G_LOG_WRITER_HANDLED;
}

void cli_log_init(void)
{
	g_log_set_writer_func(log_writer, NULL, NULL);
}

bool cli_parse(GOptionContext *ctx, const char *cmd, const char *verbose_help, int *argc,
	       char ***argv)
{
	g_autofree char *prgname = g_strdup_printf("swaptrace %s", cmd);
	const GOptionEntry common[] = {
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  verbose_help ? verbose_help : "Log what swaptrace does on stderr", NULL },
		{ NULL },
	};
	GError *error = NULL;

	g_set_prgname(prgname);
	g_option_context_add_main_entries(ctx, common, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		cli_usage_error(cmd, "%s", error->message);
		g_error_free(error);
		return false;
	}
	return true;
}

bool cli_verbose(void)
{
	return verbose;
}

void cli_error(const char *fmt, ...)
{
	g_autofree char *message = NULL;
	g_autofree char *safe = NULL;
	va_list ap;

	va_start(ap, fmt);
	message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* Messages quote trace names and babeltrace2's words: escaped, line breaks kept. */
	safe = text_escape(message, true);
	fprintf(stderr, "error: %s\n", safe);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	g_autofree char *message = NULL;
	va_list ap;

	va_start(ap, fmt);
	message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cli_error("%s", message);
	fprintf(stderr, "see 'swaptrace %s --help'\n", cmd);
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

bool parse_size(const char *text, uint64_t *ret_bytes)
{
	static const struct {
		const char *unit;
		unsigned shift;
	} units[] = {
		{ "", 0 }, { "K", 10 }, { "M", 20 }, { "G", 30 }, { "T", 40 },
	};
	char *end;
	guint64 v;

	if (!text || !g_ascii_isdigit(*text))
		return false;
	errno = 0;
	v = g_ascii_strtoull(text, &end, 10);
	if (errno)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_ascii_strcasecmp(end, units[i].unit) == 0 ||
		    (units[i].shift && end[0] && g_ascii_toupper(end[0]) == units[i].unit[0] &&
		     g_ascii_strcasecmp(end + 1, "iB") == 0)) {
			if (units[i].shift && v > (UINT64_MAX >> units[i].shift))
				return false;
			*ret_bytes = v << units[i].shift;
			return true;
		}
	}
	return false;
}

bool cli_reader_options(const char *cmd, const char *timeout, const char *memory, bool merge,
			TraceReaderOptions *ret_opts)
{
	TraceReaderOptions opts;

	trace_reader_options_init(&opts);
	if (timeout && !parse_duration_ns(timeout, &opts.timeout_ns)) {
		cli_usage_error(cmd, "invalid duration '%s' for --decoder-timeout", timeout);
		return false;
	}
	if (memory && !parse_size(memory, &opts.memory_bytes)) {
		cli_usage_error(cmd, "invalid size '%s' for --decoder-memory (say 512M or 4G)",
				memory);
		return false;
	}
	opts.merge = merge;
	*ret_opts = opts;
	return true;
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

bool cli_signal_inherited_ignore(int sig)
{
	struct sigaction old;

	return sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
}

void cli_print_error(const GError *error)
{
	cli_error("%s", error->message);
}
