/*
 * The summary `swaptrace replay` and `swaptrace check` end with: a first
 * line saying what was replayed from where, then one labelled line each for
 * events per kind, slots, findings per severity, unverified checks and
 * gaps.  Deterministic: tests/replay/test-fixture.sh compares it with
 * traces/NAME/expected/summary.txt.
 */
#include "replay-run.h"

#include <inttypes.h>
#include <string.h>

#include "text-escape.h"

#include "banned.h"

/* Where the value of a labelled line starts, and where a line wraps. */
#define SUMMARY_INDENT 15
#define SUMMARY_WIDTH 78

static void label(GString *p, const char *name)
{
	g_string_append_printf(p, "  %-*s", SUMMARY_INDENT - 2, name);
}

/* "s" unless n is 1. */
static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* "kind n, kind n, ..." wrapped under the label's value column. */
static void per_kind(GString *p, const TraceReaderStats *st)
{
	size_t col = SUMMARY_INDENT;
	bool first = true;

	label(p, "per kind");
	for (int k = 0; k < _EVENT_KIND_MAX; k++) {
		g_autofree char *item = NULL;

		if (!st->per_kind[k])
			continue;
		item = g_strdup_printf("%s %" PRIu64, event_kind_name((EventKind)k),
				       st->per_kind[k]);
		if (!first && col + 2 + strlen(item) + 1 > SUMMARY_WIDTH) {
			g_string_append_printf(p, ",\n%*s", SUMMARY_INDENT, "");
			col = SUMMARY_INDENT;
		} else if (!first) {
			g_string_append(p, ", ");
			col += 2;
		}
		g_string_append(p, item);
		col += strlen(item);
		first = false;
	}
	g_string_append_c(p, '\n');
}

void replay_summary_print(const ReplaySummary *s, char *const *inputs, size_t n_inputs, FILE *f)
{
	const TraceReaderStats *st = &s->stats;
	g_autoptr(GString) p = g_string_new(NULL);
	g_autoptr(GString) names = g_string_new(NULL);
	g_autoptr(GString) safe = g_string_new(NULL);

	for (size_t i = 0; i < n_inputs; i++)
		g_string_append_printf(names, "%s'%s'", i ? ", " : "", inputs[i]);
	if (s->n_traces > 1)
		g_string_append_printf(names, " (%u traces)", s->n_traces);

	if (st->swap_events == 0) {
		g_string_append_printf(p,
				       "no swap events found in %s: %" PRIu64 " event%s of "
				       "other kinds\n",
				       names->str, st->other_events, plural(st->other_events));
	} else {
		g_string_append_printf(p,
				       "%" PRIu64 " swap events replayed from %s, %" PRIu64
				       " other event%s skipped\n",
				       st->swap_events, names->str, st->other_events,
				       plural(st->other_events));
		per_kind(p, st);
		/* Without swap events, slots and findings are all zero: say nothing. */
		label(p, "slots");
		g_string_append_printf(p, "%" PRIu64 " on %" PRIu64 " device%s\n", s->slots,
				       s->devices, plural(s->devices));
		label(p, "findings");
		g_string_append_printf(
			p, "%" PRIu64 " error%s, %" PRIu64 " warning%s, %" PRIu64 " info\n",
			s->by_severity[SEVERITY_ERROR], plural(s->by_severity[SEVERITY_ERROR]),
			s->by_severity[SEVERITY_WARNING], plural(s->by_severity[SEVERITY_WARNING]),
			s->by_severity[SEVERITY_INFO]);
		label(p, "unverified");
		g_string_append_printf(p, "%" PRIu64 " check%s (a needed fact was unknown)\n",
				       s->unverified_total, plural(s->unverified_total));
	}
	label(p, "gaps");
	if (st->gaps)
		g_string_append_printf(
			p, "%" PRIu64 " gap%s (%" PRIu64 " events and %" PRIu64 " packets lost)\n",
			st->gaps, plural(st->gaps), st->discarded_events, st->discarded_packets);
	else
		g_string_append(p, "none: no events lost\n");
	/* Input names may hold anything a file name can. */
	text_escape_append(safe, p->str, true);
	fputs(safe->str, f);
}
