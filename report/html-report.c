/*
 * The HTML report: one file a person can mail or attach to a bug, with the
 * plots drawn here as inline SVG (no script, no fonts, no network), so it
 * renders the same in any browser, offline, forever.
 *
 * Over-time plots come from sweeping interval endpoints: slots in use from
 * lifetimes (alloc -> free), cached-with-count-0, stale and full from
 * retention intervals.  Each of HTML_TIME_BINS bins shows the time-weighted
 * mean number of slots in that state, so the area under a curve is
 * slot-seconds, the unit the text report counts waste in.
 *
 * Numbers are printed with g_ascii_formatd(): a comma decimal separator
 * from the user's locale would break SVG coordinates.
 */
#include "html-report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "banned.h"

#define PLOT_W 1080.0 /* SVG user units; the page scales it to its width */
#define MARGIN_L 70.0
#define MARGIN_R 36.0

static const char *const COLOR_IN_USE = "#4c78a8";
static const char *const COLOR_CACHED = "#54a24b";
static const char *const COLOR_STALE = "#e45756";
static const char *const COLOR_FULL = "#f58518";
static const char *const COLOR_LAZY = "#9ecae9";

static const char *verdict_color(int v)
{
	switch (v) {
	case RETENTION_STALE:
		return COLOR_STALE;
	case RETENTION_FULL:
		return COLOR_FULL;
	default:
		return COLOR_LAZY;
	}
}

static const char *severity_color(const char *severity)
{
	switch (severity_from_name(severity)) {
	case SEVERITY_ERROR:
		return "#d62728";
	case SEVERITY_WARNING:
		return "#f58518";
	default:
		return "#4c78a8";
	}
}

/* Append a number in the C locale with `prec` decimals. */
static void num(GString *out, double v, int prec)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	char fmt[8];

	g_snprintf(fmt, sizeof(fmt), "%%.%df", prec);
	if (fabs(v) < 0.5 * pow(10, -prec))
		v = 0; /* no "-0.0" */
	g_string_append(out, g_ascii_formatd(buf, sizeof(buf), fmt, v));
}

static void esc(GString *out, const char *s)
{
	g_autofree char *e = g_markup_escape_text(s ? s : "", -1);

	g_string_append(out, e);
}

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

static gint endpoint_cmp(gconstpointer a, gconstpointer b)
{
	const Endpoint *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->delta - y->delta;
}

/*
 * Read [begin, end) intervals from sql (two columns; NULL begin means the
 * trace start, NULL end the trace end) and sweep them into per-bin means.
 */
static bool sweep(const Report *r, const char *sql, Series *s, GError **error)
{
	g_autoptr(GArray) ep = g_array_new(FALSE, FALSE, sizeof(Endpoint));
	double span = (double)(r->end_ts_ns - r->begin_ts_ns);
	double bin_ns;
	sqlite3_stmt *st = NULL;
	int64_t level = 0, prev;
	int rc;

	memset(s, 0, sizeof(*s));
	if (span <= 0)
		span = 1;
	bin_ns = span / HTML_TIME_BINS;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read database: %s",
			    sqlite3_errmsg(r->db));
		return false;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		Endpoint open = { r->begin_ts_ns, +1 }, close = { r->end_ts_ns, -1 };

		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			open.ts_ns = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			close.ts_ns = sqlite3_column_int64(st, 1);
		open.ts_ns = CLAMP(open.ts_ns, r->begin_ts_ns, r->end_ts_ns);
		close.ts_ns = CLAMP(close.ts_ns, open.ts_ns, r->end_ts_ns);
		g_array_append_val(ep, open);
		g_array_append_val(ep, close);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read database: %s",
			    sqlite3_errmsg(r->db));
		return false;
	}
	g_array_sort(ep, endpoint_cmp);

	prev = r->begin_ts_ns;
	for (guint i = 0; i <= ep->len; i++) {
		int64_t t = i < ep->len ? g_array_index(ep, Endpoint, i).ts_ns : r->end_ts_ns;

		/* The level held on [prev, t): spread its slot-time over the bins. */
		if (t > prev && level > 0) {
			double a = (double)(prev - r->begin_ts_ns),
			       b = (double)(t - r->begin_ts_ns);
			int first = (int)(a / bin_ns), last = (int)(b / bin_ns);

			first = CLAMP(first, 0, HTML_TIME_BINS - 1);
			last = CLAMP(last, 0, HTML_TIME_BINS - 1);
			for (int k = first; k <= last; k++) {
				double lo = MAX(a, k * bin_ns), hi = MIN(b, (k + 1) * bin_ns);

				if (hi > lo)
					s->mean[k] += (double)level * (hi - lo);
			}
			s->slot_ns += (double)level * (b - a);
		}
		prev = MAX(prev, t);
		if (i < ep->len)
			level += g_array_index(ep, Endpoint, i).delta;
	}
	for (int k = 0; k < HTML_TIME_BINS; k++) {
		s->mean[k] /= bin_ns;
		s->peak = MAX(s->peak, s->mean[k]);
	}
	return true;
}

