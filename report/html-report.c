/*
 * The HTML report: one file a person can mail or attach to a bug, with the
 * plots drawn as inline SVG (html-plots.c: no script, no fonts, no
 * network), so it renders the same in any browser, offline, forever.  This
 * file lays out the page: the facts, the cards, the plots and the tables,
 * all from the Report.
 */
#include "html-report.h"

#include <inttypes.h>
#include <stdio.h>

#include "html-plots.h"
#include "html-slots.h"
#include "html-svg.h"

#include "banned.h"

/* report_append_duration(), with the micro sign the terminal report avoids. */
static void html_duration(GString *out, int64_t ns)
{
	g_autoptr(GString) d = g_string_new(NULL);

	report_append_duration(d, ns);
	if (g_str_has_suffix(d->str, " us")) {
		g_string_truncate(d, d->len - 2);
		g_string_append(d, "µs");
	}
	g_string_append(out, d->str);
}

static void td_duration(GString *out, int64_t ns)
{
	g_string_append(out, "<td class=\"n\">");
	html_duration(out, ns);
	g_string_append(out, "</td>");
}

/* A quantile of an empty set is not 0 ns: it does not exist. */
static void td_quantile(GString *out, const ReportQuantiles *q, int64_t ns)
{
	if (q->n == 0)
		g_string_append(out, "<td class=\"n\">–</td>");
	else
		td_duration(out, ns);
}

static void td_slot_seconds(GString *out, int64_t ns)
{
	g_string_append(out, "<td class=\"n\">");
	report_append_slot_seconds(out, ns);
	g_string_append(out, "</td>");
}

static void card(GString *out, const char *label, const char *value, const char *cls)
{
	g_string_append_printf(out, "<div class=\"card %s\"><div class=\"v\">", cls);
	html_esc(out, value);
	g_string_append(out, "</div><div class=\"k\">");
	html_esc(out, label);
	g_string_append(out, "</div></div>\n");
}

static void cards(const Report *r, GString *out)
{
	g_autoptr(GString) v = g_string_new(NULL);

	g_string_append(out, "<div class=\"cards\">\n");
	report_append_slot_seconds(v, r->retention_ns[RETENTION_STALE]);
	card(out, "stale slot-seconds", v->str, r->retention_ns[RETENTION_STALE] ? "bad" : "good");
	g_string_truncate(v, 0);
	report_append_slot_seconds(v, r->retention_ns[RETENTION_FULL]);
	card(out, "full slot-seconds", v->str, r->retention_ns[RETENTION_FULL] ? "warn" : "good");
	g_string_printf(v, "%" PRId64, r->findings_by_severity[SEVERITY_ERROR]);
	card(out, "error findings", v->str,
	     r->findings_by_severity[SEVERITY_ERROR] ? "bad" : "good");
	g_string_printf(v, "%" PRIu64, r->roundtrip_q.n);
	card(out, "wp round trips", v->str, r->roundtrip_q.n ? "warn" : "good");
	g_string_printf(v, "%" PRId64, r->races);
	card(out, "swap-in races", v->str, "");
	g_string_printf(v, "%" PRId64, r->unverified_total);
	card(out, "unverified checks", v->str, r->unverified_total ? "warn" : "good");
	g_string_printf(v, "%u", r->gaps->len);
	card(out, "gaps (lost events)", v->str, r->gaps->len ? "warn" : "good");
	g_string_append(out, "</div>\n");
}

