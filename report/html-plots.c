/*
 * The plots of the HTML report, as inline SVG, from the Report alone.
 *
 * Over-time plots come from sweeping interval endpoints: slots in use from
 * lifetimes (alloc -> free), cached-with-count-0, stale and full from
 * retention intervals.  Each of HTML_TIME_BINS bins shows the time-weighted
 * mean number of slots in that state, so the area under a curve is
 * slot-seconds, the unit the text report counts waste in.
 */
#include "html-plots.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "html-svg.h"

#include "banned.h"

/* ---- time series -------------------------------------------------------- */

typedef struct Series {
	double mean[HTML_TIME_BINS]; /* time-weighted mean slots in the state */
	double peak;
	double slot_ns; /* area under the curve: slot-ns, as the tables count it */
} Series;

typedef struct Endpoint {
	int64_t ts_ns;
	int delta; /* +1 interval opens, -1 closes */
} Endpoint;

/* level slots held over [a, b) ns from the trace start, added to the bins it covers. */
static void spread(Series *s, int64_t level, double a, double b, double bin_ns)
{
	int first = CLAMP((int)(a / bin_ns), 0, HTML_TIME_BINS - 1);
	int last = CLAMP((int)(b / bin_ns), 0, HTML_TIME_BINS - 1);

	for (int k = first; k <= last; k++) {
		double lo = MAX(a, k * bin_ns), hi = MIN(b, (k + 1) * bin_ns);

		if (hi > lo)
			s->mean[k] += (double)level * (hi - lo);
	}
	s->slot_ns += (double)level * (b - a);
}

static gint endpoint_cmp(gconstpointer a, gconstpointer b)
{
	const Endpoint *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->delta - y->delta;
}

/*
 * Sweep the [begin, end) spans of sets (INT64_MIN begin: the trace start,
 * INT64_MIN end: the trace end) into per-bin means.
 */
static void sweep(const Report *r, const GArray *const *sets, int n_sets, Series *s)
{
	g_autoptr(GArray) ep = g_array_new(FALSE, FALSE, sizeof(Endpoint));
	double span = (double)report_span(r->begin_ts_ns, r->end_ts_ns);
	double bin_ns;
	int64_t level = 0, prev;

	memset(s, 0, sizeof(*s));
	if (span <= 0)
		span = 1;
	bin_ns = span / HTML_TIME_BINS;
	for (int set = 0; set < n_sets; set++) {
		for (guint i = 0; i < sets[set]->len; i++) {
			const ReportSpan *sp = &g_array_index(sets[set], ReportSpan, i);
			Endpoint open = { r->begin_ts_ns, +1 }, close = { r->end_ts_ns, -1 };

			if (sp->begin_ts_ns != INT64_MIN)
				open.ts_ns = sp->begin_ts_ns;
			if (sp->end_ts_ns != INT64_MIN)
				close.ts_ns = sp->end_ts_ns;
			open.ts_ns = CLAMP(open.ts_ns, r->begin_ts_ns, r->end_ts_ns);
			close.ts_ns = CLAMP(close.ts_ns, open.ts_ns, r->end_ts_ns);
			g_array_append_val(ep, open);
			g_array_append_val(ep, close);
		}
	}
	g_array_sort(ep, endpoint_cmp);

	prev = r->begin_ts_ns;
	for (guint i = 0; i <= ep->len; i++) {
		int64_t t = i < ep->len ? g_array_index(ep, Endpoint, i).ts_ns : r->end_ts_ns;

		/* The level held on [prev, t): spread its slot-time over the bins. */
		if (t > prev && level > 0)
			spread(s, level, (double)report_span(r->begin_ts_ns, prev),
			       (double)report_span(r->begin_ts_ns, t), bin_ns);
		prev = MAX(prev, t);
		if (i < ep->len)
			level += g_array_index(ep, Endpoint, i).delta;
	}
	for (int k = 0; k < HTML_TIME_BINS; k++) {
		s->mean[k] /= bin_ns;
		s->peak = MAX(s->peak, s->mean[k]);
	}
}

