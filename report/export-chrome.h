/*
 * `swaptrace export --format=chrome-json`: a replay database as a Chrome
 * trace-event JSON file (the "JSON Object Format" of the Trace Event
 * Format document), which Perfetto UI, chrome://tracing and Chromium
 * DevTools' Performance panel open.  From a Report loaded with its slot
 * timelines (report_load_with() slots):
 *
 *  - one process per swap device ("swap device 0"), with two counter
 *    tracks: "slots in use" (lifetimes) and "swap cache count 0"
 *    (retention intervals: cached with nothing referencing the slot);
 *  - one thread per slot worth a look (a finding, or stale or full
 *    retention), most telling first, named "slot TYPE:OFFSET": its
 *    lifetimes ("allocated"), folio bindings ("swap cache", with replay
 *    --events) and retention intervals ("retention: VERDICT") as complete
 *    ("X") slices, split where needed so every slice nests in the one
 *    below it, coloured by verdict (cname); its findings as instant
 *    events ("I", thread scope) named by rule with the rule, severity,
 *    message, seq and call site in args; and, with --events, every event
 *    that touched the slot as an instant of category "event".
 *
 * ts is microseconds from the trace's first event (the absolute origin is
 * in otherData.trace_start_ts_ns), with nanosecond decimals.  The same
 * database gives the same bytes.
 */
#ifndef SWAPTRACE_EXPORT_CHROME_H
#define SWAPTRACE_EXPORT_CHROME_H

#include <stdbool.h>

#include <glib.h>

#include "report.h"

/* The trace file, into out; r must be loaded with slots. */
void export_chrome_format(const Report *r, GString *out);

#endif
