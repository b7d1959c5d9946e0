/*
 * The analyzer: per-slot state machine (analyzer.c, storage in
 * slot-table.c) plus the rules of DESIGN.md §4-§5 (rule-*.c, retention.c).
 * Fed normalized events in seq order, it reports records through a
 * ReplayOutput and keeps final state for the writer to read.  It allocates
 * nothing per event in the steady state (a page of slots the first time a
 * 256-slot region is touched).
 *
 * What the events are taken to mean, beyond DESIGN.md §3:
 *  - swap_device_on (schema v2): swapon, every slot of the device is free;
 *    a state dump's swap_state lines name every slot once, in offset
 *    order, each making its slots known; a v1 device_on proves nothing
 *    until its dump's end marker (device-state.c, schema/events-v2.md);
 *  - a cache move or split passes the binding, and what waits on the folio
 *    (retention, round trips), to the folio it names;
 *  - the count of a dup or put is that of the range's first slot;
 *  - a gap (discarded events or packets) forgets everything known, and
 *    events up to the gap's end time establish nothing;
 *  - findings come in event order, one per contiguous run of slots of one
 *    event; records still open at analyzer_finish() come in (type, offset)
 *    order.
 */
#ifndef SWAPTRACE_ANALYZER_H
#define SWAPTRACE_ANALYZER_H

#include <stdbool.h>
#include <stdint.h>

#include "records.h"

typedef struct Analyzer Analyzer;

typedef struct AnalyzerOptions {
	int64_t stale_threshold_ns; /* retention_stale fires past this; default 1 ms */
	int64_t full_threshold_ns;  /* retention_full fires past this; default 1 ms */
	uint32_t full_permille;	    /* "over half full": default 500 */
	/*
	 * A slot left count 0 and uncached this close to the end of the trace
	 * may have its free cut off by the end of recording: its slot_leak is
	 * unverified instead.  Default 1 ms (the free follows within
	 * microseconds, in the same operation).
	 */
	int64_t leak_end_grace_ns;
} AnalyzerOptions;

void analyzer_options_init(AnalyzerOptions *opts);

/* Final state of one slot, in (type, offset) order. */
typedef struct SlotFinal {
	uint32_t type;
	uint64_t offset;
	bool allocated;
	bool known;
	int32_t count;
	uint64_t cache_pfn; /* 0: not cached */
	uint64_t last_seq;
} SlotFinal;

typedef struct DeviceFinal {
	uint32_t type;
	uint64_t nr_slots; /* 0 if never announced (trace started without device_on) */
	uint32_t cluster_size;
	uint64_t on_seq;  /* SEQ_NONE if never seen */
	uint64_t off_seq; /* SEQ_NONE if still on */
	uint64_t slots_touched;
	uint64_t max_in_use;
} DeviceFinal;

Analyzer *analyzer_new(const AnalyzerOptions *opts, const ReplayOutput *out);
Analyzer *analyzer_free(Analyzer *a); /* NULL-safe, returns NULL */

/* Events must come in seq order. */
void analyzer_apply(Analyzer *a, const Event *ev);
/* Lost events on some stream: every slot becomes unknown until re-synced. */
void analyzer_note_gap(Analyzer *a, const Gap *gap);
/*
 * End of trace at end_ts_ns (the last event's time is used if later):
 * closes open retention intervals and lifetimes, reports leaks.  Once only;
 * the foreach and counter functions stay valid after it.
 */
void analyzer_finish(Analyzer *a, int64_t end_ts_ns);

void analyzer_foreach_slot(Analyzer *a, void (*cb)(void *user, const SlotFinal *s), void *user);
void analyzer_foreach_device(Analyzer *a, void (*cb)(void *user, const DeviceFinal *d), void *user);
/* Checks a rule could not make because a fact was unknown (DESIGN §5). */
uint64_t analyzer_unverified(const Analyzer *a, Rule r);
uint64_t analyzer_findings(const Analyzer *a, Rule r);
/*
 * Slot-time (slot-ns: one slot retained for one ns) of the retention
 * intervals closed so far with verdict v: the headline "waste" of stale
 * and full retention.  Per call site, process or device it is the sum of
 * the Retention records' durations.
 */
int64_t analyzer_retention_ns(const Analyzer *a, RetentionVerdict v);
uint64_t analyzer_retention_count(const Analyzer *a, RetentionVerdict v);
/* Write swap-in faults replayed (one per fault event, whatever its range). */
uint64_t analyzer_write_faults(const Analyzer *a);
/*
 * Write swap-in faults that did not free the swap cache, for `reason`, and
 * how many of them wrote the cached folio in place.
 */
void analyzer_kept_faults(const Analyzer *a, KeepReason reason, uint64_t *ret_faults,
			  uint64_t *ret_in_place);

/* How much per-slot state the analyzer holds, for --verbose. */
typedef struct AnalyzerStorage {
	uint64_t slot_bytes;   /* sizeof the hot per-slot state */
	uint64_t pages;	       /* of 256 slots, each with its hot state or a summary */
	uint64_t cold_pages;   /* of them with only the summary: every slot free or unknown */
	uint64_t setup_arrays; /* pages with their setting-up events (not after swapoff) */
	uint64_t life_arrays;  /* pages with an open lifetime */
	uint64_t rare_live;    /* slots with a retention, leak, round trip or write open */
	uint64_t rare_peak;    /* the most of those at once */
} AnalyzerStorage;

void analyzer_storage(const Analyzer *a, AnalyzerStorage *ret);

#endif
