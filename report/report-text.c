/*
 * The terminal report of `swaptrace report DB`: fixed-width columns, every
 * ranking bounded by --top, times relative to the trace's first event.  No
 * wall-clock time and no path but the one given, so two runs on the same
 * database print the same bytes (tests compare it with diff -u).
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "banned.h"

void report_append_duration(GString *out, int64_t ns)
{
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	const char *sign = ns < 0 ? "-" : "";

	if (a < 1000)
		g_string_append_printf(out, "%s%" PRIu64 " ns", sign, a);
	else if (a < 1000000)
		g_string_append_printf(out, "%s%.1f us", sign, (double)a / 1e3);
	else if (a < 1000000000)
		g_string_append_printf(out, "%s%.1f ms", sign, (double)a / 1e6);
	else
		g_string_append_printf(out, "%s%.2f s", sign, (double)a / 1e9);
}

/*
 * Slot-seconds keep enough digits to compare two emitter recordings, whose
 * intervals last microseconds, without drowning kernel-trace totals.
 */
void report_append_slot_seconds(GString *out, int64_t slot_ns)
{
	double s = (double)slot_ns / 1e9;

	if (slot_ns == 0)
		g_string_append(out, "0");
	else if (s >= 10)
		g_string_append_printf(out, "%.1f", s);
	else if (s >= 0.001)
		g_string_append_printf(out, "%.4f", s);
	else
		g_string_append_printf(out, "%.2e", s);
}

/* Append s right-aligned in a field of width w. */
static void right(GString *out, const char *s, int w)
{
	g_string_append_printf(out, "%*s", w, s);
}

static void right_duration(GString *out, int64_t ns, int w)
{
	g_autoptr(GString) tmp = g_string_new(NULL);

	report_append_duration(tmp, ns);
	right(out, tmp->str, w);
}

static void right_slot_seconds(GString *out, int64_t slot_ns, int w)
{
	g_autoptr(GString) tmp = g_string_new(NULL);

	report_append_slot_seconds(tmp, slot_ns);
	right(out, tmp->str, w);
}

static void heading(GString *out, const char *title)
{
	g_string_append_printf(out, "\n%s\n", title);
	for (const char *p = title; *p; p++)
		g_string_append_c(out, '-');
	g_string_append_c(out, '\n');
}

static void format_summary(const Report *r, GString *out)
{
	heading(out, "Trace");
	g_string_append(out, "  span          ");
	report_append_duration(out, report_span(r->begin_ts_ns, r->end_ts_ns));
	g_string_append_printf(out, " (%" PRId64 " .. %" PRId64 " ns on the trace clock)\n",
			       r->begin_ts_ns, r->end_ts_ns);
	for (guint i = 0; i < r->env->len; i++) {
		const ReportFact *f = g_ptr_array_index(r->env, i);

		/* Pad by characters, not bytes: labels may hold UTF-8 (‰). */
		g_string_append_printf(out, "  %s", f->label);
		for (glong n = g_utf8_strlen(f->label, -1); n < 14; n++)
			g_string_append_c(out, ' ');
		g_string_append_printf(out, "%s\n", f->value);
	}
	g_string_append_printf(out, "  events        %" PRId64 "%s\n", r->events_total,
			       r->events_stored ? " (stored: slot_history has them)"
						: " (not stored: slot_history is empty; replay "
						  "with --events to keep them)");
	for (guint i = 0; i < r->events->len; i++) {
		const ReportCount *c = g_ptr_array_index(r->events, i);

		g_string_append_printf(out, "    %-16s %10" PRId64 "\n", c->name, c->n);
	}
	g_string_append_printf(out,
			       "  slots         %" PRId64 " touched, %" PRId64 " known, %" PRId64
			       " allocated and %" PRId64 " cached at end; %" PRId64 " lifetimes\n",
			       r->slots, r->slots_known, r->slots_allocated, r->slots_cached,
			       r->lifetimes);
	g_string_append(out, "  devices       type    nr_slots   touched  max in use  max fill"
			     "  in use at end\n");
	for (guint i = 0; i < r->devices->len; i++) {
		const ReportDevice *d = g_ptr_array_index(r->devices, i);
		char nr[32], fill[32];

		if (d->nr_slots > 0) {
			g_snprintf(nr, sizeof(nr), "%" PRId64, d->nr_slots);
			g_snprintf(fill, sizeof(fill), "%.1f%%",
				   100.0 * (double)d->max_in_use / (double)d->nr_slots);
		} else {
			g_strlcpy(nr, "?", sizeof(nr));
			g_strlcpy(fill, "?", sizeof(fill));
		}
		g_string_append_printf(out,
				       "                %4" PRId64 "  %10s  %8" PRId64
				       "  %10" PRId64 "  %8s  %13" PRId64 "\n",
				       d->type, nr, d->slots_touched, d->max_in_use, fill,
				       d->in_use_end);
	}
	if (r->devices->len == 0)
		g_string_append(out, "                (none)\n");
}