/* A step curve of per-bin means, filled below. */
static void step_curve(GString *out, const Frame *f, const Series *s, const char *color,
		       double fill_opacity, const char *id)
{
	double bin = (f->xmax - f->xmin) / HTML_TIME_BINS;
	g_autoptr(GString) d = g_string_new(NULL);

	for (int k = 0; k < HTML_TIME_BINS; k++) {
		double y = frame_y(f, s->mean[k]);

		g_string_append(d, k == 0 ? "M" : "L");
		html_num(d, frame_x(f, f->xmin + k * bin), 2);
		g_string_append_c(d, ',');
		html_num(d, y, 2);
		g_string_append(d, "L");
		html_num(d, frame_x(f, f->xmin + (k + 1) * bin), 2);
		g_string_append_c(d, ',');
		html_num(d, y, 2);
	}
	g_string_append_printf(out,
			       "<path class=\"area\" data-series=\"%s\" fill=\"%s\" "
			       "fill-opacity=\"",
			       id, color);
	html_num(out, fill_opacity, 2);
	g_string_append(out, "\" d=\"");
	g_string_append(out, d->str);
	g_string_append(out, "L");
	html_num(out, f->x + f->w, 2);
	g_string_append_c(out, ',');
	html_num(out, f->y + f->h, 2);
	g_string_append(out, "L");
	html_num(out, f->x, 2);
	g_string_append_c(out, ',');
	html_num(out, f->y + f->h, 2);
	g_string_append(out, "Z\"/>\n");
	g_string_append_printf(
		out,
		"<path class=\"line\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
		"stroke-width=\"1.6\" d=\"%s\"/>\n",
		id, color, d->str);
}

static Frame time_frame(const Report *r, double top, double h)
{
	Frame f = {
		.x = MARGIN_L,
		.y = top,
		.w = PLOT_W - MARGIN_L - MARGIN_R,
		.h = h,
		.xmin = (double)r->begin_ts_ns,
		.xmax = (double)MAX(r->end_ts_ns, report_add(r->begin_ts_ns, 1)),
	};

	return f;
}

/* ---- plots ---------------------------------------------------------------- */

/* "stale (0.137 slot-s)": the legend says what the area under the curve is. */
static char *series_label(const char *name, int64_t slot_ns)
{
	g_autoptr(GString) l = g_string_new(name);

	g_string_append(l, " (");
	report_append_slot_seconds(l, slot_ns);
	g_string_append(l, " slot-s)");
	return g_string_free(g_steal_pointer(&l), FALSE);
}

/*
 * The curves of the slots plot.  Their legends give the slot-time under
 * each: for retention the Report's own (retention_by_verdict), which the
 * area under the curve equals, so the page says what the text report says.
 */
typedef struct SlotCurves {
	Series in_use, cached, stale, full;
	int64_t cached_ns, stale_ns, full_ns;
} SlotCurves;

static void slot_curves(const Report *r, SlotCurves *c)
{
	const GArray *lifetimes[] = { r->lifetime_spans };
	const GArray *stale[] = { r->retention_spans[RETENTION_STALE] };
	const GArray *full[] = { r->retention_spans[RETENTION_FULL] };

	sweep(r, lifetimes, 1, &c->in_use);
	sweep(r, (const GArray *const *)r->retention_spans, _RETENTION_VERDICT_MAX, &c->cached);
	sweep(r, stale, 1, &c->stale);
	sweep(r, full, 1, &c->full);
	c->stale_ns = r->retention_ns[RETENTION_STALE];
	c->full_ns = r->retention_ns[RETENTION_FULL];
	c->cached_ns =
		report_add(r->retention_ns[RETENTION_LAZY], report_add(c->stale_ns, c->full_ns));
}

static void panel_in_use(const Report *r, const SlotCurves *c, GString *out)
{
	Frame f = time_frame(r, 30, 170);
	g_autofree char *l = series_label("allocated", (int64_t)llround(c->in_use.slot_ns));
	LegendItem items[] = { { COLOR_IN_USE, l } };

	g_string_append(out, "<g id=\"plot-in-use\">\n");
	svg_text(out, f.x, 18, "start", "ptitle", "Slots allocated (in use)");
	svg_y_axis(out, &f, c->in_use.peak, "slots", true);
	svg_time_axis(out, &f, false);
	step_curve(out, &f, &c->in_use, COLOR_IN_USE, 0.18, "in-use");
	svg_legend(out, f.x + f.w, 18, items, 1);
	g_string_append(out, "</g>\n");
}

