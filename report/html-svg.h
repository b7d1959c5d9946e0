/*
 * The primitives of the HTML report (private to report/): numbers in the C
 * locale and escaped text, a plot frame with its axes and legend, and the
 * colours the plots and tables share.  Drawing only: no Report here.
 */
#ifndef SWAPTRACE_HTML_SVG_H
#define SWAPTRACE_HTML_SVG_H

#include <stdbool.h>

#include <glib.h>

#include "db-names.h"

#define PLOT_W 1080.0 /* SVG user units; the page scales it to its width */
#define MARGIN_L 70.0
#define MARGIN_R 36.0

#define COLOR_IN_USE "#4c78a8"
#define COLOR_CACHED "#54a24b"
#define COLOR_STALE "#e45756"
#define COLOR_FULL "#f58518"
#define COLOR_LAZY "#9ecae9"

const char *html_verdict_color(RetentionVerdict v);
/* By severity name; a severity this version does not know is drawn as info. */
const char *html_severity_color(const char *severity);

/* Append a number in the C locale with `prec` decimals. */
void html_num(GString *out, double v, int prec);
/* Append s, NULL as "", with <, >, & and quotes escaped. */
void html_esc(GString *out, const char *s);

/* A plot area in SVG user units and the data range it shows. */
typedef struct Frame {
	double x, y, w, h;
	double xmin, xmax;
	double ymin, ymax;
} Frame;

double frame_x(const Frame *f, double v);
double frame_y(const Frame *f, double v);
/* A 1-2-5 step giving about `target` ticks over range. */
double axis_step(double range, int target);
/* Number of decimals that show a tick step exactly. */
int axis_decimals(double step);

void svg_open(GString *out, double h, const char *aria);
void svg_text(GString *out, double x, double y, const char *anchor, const char *cls,
	      const char *text);
void svg_line(GString *out, double x1, double y1, double x2, double y2, const char *cls);
/* A filled rectangle, with a hover title unless title is NULL. */
void svg_rect(GString *out, double x, double y, double w, double h, const char *fill,
	      const char *title);
/* Horizontal grid lines and labels for a linear y axis from 0; sets f's y range. */
void svg_y_axis(GString *out, Frame *f, double peak, const char *label, bool integer);
/* A log y axis for counts: position log10(1 + v), so 0 sits on the baseline. */
void svg_log_y_axis(GString *out, Frame *f, double peak, const char *label);
/* Time axis, relative to the trace start, in a unit suited to the span. */
void svg_time_axis(GString *out, const Frame *f, bool labels);

typedef struct LegendItem {
	const char *color;
	const char *label;
} LegendItem;

/* Right-aligned at right_x, laid out from the right. */
void svg_legend(GString *out, double right_x, double y, const LegendItem *items, int n);

#endif
