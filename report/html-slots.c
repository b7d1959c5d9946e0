/*
 * From "rule X fired" to "what happened to that slot": the HTML page's
 * list of findings, each linked to its slot's timeline, and one timeline
 * per slot with a finding or stale or full retention (Report slot
 * tracks): lifetimes, folio bindings and retention as bars, every event
 * as a tick and every finding as a marker on one inline SVG, then the
 * slot's events as a table.  Its events need `replay --events`; without
 * them the page says so and draws what the other tables hold.
 */
#include "html-slots.h"

#include <inttypes.h>
#include <math.h>

#include "html-svg.h"

#include "banned.h"

/* Rows of a slot's events in its table, at most. */
#define SLOT_EVENT_ROWS 200

#define LANE_H 22.0
#define SLOT_LABEL_W 96.0
/* Ticks on a time axis, at most (axis_step() asks for about 6). */
#define AXIS_TICKS_MAX 64

static void slot_anchor(GString *out, int64_t type, int64_t offset)
{
	g_string_append_printf(out, "slot-%" PRId64 "-%" PRId64, type, offset);
}

/* "+1.458571 s" from the trace start: fine enough to tell a slot's events apart. */
static void rel_time(const Report *r, GString *out, int64_t ts_ns)
{
	int64_t d = report_span(r->begin_ts_ns, ts_ns);
	/* Before the start (a hostile clock) prints as "-"; INT64_MIN has no negation. */
	uint64_t a = d < 0 ? (uint64_t) - (d + 1) + 1 : (uint64_t)d;

	g_string_append_printf(out, "%c%" PRIu64 ".%06" PRIu64 " s", d < 0 ? '-' : '+',
			       a / 1000000000, (a % 1000000000) / 1000);
}

static const char *no_events_note =
	"This database was replayed without <code>--events</code>, so the slots' own "
	"events are not stored: the timelines show lifetimes, retention and findings only, "
	"and <code>slot_history</code> is empty. Replay with <code>swaptrace replay "
	"--events</code> to see every event and the folios that cached each slot.";

void html_findings_list(const Report *r, GString *out)
{
	g_string_append(out, "<section id=\"findings\"><h2>Findings</h2>\n");
	if (r->findings_total == 0) {
		g_string_append(out, "<p>No finding.</p>\n</section>\n");
		return;
	}
	g_string_append(out, "<p class=\"caption\">Every finding, in the order the replay "
			     "reported it (a retention finding when its interval closes); the "
			     "slot links to that slot's timeline below.</p>\n");
	g_string_append(out, "<table><tr><th class=\"n\">seq</th><th class=\"n\">at</th>"
			     "<th>severity</th><th>rule</th><th>slot</th><th>call site</th>"
			     "<th>process</th><th>message</th></tr>\n");
	for (guint i = 0; i < r->findings_listed; i++) {
		const ReportFinding *f = g_ptr_array_index(r->findings, i);
		const ReportSlot *slot = report_slot(r, f->type, f->offset);

		g_string_append_printf(out,
				       "<tr id=\"finding-%" PRId64 "\"><td class=\"n\">%" PRId64
				       "</td><td class=\"n\">",
				       f->id, f->seq);
		rel_time(r, out, f->ts_ns);
		g_string_append_printf(out, "</td><td><span class=\"sev\" style=\"background:%s\">",
				       html_severity_color(f->severity));
		html_esc(out, f->severity);
		g_string_append(out, "</span></td><td>");
		html_esc(out, f->rule);
		g_string_append(out, "</td><td class=\"mono\">");
		if (slot) {
			g_string_append(out, "<a href=\"#");
			slot_anchor(out, f->type, f->offset);
			g_string_append(out, "\">");
		}
		g_string_append_printf(out, "%" PRId64 ":%" PRId64, f->type, f->offset);
		if (f->nr > 1)
			g_string_append_printf(out, "+%" PRId64, f->nr);
		if (slot)
			g_string_append(out, "</a>");
		g_string_append(out, "</td><td class=\"mono\">");
		html_esc(out, f->site ? f->site : "");
		g_string_append(out, "</td><td>");
		if (f->procname)
			html_esc(out, f->procname);
		if (f->tid >= 0)
			g_string_append_printf(out, " [%" PRId64 "]", f->tid);
		g_string_append(out, "</td><td class=\"ex\">");
		html_esc(out, f->message);
		g_string_append(out, "</td></tr>\n");
	}
	g_string_append(out, "</table>\n");
	if (r->findings_total > (int64_t)r->findings_listed)
		g_string_append_printf(out,
				       "<p class=\"caption\">... and %" PRId64
				       " more findings: <code>sqlite3 DB 'SELECT * FROM "
				       "findings_rel'</code>.</p>\n",
				       r->findings_total - (int64_t)r->findings_listed);
	g_string_append(out, "</section>\n");
}