/* ---- axes ----------------------------------------------------------------- */

/* A 1-2-5 step giving about `target` ticks over range. */
static double nice_step(double range, int target)
{
	double raw = range / target, mag, f;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

typedef struct TimeUnit {
	const char *name;
	double ns;
} TimeUnit;

static TimeUnit time_unit_for(double span_ns)
{
	if (span_ns >= 10e9)
		return (TimeUnit){ "s", 1e9 };
	if (span_ns >= 10e6)
		return (TimeUnit){ "ms", 1e6 };
	if (span_ns >= 10e3)
		return (TimeUnit){ "µs", 1e3 };
	return (TimeUnit){ "ns", 1 };
}

/* Number of decimals that show a tick step exactly. */
static int step_decimals(double step)
{
	int d = 0;

	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6)
		d++;
	return d;
}

typedef struct Frame {
	double x, y, w, h; /* plot area, SVG user units */
	double xmin, xmax;
	double ymin, ymax;
} Frame;

static double fx(const Frame *f, double v)
{
	return f->x + (v - f->xmin) / (f->xmax - f->xmin) * f->w;
}

static double fy(const Frame *f, double v)
{
	return f->y + f->h - (v - f->ymin) / (f->ymax - f->ymin) * f->h;
}

static void svg_text(GString *out, double x, double y, const char *anchor, const char *cls,
		     const char *text)
{
	g_string_append(out, "<text x=\"");
	num(out, x, 1);
	g_string_append(out, "\" y=\"");
	num(out, y, 1);
	g_string_append_printf(out, "\" text-anchor=\"%s\" class=\"%s\">", anchor, cls);
	esc(out, text);
	g_string_append(out, "</text>\n");
}

static void svg_line(GString *out, double x1, double y1, double x2, double y2, const char *cls)
{
	g_string_append(out, "<line x1=\"");
	num(out, x1, 1);
	g_string_append(out, "\" y1=\"");
	num(out, y1, 1);
	g_string_append(out, "\" x2=\"");
	num(out, x2, 1);
	g_string_append(out, "\" y2=\"");
	num(out, y2, 1);
	g_string_append_printf(out, "\" class=\"%s\"/>\n", cls);
}

static void svg_rect(GString *out, double x, double y, double w, double h, const char *fill,
		     const char *title)
{
	g_string_append(out, "<rect x=\"");
	num(out, x, 2);
	g_string_append(out, "\" y=\"");
	num(out, y, 2);
	g_string_append(out, "\" width=\"");
	num(out, MAX(w, 0), 2);
	g_string_append(out, "\" height=\"");
	num(out, MAX(h, 0), 2);
	g_string_append_printf(out, "\" fill=\"%s\"", fill);
	if (title) {
		g_string_append(out, "><title>");
		esc(out, title);
		g_string_append(out, "</title></rect>\n");
	} else {
		g_string_append(out, "/>\n");
	}
}

/* Horizontal grid lines and labels for a linear y axis from 0. */
static void y_axis(GString *out, Frame *f, double peak, const char *label, bool integer)
{
	double step = nice_step(peak > 0 ? peak : 1, 4);
	int dec;

	if (integer && step < 1)
		step = 1;
	dec = step_decimals(step);
	f->ymin = 0;
	f->ymax = ceil((peak > 0 ? peak : 1) / step) * step;
	for (double v = 0; v <= f->ymax + step / 2; v += step) {
		g_autoptr(GString) t = g_string_new(NULL);

		svg_line(out, f->x, fy(f, v), f->x + f->w, fy(f, v), v == 0 ? "axis" : "grid");
		num(t, v, dec);
		svg_text(out, f->x - 8, fy(f, v) + 4, "end", "tick", t->str);
	}
	g_string_append(out, "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(");
	num(out, f->x - 52, 1);
	g_string_append_c(out, ',');
	num(out, f->y + f->h / 2, 1);
	g_string_append(out, ") rotate(-90)\">");
	esc(out, label);
	g_string_append(out, "</text>\n");
}

