/*
 * The one paragraph `swaptrace replay` and `swaptrace check` end with:
 * events per kind, slots, findings per severity, unverified checks, gaps.
 */
#include "replay-run.h"

#include <inttypes.h>

#include "text-escape.h"

#include "banned.h"

void replay_summary_print(const ReplaySummary *s, char *const *inputs, size_t n_inputs, FILE *f)
{
	const TraceReaderStats *st = &s->stats;
	g_autoptr(GString) p = g_string_new(NULL);
	g_autoptr(GString) names = g_string_new(NULL);
	g_autoptr(GString) safe = g_string_new(NULL);
	bool first = true;

	for (size_t i = 0; i < n_inputs; i++)
		g_string_append_printf(names, "%s'%s'", i ? ", " : "", inputs[i]);

	if (st->swap_events == 0) {
		g_string_append_printf(p,
				       "no swap events found in %s: %" PRIu64 " events of "
				       "other kinds",
				       names->str, st->other_events);
	} else {
		g_string_append_printf(p, "%" PRIu64 " swap events replayed from %s (",
				       st->swap_events, names->str);
		for (int k = 0; k < _EVENT_KIND_MAX; k++) {
			if (!st->per_kind[k])
				continue;
			g_string_append_printf(p, "%s%s %" PRIu64, first ? "" : ", ",
					       event_kind_name((EventKind)k), st->per_kind[k]);
			first = false;
		}
		g_string_append_printf(p, "), %" PRIu64 " other events skipped", st->other_events);
	}
	if (s->n_traces > 1)
		g_string_append_printf(p, ", %u traces", s->n_traces);
	/* Without swap events, slots and findings are all zero: say nothing. */
	if (st->swap_events) {
		g_string_append_printf(p, "; %" PRIu64 " slots on %" PRIu64 " device%s", s->slots,
				       s->devices, s->devices == 1 ? "" : "s");
		g_string_append_printf(p,
				       "; findings: %" PRIu64 " error%s, %" PRIu64
				       " warning%s, %" PRIu64 " info",
				       s->by_severity[SEVERITY_ERROR],
				       s->by_severity[SEVERITY_ERROR] == 1 ? "" : "s",
				       s->by_severity[SEVERITY_WARNING],
				       s->by_severity[SEVERITY_WARNING] == 1 ? "" : "s",
				       s->by_severity[SEVERITY_INFO]);
		g_string_append_printf(p, "; %" PRIu64 " check%s unverified", s->unverified_total,
				       s->unverified_total == 1 ? "" : "s");
	}
	g_string_append_printf(p, "; %" PRIu64 " gap%s", st->gaps, st->gaps == 1 ? "" : "s");
	if (st->gaps)
		g_string_append_printf(p, " (%" PRIu64 " events and %" PRIu64 " packets lost)",
				       st->discarded_events, st->discarded_packets);
	g_string_append(p, ".\n");
	/* Input names may hold anything a file name can. */
	text_escape_append(safe, p->str, true);
	fputs(safe->str, f);
}
