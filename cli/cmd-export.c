/*
 * `swaptrace export DB --format=chrome-json -o FILE`: a replay database as
 * a file other tools open.  chrome-json is the Chrome trace-event format
 * of Perfetto UI, chrome://tracing and Chromium DevTools' Performance
 * panel (report/export-chrome.h says what goes on which track).  Written
 * as `replay -o` writes its database: a temporary file renamed into place,
 * and an existing FILE kept unless --force.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "export-chrome.h"
#include "output-file.h"
#include "report.h"

#include "banned.h"

/* Slot tracks by default: plenty for a person, light for a browser. */
#define EXPORT_MAX_SLOTS 500

static const char export_description[] =
	"FORMAT is chrome-json (the default and only one): Chrome's trace-event\n"
	"JSON, which Perfetto UI (ui.perfetto.dev, Open trace file), chrome://tracing\n"
	"and Chromium DevTools (Performance, Load profile) open.  Each swap device is\n"
	"a process with two counters, slots in use and swap cache with count 0; each\n"
	"slot with a finding or stale or full retention is a thread with its\n"
	"lifetimes, swap-cache bindings and retention as slices (coloured by\n"
	"verdict) and its findings as instant events carrying rule, message, seq\n"
	"and call site.  Bindings and the slot's own events need a database\n"
	"replayed with --events.  Times are microseconds from the trace's first\n"
	"event.  The same database gives the same bytes.\n"
	"\n"
	"Exit status: 0 success, 2 usage error, DB cannot be read or FILE cannot be\n"
	"written (an existing FILE is kept unless --force).";

int cmd_export(int argc, char **argv)
{
	g_autofree char *format = NULL;
	g_autofree char *output = NULL;
	gboolean force = FALSE;
	gint max_slots = EXPORT_MAX_SLOTS;
	GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "chrome-json (default)", "FORMAT" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "File to write (required)",
		  "FILE" },
		{ "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Overwrite FILE if it exists", NULL },
		{ "max-slots", 0, 0, G_OPTION_ARG_INT, &max_slots,
		  "Slot tracks at most, most telling first (default 500; 0: all)", "N" },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("DB");
	g_autoptr(GError) error = NULL;
	g_autoptr(Report) r = NULL;
	g_autoptr(GString) out = NULL;
	ReportLoadOptions opts = { .slots = true };

	g_option_context_set_summary(ctx, "Export a replay database for trace viewers.");
	g_option_context_set_description(ctx, export_description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse(ctx, "export", NULL, &argc, &argv))
		return EXIT_USAGE;
	if (format && strcmp(format, "chrome-json") != 0)
		return cli_usage_error("export", "unknown format '%s' (chrome-json)", format);
	if (max_slots < 0)
		return cli_usage_error("export", "--max-slots must be 0 or more");
	if (argc != 2)
		return cli_usage_error("export",
				       argc < 2 ? "no database given" : "one database only");
	if (!output)
		return cli_usage_error("export", "no output given (-o FILE)");

	if (!*output)
		return cli_usage_error("export", "empty output name (-o '')");

	/* Refused before the work, as replay does. */
	if (!output_file_check(output, force, &error)) {
		cli_print_error(error);
		return EXIT_FAILURE_INPUT;
	}
	opts.max_slots = (unsigned)max_slots;
	r = report_load_with(argv[1], &opts, &error);
	if (!r) {
		cli_error("cannot open database '%s': %s", argv[1], error->message);
		return EXIT_FAILURE_INPUT;
	}
	out = g_string_new(NULL);
	export_chrome_format(r, out);
	output_file_install_signal_cleanup();
	if (!output_file_write(output, out->str, out->len, force, &error)) {
		cli_print_error(error);
		return EXIT_FAILURE_INPUT;
	}
	g_debug("'%s': %u slot tracks of %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
		" findings, %zu bytes",
		output, r->slot_tracks->len, r->slot_tracks_total, r->findings_total, out->len);
	return EXIT_OK;
}
