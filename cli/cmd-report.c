/*
 * `swaptrace report DB [--html FILE] [--top N]`: what a replay database
 * says, as text on stdout and optionally as one self-contained HTML page.
 *
 * Exit status (commands.h): 0 on success, 2 on usage errors, when the
 * database cannot be read or the page cannot be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "html-report.h"
#include "output-file.h"
#include "report.h"
#include "text-escape.h"

#include "banned.h"

/* Findings the HTML page lists one by one, at most; the rest are counted. */
#define REPORT_HTML_MAX_FINDINGS 1000

int cmd_report(int argc, char **argv)
{
	g_autofree char *html = NULL;
	gboolean force = FALSE;
	int top = 10;
	int max_slots = 200;
	GOptionEntry entries[] = {
		{ "html", 0, 0, G_OPTION_ARG_FILENAME, &html,
		  "Also write a self-contained HTML page with plots to FILE", "FILE" },
		{ "force", 'f', 0, G_OPTION_ARG_NONE, &force,
		  "Overwrite FILE if it exists (a regular file only)", NULL },
		{ "top", 0, 0, G_OPTION_ARG_INT, &top,
		  "Rows in each ranking (call sites, processes, devices); default 10", "N" },
		{ "max-slots", 0, 0, G_OPTION_ARG_INT, &max_slots,
		  "Slot timelines in the HTML page at most, most telling first (default 200; 0: "
		  "all)",
		  "N" },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("DB");
	g_autoptr(GError) error = NULL;
	g_autoptr(Report) r = NULL;
	g_autoptr(GString) out = NULL;
	ReportLoadOptions opts = { 0 };

	g_option_context_set_summary(
		ctx, "Report on a replay database (swaptrace replay -o DB): trace summary,\n"
		     "findings by rule, unverified checks, slot-seconds wasted by stale and\n"
		     "full swap-cache retention per call site, process and device, write-fault\n"
		     "round trips, swap-in races and lost events.");
	g_option_context_set_description(
		ctx, "--html adds plots, every finding (up to 1000) linked to its slot's\n"
		     "timeline, and a timeline per slot with a finding or stale or full\n"
		     "retention: lifetimes, swap-cache bindings, retention, events and\n"
		     "findings.  A slot's events need a database replayed with --events; the\n"
		     "page says so when they are missing.  FILE is written like 'swaptrace\n"
		     "replay' writes its database: through a temporary file renamed into\n"
		     "place, never over an existing file without --force, never over\n"
		     "anything but a regular file.\n"
		     "\n"
		     "Exit status: 0 on success, 2 on usage errors, if DB cannot be read\n"
		     "or FILE cannot be written.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse(ctx, "report", NULL, &argc, &argv))
		return EXIT_USAGE;
	if (top < 1)
		return cli_usage_error("report", "--top must be at least 1");
	if (max_slots < 0)
		return cli_usage_error("report", "--max-slots must be 0 or more");
	if (argc != 2)
		return cli_usage_error("report",
				       argc < 2 ? "no database given" : "one database only");
	if (html && !*html)
		return cli_usage_error("report", "empty file name (--html '')");

	opts.series = opts.slots = html != NULL;
	opts.max_slots = (unsigned)max_slots;
	opts.max_findings = REPORT_HTML_MAX_FINDINGS;
	r = report_load_with(argv[1], &opts, &error);
	if (!r) {
		cli_error("cannot open database '%s': %s", argv[1], error->message);
		return EXIT_FAILURE_INPUT;
	}
	out = g_string_new(NULL);
	report_format_text(r, (unsigned)top, out);
	{
		/* Host, process and symbol names come from the trace: escaped for the terminal. */
		g_autofree char *safe = text_escape(out->str, true);

		g_string_assign(out, safe);
	}
	if (fwrite(out->str, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		cli_error("cannot write report: %s", g_strerror(errno));
		return EXIT_FAILURE_INPUT;
	}
	if (html) {
		g_autoptr(GString) page = g_string_new(NULL);

		html_report_format(r, (unsigned)top, page);
		output_file_install_signal_cleanup();
		if (!output_file_write(html, page->str, page->len, force, &error)) {
			cli_print_error(error);
			return EXIT_FAILURE_INPUT;
		}
	}
	return EXIT_OK;
}