/* A log y axis for counts: position log10(1 + v), so 0 sits on the baseline. */
static void log_y_axis(GString *out, Frame *f, double peak, const char *label)
{
	double top = 10;

	/* Up to the decade above the peak, at least 10. */
	while (top < peak)
		top *= 10;
	f->ymin = 0;
	f->ymax = log10(1.0 + top);
	svg_line(out, f->x, fy(f, 0), f->x + f->w, fy(f, 0), "axis");
	/* 1, 10, 100, ...; 0 is the baseline, too close to 1 to label. */
	for (double v = 1; v <= top; v *= 10) {
		g_autoptr(GString) t = g_string_new(NULL);
		double y = fy(f, log10(1.0 + v));

		svg_line(out, f->x, y, f->x + f->w, y, "grid");
		num(t, v, 0);
		svg_text(out, f->x - 8, y + 4, "end", "tick", t->str);
	}
	g_string_append(out, "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(");
	num(out, f->x - 52, 1);
	g_string_append_c(out, ',');
	num(out, f->y + f->h / 2, 1);
	g_string_append(out, ") rotate(-90)\">");
	esc(out, label);
	g_string_append(out, "</text>\n");
}

/* Time axis, relative to the trace start, in a unit suited to the span. */
static void time_axis(GString *out, const Frame *f, bool labels)
{
	TimeUnit u = time_unit_for(f->xmax - f->xmin);
	double span_u = (f->xmax - f->xmin) / u.ns;
	double step = nice_step(span_u, 10);
	int dec = step_decimals(step);

	for (double v = 0; v <= span_u * (1 + 1e-9); v += step) {
		double x = fx(f, f->xmin + v * u.ns);
		g_autoptr(GString) t = g_string_new(NULL);

		svg_line(out, x, f->y + f->h, x, f->y + f->h + 5, "axis");
		svg_line(out, x, f->y, x, f->y + f->h, "vgrid");
		if (!labels)
			continue;
		num(t, v, dec);
		svg_text(out, x, f->y + f->h + 18, "middle", "tick", t->str);
	}
	svg_line(out, f->x, f->y + f->h, f->x + f->w, f->y + f->h, "axis");
	if (labels) {
		g_autofree char *l = g_strdup_printf("time since trace start (%s)", u.name);

		svg_text(out, f->x + f->w / 2, f->y + f->h + 36, "middle", "label", l);
	}
}

typedef struct LegendItem {
	const char *color;
	const char *label;
} LegendItem;

static void legend(GString *out, double right_x, double y, const LegendItem *items, int n)
{
	double x = right_x;

	/* Right-aligned, laid out from the right with an estimate of text width. */
	for (int i = n - 1; i >= 0; i--) {
		double w = 7.0 * (double)g_utf8_strlen(items[i].label, -1) + 22;

		x -= w;
		svg_rect(out, x, y - 9, 12, 12, items[i].color, NULL);
		svg_text(out, x + 17, y + 1, "start", "legend", items[i].label);
		x -= 14;
	}
}

static void svg_open(GString *out, double h, const char *aria)
{
	g_string_append(out,
			"<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	num(out, PLOT_W, 0);
	g_string_append_c(out, ' ');
	num(out, h, 0);
	g_string_append(out, "\" role=\"img\" aria-label=\"");
	esc(out, aria);
	g_string_append(out, "\">\n");
}

/* A step curve of per-bin means, filled below. */
static void step_curve(GString *out, const Frame *f, const Series *s, const char *color,
		       double fill_opacity, const char *id)
{
	double bin = (f->xmax - f->xmin) / HTML_TIME_BINS;
	g_autoptr(GString) d = g_string_new(NULL);

	for (int k = 0; k < HTML_TIME_BINS; k++) {
		double y = fy(f, s->mean[k]);

		g_string_append(d, k == 0 ? "M" : "L");
		num(d, fx(f, f->xmin + k * bin), 2);
		g_string_append_c(d, ',');
		num(d, y, 2);
		g_string_append(d, "L");
		num(d, fx(f, f->xmin + (k + 1) * bin), 2);
		g_string_append_c(d, ',');
		num(d, y, 2);
	}
	g_string_append_printf(out,
			       "<path class=\"area\" data-series=\"%s\" fill=\"%s\" "
			       "fill-opacity=\"",
			       id, color);
	num(out, fill_opacity, 2);
	g_string_append(out, "\" d=\"");
	g_string_append(out, d->str);
	g_string_append(out, "L");
	num(out, f->x + f->w, 2);
	g_string_append_c(out, ',');
	num(out, f->y + f->h, 2);
	g_string_append(out, "L");
	num(out, f->x, 2);
	g_string_append_c(out, ',');
	num(out, f->y + f->h, 2);
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
		.xmax = (double)MAX(r->end_ts_ns, r->begin_ts_ns + 1),
	};

	return f;
}