static void table_rules(const Report *r, GString *out)
{
	unsigned shown = 0;

	g_string_append(out, "<section><h2>Findings by rule</h2>\n<table><tr><th>severity</th>"
			     "<th>rule</th><th class=\"n\">findings</th>"
			     "<th class=\"n\">unverified</th><th>examples</th></tr>\n");
	for (guint i = 0; i < r->rules->len; i++) {
		const ReportRule *rule = g_ptr_array_index(r->rules, i);

		if (rule->findings == 0 && rule->unverified == 0)
			continue;
		shown++;
		g_string_append_printf(out, "<tr><td><span class=\"sev\" style=\"background:%s\">",
				       html_severity_color(rule->severity));
		html_esc(out, rule->severity);
		g_string_append(out, "</span></td><td class=\"mono\">");
		html_esc(out, rule->rule);
		g_string_append_printf(out,
				       "</td><td class=\"n\">%" PRId64
				       "</td><td class=\"n\">%" PRId64 "</td><td class=\"ex\">",
				       rule->findings, rule->unverified);
		for (guint j = 0; j < rule->examples->len; j++) {
			html_esc(out, g_ptr_array_index(rule->examples, j));
			g_string_append(out, "<br>");
		}
		g_string_append(out, "</td></tr>\n");
	}
	if (shown == 0)
		g_string_append_printf(out,
				       "<tr><td colspan=\"5\">No rule fired, and none of the %u "
				       "rules missed a check for want of a fact.</td></tr>\n",
				       r->rules->len);
	g_string_append(out, "</table>\n</section>\n");
}

static void table_retention(const Report *r, GString *out)
{
	g_string_append(out,
			"<section><h2>Retention by verdict</h2>\n<table><tr><th>verdict</th>"
			"<th class=\"n\">intervals</th><th class=\"n\">slot-seconds</th>"
			"<th class=\"n\">p50</th><th class=\"n\">p99</th><th class=\"n\">max</th>"
			"</tr>\n");
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
		g_string_append_printf(
			out,
			"<tr><td><span class=\"dot\" style=\"background:%s\"></span>%s"
			"</td><td class=\"n\">%" PRId64 "</td>",
			html_verdict_color(v), retention_verdict_name(v), r->retention_n[v]);
		td_slot_seconds(out, r->retention_ns[v]);
		td_quantile(out, &r->retention_q[v], r->retention_q[v].p50);
		td_quantile(out, &r->retention_q[v], r->retention_q[v].p99);
		td_quantile(out, &r->retention_q[v], r->retention_q[v].max);
		g_string_append(out, "</tr>\n");
	}
	g_string_append(out, "</table>\n</section>\n");
}

/* Why write faults kept the swap cache, by reason (write_fault_keeps). */
static void table_keeps(const Report *r, GString *out)
{
	int64_t kept = 0, in_place = 0;

	if (r->write_faults < 0)
		return; /* a database written before write_faults */
	for (guint i = 0; i < r->keeps->len; i++) {
		const ReportKeep *k = g_ptr_array_index(r->keeps, i);

		kept += k->faults;
		in_place += k->in_place;
	}
	g_string_append_printf(
		out,
		"<section><h2>Write faults that kept the swap cache</h2>\n<p>%" PRId64
		" write swap-in faults; %" PRId64 " kept the swap cache, %" PRId64
		" of them writing the cached folio in place (stale device copy).</p>\n",
		r->write_faults, kept, in_place);
	if (!r->keeps->len) {
		g_string_append(out, "</section>\n");
		return;
	}
	g_string_append(out,
			"<table><tr><th>reason</th><th class=\"n\">faults</th>"
			"<th class=\"n\">in place</th><th class=\"n\">per 1000 writes</th>"
			"<th class=\"n\">intervals</th><th class=\"n\">slot-seconds</th>"
			"<th class=\"n\">stale slot-s</th><th>what the kernel saw</th></tr>\n");
	for (guint i = 0; i < r->keeps->len; i++) {
		const ReportKeep *k = g_ptr_array_index(r->keeps, i);

		g_string_append(out, "<tr><td class=\"mono\">");
		html_esc(out, k->reason);
		g_string_append_printf(out,
				       "</td><td class=\"n\">%" PRId64
				       "</td><td class=\"n\">%" PRId64 "</td>",
				       k->faults, k->in_place);
		if (k->in_place_per_mille < 0)
			g_string_append(out, "<td class=\"n\">-</td>");
		else
			g_string_append_printf(out, "<td class=\"n\">%.1f</td>",
					       k->in_place_per_mille);
		g_string_append_printf(out, "<td class=\"n\">%" PRId64 "</td>", k->intervals);
		td_slot_seconds(out, k->slot_ns);
		td_slot_seconds(out, k->stale_ns);
		g_string_append(out, "<td>");
		html_esc(out, k->description);
		g_string_append(out, "</td></tr>\n");
	}
	g_string_append(out, "</table>\n</section>\n");
}