/* ---- one slot's timeline ---- */

/* The slot's time window: everything drawn, clamped to the trace, padded. */
static void slot_window(const Report *r, const ReportSlot *s, double *ret_lo, double *ret_hi)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;

#define SEE(t)                                                                                     \
	do {                                                                                       \
		int64_t t_ = CLAMP((t), r->begin_ts_ns, r->end_ts_ns);                             \
		lo = MIN(lo, t_);                                                                  \
		hi = MAX(hi, t_);                                                                  \
	} while (0)
	for (guint i = 0; i < s->lives->len; i++) {
		const ReportSlotLife *l = &g_array_index(s->lives, ReportSlotLife, i);

		SEE(l->alloc_ts_ns == INT64_MIN ? r->begin_ts_ns : l->alloc_ts_ns);
		SEE(l->free_ts_ns == INT64_MIN ? r->end_ts_ns : l->free_ts_ns);
	}
	for (guint i = 0; i < s->retention->len; i++) {
		const ReportSlotRetention *x = g_ptr_array_index(s->retention, i);

		SEE(x->start_ts_ns);
		SEE(x->end_ts_ns);
	}
	for (guint i = 0; s->events && i < s->events->len; i++)
		SEE(((const ReportSlotEvent *)g_ptr_array_index(s->events, i))->ts_ns);
	for (guint i = 0; i < s->findings_list->len; i++)
		SEE(((const ReportFinding *)g_ptr_array_index(s->findings_list, i))->ts_ns);
#undef SEE
	if (lo > hi)
		lo = hi = r->begin_ts_ns;
	*ret_lo = (double)report_span(r->begin_ts_ns, lo);
	*ret_hi = (double)report_span(r->begin_ts_ns, hi);
	if (*ret_hi - *ret_lo < 1000)
		*ret_hi = *ret_lo + 1000;
	{
		double pad = (*ret_hi - *ret_lo) * 0.02;

		*ret_lo = MAX(0, *ret_lo - pad);
		*ret_hi += pad;
	}
}

/* Ticks labelled with the time since the trace start, in a unit for the window. */
static void window_axis(GString *out, const Frame *f)
{
	double span = f->xmax - f->xmin;
	const char *unit = span >= 10e9 ? "s" : span >= 10e6 ? "ms" : span >= 10e3 ? "µs" : "ns";
	double u = span >= 10e9 ? 1e9 : span >= 10e6 ? 1e6 : span >= 10e3 ? 1e3 : 1;
	double step = axis_step(span / u, 6);
	int dec = axis_decimals(step);
	g_autofree char *label = g_strdup_printf("time since trace start (%s)", unit);

	/*
	 * Counted, not v += step: at a hostile clock's magnitudes adding step
	 * no longer changes v, and the loop would never end.
	 */
	double first = ceil(f->xmin / u / step) * step;

	for (int i = 0; i < AXIS_TICKS_MAX; i++) {
		double v = first + i * step;
		double x;

		if (!(v <= f->xmax / u))
			break;
		x = frame_x(f, v * u);
		g_autoptr(GString) t = g_string_new(NULL);

		svg_line(out, x, f->y, x, f->y + f->h, "vgrid");
		svg_line(out, x, f->y + f->h, x, f->y + f->h + 5, "axis");
		html_num(t, v, dec);
		svg_text(out, x, f->y + f->h + 18, "middle", "tick", t->str);
	}
	svg_line(out, f->x, f->y + f->h, f->x + f->w, f->y + f->h, "axis");
	svg_text(out, f->x + f->w, f->y + f->h + 34, "end", "tick", label);
}