/* ---- plots ---------------------------------------------------------------- */

/* "stale (0.137 slot-s)": the legend says what the area under the curve is. */
static char *series_label(const char *name, const Series *s)
{
	g_autoptr(GString) l = g_string_new(name);

	g_string_append(l, " (");
	report_append_slot_seconds(l, (int64_t)llround(s->slot_ns));
	g_string_append(l, " slot-s)");
	return g_string_free(g_steal_pointer(&l), FALSE);
}

static bool plot_slots(const Report *r, GString *out, GError **error)
{
	Series in_use, cached, stale, full;
	Frame f;
	bool with_full;

	if (!sweep(r, "SELECT alloc_ts_ns, free_ts_ns FROM lifetimes", &in_use, error) ||
	    !sweep(r, "SELECT start_ts_ns, end_ts_ns FROM retention", &cached, error) ||
	    !sweep(r, "SELECT start_ts_ns, end_ts_ns FROM retention WHERE verdict = 'stale'",
		   &stale, error) ||
	    !sweep(r, "SELECT start_ts_ns, end_ts_ns FROM retention WHERE verdict = 'full'", &full,
		   error))
		return false;
	with_full = full.peak > 0;

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
	g_string_append(out, "<g id=\"plot-in-use\">\n");
	f = time_frame(r, 30, 170);
	svg_text(out, f.x, 18, "start", "ptitle", "Slots allocated (in use)");
	y_axis(out, &f, in_use.peak, "slots", true);
	time_axis(out, &f, false);
	step_curve(out, &f, &in_use, COLOR_IN_USE, 0.18, "in-use");
	{
		g_autofree char *l = series_label("allocated", &in_use);
		LegendItem items[] = { { COLOR_IN_USE, l } };

		legend(out, f.x + f.w, 18, items, 1);
	}
	g_string_append(out, "</g>\n<g id=\"plot-retention\">\n");
	f = time_frame(r, 260, 200);
	svg_text(out, f.x, 248, "start", "ptitle", "Slots cached with swap count 0");
	y_axis(out, &f, MAX(cached.peak, MAX(stale.peak, full.peak)), "slots", true);
	time_axis(out, &f, false); /* labelled once, under the panel below */
	step_curve(out, &f, &cached, COLOR_CACHED, 0.15, "cached-zero");
	if (with_full)
		step_curve(out, &f, &full, COLOR_FULL, 0.25, "full");
	step_curve(out, &f, &stale, COLOR_STALE, 0.30, "stale");
	{
		g_autofree char *l_all = series_label("all: lazy, stale, full", &cached);
		g_autofree char *l_stale = series_label("stale", &stale);
		g_autofree char *l_full = series_label("full", &full);
		LegendItem items[] = {
			{ COLOR_CACHED, l_all },
			{ COLOR_STALE, l_stale },
			{ COLOR_FULL, l_full },
		};

		legend(out, f.x + f.w, 248, items, with_full ? 3 : 2);
	}
	/*
	 * Waste on its own scale: a few stale slots next to a thousand lazy
	 * ones are a flat line above, and they are what a regression adds.
	 */
	g_string_append(out, "</g>\n<g id=\"plot-waste\">\n");
	f = time_frame(r, 530, 150);
	svg_text(out, f.x, 518, "start", "ptitle", "Wasted: stale and full retention");
	y_axis(out, &f, MAX(stale.peak, full.peak), "slots", true);
	time_axis(out, &f, true);
	step_curve(out, &f, &full, COLOR_FULL, 0.25, "waste-full");
	step_curve(out, &f, &stale, COLOR_STALE, 0.30, "waste-stale");
	{
		g_autofree char *l_stale = series_label("stale", &stale);
		g_autofree char *l_full = series_label("full", &full);
		LegendItem items[] = {
			{ COLOR_STALE, l_stale },
			{ COLOR_FULL, l_full },
		};

		legend(out, f.x + f.w, 518, items, 2);
	}
	g_string_append(out, "</g>\n</svg>\n</section>\n");
	return true;
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
	double span = (double)MAX(r->end_ts_ns - r->begin_ts_ns, 1);
	double rel = (double)(ts_ns - r->begin_ts_ns);

	return CLAMP((int)(rel / span * HTML_TIME_BINS), 0, HTML_TIME_BINS - 1);
}