static void panel_retention(const Report *r, const SlotCurves *c, GString *out)
{
	Frame f = time_frame(r, 260, 200);
	bool with_full = c->full.peak > 0;
	g_autofree char *l_all = series_label("all: lazy, stale, full", c->cached_ns);
	g_autofree char *l_stale = series_label("stale", c->stale_ns);
	g_autofree char *l_full = series_label("full", c->full_ns);
	LegendItem items[] = {
		{ COLOR_CACHED, l_all },
		{ COLOR_STALE, l_stale },
		{ COLOR_FULL, l_full },
	};

	g_string_append(out, "<g id=\"plot-retention\">\n");
	svg_text(out, f.x, 248, "start", "ptitle", "Slots cached with swap count 0");
	svg_y_axis(out, &f, MAX(c->cached.peak, MAX(c->stale.peak, c->full.peak)), "slots", true);
	svg_time_axis(out, &f, false); /* labelled once, under the panel below */
	step_curve(out, &f, &c->cached, COLOR_CACHED, 0.15, "cached-zero");
	if (with_full)
		step_curve(out, &f, &c->full, COLOR_FULL, 0.25, "full");
	step_curve(out, &f, &c->stale, COLOR_STALE, 0.30, "stale");
	svg_legend(out, f.x + f.w, 248, items, with_full ? 3 : 2);
	g_string_append(out, "</g>\n");
}

/*
 * Waste on its own scale: a few stale slots next to a thousand lazy ones
 * are a flat line above, and they are what a regression adds.
 */
static void panel_waste(const Report *r, const SlotCurves *c, GString *out)
{
	Frame f = time_frame(r, 530, 150);
	g_autofree char *l_stale = series_label("stale", c->stale_ns);
	g_autofree char *l_full = series_label("full", c->full_ns);
	LegendItem items[] = {
		{ COLOR_STALE, l_stale },
		{ COLOR_FULL, l_full },
	};

	g_string_append(out, "<g id=\"plot-waste\">\n");
	svg_text(out, f.x, 518, "start", "ptitle", "Wasted: stale and full retention");
	svg_y_axis(out, &f, MAX(c->stale.peak, c->full.peak), "slots", true);
	svg_time_axis(out, &f, true);
	step_curve(out, &f, &c->full, COLOR_FULL, 0.25, "waste-full");
	step_curve(out, &f, &c->stale, COLOR_STALE, 0.30, "waste-stale");
	svg_legend(out, f.x + f.w, 518, items, 2);
	g_string_append(out, "</g>\n");
}

void html_plot_slots(const Report *r, GString *out)
{
	SlotCurves c;

	slot_curves(r, &c);
	g_string_append(out, "<section><h2>Swap slots over time</h2>\n"
			     "<p class=\"caption\">Each step is the time-weighted mean number of "
			     "slots in the state over one of ");
	g_string_append_printf(out, "%d", HTML_TIME_BINS);
	g_string_append(out, " bins; the area under a curve is slot-seconds. "
			     "Retention is <em>stale</em> when the cached folio was written after "
			     "its last swap reference (the device copy is useless) and "
			     "<em>full</em> when the device was over half full.</p>\n");
	svg_open(out, 730,
		 "slots in use, slots cached with swap count 0, and stale and full retention over "
		 "time");
	panel_in_use(r, &c, out);
	panel_retention(r, &c, out);
	panel_waste(r, &c, out);
	g_string_append(out, "</svg>\n</section>\n");
}

/* One row of the findings strip: counts per time bin. */
typedef struct StripRow {
	char *label;
	const char *color;
	const char *what; /* "findings", "events lost" */
	int64_t bins[HTML_TIME_BINS];
} StripRow;

static void strip_row_free(gpointer p)
{
	StripRow *row = p;

	g_free(row->label);
	g_free(row);
}

static int time_bin(const Report *r, int64_t ts_ns)
{
	double span = (double)MAX(report_span(r->begin_ts_ns, r->end_ts_ns), 1);
	double rel = (double)report_span(r->begin_ts_ns, ts_ns);

	return CLAMP((int)(rel / span * HTML_TIME_BINS), 0, HTML_TIME_BINS - 1);
}