static double x_of(const Report *r, const Frame *f, int64_t ts_ns)
{
	int64_t t = report_span(r->begin_ts_ns, CLAMP(ts_ns, r->begin_ts_ns, r->end_ts_ns));

	return frame_x(f, CLAMP((double)t, f->xmin, f->xmax));
}

/* A bar from a to b on lane, at least a pixel wide. */
static void bar(GString *out, const Report *r, const Frame *f, int lane, int64_t a, int64_t b,
		const char *fill, const char *title)
{
	double x0 = x_of(r, f, a), x1 = x_of(r, f, b);

	svg_rect(out, x0, f->y + lane * LANE_H + 4, MAX(x1 - x0, 1.0), LANE_H - 8, fill, title);
}

static void lane_label(GString *out, const Frame *f, int lane, const char *text)
{
	svg_text(out, f->x - 8, f->y + lane * LANE_H + 15, "end", "tick", text);
}

static void draw_lives(GString *out, const Report *r, const Frame *f, const ReportSlot *s)
{
	for (guint i = 0; i < s->lives->len; i++) {
		const ReportSlotLife *l = &g_array_index(s->lives, ReportSlotLife, i);
		g_autofree char *title =
			g_strdup_printf("allocated: alloc seq %" PRId64 ", free seq %" PRId64
					", max count %" PRId64 ", %" PRId64 " swap-ins",
					l->alloc_seq, l->free_seq, l->max_count, l->swapins);

		bar(out, r, f, 0, l->alloc_ts_ns == INT64_MIN ? r->begin_ts_ns : l->alloc_ts_ns,
		    l->free_ts_ns == INT64_MIN ? r->end_ts_ns : l->free_ts_ns, COLOR_IN_USE, title);
	}
}

static void draw_bindings(GString *out, const Report *r, const Frame *f, const ReportSlot *s)
{
	for (guint i = 0; i < s->bindings->len; i++) {
		const ReportBinding *b = &g_array_index(s->bindings, ReportBinding, i);
		g_autofree char *title = g_strdup_printf(
			"cached by folio pfn 0x%" PRIx64 " from seq %" PRId64 " to %s%" PRId64,
			(uint64_t)b->pfn, b->begin_seq, b->end_seq < 0 ? "the end " : "seq ",
			MAX(b->end_seq, (int64_t)0));

		bar(out, r, f, 1, b->begin_ts_ns, b->end_ts_ns, COLOR_CACHED, title);
	}
}

static void draw_retention(GString *out, const Report *r, const Frame *f, const ReportSlot *s)
{
	for (guint i = 0; i < s->retention->len; i++) {
		const ReportSlotRetention *x = g_ptr_array_index(s->retention, i);
		RetentionVerdict v = retention_verdict_from_name(x->verdict);
		g_autoptr(GString) title = g_string_new(NULL);

		g_string_printf(title, "%s retention of pfn 0x%" PRIx64 ", ", x->verdict,
				(uint64_t)x->pfn);
		report_append_duration(title, report_span(x->start_ts_ns, x->end_ts_ns));
		g_string_append_printf(title, " from seq %" PRId64, x->start_seq);
		if (x->start_site)
			g_string_append_printf(title, " (%s)", x->start_site);
		bar(out, r, f, 2, x->start_ts_ns, x->end_ts_ns,
		    html_verdict_color(v < 0 ? RETENTION_LAZY : v), title->str);
	}
}

static void draw_events(GString *out, const Report *r, const Frame *f, const ReportSlot *s)
{
	for (guint i = 0; s->events && i < s->events->len; i++) {
		const ReportSlotEvent *e = g_ptr_array_index(s->events, i);
		double x = x_of(r, f, e->ts_ns);
		g_autoptr(GString) title = g_string_new(NULL);

		g_string_printf(title, "seq %" PRId64 " %s", e->seq, e->kind);
		if (e->pfn > 0)
			g_string_append_printf(title, " pfn 0x%" PRIx64, (uint64_t)e->pfn);
		if (e->count != INT64_MIN)
			g_string_append_printf(title, " count %" PRId64, e->count);
		if (e->ret != INT64_MIN && e->ret != 0)
			g_string_append_printf(title, " ret %" PRId64, e->ret);
		svg_rect(out, x - 0.75, f->y + 3 * LANE_H + 3, 1.5, LANE_H - 6, "#55606e",
			 title->str);
	}
}

