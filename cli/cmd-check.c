/*
 * swaptrace check TRACE...: replay without a database and print the
 * findings, for scripts and CI.  Its exit status is the verdict.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "json-writer.h"
#include "replay-run.h"
#include "text-escape.h"

#include "banned.h"

static const char check_description[] =
	"Replays TRACE like 'swaptrace replay' but writes no database.  Prints the\n"
	"findings one a line, grouped by rule in 'swaptrace rules' order, each with\n"
	"its count, then how many checks could not be made for want of a fact\n"
	"(unverified, DESIGN.md section 5).\n"
	"\n"
	"--format=json prints one object instead:\n"
	"  {\"findings\": [{\"rule\": \"put_underflow\", \"severity\": \"error\",\n"
	"                \"type\": 0, \"offset\": 4711, \"nr\": 1, \"seq\": 812,\n"
	"                \"ts_ns\": 123456789, \"setup_seq\": 700 | null,\n"
	"                \"message\": \"...\"}, ...],   (in proving-event order)\n"
	"   \"unverified\": {\"<rule>\": n, ...},        (every rule)\n"
	"   \"events\": n,                               (swap events replayed)\n"
	"   \"other_events\": n,                         (events of other classes)\n"
	"   \"gaps\": n}                                 (discarded-events/-packets)\n"
	"\n"
	"Progress is shown on stderr when it is a terminal.\n"
	"\n"
	"Exit status: 0 no error finding (warnings and info alone still 0),\n"
	"1 error findings, 2 usage error or a trace that cannot be read.";

/* A Finding's message lives as long as the callback: keep a copy. */
static void collect_finding(void *user, const Finding *f)
{
	Finding copy = *f;

	copy.message = g_strdup(f->message);
	g_array_append_val((GArray *)user, copy);
}

static void finding_clear(gpointer p)
{
	g_free((char *)((Finding *)p)->message);
}

static void add_finding_json(JsonBuilder *b, const Finding *f)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "rule");
	json_builder_add_string_value(b, rule_name(f->rule));
	json_builder_set_member_name(b, "severity");
	json_builder_add_string_value(b, severity_name(rule_table[f->rule].severity));
	json_builder_set_member_name(b, "type");
	json_builder_add_int_value(b, f->type);
	json_builder_set_member_name(b, "offset");
	json_builder_add_int_value(b, (gint64)f->offset);
	json_builder_set_member_name(b, "nr");
	json_builder_add_int_value(b, f->nr);
	json_builder_set_member_name(b, "seq");
	json_builder_add_int_value(b, (gint64)f->seq);
	json_builder_set_member_name(b, "ts_ns");
	json_builder_add_int_value(b, f->ts_ns);
	json_builder_set_member_name(b, "setup_seq");
	if (f->setup_seq == SEQ_NONE)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, (gint64)f->setup_seq);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, f->message);
	json_builder_end_object(b);
}

static void print_json(const GArray *findings, const ReplaySummary *s)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GString) out = g_string_new(NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < findings->len; i++)
		add_finding_json(b, &g_array_index(findings, Finding, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "unverified");
	json_builder_begin_object(b);
	for (int r = 0; r < _RULE_MAX; r++) {
		json_builder_set_member_name(b, rule_name((Rule)r));
		json_builder_add_int_value(b, (gint64)s->unverified[r]);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "events");
	json_builder_add_int_value(b, (gint64)s->stats.swap_events);
	json_builder_set_member_name(b, "other_events");
	json_builder_add_int_value(b, (gint64)s->stats.other_events);
	json_builder_set_member_name(b, "gaps");
	json_builder_add_int_value(b, (gint64)s->stats.gaps);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_write(out, root);
	fputs(out->str, stdout);
}

