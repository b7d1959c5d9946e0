/*
 * `swaptrace report --html FILE`: one self-contained page (inline CSS and
 * SVG drawn here, no script, no network) with the plots of a Report.
 */
#ifndef SWAPTRACE_HTML_REPORT_H
#define SWAPTRACE_HTML_REPORT_H

#include <stdbool.h>

#include <glib.h>

#include "report.h"

/* Bins on the time axis of the over-time plots. */
#define HTML_TIME_BINS 200

/* Render the page into out; reads the time series from r->db. */
bool html_report_format(const Report *r, unsigned top, GString *out, GError **error);

/* Render and write atomically (temporary file, then rename). */
bool html_report_write(const Report *r, unsigned top, const char *path, GError **error);

#endif