static void draw_findings(GString *out, const Report *r, const Frame *f, const ReportSlot *s)
{
	for (guint i = 0; i < s->findings_list->len; i++) {
		const ReportFinding *fd = g_ptr_array_index(s->findings_list, i);
		double x = x_of(r, f, fd->ts_ns), y = f->y + 4 * LANE_H + 4;

		g_string_append_printf(out, "<a href=\"#finding-%" PRId64 "\"><path d=\"M", fd->id);
		html_num(out, x, 2);
		g_string_append_c(out, ',');
		html_num(out, y + LANE_H - 8, 2);
		g_string_append(out, " l-6,-12 h12 z\" fill=\"");
		g_string_append(out, html_severity_color(fd->severity));
		g_string_append(out, "\"><title>");
		html_esc(out, fd->rule);
		g_string_append(out, ": ");
		html_esc(out, fd->message);
		g_string_append(out, "</title></path></a>\n");
	}
}

static void slot_svg(const Report *r, const ReportSlot *s, GString *out)
{
	g_autofree char *aria =
		g_strdup_printf("timeline of slot %" PRId64 ":%" PRId64, s->type, s->offset);
	Frame f = { 0 };

	slot_window(r, s, &f.xmin, &f.xmax);
	f.x = MARGIN_L + SLOT_LABEL_W - 40;
	f.y = 8;
	f.w = PLOT_W - f.x - MARGIN_R;
	f.h = 5 * LANE_H;
	svg_open(out, f.y + f.h + 44, aria);
	g_string_append(out, "<g class=\"slot-timeline\">\n");
	for (int lane = 0; lane < 5; lane += 2)
		svg_rect(out, f.x, f.y + lane * LANE_H, f.w, LANE_H, "#f4f6f8", NULL);
	window_axis(out, &f);
	lane_label(out, &f, 0, "allocated");
	lane_label(out, &f, 1, "swap cache");
	lane_label(out, &f, 2, "retention");
	lane_label(out, &f, 3, "events");
	lane_label(out, &f, 4, "findings");
	draw_lives(out, r, &f, s);
	draw_bindings(out, r, &f, s);
	draw_retention(out, r, &f, s);
	draw_events(out, r, &f, s);
	draw_findings(out, r, &f, s);
	g_string_append(out, "</g>\n</svg>\n");
}

static void event_row(const Report *r, const ReportSlotEvent *e, const ReportSlot *s, GString *out)
{
	bool proves = false;

	for (guint i = 0; i < s->findings_list->len; i++)
		proves |= ((const ReportFinding *)g_ptr_array_index(s->findings_list, i))->seq ==
			  e->seq;
	g_string_append_printf(out, "<tr%s><td class=\"n\">%" PRId64 "</td><td class=\"n\">",
			       proves ? " class=\"proves\"" : "", e->seq);
	rel_time(r, out, e->ts_ns);
	g_string_append(out, "</td><td>");
	html_esc(out, e->kind);
	if (e->nr > 1)
		g_string_append_printf(out, " ×%" PRId64, e->nr);
	g_string_append(out, "</td><td class=\"mono\">");
	if (e->pfn > 0)
		g_string_append_printf(out, "0x%" PRIx64, (uint64_t)e->pfn);
	if (e->new_pfn > 0)
		g_string_append_printf(out, " → 0x%" PRIx64, (uint64_t)e->new_pfn);
	g_string_append(out, "</td><td class=\"n\">");
	if (e->count != INT64_MIN)
		g_string_append_printf(out, "%" PRId64, e->count);
	g_string_append(out, "</td><td class=\"n\">");
	if (e->ret != INT64_MIN)
		g_string_append_printf(out, "%" PRId64, e->ret);
	g_string_append(out, "</td><td class=\"n\">");
	if (e->flags >= 0)
		g_string_append_printf(out, "0x%" PRIx64, (uint64_t)e->flags);
	g_string_append(out, "</td><td>");
	if (e->procname)
		html_esc(out, e->procname);
	if (e->tid >= 0)
		g_string_append_printf(out, " [%" PRId64 "]", e->tid);
	g_string_append(out, "</td><td class=\"mono\">");
	if (e->ip)
		g_string_append_printf(out, "0x%" PRIx64, (uint64_t)e->ip);
	g_string_append(out, "</td></tr>\n");
}