/*
 * Findings on the time axis, one row per rule that fired, and one for
 * events the tracer lost (a finding's absence there proves less).  A trace
 * can hold millions of findings, so they are counted per time bin and each
 * non-empty bin is one mark, darker the more it holds.
 */
static bool plot_findings(const Report *r, GString *out, GError **error)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(strip_row_free);
	sqlite3_stmt *st = NULL;
	Frame f;
	double h;

	if (sqlite3_prepare_v2(r->db,
			       "SELECT ts_ns, count(*) FROM findings WHERE rule = ?"
			       " GROUP BY ts_ns ORDER BY ts_ns",
			       -1, &st, NULL) != SQLITE_OK) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read database: %s",
			    sqlite3_errmsg(r->db));
		return false;
	}
	for (guint i = 0; i < r->rules->len; i++) {
		const ReportRule *rule = g_ptr_array_index(r->rules, i);
		StripRow *row;

		if (rule->findings == 0)
			continue;
		row = g_new0(StripRow, 1);
		row->label = g_strdup_printf("%s (%" PRId64 ")", rule->rule, rule->findings);
		row->color = severity_color(rule->severity);
		row->what = "findings";
		sqlite3_bind_text(st, 1, rule->rule, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			row->bins[time_bin(r, sqlite3_column_int64(st, 0))] +=
				sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		g_ptr_array_add(rows, row);
	}
	sqlite3_finalize(st);
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

	g_string_append(out, "<section><h2>Findings on the time axis</h2>\n");
	if (rows->len == 0) {
		g_string_append(out, "<p class=\"caption\">No rule fired and no event was lost."
				     "</p>\n</section>\n");
		return true;
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
	time_axis(out, &f, true);
	for (guint i = 0; i < rows->len; i++) {
		const StripRow *row = g_ptr_array_index(rows, i);
		double y = f.y + 26.0 * i;
		int64_t most = 0;

		svg_text(out, f.x - 8, y + 17, "end", "tick", row->label);
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
			num(out, op, 2);
			g_string_append(out, "\">");
			svg_rect(out, f.x + f.w * k / HTML_TIME_BINS, y + 4,
				 MAX(f.w / HTML_TIME_BINS, 2.5), 18, row->color, title);
			g_string_append(out, "</g>\n");
		}
	}
	g_string_append(out, "</g>\n</svg>\n</section>\n");
	return true;
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

/*
 * Retention durations on a log scale, four bins per decade, one bar per
 * verdict: lazy retention is expected, the red and orange bars are waste.
 */
static bool plot_durations(const Report *r, GString *out, GError **error)
{
	enum {
		PER_DECADE = 4,
		MAX_BINS = 4 * 20
	};
	int64_t counts[MAX_BINS][_RETENTION_VERDICT_MAX];
	sqlite3_stmt *st = NULL;
	int64_t lo_ns, hi_ns = 0, peak = 0;
	int d0, d1, nbins;
	Frame f;
	int rc;

	g_string_append(out, "<section><h2>Retention duration distribution</h2>\n");
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
		hi_ns = MAX(hi_ns, r->retention_q[v].max);
	if (hi_ns == 0) {
		g_string_append(out, "<p class=\"caption\">No slot was cached with swap count 0 "
				     "for any measurable time.</p>\n</section>\n");
		return true;
	}
	if (sqlite3_prepare_v2(r->db,
			       "SELECT min(duration_ns) FROM retention WHERE duration_ns > 0", -1,
			       &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read database: %s",
			    sqlite3_errmsg(r->db));
		sqlite3_finalize(st);
		return false;
	}
	lo_ns = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	d0 = (int)floor(log10((double)MAX(lo_ns, 1)));
	d1 = (int)ceil(log10((double)hi_ns));
	if (d1 <= d0)
		d1 = d0 + 1;
	nbins = MIN((d1 - d0) * PER_DECADE, MAX_BINS);
	memset(counts, 0, sizeof(counts));

	if (sqlite3_prepare_v2(r->db, "SELECT verdict, duration_ns FROM retention ORDER BY id", -1,
			       &st, NULL) != SQLITE_OK) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read database: %s",
			    sqlite3_errmsg(r->db));
		return false;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *verdict = (const char *)sqlite3_column_text(st, 0);
		double dur = (double)MAX(sqlite3_column_int64(st, 1), 1);
		int k = (int)floor((log10(dur) - d0) * PER_DECADE);
		RetentionVerdict v = retention_verdict_from_name(verdict);

		if (v < 0)
			v = RETENTION_LAZY;
		counts[CLAMP(k, 0, nbins - 1)][v]++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read database: %s",
			    sqlite3_errmsg(r->db));
		return false;
	}
	for (int k = 0; k < nbins; k++)
		for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
			peak = MAX(peak, counts[k][v]);

	g_string_append(out,
			"<p class=\"caption\">How long slots stayed cached with swap count "
			"0, per interval and verdict; log-scale axes, four bins per decade.</p>\n");
	svg_open(out, 300, "histogram of retention durations by verdict");
	g_string_append(out, "<g id=\"plot-durations\">\n");
	f = (Frame){ .x = MARGIN_L,
		     .y = 30,
		     .w = PLOT_W - MARGIN_L - MARGIN_R,
		     .h = 210,
		     .xmin = d0,
		     .xmax = d0 + (double)nbins / PER_DECADE };
	log_y_axis(out, &f, (double)peak, "intervals (log scale)");
	/*
	 * Side by side, not stacked: on a log axis stacked heights do not
	 * add, and one stale interval must stay visible next to a thousand
	 * lazy ones.
	 */
	for (int k = 0; k < nbins; k++) {
		double x0 = fx(&f, d0 + (double)k / PER_DECADE) + 1;
		double x1 = fx(&f, d0 + (double)(k + 1) / PER_DECADE) - 1;
		double bw = (x1 - x0) / _RETENTION_VERDICT_MAX;

		for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
			g_autoptr(GString) title = g_string_new(NULL);
			double top_y = fy(&f, log10(1.0 + (double)counts[k][v]));

			if (!counts[k][v])
				continue;
			g_string_append_printf(title, "%" PRId64 " %s interval%s of ", counts[k][v],
					       retention_verdict_name(v),
					       counts[k][v] == 1 ? "" : "s");
			report_append_duration(title,
					       (int64_t)pow(10, d0 + (double)k / PER_DECADE));
			g_string_append(title, " to ");
			report_append_duration(title,
					       (int64_t)pow(10, d0 + (double)(k + 1) / PER_DECADE));
			svg_rect(out, x0 + bw * v, top_y, bw, f.y + f.h - top_y, verdict_color(v),
				 title->str);
		}
	}
	for (int d = d0; d <= d0 + nbins / PER_DECADE; d++) {
		g_autoptr(GString) t = g_string_new(NULL);
		double x = fx(&f, d);

		svg_line(out, x, f.y + f.h, x, f.y + f.h + 5, "axis");
		decade_label(t, d);
		svg_text(out, x, f.y + f.h + 18, "middle", "tick", t->str);
	}
	svg_line(out, f.x, f.y + f.h, f.x + f.w, f.y + f.h, "axis");
	svg_text(out, f.x + f.w / 2, f.y + f.h + 38, "middle", "label",
		 "retention duration (log scale)");
	{
		LegendItem items[] = {
			{ COLOR_LAZY, "lazy (by design)" },
			{ COLOR_STALE, "stale" },
			{ COLOR_FULL, "full" },
		};

		legend(out, f.x + f.w, 18, items, 3);
	}
	g_string_append(out, "</g>\n</svg>\n</section>\n");
	return true;
}