static void table_causes(const Report *r, unsigned top, GString *out)
{
	const struct {
		const char *what;
		const GPtrArray *causes;
	} by[] = {
		{ "call site", r->by_site },
		{ "process", r->by_process },
		{ "device", r->by_device },
	};

	g_string_append(out, "<section><h2>Top retention causes</h2>\n<div class=\"cols\">\n");
	for (size_t b = 0; b < G_N_ELEMENTS(by); b++) {
		g_string_append_printf(
			out,
			"<div><h3>by %s</h3><table><tr><th>%s</th>"
			"<th class=\"n\">stale slot-s</th><th class=\"n\">full slot-s"
			"</th><th class=\"n\">intervals</th></tr>\n",
			by[b].what, by[b].what);
		for (guint i = 0; i < by[b].causes->len && i < top; i++) {
			const ReportCause *c = g_ptr_array_index(by[b].causes, i);

			g_string_append(out, "<tr><td class=\"mono\">");
			html_esc(out, c->name);
			g_string_append(out, "</td>");
			td_slot_seconds(out, c->stale_ns);
			td_slot_seconds(out, c->full_ns);
			g_string_append_printf(out, "<td class=\"n\">%" PRId64 "</td></tr>\n",
					       c->intervals);
		}
		if (by[b].causes->len == 0)
			g_string_append(out, "<tr><td colspan=\"4\">no stale or full retention</td>"
					     "</tr>\n");
		g_string_append(out, "</table></div>\n");
	}
	g_string_append(out, "</div>\n</section>\n");
}

static void table_roundtrips_races(const Report *r, unsigned top, GString *out)
{
	g_string_append(out, "<section><h2>Write-fault round trips and swap-in races</h2>\n"
			     "<div class=\"cols\"><div><h3>wp round trips per call site</h3>"
			     "<table><tr><th>call site</th><th class=\"n\">count</th>"
			     "<th class=\"n\">p50</th><th class=\"n\">p99</th>"
			     "<th class=\"n\">max</th></tr>\n");
	for (guint i = 0; i < r->roundtrip_sites->len && i < top; i++) {
		const ReportSite *s = g_ptr_array_index(r->roundtrip_sites, i);

		g_string_append(out, "<tr><td class=\"mono\">");
		html_esc(out, s->name);
		g_string_append_printf(out, "</td><td class=\"n\">%" PRIu64 "</td>", s->q.n);
		td_duration(out, s->q.p50);
		td_duration(out, s->q.p99);
		td_duration(out, s->q.max);
		g_string_append(out, "</tr>\n");
	}
	if (r->roundtrip_sites->len == 0)
		g_string_append(out, "<tr><td colspan=\"5\">none</td></tr>\n");
	g_string_append_printf(out,
			       "</table></div>\n<div><h3>swap-in races (-EEXIST)</h3><table>"
			       "<tr><td>races</td><td class=\"n\">%" PRId64 "</td></tr>"
			       "<tr><td>slots that raced</td><td class=\"n\">%" PRId64 "</td></tr>"
			       "<tr><td>most on one slot</td><td class=\"n\">%" PRId64 "</td></tr>"
			       "<tr><td>winner not in trace</td><td class=\"n\">%" PRId64
			       "</td></tr>\n<tr><td>wait p50</td>",
			       r->races, r->race_slots, r->race_max_per_slot, r->races_unmatched);
	td_quantile(out, &r->race_q, r->race_q.p50);
	g_string_append(out, "</tr><tr><td>wait p99</td>");
	td_quantile(out, &r->race_q, r->race_q.p99);
	g_string_append(out, "</tr><tr><td>wait max</td>");
	td_quantile(out, &r->race_q, r->race_q.max);
	g_string_append(out, "</tr></table></div></div>\n</section>\n");
}