static void slot_section(const Report *r, const ReportSlot *s, GString *out)
{
	g_string_append(out, "<div class=\"slot\" id=\"");
	slot_anchor(out, s->type, s->offset);
	g_string_append_printf(out,
			       "\"><h3>slot %" PRId64 ":%" PRId64 "</h3>\n<p class=\"caption\">",
			       s->type, s->offset);
	g_string_append_printf(out, "%" PRId64 " finding%s", s->findings,
			       s->findings == 1 ? "" : "s");
	for (guint i = 0; i < s->findings_list->len; i++) {
		const ReportFinding *f = g_ptr_array_index(s->findings_list, i);

		g_string_append_printf(out, "%s<a href=\"#finding-%" PRId64 "\">", i ? ", " : ": ",
				       f->id);
		html_esc(out, f->rule);
		g_string_append_printf(out, " at seq %" PRId64 "</a>", f->seq);
	}
	if (s->wasted_ns) {
		g_string_append(out, "; stale or full retention ");
		report_append_slot_seconds(out, s->wasted_ns);
		g_string_append(out, " slot-s");
	}
	g_string_append(out, ".</p>\n");
	slot_svg(r, s, out);
	if (!s->events) {
		g_string_append(out, "</div>\n");
		return;
	}
	g_string_append(out, "<table class=\"events\"><tr><th class=\"n\">seq</th>"
			     "<th class=\"n\">at</th><th>event</th><th>pfn</th>"
			     "<th class=\"n\">count</th><th class=\"n\">ret</th>"
			     "<th class=\"n\">flags</th><th>process [tid]</th><th>ip</th></tr>\n");
	for (guint i = 0; i < s->events->len && i < SLOT_EVENT_ROWS; i++)
		event_row(r, g_ptr_array_index(s->events, i), s, out);
	g_string_append(out, "</table>\n");
	if (s->events->len > SLOT_EVENT_ROWS)
		g_string_append_printf(out,
				       "<p class=\"caption\">... and %u more events: "
				       "<code>SELECT * FROM slot_history WHERE type = %" PRId64
				       " AND slot = %" PRId64 "</code>.</p>\n",
				       s->events->len - SLOT_EVENT_ROWS, s->type, s->offset);
	g_string_append(out, "</div>\n");
}

void html_slot_timelines(const Report *r, GString *out)
{
	g_string_append(out, "<section id=\"slots\"><h2>Slot timelines</h2>\n");
	if (!r->events_stored)
		g_string_append_printf(out, "<p class=\"note\" id=\"no-events\">%s</p>\n",
				       no_events_note);
	if (r->slot_tracks->len == 0) {
		g_string_append(out, "<p>No slot has a finding or stale or full retention.</p>\n"
				     "</section>\n");
		return;
	}
	g_string_append(out, "<p class=\"caption\">Each slot with a finding or stale or full "
			     "retention: allocated (blue), cached by a folio (green), retention "
			     "coloured by verdict, each event a tick and each finding a marker "
			     "(hover for details, click for the finding).</p>\n");
	for (guint i = 0; i < r->slot_tracks->len; i++)
		slot_section(r, g_ptr_array_index(r->slot_tracks, i), out);
	if (r->slot_tracks_total > (int64_t)r->slot_tracks->len)
		g_string_append_printf(out,
				       "<p class=\"caption\">... and %" PRId64
				       " more slots (report --max-slots).</p>\n",
				       r->slot_tracks_total - (int64_t)r->slot_tracks->len);
	g_string_append(out, "</section>\n");
}
