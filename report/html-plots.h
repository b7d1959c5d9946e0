/*
 * The plots of the HTML report (private to report/), each a <section> of
 * inline SVG drawn from a Report loaded with its series.
 */
#ifndef SWAPTRACE_HTML_PLOTS_H
#define SWAPTRACE_HTML_PLOTS_H

#include <glib.h>

#include "report.h"

/* Bins on the time axis of the over-time plots. */
#define HTML_TIME_BINS 200

/* Slots in use, cached with count 0, and the stale and full waste over time. */
void html_plot_slots(const Report *r, GString *out);
/* One strip per rule that fired (and one for lost events) on the time axis. */
void html_plot_findings(const Report *r, GString *out);
/* Wasted slot-seconds of the top call sites, stale and full stacked. */
void html_plot_sites(const Report *r, unsigned top, GString *out);
/* Retention durations per verdict on log-scale axes. */
void html_plot_durations(const Report *r, GString *out);

#endif