/* The strip rows: one per rule that fired, and one for lost events. */
static GPtrArray *strip_rows(const Report *r)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(strip_row_free);

	for (guint i = 0; i < r->rules->len; i++) {
		const ReportRule *rule = g_ptr_array_index(r->rules, i);
		StripRow *row;

		if (rule->findings == 0)
			continue;
		row = g_new0(StripRow, 1);
		row->label = g_strdup_printf("%s (%" PRId64 ")", rule->rule, rule->findings);
		row->color = html_severity_color(rule->severity);
		row->what = "findings";
		for (guint k = 0; k < rule->stamps->len; k++) {
			const ReportStamp *st = &g_array_index(rule->stamps, ReportStamp, k);

			row->bins[time_bin(r, st->ts_ns)] += st->n;
		}
		g_ptr_array_add(rows, row);
	}
	if (r->gap_events_lost > 0 || r->gaps->len > 0) {
		StripRow *row = g_new0(StripRow, 1);

		row->label = g_strdup_printf("lost events (%" PRId64 ")", r->gap_events_lost);
		row->color = "#7f7f7f";
		row->what = "events lost";
		for (guint i = 0; i < r->gaps->len; i++) {
			const ReportGap *g = g_ptr_array_index(r->gaps, i);

			if (g->begin_ts_ns != INT64_MIN)
				row->bins[time_bin(r, g->begin_ts_ns)] += MAX(g->count, 1);
		}
		g_ptr_array_add(rows, row);
	}
	return rows;
}

/* A mark per non-empty bin of row, darker the more it holds. */
static void strip_marks(GString *out, const Frame *f, const StripRow *row, double y)
{
	int64_t most = 0;

	for (int k = 0; k < HTML_TIME_BINS; k++)
		most = MAX(most, row->bins[k]);
	for (int k = 0; k < HTML_TIME_BINS; k++) {
		g_autofree char *title = NULL;
		double op;

		if (!row->bins[k])
			continue;
		op = 0.35 + 0.65 * log1p((double)row->bins[k]) / log1p((double)most);
		title = g_strdup_printf("%" PRId64 " %s", row->bins[k], row->what);
		g_string_append(out, "<g class=\"finding\" fill-opacity=\"");
		html_num(out, op, 2);
		g_string_append(out, "\">");
		svg_rect(out, f->x + f->w * k / HTML_TIME_BINS, y + 4,
			 MAX(f->w / HTML_TIME_BINS, 2.5), 18, row->color, title);
		g_string_append(out, "</g>\n");
	}
}

/*
 * Findings on the time axis, one row per rule that fired, and one for
 * events the tracer lost (a finding's absence there proves less).  A trace
 * can hold millions of findings, so they are counted per time bin and each
 * non-empty bin is one mark, darker the more it holds.
 */
void html_plot_findings(const Report *r, GString *out)
{
	g_autoptr(GPtrArray) rows = strip_rows(r);
	Frame f;
	double h;

	g_string_append(out, "<section><h2>Findings on the time axis</h2>\n");
	if (rows->len == 0) {
		g_string_append(out, "<p class=\"caption\">No rule fired and no event was lost."
				     "</p>\n</section>\n");
		return;
	}
	g_string_append(out,
			"<p class=\"caption\">One row per rule; a mark per time bin with "
			"findings, darker with more (hover for the count). Red: error, orange: "
			"warning, blue: info, grey: events the tracer lost.</p>\n");
	h = 26.0 * rows->len;
	svg_open(out, h + 70, "findings by rule over time");
	g_string_append(out, "<g id=\"plot-findings\">\n");
	f = time_frame(r, 14, h);
	f.x = 190;
	f.w = PLOT_W - f.x - MARGIN_R;
	for (guint i = 0; i < rows->len; i++)
		if (i % 2 == 0)
			svg_rect(out, f.x, f.y + 26.0 * i, f.w, 26, "#f4f6f8", NULL);
	svg_time_axis(out, &f, true);
	for (guint i = 0; i < rows->len; i++) {
		const StripRow *row = g_ptr_array_index(rows, i);
		double y = f.y + 26.0 * i;

		svg_text(out, f.x - 8, y + 17, "end", "tick", row->label);
		strip_marks(out, &f, row, y);
	}
	g_string_append(out, "</g>\n</svg>\n</section>\n");
}

/* "1 ns", "10 µs", "100 ms", "1 s", "1000 s": the ticks of a log duration axis. */
static void decade_label(GString *out, int d)
{
	static const char *const units[] = { "ns", "µs", "ms", "s" };
	int u = CLAMP(d / 3, 0, 3);
	int64_t v = 1;

	for (int i = 0; i < d - 3 * u; i++)
		v *= 10;
	g_string_append_printf(out, "%" PRId64 " %s", v, units[u]);
}

enum {
	PER_DECADE = 4,
	MAX_DURATION_BINS = 4 * 20,
};

/* Retention intervals per log-scale duration bin and verdict. */
typedef struct DurationBins {
	int64_t counts[MAX_DURATION_BINS][_RETENTION_VERDICT_MAX];
	int d0;	   /* decade of the first bin (10^d0 ns) */
	int nbins; /* PER_DECADE a decade */
	int64_t peak;
} DurationBins;

