/*
 * `swaptrace report --html FILE`: one self-contained page (inline CSS and
 * SVG, no script, no network) with the plots and tables of a Report loaded
 * with its series and slot timelines (report_load_with() series, slots).
 */
#ifndef SWAPTRACE_HTML_REPORT_H
#define SWAPTRACE_HTML_REPORT_H

#include <stdbool.h>

#include <glib.h>

#include "report.h"

/* Render the page into out (the command writes it: store/output-file.h). */
void html_report_format(const Report *r, unsigned top, GString *out);

#endif