static void format_findings(const Report *r, GString *out)
{
	unsigned shown = 0;

	heading(out, "Findings by rule");
	g_string_append_printf(out,
			       "  %" PRId64 " errors, %" PRId64 " warnings, %" PRId64
			       " info; %" PRId64 " checks unverified (a needed fact was unknown)\n",
			       r->findings_by_severity[SEVERITY_ERROR],
			       r->findings_by_severity[SEVERITY_WARNING],
			       r->findings_by_severity[SEVERITY_INFO], r->unverified_total);
	for (guint i = 0; i < r->rules->len; i++) {
		const ReportRule *rule = g_ptr_array_index(r->rules, i);

		/* Rules that neither fired nor missed a check say nothing. */
		if (rule->findings == 0 && rule->unverified == 0)
			continue;
		if (shown++ == 0)
			g_string_append(out,
					"  severity  rule                    findings  unverified"
					"  first at\n");
		g_string_append_printf(out, "  %-8s  %-22s  %8" PRId64 "  %10" PRId64 "  ",
				       rule->severity, rule->rule, rule->findings,
				       rule->unverified);
		if (rule->findings > 0) {
			g_string_append_c(out, '+');
			report_append_duration(out, report_span(r->begin_ts_ns, rule->first_ts_ns));
		} else {
			g_string_append_c(out, '-');
		}
		g_string_append_c(out, '\n');
		for (guint j = 0; j < rule->examples->len; j++)
			g_string_append_printf(out, "      e.g. %s\n",
					       (const char *)g_ptr_array_index(rule->examples, j));
	}
}

static void format_causes(const char *what, const GPtrArray *causes, unsigned top, GString *out)
{
	g_string_append_printf(out, "\n  by %s\n", what);
	if (causes->len == 0) {
		g_string_append(out, "    (no stale or full retention)\n");
		return;
	}
	g_string_append(out, "    stale slot-s   full slot-s  intervals  ");
	g_string_append(out, what);
	g_string_append_c(out, '\n');
	for (guint i = 0; i < causes->len && i < top; i++) {
		const ReportCause *c = g_ptr_array_index(causes, i);

		g_string_append(out, "    ");
		right_slot_seconds(out, c->stale_ns, 12);
		g_string_append(out, "  ");
		right_slot_seconds(out, c->full_ns, 12);
		g_string_append_printf(out, "  %9" PRId64 "  %s\n", c->intervals, c->name);
	}
	if (causes->len > top)
		g_string_append_printf(out, "    ... %u more\n", causes->len - top);
}

static void format_retention(const Report *r, unsigned top, GString *out)
{
	heading(out, "Retention: slots cached with swap count 0");
	g_string_append(out,
			"  verdict  intervals  slot-seconds         p50         p99         max\n");
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
		const ReportQuantiles *q = &r->retention_q[v];

		g_string_append_printf(out, "  %-7s  %9" PRId64 "  ", retention_verdict_name(v),
				       r->retention_n[v]);
		right_slot_seconds(out, r->retention_ns[v], 12);
		if (q->n) {
			g_string_append(out, "  ");
			right_duration(out, q->p50, 10);
			g_string_append(out, "  ");
			right_duration(out, q->p99, 10);
			g_string_append(out, "  ");
			right_duration(out, q->max, 10);
		}
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out,
			       "  lazy is the kernel's design; stale (written after the last swap "
			       "reference) and full\n  (device over half full) waste slots. "
			       "%" PRId64 " intervals still open at trace end",
			       r->retention_open);
	if (r->retention_truncated)
		g_string_append_printf(out, ", %" PRId64 " cut short by lost events",
				       r->retention_truncated);
	g_string_append(out, ".\n");

	heading(out, "Top retention causes: slot-seconds wasted by stale and full retention");
	g_string_append(out, "  total stale ");
	report_append_slot_seconds(out, r->retention_ns[RETENTION_STALE]);
	g_string_append(out, " slot-s, full ");
	report_append_slot_seconds(out, r->retention_ns[RETENTION_FULL]);
	g_string_append(out, " slot-s\n");
	g_string_append(out, "  (attributed to the event that started the interval: its call site, "
			     "its thread's process, its device)\n");
	format_causes("call site", r->by_site, top, out);
	format_causes("process", r->by_process, top, out);
	format_causes("device", r->by_device, top, out);
}