static void gap_row(const Report *r, const ReportGap *g, GString *out)
{
	g_string_append(out, "<tr><td>");
	html_esc(out, g->kind);
	g_string_append(out, "</td><td class=\"mono\">");
	html_esc(out, g->stream);
	if (g->count >= 0)
		g_string_append_printf(out, "</td><td class=\"n\">%" PRId64, g->count);
	else
		g_string_append(out, "</td><td class=\"n\">?");
	g_string_append(out, "</td><td class=\"n\">");
	if (g->begin_ts_ns != INT64_MIN)
		report_append_duration(out, report_span(r->begin_ts_ns, g->begin_ts_ns));
	g_string_append(out, "</td><td class=\"n\">");
	if (g->after_seq >= 0)
		g_string_append_printf(out, "%" PRId64, g->after_seq);
	g_string_append(out, "</td></tr>\n");
}

static void table_gaps(const Report *r, unsigned top, GString *out)
{
	g_string_append(out, "<section><h2>Gaps</h2>\n");
	if (r->gaps->len == 0) {
		g_string_append(out, "<p>No events were lost: every slot state is proven by the "
				     "trace.</p>\n</section>\n");
		return;
	}
	g_string_append(out, "<table><tr><th>kind</th><th>stream</th><th class=\"n\">lost"
			     "</th><th class=\"n\">at</th><th class=\"n\">after event</th>"
			     "</tr>\n");
	for (guint i = 0; i < r->gaps->len && i < top; i++)
		gap_row(r, g_ptr_array_index(r->gaps, i), out);
	g_string_append(out, "</table>\n");
	if (r->gaps->len > top)
		g_string_append_printf(out,
				       "<p class=\"caption\">... and %u more gaps, %" PRId64
				       " events lost in all.</p>\n",
				       r->gaps->len - top, r->gap_events_lost);
	g_string_append(out, "</section>\n");
}

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"color:#1d2530;background:#fff;margin:0}"
	"main{max-width:1160px;margin:0 auto;padding:24px 28px 48px}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:30px 0 6px;"
	"border-bottom:1px solid #dde3ea;padding-bottom:4px}h3{font-size:14px;margin:10px 0 6px}"
	".facts{color:#55606e;margin:0 0 4px}.facts span{margin-right:18px;white-space:nowrap}"
	".facts.small{font-size:12px}.facts b{font-weight:600;color:#1d2530}"
	".cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}"
	".card{border:1px solid #dde3ea;border-radius:8px;padding:10px 14px;min-width:120px;"
	"border-top:4px solid #9aa5b1}.card.bad{border-top-color:#d62728}"
	".card.warn{border-top-color:#f58518}.card.good{border-top-color:#54a24b}"
	".card .v{font-size:22px;font-weight:600}.card .k{color:#55606e;font-size:12px}"
	".caption{color:#55606e;margin:2px 0 8px;max-width:900px}"
	"svg.plot{width:100%;height:auto;display:block}"
	"svg text{font-family:system-ui,'DejaVu Sans',sans-serif;fill:#1d2530}"
	"svg .tick{font-size:12px;fill:#55606e}svg .label{font-size:13px}"
	"svg .legend{font-size:12px}svg .ptitle{font-size:14px;font-weight:600}"
	"svg .mono{font-family:'DejaVu Sans Mono',monospace}"
	"svg .axis{stroke:#55606e;stroke-width:1}svg .grid{stroke:#e3e8ee;stroke-width:1}"
	"svg .vgrid{stroke:#f0f3f6;stroke-width:1}"
	"table{border-collapse:collapse;margin:6px 0;font-size:13px}"
	"th,td{padding:4px 10px;border-bottom:1px solid #e8ecf0;text-align:left;vertical-align:top}"
	"th{background:#f4f6f8;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-"
	"nums;white-space:nowrap}"
	".mono{font-family:'DejaVu Sans Mono',monospace;font-size:12px}"
	".ex{color:#55606e;font-size:12px;max-width:560px}"
	".sev{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px}"
	".dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}"
	".cols{display:flex;flex-wrap:wrap;gap:28px}"
	".note{background:#fff4e5;border-left:4px solid #f58518;padding:8px 12px;max-width:900px}"
	".slot{margin:18px 0 26px}.slot h3{font-family:'DejaVu Sans Mono',monospace}"
	"tr.proves td{background:#fde8e8}:target{background:#fff9db}"
	"code{font-family:'DejaVu Sans Mono',monospace;font-size:12px}"
	"footer{color:#8792a0;font-size:12px;margin-top:36px}";