static void print_text(const GArray *findings, const ReplaySummary *s, char **traces)
{
	bool any_unverified = false;

	for (int r = 0; r < _RULE_MAX; r++) {
		if (!s->findings[r])
			continue;
		printf("%s (%s): %" PRIu64 "\n", rule_name((Rule)r),
		       severity_name(rule_table[r].severity), s->findings[r]);
		for (guint i = 0; i < findings->len; i++) {
			const Finding *f = &g_array_index(findings, Finding, i);
			char *text;

			if (f->rule != (Rule)r)
				continue;
			printf("  %" PRIu32 ":%" PRIu64, f->type, f->offset);
			if (f->nr > 1)
				printf("+%" PRIu32, f->nr);
			printf(" seq %" PRIu64, f->seq);
			if (f->setup_seq != SEQ_NONE)
				printf(" (set up at %" PRIu64 ")", f->setup_seq);
			text = text_escape(f->message, false);
			printf(": %s\n", text);
			g_free(text);
		}
	}
	for (int r = 0; r < _RULE_MAX; r++) {
		if (!s->unverified[r])
			continue;
		printf("%s %s %" PRIu64, any_unverified ? "," : "unverified:", rule_name((Rule)r),
		       s->unverified[r]);
		any_unverified = true;
	}
	if (any_unverified)
		printf("\n");
	replay_summary_print(s, traces, g_strv_length(traces), stdout);
}

int cmd_check(int argc, char **argv)
{
	g_autofree char *format = NULL;
	g_autofree char *stale = NULL;
	g_autofree char *full = NULL;
	g_autofree char *timeout = NULL;
	g_autofree char *memory = NULL;
	gboolean merge = FALSE;
	g_auto(GStrv) traces = NULL;
	GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default) or json",
		  "FORMAT" },
		{ "stale-threshold", 0, 0, G_OPTION_ARG_STRING, &stale, "As for 'swaptrace replay'",
		  "DUR" },
		{ "full-threshold", 0, 0, G_OPTION_ARG_STRING, &full, "As for 'swaptrace replay'",
		  "DUR" },
		{ "merge", 0, 0, G_OPTION_ARG_NONE, &merge, "As for 'swaptrace replay'", NULL },
		{ "decoder-timeout", 0, 0, G_OPTION_ARG_STRING, &timeout,
		  "As for 'swaptrace replay'", "DUR" },
		{ "decoder-memory", 0, 0, G_OPTION_ARG_STRING, &memory, "As for 'swaptrace replay'",
		  "SIZE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &traces, NULL,
		  "TRACE..." },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GArray) findings = g_array_new(FALSE, FALSE, sizeof(Finding));
	g_autoptr(GError) error = NULL;
	ReplayOutput out = { 0 };
	ReplayConfig cfg;
	ReplaySummary summary;
	bool json;

	g_option_context_set_summary(ctx, "Replay swap traces and print rule violations.");
	g_option_context_set_description(ctx, check_description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse(ctx, "check", NULL, &argc, &argv))
		return EXIT_USAGE;
	if (!traces || !traces[0]) {
		cli_usage_error("check", "no trace given");
		return EXIT_USAGE;
	}
	if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		cli_usage_error("check", "unknown format '%s' (text or json)", format);
		return EXIT_USAGE;
	}
	json = format && strcmp(format, "json") == 0;

	memset(&cfg, 0, sizeof(cfg));
	if (!cli_analyzer_options("check", stale, full, &cfg.analyzer) ||
	    !cli_reader_options("check", timeout, memory, merge, &cfg.reader))
		return EXIT_USAGE;
	g_array_set_clear_func(findings, finding_clear);
	out.user = findings;
	out.finding = collect_finding;
	cfg.out = &out;
	/* On a terminal only: never in a pipe, a file or a test's capture. */
	cfg.progress = isatty(STDERR_FILENO);

	if (!replay_traces(traces, g_strv_length(traces), &cfg, &summary, &error)) {
		cli_print_error(error);
		return EXIT_FAILURE_INPUT;
	}
	if (json)
		print_json(findings, &summary);
	else
		print_text(findings, &summary, traces);
	return summary.by_severity[SEVERITY_ERROR] ? EXIT_FOUND : EXIT_OK;
}