/* Why write faults kept the swap cache, by reason (write_fault_keeps). */
static void format_keeps(const Report *r, GString *out)
{
	int64_t kept = 0, in_place = 0;

	if (r->write_faults < 0)
		return; /* a database written before write_faults */
	for (guint i = 0; i < r->keeps->len; i++) {
		const ReportKeep *k = g_ptr_array_index(r->keeps, i);

		kept += k->faults;
		in_place += k->in_place;
	}
	heading(out, "Write faults that kept the swap cache");
	g_string_append_printf(out,
			       "  %" PRId64 " write swap-in faults; %" PRId64
			       " kept the swap cache, %" PRId64
			       " of them writing the cached folio in place (stale device copy)\n",
			       r->write_faults, kept, in_place);
	if (!r->keeps->len)
		return;
	g_string_append(out, "  reason          faults  in place  per 1000 writes  intervals  "
			     "slot-seconds  stale slot-s\n");
	for (guint i = 0; i < r->keeps->len; i++) {
		const ReportKeep *k = g_ptr_array_index(r->keeps, i);
		g_autofree char *rate = k->in_place_per_mille < 0
						? g_strdup("-")
						: g_strdup_printf("%.1f", k->in_place_per_mille);

		g_string_append_printf(out,
				       "  %-14s %7" PRId64 "  %8" PRId64 "  %15s  %9" PRId64 "  ",
				       k->reason, k->faults, k->in_place, rate, k->intervals);
		right_slot_seconds(out, k->slot_ns, 12);
		g_string_append(out, "  ");
		right_slot_seconds(out, k->stale_ns, 12);
		g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < r->keeps->len; i++) {
		const ReportKeep *k = g_ptr_array_index(r->keeps, i);

		g_string_append_printf(out, "  %s: %s\n", k->reason, k->description);
	}
}

static void format_quantiles(const ReportQuantiles *q, GString *out)
{
	g_string_append(out, "p50 ");
	report_append_duration(out, q->p50);
	g_string_append(out, ", p99 ");
	report_append_duration(out, q->p99);
	g_string_append(out, ", max ");
	report_append_duration(out, q->max);
}

static void format_roundtrips(const Report *r, unsigned top, GString *out)
{
	heading(out, "WP round trips: write faults that kept the cache, freed by a later fault");
	g_string_append_printf(out, "  %" PRIu64 " round trips", r->roundtrip_q.n);
	if (r->roundtrip_q.n) {
		g_string_append(out, "; delay to the freeing fault ");
		format_quantiles(&r->roundtrip_q, out);
	}
	g_string_append_c(out, '\n');
	if (r->roundtrip_sites->len == 0)
		return;
	g_string_append(out, "     count         p50         p99         max  call site\n");
	for (guint i = 0; i < r->roundtrip_sites->len && i < top; i++) {
		const ReportSite *s = g_ptr_array_index(r->roundtrip_sites, i);

		g_string_append_printf(out, "  %8" PRIu64 "  ", s->q.n);
		right_duration(out, s->q.p50, 10);
		g_string_append(out, "  ");
		right_duration(out, s->q.p99, 10);
		g_string_append(out, "  ");
		right_duration(out, s->q.max, 10);
		g_string_append_printf(out, "  %s\n", s->name);
	}
	if (r->roundtrip_sites->len > top)
		g_string_append_printf(out, "  ... %u more\n", r->roundtrip_sites->len - top);
}

static void format_races(const Report *r, GString *out)
{
	heading(out, "Swap-in races: -EEXIST swap cache adds");
	g_string_append_printf(out,
			       "  %" PRId64 " races on %" PRId64 " slots (at most %" PRId64
			       " on one slot); %" PRId64 " lost to an insert not in the trace\n",
			       r->races, r->race_slots, r->race_max_per_slot, r->races_unmatched);
	if (r->race_q.n) {
		g_string_append(out, "  wait until the winning insert: ");
		format_quantiles(&r->race_q, out);
		g_string_append_printf(out, " (%" PRIu64 " episodes: slot and winner)\n",
				       r->race_q.n);
	}
}

static void format_gaps(const Report *r, unsigned top, GString *out)
{
	heading(out, "Gaps: events lost by the tracer");
	if (r->gaps->len == 0) {
		g_string_append(out, "  none: every slot state is proven by the trace\n");
		return;
	}
	g_string_append_printf(out, "  %u gaps, %" PRId64 " events known lost\n", r->gaps->len,
			       r->gap_events_lost);
	for (guint i = 0; i < r->gaps->len && i < top; i++) {
		const ReportGap *g = g_ptr_array_index(r->gaps, i);

		g_string_append_printf(out, "  %-7s %s", g->kind, g->stream);
		if (g->count >= 0)
			g_string_append_printf(out, ": %" PRId64 " lost", g->count);
		else
			g_string_append(out, ": count unknown");
		if (g->begin_ts_ns != INT64_MIN) {
			g_string_append(out, " at +");
			report_append_duration(out, report_span(r->begin_ts_ns, g->begin_ts_ns));
		}
		if (g->after_seq >= 0)
			g_string_append_printf(out, " after event %" PRId64, g->after_seq);
		g_string_append_c(out, '\n');
	}
	if (r->gaps->len > top)
		g_string_append_printf(out, "  ... %u more\n", r->gaps->len - top);
}

void report_format_text(const Report *r, unsigned top, GString *out)
{
	g_string_append_printf(out, "swaptrace report: %s\n", r->path);
	format_summary(r, out);
	format_findings(r, out);
	format_retention(r, top, out);
	format_keeps(r, out);
	format_roundtrips(r, top, out);
	format_races(r, out);
	format_gaps(r, top, out);
}
