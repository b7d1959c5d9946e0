/*
 * `swaptrace diff BASE.db NEW.db`: compare two replay databases of the same
 * workload metric by metric; exit 1 when NEW is worse than BASE beyond the
 * tolerance, so CI can replay a recorded regression.  The rule is in diff.h.
 *
 * Exit status (differs from commands.h, since 1 means "worse"):
 * 0 no regression, 1 regression, 2 usage error or unreadable database.
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
#include "report.h"

#include "banned.h"

enum {
	DIFF_EXIT_WORSE = 1,
	DIFF_EXIT_ERROR = 2,
};

static const char diff_summary[] =
	"Compare two replay databases of the same workload: findings per rule,\n"
	"stale and full slot-seconds, the share of write faults that kept a\n"
	"folio cached and wrote it in place (in all and per keep reason), wp\n"
	"round trips and the swap-in race wait p99, each with BASE, NEW and\n"
	"their ratio.\n\n"
	"A metric is WORSE when  new > base * (1 + tolerance)  and\n"
	"new - base > floor.  The floor is 0 for findings of error rules (a new\n"
	"error finding is always worse), --min-count for warnings,\n"
	"--min-slot-seconds for slot-time, --min-rate for the write-fault rates\n"
	"(per 1000 write faults; compared when both sides have 100 write faults)\n"
	"and --min-wait-us for the race wait p99 (judged when both sides have\n"
	"--min-count race episodes).  Info findings and round trips are shown,\n"
	"not judged.  The defaults come from the measured spread of recordings\n"
	"of one workload on one kernel (tests/kernel/noise.sh): worse means more\n"
	"than 4x base.";

static const char diff_description[] =
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

int cmd_diff(int argc, char **argv)
{
	DiffOptions opts;
	g_autofree char *format = NULL;
	double min_slot_seconds, min_wait_us, min_rate;
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
		{ "min-slot-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &min_slot_seconds,
		  "Absolute floor for stale/full slot-seconds (default 30)", "S" },
		{ "min-rate", 0, 0, G_OPTION_ARG_DOUBLE, &min_rate,
		  "Absolute floor for write faults kept in place, per 1000 write faults (default "
		  "20)",
		  "N" },
		{ "min-wait-us", 0, 0, G_OPTION_ARG_DOUBLE, &min_wait_us,
		  "Absolute floor for the race wait p99, in microseconds (default 1000)", "US" },
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
	min_slot_seconds = (double)opts.min_slot_ns / 1e9;
	min_wait_us = (double)opts.min_wait_ns / 1e3;
	min_rate = (double)opts.min_rate_ppm / 1e3;
	g_option_context_set_summary(ctx, diff_summary);
	g_option_context_set_description(ctx, diff_description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	/* EXIT_USAGE is DIFF_EXIT_ERROR: both 2. */
	if (!cli_parse(ctx, "diff", NULL, &argc, &argv))
		return DIFF_EXIT_ERROR;
	if (format && strcmp(format, "json") == 0)
		json = true;
	else if (format && strcmp(format, "text") != 0)
		return cli_usage_error("diff", "unknown format '%s' (text or json)", format);
	if (!(opts.tolerance >= 0) || !isfinite(opts.tolerance) || min_count < 0 ||
	    !(min_slot_seconds >= 0) || !(min_wait_us >= 0) || !(min_rate >= 0))
		return cli_usage_error("diff", "--tolerance and the floors must be non-negative");
	if (argc != 3)
		return cli_usage_error("diff", "two databases needed: BASE.db NEW.db");
	opts.min_count = min_count;
	opts.min_slot_ns = (int64_t)llround(min_slot_seconds * 1e9);
	opts.min_wait_ns = (int64_t)llround(min_wait_us * 1e3);
	opts.min_rate_ppm = (int64_t)llround(min_rate * 1e3);

	if (!load_both(argv + 1, &base, &new_report))
		return DIFF_EXIT_ERROR;
	metrics = diff_compute(base, new_report, &opts, &worse);
	if (json)
		diff_format_json(base, new_report, &opts, metrics, worse, out);
	else
		diff_format_text(base, new_report, &opts, metrics, worse, out);
	if (fwrite(out->str, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		cli_error("cannot write diff: %s", g_strerror(errno));
		return DIFF_EXIT_ERROR;
	}
	return worse ? DIFF_EXIT_WORSE : EXIT_OK;
}
