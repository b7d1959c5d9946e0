/*
 * The SVG and HTML primitives of html-svg.h.  Every number goes through
 * html_num(): g_ascii_formatd() in the C locale, since a comma decimal
 * separator from the user's locale would break SVG coordinates.
 */
#include "html-svg.h"

#include <math.h>

#include "banned.h"

const char *html_verdict_color(RetentionVerdict v)
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

const char *html_severity_color(const char *severity)
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
void html_num(GString *out, double v, int prec)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	char fmt[8];

	g_snprintf(fmt, sizeof(fmt), "%%.%df", prec);
	if (fabs(v) < 0.5 * pow(10, -prec))
		v = 0; /* no "-0.0" */
	g_string_append(out, g_ascii_formatd(buf, sizeof(buf), fmt, v));
}

void html_esc(GString *out, const char *s)
{
	g_autofree char *e = g_markup_escape_text(s ? s : "", -1);

	g_string_append(out, e);
}

/* A 1-2-5 step giving about `target` ticks over range. */
double axis_step(double range, int target)
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
int axis_decimals(double step)
{
	int d = 0;

	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6)
		d++;
	return d;
}

double frame_x(const Frame *f, double v)
{
	return f->x + (v - f->xmin) / (f->xmax - f->xmin) * f->w;
}

double frame_y(const Frame *f, double v)
{
	return f->y + f->h - (v - f->ymin) / (f->ymax - f->ymin) * f->h;
}

void svg_text(GString *out, double x, double y, const char *anchor, const char *cls,
	      const char *text)
{
	g_string_append(out, "<text x=\"");
	html_num(out, x, 1);
	g_string_append(out, "\" y=\"");
	html_num(out, y, 1);
	g_string_append_printf(out, "\" text-anchor=\"%s\" class=\"%s\">", anchor, cls);
	html_esc(out, text);
	g_string_append(out, "</text>\n");
}

void svg_line(GString *out, double x1, double y1, double x2, double y2, const char *cls)
{
	g_string_append(out, "<line x1=\"");
	html_num(out, x1, 1);
	g_string_append(out, "\" y1=\"");
	html_num(out, y1, 1);
	g_string_append(out, "\" x2=\"");
	html_num(out, x2, 1);
	g_string_append(out, "\" y2=\"");
	html_num(out, y2, 1);
	g_string_append_printf(out, "\" class=\"%s\"/>\n", cls);
}

void svg_rect(GString *out, double x, double y, double w, double h, const char *fill,
	      const char *title)
{
	g_string_append(out, "<rect x=\"");
	html_num(out, x, 2);
	g_string_append(out, "\" y=\"");
	html_num(out, y, 2);
	g_string_append(out, "\" width=\"");
	html_num(out, MAX(w, 0), 2);
	g_string_append(out, "\" height=\"");
	html_num(out, MAX(h, 0), 2);
	g_string_append_printf(out, "\" fill=\"%s\"", fill);
	if (title) {
		g_string_append(out, "><title>");
		html_esc(out, title);
		g_string_append(out, "</title></rect>\n");
	} else {
		g_string_append(out, "/>\n");
	}
}

/* Horizontal grid lines and labels for a linear y axis from 0. */
void svg_y_axis(GString *out, Frame *f, double peak, const char *label, bool integer)
{
	double step = axis_step(peak > 0 ? peak : 1, 4);
	int dec;

	if (integer && step < 1)
		step = 1;
	dec = axis_decimals(step);
	f->ymin = 0;
	f->ymax = ceil((peak > 0 ? peak : 1) / step) * step;
	/* Counted, not v += step alone: a step too small for v's magnitude never ends. */
	for (int i = 0; i < 64 && i * step <= f->ymax + step / 2; i++) {
		double v = i * step;
		g_autoptr(GString) t = g_string_new(NULL);

		svg_line(out, f->x, frame_y(f, v), f->x + f->w, frame_y(f, v),
			 v == 0 ? "axis" : "grid");
		html_num(t, v, dec);
		svg_text(out, f->x - 8, frame_y(f, v) + 4, "end", "tick", t->str);
	}
	g_string_append(out, "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(");
	html_num(out, f->x - 52, 1);
	g_string_append_c(out, ',');
	html_num(out, f->y + f->h / 2, 1);
	g_string_append(out, ") rotate(-90)\">");
	html_esc(out, label);
	g_string_append(out, "</text>\n");
}

/* A log y axis for counts: position log10(1 + v), so 0 sits on the baseline. */
void svg_log_y_axis(GString *out, Frame *f, double peak, const char *label)
{
	double top = 10;

	/* Up to the decade above the peak, at least 10. */
	while (top < peak)
		top *= 10;
	f->ymin = 0;
	f->ymax = log10(1.0 + top);
	svg_line(out, f->x, frame_y(f, 0), f->x + f->w, frame_y(f, 0), "axis");
	/* 1, 10, 100, ...; 0 is the baseline, too close to 1 to label. */
	for (double v = 1; v <= top; v *= 10) {
		g_autoptr(GString) t = g_string_new(NULL);
		double y = frame_y(f, log10(1.0 + v));

		svg_line(out, f->x, y, f->x + f->w, y, "grid");
		html_num(t, v, 0);
		svg_text(out, f->x - 8, y + 4, "end", "tick", t->str);
	}
	g_string_append(out, "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(");
	html_num(out, f->x - 52, 1);
	g_string_append_c(out, ',');
	html_num(out, f->y + f->h / 2, 1);
	g_string_append(out, ") rotate(-90)\">");
	html_esc(out, label);
	g_string_append(out, "</text>\n");
}

/* Time axis, relative to the trace start, in a unit suited to the span. */
void svg_time_axis(GString *out, const Frame *f, bool labels)
{
	TimeUnit u = time_unit_for(f->xmax - f->xmin);
	double span_u = (f->xmax - f->xmin) / u.ns;
	double step = axis_step(span_u, 10);
	int dec = axis_decimals(step);

	for (int i = 0; i < 64 && i * step <= span_u * (1 + 1e-9); i++) {
		double v = i * step;
		double x = frame_x(f, f->xmin + v * u.ns);
		g_autoptr(GString) t = g_string_new(NULL);

		svg_line(out, x, f->y + f->h, x, f->y + f->h + 5, "axis");
		svg_line(out, x, f->y, x, f->y + f->h, "vgrid");
		if (!labels)
			continue;
		html_num(t, v, dec);
		svg_text(out, x, f->y + f->h + 18, "middle", "tick", t->str);
	}
	svg_line(out, f->x, f->y + f->h, f->x + f->w, f->y + f->h, "axis");
	if (labels) {
		g_autofree char *l = g_strdup_printf("time since trace start (%s)", u.name);

		svg_text(out, f->x + f->w / 2, f->y + f->h + 36, "middle", "label", l);
	}
}

void svg_legend(GString *out, double right_x, double y, const LegendItem *items, int n)
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

void svg_open(GString *out, double h, const char *aria)
{
	g_string_append(out,
			"<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	html_num(out, PLOT_W, 0);
	g_string_append_c(out, ' ');
	html_num(out, h, 0);
	g_string_append(out, "\" role=\"img\" aria-label=\"");
	html_esc(out, aria);
	g_string_append(out, "\">\n");
}
