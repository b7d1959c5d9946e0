/*
 * `swaptrace diff BASE.db NEW.db`: compare two replay databases of the same
 * workload metric by metric; exit 1 when NEW is worse than BASE beyond the
 * tolerance, so CI can replay a recorded regression.  The rule is in diff.h.
 *
 * Exit status (commands.h): 0 no regression, 1 regression, 2 usage error
 * or unreadable database.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "diff.h"
#include "text-escape.h"
#include "report.h"

#include "banned.h"

static const char diff_summary[] =
	"Compare two replay databases of the same workload: findings per rule,\n"
	"stale and full slot-seconds, the share of write faults that kept a\n"
	"folio cached and wrote it in place (in all and per keep reason), wp\n"
	"round trips and the swap-in race wait p99, each with BASE, NEW and\n"
	"their ratio.\n\n"
	"A metric is WORSE when  new > base * (1 + tolerance)  and\n"
	"new - base > floor.  The floor is 0 for findings of error rules (a new\n"
	"error finding is always worse), --min-count for warnings,\n"
	"--min-slot-time for slot-time, --min-rate for the write-fault rates\n"
	"(per 1000 write faults; compared when both sides have 100 write faults)\n"
	"and --min-wait for the race wait p99 (judged when both sides have\n"
	"--min-count race episodes).  Info findings and round trips are shown,\n"
	"not judged.  The defaults come from the measured spread of recordings\n"
	"of one workload on one kernel (tests/kernel/noise.sh): worse means more\n"
	"than 4x base.";

static const char diff_description[] =
	"DUR is a number with an optional unit: ns, us, ms, s (default), m, h;\n"
	"slot-time DUR is slots times that duration (10ms: one slot for 10 ms).\n"
	"--min-wait-us US and --min-slot-seconds S are the old, deprecated\n"
	"spellings of --min-wait and --min-slot-time.\n"
	"\n"
	"Exit status: 0 when no metric is worse, 1 when one is, 2 on usage errors\n"
	"or when a database cannot be read.";

/* Both databases, or the error printed and false. */
static bool load_both(char **paths, Report **ret_base, Report **ret_new)
{
	g_autoptr(Report) base = NULL;
	g_autoptr(GError) error = NULL;

	base = report_load(paths[0], false, &error);
	if (base)
		*ret_new = report_load(paths[1], false, &error);
	if (!base || !*ret_new) {
		cli_error("cannot open database '%s': %s", paths[base ? 1 : 0], error->message);
		return false;
	}
	*ret_base = g_steal_pointer(&base);
	return true;
}

/*
 * A floor given as DUR (new spelling) or as a number in unit_ns (the
 * deprecated one, with a warning); false after a usage error.
 */
static bool floor_option(const char *name, const char *dur, const char *old_name, double old,
			 double unit_ns, int64_t *ns)
{
	if (dur && !parse_duration_ns(dur, ns)) {
		cli_usage_error("diff", "invalid duration '%s' for --%s", dur, name);
		return false;
	}
	if (isnan(old))
		return true;
	g_printerr("warning: --%s is deprecated; use --%s=DUR\n", old_name, name);
	if (dur) {
		cli_usage_error("diff", "--%s and --%s both given", name, old_name);
		return false;
	}
	if (!(old >= 0) || !isfinite(old) || old * unit_ns >= (double)INT64_MAX) {
		cli_usage_error("diff", "--%s must be a non-negative number", old_name);
		return false;
	}
	*ns = (int64_t)llround(old * unit_ns);
	return true;
}

int cmd_diff(int argc, char **argv)
{
	DiffOptions opts;
	g_autofree char *format = NULL;
	g_autofree char *min_wait = NULL;
	g_autofree char *min_slot_time = NULL;
	double min_slot_seconds = NAN, min_wait_us = NAN, min_rate;
	gint64 min_count;
	GOptionEntry entries[] = {
		{ "tolerance", 0, 0, G_OPTION_ARG_DOUBLE, &opts.tolerance,
		  "Allowed relative increase (default 3: new may be 4x base)", "FRACTION" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default) or json",
		  "FORMAT" },
		{ "min-count", 0, 0, G_OPTION_ARG_INT64, &min_count,
		  "Absolute floor for warning findings, and race episodes needed to judge the "
		  "wait (default 10)",
		  "N" },
		{ "min-slot-time", 0, 0, G_OPTION_ARG_STRING, &min_slot_time,
		  "Absolute floor for stale/full slot-time (default 30s: 30 slot-seconds)", "DUR" },
		{ "min-rate", 0, 0, G_OPTION_ARG_DOUBLE, &min_rate,
		  "Absolute floor for write faults kept in place, per 1000 write faults (default "
		  "20)",
		  "N" },
		{ "min-wait", 0, 0, G_OPTION_ARG_STRING, &min_wait,
		  "Absolute floor for the race wait p99 (default 1ms)", "DUR" },
		/* Deprecated spellings, kept so old scripts still run. */
		{ "min-slot-seconds", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE,
		  &min_slot_seconds, NULL, "S" },
		{ "min-wait-us", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &min_wait_us, NULL,
		  "US" },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("BASE.db NEW.db");
	g_autoptr(Report) base = NULL;
	g_autoptr(Report) new_report = NULL;
	g_autoptr(GPtrArray) metrics = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	bool json = false, worse = false;

	diff_options_init(&opts);
	min_count = opts.min_count;
	min_rate = (double)opts.min_rate_ppm / 1e3;
	g_option_context_set_summary(ctx, diff_summary);
	g_option_context_set_description(ctx, diff_description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse(ctx, "diff", NULL, &argc, &argv))
		return EXIT_USAGE;
	if (format && strcmp(format, "json") == 0)
		json = true;
	else if (format && strcmp(format, "text") != 0)
		return cli_usage_error("diff", "unknown format '%s' (text or json)", format);
	if (!(opts.tolerance >= 0) || !isfinite(opts.tolerance) || min_count < 0 ||
	    !(min_rate >= 0))
		return cli_usage_error("diff", "--tolerance and the floors must be non-negative");
	if (!floor_option("min-slot-time", min_slot_time, "min-slot-seconds", min_slot_seconds, 1e9,
			  &opts.min_slot_ns) ||
	    !floor_option("min-wait", min_wait, "min-wait-us", min_wait_us, 1e3, &opts.min_wait_ns))
		return EXIT_USAGE;
	if (argc != 3)
		return cli_usage_error("diff", "two databases needed: BASE.db NEW.db");
	opts.min_count = min_count;
	opts.min_rate_ppm = (int64_t)llround(min_rate * 1e3);

	if (!load_both(argv + 1, &base, &new_report))
		return EXIT_FAILURE_INPUT;
	metrics = diff_compute(base, new_report, &opts, &worse);
	if (json)
		diff_format_json(base, new_report, &opts, metrics, worse, out);
	else
		diff_format_text(base, new_report, &opts, metrics, worse, out);
	if (!json) {
		/* Names from the traces (call sites, processes) reach a terminal: escaped. */
		g_autofree char *safe = text_escape(out->str, true);

		g_string_assign(out, safe);
	}
	if (fwrite(out->str, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		cli_error("cannot write diff: %s", g_strerror(errno));
		return EXIT_FAILURE_INPUT;
	}
	return worse ? EXIT_FOUND : EXIT_OK;
}