/* The title and the facts under it: span, events, slots, devices, environment. */
static void page_head(const Report *r, const char *base, GString *out)
{
	g_autoptr(GString) span = g_string_new(NULL);

	html_duration(span, report_span(r->begin_ts_ns, r->end_ts_ns));
	g_string_append(out,
			"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<title>swaptrace report: ");
	html_esc(out, base);
	g_string_append_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", css);
	g_string_append(out, "<h1>swaptrace report: ");
	html_esc(out, base);
	g_string_append(out, "</h1>\n<p class=\"facts\"><span>trace span ");
	html_esc(out, span->str);
	g_string_append_printf(out,
			       "</span> <span>%" PRId64 " events</span> <span>%" PRId64
			       " slots touched</span> <span>%u swap device%s</span>",
			       r->events_total, r->slots, r->devices->len,
			       r->devices->len == 1 ? "" : "s");
	for (guint i = 0; i < r->devices->len; i++) {
		const ReportDevice *d = g_ptr_array_index(r->devices, i);

		if (d->nr_slots > 0) {
			g_string_append_printf(
				out, " <span>device %" PRId64 ": %" PRId64 " slots, max fill ",
				d->type, d->nr_slots);
			html_num(out, 100.0 * (double)d->max_in_use / (double)d->nr_slots, 1);
			g_string_append(out, "%</span>");
		}
	}
	g_string_append(out, "</p>\n<p class=\"facts small\">");
	for (guint i = 0; i < r->env->len; i++) {
		const ReportFact *f = g_ptr_array_index(r->env, i);

		g_string_append(out, " <span>");
		html_esc(out, f->label);
		g_string_append(out, " <b>");
		html_esc(out, f->value);
		g_string_append(out, "</b></span>");
	}
	g_string_append(out, "</p>\n");
}

void html_report_format(const Report *r, unsigned top, GString *out)
{
	g_autofree char *base = g_path_get_basename(r->path);

	g_return_if_fail(r->lifetime_spans && r->slot_tracks);
	page_head(r, base, out);
	cards(r, out);
	html_plot_slots(r, out);
	html_plot_findings(r, out);
	html_plot_sites(r, top, out);
	html_plot_durations(r, out);
	table_rules(r, out);
	html_findings_list(r, out);
	table_retention(r, out);
	table_keeps(r, out);
	table_causes(r, top, out);
	table_roundtrips_races(r, top, out);
	table_gaps(r, top, out);
	html_slot_timelines(r, out);
	g_string_append(out, "<footer>Generated by swaptrace report from ");
	html_esc(out, base);
	g_string_append(out,
			". Times are relative to the first event on the trace clock.</footer>\n"
			"</main>\n</body>\n</html>\n");
}