/* Where the waste comes from: the top call sites, stale and full stacked. */
static void plot_sites(const Report *r, unsigned top, GString *out)
{
	unsigned n = MIN(top, r->by_site->len);
	double peak = 0, bar_h = 22;
	Frame f;

	if (n == 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		const ReportCause *c = g_ptr_array_index(r->by_site, i);

		peak = MAX(peak, (double)(c->stale_ns + c->full_ns) / 1e9);
	}
	g_string_append(out,
			"<section><h2>Wasted slot-seconds by call site</h2>\n"
			"<p class=\"caption\">Stale and full retention, attributed to the call "
			"site whose event started the interval.</p>\n");
	svg_open(out, bar_h * n + 70, "wasted slot-seconds by call site");
	g_string_append(out, "<g id=\"plot-sites\">\n");
	f = (Frame){ .x = 330, .y = 28, .w = PLOT_W - 330 - MARGIN_R - 70, .h = bar_h * n };
	{
		double step = nice_step(peak > 0 ? peak : 1, 6);
		int dec = step_decimals(step);

		f.xmin = 0;
		f.xmax = ceil((peak > 0 ? peak : 1) / step) * step;
		for (double v = 0; v <= f.xmax + step / 2; v += step) {
			g_autoptr(GString) t = g_string_new(NULL);

			svg_line(out, fx(&f, v), f.y, fx(&f, v), f.y + f.h,
				 v == 0 ? "axis" : "grid");
			num(t, v, dec);
			svg_text(out, fx(&f, v), f.y + f.h + 16, "middle", "tick", t->str);
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
		svg_rect(out, fx(&f, 0), y, fx(&f, s) - fx(&f, 0), bar_h - 6, COLOR_STALE,
			 title->str);
		svg_rect(out, fx(&f, s), y, fx(&f, s + fu) - fx(&f, s), bar_h - 6, COLOR_FULL,
			 title->str);
		report_append_slot_seconds(total, c->stale_ns + c->full_ns);
		svg_text(out, fx(&f, s + fu) + 6, y + 12, "start", "tick", total->str);
	}
	svg_text(out, f.x + f.w / 2, f.y + f.h + 34, "middle", "label", "slot-seconds");
	{
		LegendItem items[] = { { COLOR_STALE, "stale" }, { COLOR_FULL, "full" } };

		legend(out, PLOT_W - MARGIN_R, 16, items, 2);
	}
	g_string_append(out, "</g>\n</svg>\n</section>\n");
}

/* ---- tables and page ------------------------------------------------------ */

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
	esc(out, value);
	g_string_append(out, "</div><div class=\"k\">");
	esc(out, label);
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

static void tables(const Report *r, unsigned top, GString *out)
{
	const struct {
		const char *what;
		const GPtrArray *causes;
	} by[] = {
		{ "call site", r->by_site },
		{ "process", r->by_process },
		{ "device", r->by_device },
	};
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
				       severity_color(rule->severity));
		esc(out, rule->severity);
		g_string_append(out, "</span></td><td class=\"mono\">");
		esc(out, rule->rule);
		g_string_append_printf(out,
				       "</td><td class=\"n\">%" PRId64
				       "</td><td class=\"n\">%" PRId64 "</td><td class=\"ex\">",
				       rule->findings, rule->unverified);
		for (guint j = 0; j < rule->examples->len; j++) {
			esc(out, g_ptr_array_index(rule->examples, j));
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
			verdict_color(v), retention_verdict_name(v), r->retention_n[v]);
		td_slot_seconds(out, r->retention_ns[v]);
		td_quantile(out, &r->retention_q[v], r->retention_q[v].p50);
		td_quantile(out, &r->retention_q[v], r->retention_q[v].p99);
		td_quantile(out, &r->retention_q[v], r->retention_q[v].max);
		g_string_append(out, "</tr>\n");
	}
	g_string_append(out, "</table>\n</section>\n");

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
			esc(out, c->name);
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

	g_string_append(out, "<section><h2>Write-fault round trips and swap-in races</h2>\n"
			     "<div class=\"cols\"><div><h3>wp round trips per call site</h3>"
			     "<table><tr><th>call site</th><th class=\"n\">count</th>"
			     "<th class=\"n\">p50</th><th class=\"n\">p99</th>"
			     "<th class=\"n\">max</th></tr>\n");
	for (guint i = 0; i < r->roundtrip_sites->len && i < top; i++) {
		const ReportSite *s = g_ptr_array_index(r->roundtrip_sites, i);

		g_string_append(out, "<tr><td class=\"mono\">");
		esc(out, s->name);
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

	g_string_append(out, "<section><h2>Gaps</h2>\n");
	if (r->gaps->len == 0) {
		g_string_append(out, "<p>No events were lost: every slot state is proven by the "
				     "trace.</p>\n");
	} else {
		g_string_append(out, "<table><tr><th>kind</th><th>stream</th><th class=\"n\">lost"
				     "</th><th class=\"n\">at</th><th class=\"n\">after event</th>"
				     "</tr>\n");
		for (guint i = 0; i < r->gaps->len && i < top; i++) {
			const ReportGap *g = g_ptr_array_index(r->gaps, i);

			g_string_append(out, "<tr><td>");
			esc(out, g->kind);
			g_string_append(out, "</td><td class=\"mono\">");
			esc(out, g->stream);
			if (g->count >= 0)
				g_string_append_printf(out, "</td><td class=\"n\">%" PRId64,
						       g->count);
			else
				g_string_append(out, "</td><td class=\"n\">?");
			g_string_append(out, "</td><td class=\"n\">");
			if (g->begin_ts_ns != INT64_MIN)
				report_append_duration(out, g->begin_ts_ns - r->begin_ts_ns);
			g_string_append(out, "</td><td class=\"n\">");
			if (g->after_seq >= 0)
				g_string_append_printf(out, "%" PRId64, g->after_seq);
			g_string_append(out, "</td></tr>\n");
		}
		g_string_append(out, "</table>\n");
		if (r->gaps->len > top)
			g_string_append_printf(out,
					       "<p class=\"caption\">... and %u more gaps, %" PRId64
					       " events lost in all.</p>\n",
					       r->gaps->len - top, r->gap_events_lost);
	}
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
	"nums}"
	".mono{font-family:'DejaVu Sans Mono',monospace;font-size:12px}"
	".ex{color:#55606e;font-size:12px;max-width:560px}"
	".sev{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px}"
	".dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}"
	".cols{display:flex;flex-wrap:wrap;gap:28px}"
	"footer{color:#8792a0;font-size:12px;margin-top:36px}";

bool html_report_format(const Report *r, unsigned top, GString *out, GError **error)
{
	g_autofree char *base = g_path_get_basename(r->path);
	g_autoptr(GString) span = g_string_new(NULL);

	html_duration(span, r->end_ts_ns - r->begin_ts_ns);
	g_string_append(out,
			"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<title>swaptrace report: ");
	esc(out, base);
	g_string_append_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", css);
	g_string_append(out, "<h1>swaptrace report: ");
	esc(out, base);
	g_string_append(out, "</h1>\n<p class=\"facts\"><span>trace span ");
	esc(out, span->str);
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
			num(out, 100.0 * (double)d->max_in_use / (double)d->nr_slots, 1);
			g_string_append(out, "%</span>");
		}
	}
	g_string_append(out, "</p>\n<p class=\"facts small\">");
	for (guint i = 0; i < r->env->len; i++) {
		const ReportFact *f = g_ptr_array_index(r->env, i);

		g_string_append(out, " <span>");
		esc(out, f->label);
		g_string_append(out, " <b>");
		esc(out, f->value);
		g_string_append(out, "</b></span>");
	}
	g_string_append(out, "</p>\n");
	cards(r, out);
	if (!plot_slots(r, out, error) || !plot_findings(r, out, error))
		return false;
	plot_sites(r, top, out);
	if (!plot_durations(r, out, error))
		return false;
	tables(r, top, out);
	g_string_append(out, "<footer>Generated by swaptrace report from ");
	esc(out, base);
	g_string_append(out,
			". Times are relative to the first event on the trace clock.</footer>\n"
			"</main>\n</body>\n</html>\n");
	return true;
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

bool html_report_write(const Report *r, unsigned top, const char *path, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *tmp = g_strconcat(path, ".tmp-XXXXXX", NULL);
	int fd, errsv;

	if (!html_report_format(r, top, out, error))
		return false;
	/*
	 * A temporary file beside path, synced and renamed over it (git's
	 * lockfile): a reader sees the old page or the new one, never half.
	 */
	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		errsv = errno;
		g_set_error_literal(error, G_FILE_ERROR, g_file_error_from_errno(errsv),
				    g_strerror(errsv));
		return false;
	}
	if (!write_all(fd, out->str, out->len) || fsync(fd) != 0) {
		errsv = errno ? errno : EIO;
		close(fd);
		goto error;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		errsv = errno;
		goto error;
	}
	return true;

error:
	unlink(tmp);
	g_set_error_literal(error, G_FILE_ERROR, g_file_error_from_errno(errsv), g_strerror(errsv));
	return false;
}
