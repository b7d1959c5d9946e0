/*
 * swaptrace replay TRACE... -o OUT.db: the whole replay into a database.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "replay-config.h"
#include "replay-run.h"

#include "banned.h"

static const char replay_description[] =
	"Reads every CTF trace found in TRACE (a trace directory, or a directory\n"
	"holding several, e.g. an LTTng session), rebuilds every swap slot's state\n"
	"and writes it to OUT.db: meta, devices, slots, lifetimes, findings,\n"
	"retention, races, roundtrips, gaps, rule_stats, and with --events every\n"
	"swap event.  The same trace gives the same bytes on every run.  The\n"
	"tables, views and queries are described in\n"
	"  " SWAPTRACE_SCHEMA_DOC "\n"
	"\n"
	"DUR is a number with an optional unit: ns, us, ms, s (default), m, h.\n"
	"SIZE is a number of bytes with an optional K, M, G or T.\n"
	"\n"
	"babeltrace2 reads the traces in a child process, stopped when it sends\n"
	"nothing for --decoder-timeout or outgrows --decoder-memory; its crash\n"
	"is an error naming the trace.  Traces recorded on different hosts, by\n"
	"different LTTng sessions or against different clocks are refused\n"
	"together unless --merge.  OUT.db is replaced (--force) only if it is a\n"
	"regular file, keeping its mode, and is never written inside a trace.\n"
	"\n"
	"Progress is shown when stderr is a terminal.\n"
	"\n"
	"Exit status: 0 success, 2 usage error or a trace or database error\n"
	"(OUT.db is then left untouched).";

int cmd_replay(int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_autofree char *stale = NULL;
	g_autofree char *full = NULL;
	g_autofree char *timeout = NULL;
	g_autofree char *memory = NULL;
	g_auto(GStrv) traces = NULL;
	gboolean force = FALSE, events = FALSE, quiet = FALSE, merge = FALSE;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Database to write (required)",
		  "OUT.db" },
		{ "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Overwrite OUT.db if it exists",
		  NULL },
		{ "events", 0, 0, G_OPTION_ARG_NONE, &events,
		  "Also store every swap event (table events)", NULL },
		{ "stale-threshold", 0, 0, G_OPTION_ARG_STRING, &stale,
		  "retention_stale fires when a stale slot is retained longer than DUR", "DUR" },
		{ "full-threshold", 0, 0, G_OPTION_ARG_STRING, &full,
		  "retention_full fires when a slot is retained on a half-full device longer "
		  "than DUR",
		  "DUR" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress and no summary", NULL },
		{ "merge", 0, 0, G_OPTION_ARG_NONE, &merge,
		  "Replay traces of different hosts, sessions or clocks on one timeline", NULL },
		{ "decoder-timeout", 0, 0, G_OPTION_ARG_STRING, &timeout,
		  "Stop babeltrace2 when it makes no progress for DUR (default 30s; 0: never)",
		  "DUR" },
		{ "decoder-memory", 0, 0, G_OPTION_ARG_STRING, &memory,
		  "Address space babeltrace2 may use (default 4G; 0: no limit)", "SIZE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &traces, NULL,
		  "TRACE..." },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	ReplayConfig cfg;
	ReplaySummary summary;

	g_option_context_set_summary(ctx, "Replay swap traces into an SQLite database.");
	g_option_context_set_description(ctx, replay_description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse(ctx, "replay", NULL, &argc, &argv))
		return EXIT_USAGE;
	if (!traces || !traces[0])
		return cli_usage_error("replay", "no trace given");
	if (!output)
		return cli_usage_error("replay", "no output given (-o OUT.db)");
	if (!*output)
		return cli_usage_error("replay", "empty output name (-o '')");

	memset(&cfg, 0, sizeof(cfg));
	if (!cli_analyzer_options("replay", stale, full, &cfg.analyzer) ||
	    !cli_reader_options("replay", timeout, memory, merge, &cfg.reader))
		return EXIT_USAGE;
	cfg.output = output;
	cfg.force = force;
	cfg.events = events;
	cfg.progress = !quiet && isatty(STDERR_FILENO);

	/*
	 * A reader of the summary that goes away (a closed pipe) must not turn
	 * a committed database into a failure: EPIPE instead of SIGPIPE.
	 */
	if (!cli_signal_inherited_ignore(SIGPIPE))
		signal(SIGPIPE, SIG_IGN);
	if (!replay_traces(traces, g_strv_length(traces), &cfg, &summary, &error)) {
		cli_print_error(error);
		return g_error_matches(error, CLI_ERROR, CLI_ERROR_USAGE) ? EXIT_USAGE
									  : EXIT_FAILURE_INPUT;
	}
	/* The database is in place: whatever happens to the summary, it stays a success. */
	if (!quiet) {
		replay_summary_print(&summary, traces, g_strv_length(traces), stdout);
		/* Not the path: the caller knows it, and fixtures compare this text. */
		printf("  %-13s%s\n", "database",
		       events ? "written, with every event (slot_history)"
			      : "written, without events (--events keeps them for slot_history)");
		fflush(stdout);
	}
	return EXIT_OK;
}
