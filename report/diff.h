/*
 * `swaptrace diff`: the metrics two replay databases are compared on, and
 * the rule that calls a change a regression.
 *
 * A metric is worse when
 *
 *	new > base * (1 + tolerance)  and  new - base > floor
 *
 * The relative test ignores noise on large numbers, the absolute floor
 * ignores noise on small ones.  Floors (DiffOptions): 0 for findings of
 * error rules, so any new error finding is a regression; min_count for
 * warning findings; min_slot_ns for stale and full slot-time; min_rate_ppm
 * for the share of write faults that kept a folio cached and wrote it in
 * place (in all, and per keep reason; only when both sides replayed
 * min_write_faults); min_wait_ns for the race wait p99 (only when both
 * sides have min_count race episodes).  Info findings and round trips are
 * shown, never judged.  The defaults come from the measured spread of
 * recordings of one workload on one kernel (diff.c, diff_options_init()).
 */
#ifndef SWAPTRACE_DIFF_H
#define SWAPTRACE_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "report.h"

typedef enum DiffUnit {
	DIFF_UNIT_COUNT,
	DIFF_UNIT_SLOT_NS, /* shown as slot-seconds */
	DIFF_UNIT_NS,	   /* a duration */
	DIFF_UNIT_PPM,	   /* parts per million of the write faults, shown per 1000 */
	_DIFF_UNIT_MAX,
} DiffUnit;

typedef struct DiffOptions {
	double tolerance;	  /* allowed relative increase, e.g. 0.10 */
	int64_t min_count;	  /* floor for warning/info findings and round trips */
	int64_t min_slot_ns;	  /* floor for stale/full slot-time */
	int64_t min_wait_ns;	  /* floor for the race wait p99 */
	int64_t min_rate_ppm;	  /* floor for write faults kept in place, per 10^6 write faults */
	int64_t min_write_faults; /* fewer write faults on a side: no rate is compared */
} DiffOptions;

void diff_options_init(DiffOptions *opts);

typedef struct DiffMetric {
	char *name; /* "findings.retention_stale", "stale_slot_seconds", ... */
	DiffUnit unit;
	int64_t base;
	int64_t new_value;
	int64_t floor;
	bool worse;
	bool better; /* the mirror test: base worse than new */
	bool judged; /* false: shown only (info findings, round trips, a p99 of too few races) */
} DiffMetric;

/* DiffMetric array in a stable order: rules by name, then the retention, round-trip and race metrics. */
GPtrArray *diff_compute(const Report *base, const Report *new_report, const DiffOptions *opts,
			bool *ret_worse);

void diff_format_text(const Report *base, const Report *new_report, const DiffOptions *opts,
		      const GPtrArray *metrics, bool worse, GString *out);
void diff_format_json(const Report *base, const Report *new_report, const DiffOptions *opts,
		      const GPtrArray *metrics, bool worse, GString *out);

#endif
