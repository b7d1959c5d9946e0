/*
 * The HTML page's findings list and slot timelines (private to report/),
 * from a Report loaded with its slot timelines (report_load_with() slots).
 */
#ifndef SWAPTRACE_HTML_SLOTS_H
#define SWAPTRACE_HTML_SLOTS_H

#include <glib.h>

#include "report.h"

/* Every listed finding, its slot linked to the slot's timeline. */
void html_findings_list(const Report *r, GString *out);
/* One section per slot track: an inline SVG timeline and its events. */
void html_slot_timelines(const Report *r, GString *out);

#endif