/* Shortest positive duration of any verdict, 0 if none. */
static int64_t shortest_duration(const Report *r)
{
	int64_t lo = 0;

	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
		const GArray *d = r->retention_durations[v];

		/* Ascending: the first positive one is the verdict's shortest. */
		for (guint i = 0; i < d->len; i++) {
			int64_t ns = g_array_index(d, int64_t, i);

			if (ns > 0) {
				lo = lo ? MIN(lo, ns) : ns;
				break;
			}
		}
	}
	return lo;
}

static void duration_bins(const Report *r, int64_t hi_ns, DurationBins *b)
{
	int d1;

	memset(b, 0, sizeof(*b));
	b->d0 = (int)floor(log10((double)MAX(shortest_duration(r), 1)));
	d1 = (int)ceil(log10((double)hi_ns));
	if (d1 <= b->d0)
		d1 = b->d0 + 1;
	b->nbins = MIN((d1 - b->d0) * PER_DECADE, MAX_DURATION_BINS);
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
		const GArray *d = r->retention_durations[v];

		for (guint i = 0; i < d->len; i++) {
			double dur = (double)MAX(g_array_index(d, int64_t, i), 1);
			int k = (int)floor((log10(dur) - b->d0) * PER_DECADE);

			b->counts[CLAMP(k, 0, b->nbins - 1)][v]++;
		}
	}
	for (int k = 0; k < b->nbins; k++)
		for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
			b->peak = MAX(b->peak, b->counts[k][v]);
}

/*
 * Side by side, not stacked: on a log axis stacked heights do not add, and
 * one stale interval must stay visible next to a thousand lazy ones.
 */
static void duration_bars(GString *out, const Frame *f, const DurationBins *b)
{
	for (int k = 0; k < b->nbins; k++) {
		double x0 = frame_x(f, b->d0 + (double)k / PER_DECADE) + 1;
		double x1 = frame_x(f, b->d0 + (double)(k + 1) / PER_DECADE) - 1;
		double bw = (x1 - x0) / _RETENTION_VERDICT_MAX;

		for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
			g_autoptr(GString) title = g_string_new(NULL);
			double top_y = frame_y(f, log10(1.0 + (double)b->counts[k][v]));

			if (!b->counts[k][v])
				continue;
			g_string_append_printf(title, "%" PRId64 " %s interval%s of ",
					       b->counts[k][v], retention_verdict_name(v),
					       b->counts[k][v] == 1 ? "" : "s");
			report_append_duration(title,
					       (int64_t)pow(10, b->d0 + (double)k / PER_DECADE));
			g_string_append(title, " to ");
			report_append_duration(
				title, (int64_t)pow(10, b->d0 + (double)(k + 1) / PER_DECADE));
			svg_rect(out, x0 + bw * v, top_y, bw, f->y + f->h - top_y,
				 html_verdict_color(v), title->str);
		}
	}
}

static void duration_axis(GString *out, const Frame *f, const DurationBins *b)
{
	for (int d = b->d0; d <= b->d0 + b->nbins / PER_DECADE; d++) {
		g_autoptr(GString) t = g_string_new(NULL);
		double x = frame_x(f, d);

		svg_line(out, x, f->y + f->h, x, f->y + f->h + 5, "axis");
		decade_label(t, d);
		svg_text(out, x, f->y + f->h + 18, "middle", "tick", t->str);
	}
	svg_line(out, f->x, f->y + f->h, f->x + f->w, f->y + f->h, "axis");
	svg_text(out, f->x + f->w / 2, f->y + f->h + 38, "middle", "label",
		 "retention duration (log scale)");
}

/*
 * Retention durations on a log scale, four bins per decade, one bar per
 * verdict: lazy retention is expected, the red and orange bars are waste.
 */
