/*
 * Retention intervals: every period during which a slot is allocated, has
 * count 0 and is cached, i.e. the swap cache keeps a folio no page table
 * references through the slot.
 *
 * An interval opens when a put takes a cached slot's count to 0 (the last
 * swap PTE is gone: from here on the cache is kept only lazily) or when a
 * state dump shows a cached slot with count 0.  It does not open at alloc:
 * a freshly allocated slot has count 0 and its folio cached only while the
 * swap-out that allocated it is unmapping the folio, which is not retention.
 * It closes at the event that ends the condition (a dup raising the count,
 * the cache del, a free or a re-alloc), at a change of folio, at a gap
 * (truncated: its end is then the start of the gap), or at trace end.
 *
 * Verdict: `stale` when the folio was written while cached (a write fault
 * that kept the cache: the device copy is stale) and the
 * interval outlived AnalyzerOptions.stale_threshold_ns; else `full` when
 * the device was over full_permille at its start or at any point during it
 * and it outlived full_threshold_ns; else `lazy`, the kernel's design.
 * Stale and full intervals are also warning findings, one per contiguous
 * run of slots closed by the same event with the same start.
 */
#ifndef SWAPTRACE_RETENTION_H
#define SWAPTRACE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "slot-table.h"

typedef struct Analyzer Analyzer;
struct Event;

/* After ev changed the slot: open or close its retention interval. */
void retention_update(Analyzer *a, const struct Event *ev, const SlotRef *ref);
/*
 * Close the slot's open interval, if any, at end_seq (SEQ_NONE: trace end
 * or gap) and end_ts_ns; `truncated` for a gap.
 */
void retention_close(Analyzer *a, const SlotRef *ref, uint64_t end_seq, int64_t end_ts_ns,
		     uint64_t end_ip, bool truncated);
/* A fault kept the cached folio: the first such fault of the open interval, if any. */
void retention_note_kept(const SlotRef *ref, const struct Event *ev);
/* The cached folio was written (SLOT_WRITTEN set at ev): so is the open interval's. */
void retention_note_written(const SlotRef *ref, const struct Event *ev);

#endif