void html_plot_durations(const Report *r, GString *out)
{
	static const LegendItem items[] = {
		{ COLOR_LAZY, "lazy (by design)" },
		{ COLOR_STALE, "stale" },
		{ COLOR_FULL, "full" },
	};
	DurationBins bins, *b = &bins;
	int64_t hi_ns = 0;
	Frame f;

	g_string_append(out, "<section><h2>Retention duration distribution</h2>\n");
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
		hi_ns = MAX(hi_ns, r->retention_q[v].max);
	if (hi_ns == 0) {
		g_string_append(out, "<p class=\"caption\">No slot was cached with swap count 0 "
				     "for any measurable time.</p>\n</section>\n");
		return;
	}
	duration_bins(r, hi_ns, b);
	g_string_append(out,
			"<p class=\"caption\">How long slots stayed cached with swap count "
			"0, per interval and verdict; log-scale axes, four bins per decade.</p>\n");
	svg_open(out, 300, "histogram of retention durations by verdict");
	g_string_append(out, "<g id=\"plot-durations\">\n");
	f = (Frame){ .x = MARGIN_L,
		     .y = 30,
		     .w = PLOT_W - MARGIN_L - MARGIN_R,
		     .h = 210,
		     .xmin = b->d0,
		     .xmax = b->d0 + (double)b->nbins / PER_DECADE };
	svg_log_y_axis(out, &f, (double)b->peak, "intervals (log scale)");
	duration_bars(out, &f, b);
	duration_axis(out, &f, b);
	svg_legend(out, f.x + f.w, 18, items, 3);
	g_string_append(out, "</g>\n</svg>\n</section>\n");
}

/* Where the waste comes from: the top call sites, stale and full stacked. */
void html_plot_sites(const Report *r, unsigned top, GString *out)
{
	unsigned n = MIN(top, r->by_site->len);
	double peak = 0, bar_h = 22;
	Frame f;

	if (n == 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		const ReportCause *c = g_ptr_array_index(r->by_site, i);

		peak = MAX(peak, (double)report_add(c->stale_ns, c->full_ns) / 1e9);
	}
	g_string_append(out,
			"<section><h2>Wasted slot-seconds by call site</h2>\n"
			"<p class=\"caption\">Stale and full retention, attributed to the call "
			"site whose event started the interval.</p>\n");
	svg_open(out, bar_h * n + 70, "wasted slot-seconds by call site");
	g_string_append(out, "<g id=\"plot-sites\">\n");
	f = (Frame){ .x = 330, .y = 28, .w = PLOT_W - 330 - MARGIN_R - 70, .h = bar_h * n };
	{
		double step = axis_step(peak > 0 ? peak : 1, 6);
		int dec = axis_decimals(step);

		f.xmin = 0;
		f.xmax = ceil((peak > 0 ? peak : 1) / step) * step;
		for (int i = 0; i < 64 && i * step <= f.xmax + step / 2; i++) {
			double v = i * step;
			g_autoptr(GString) t = g_string_new(NULL);

			svg_line(out, frame_x(&f, v), f.y, frame_x(&f, v), f.y + f.h,
				 v == 0 ? "axis" : "grid");
			html_num(t, v, dec);
			svg_text(out, frame_x(&f, v), f.y + f.h + 16, "middle", "tick", t->str);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		const ReportCause *c = g_ptr_array_index(r->by_site, i);
		double y = f.y + bar_h * i + 3;
		double s = (double)c->stale_ns / 1e9, fu = (double)c->full_ns / 1e9;
		g_autoptr(GString) title = g_string_new(c->name);
		g_autoptr(GString) total = g_string_new(NULL);
		g_autofree char *name = g_utf8_strlen(c->name, -1) > 44
						? g_strdup_printf("%.*s…", 43, c->name)
						: g_strdup(c->name);

		g_string_append(title, ": stale ");
		report_append_slot_seconds(title, c->stale_ns);
		g_string_append(title, " slot-s, full ");
		report_append_slot_seconds(title, c->full_ns);
		g_string_append(title, " slot-s");
		svg_text(out, f.x - 8, y + 12, "end", "tick mono", name);
		svg_rect(out, frame_x(&f, 0), y, frame_x(&f, s) - frame_x(&f, 0), bar_h - 6,
			 COLOR_STALE, title->str);
		svg_rect(out, frame_x(&f, s), y, frame_x(&f, s + fu) - frame_x(&f, s), bar_h - 6,
			 COLOR_FULL, title->str);
		report_append_slot_seconds(total, report_add(c->stale_ns, c->full_ns));
		svg_text(out, frame_x(&f, s + fu) + 6, y + 12, "start", "tick", total->str);
	}
	svg_text(out, f.x + f.w / 2, f.y + f.h + 34, "middle", "label", "slot-seconds");
	{
		LegendItem items[] = { { COLOR_STALE, "stale" }, { COLOR_FULL, "full" } };

		svg_legend(out, PLOT_W - MARGIN_R, 16, items, 2);
	}
	g_string_append(out, "</g>\n</svg>\n</section>\n");
}
