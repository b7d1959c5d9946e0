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
 * Verdict: `stale` when the folio was written in place while cached (a
 * write fault that mapped it exclusively and kept the cache: the device
 * copy is stale) and the
 * interval outlived AnalyzerOptions.stale_threshold_ns; else `full` when
 * the device was over full_permille at its start or at any point during it
 * and it outlived full_threshold_ns; else `lazy`, the kernel's design.
 * Stale and full intervals are also warning findings, one per contiguous
 * run of slots closed by the same event with the same start.  An interval
 * carries the KeepReason of the write fault that kept the folio (the one
 * that wrote it, else the first), so that a report says why the kernel
 * kept it.
 *
 * A move or split of the binding (migration, THP split) continues the
 * interval with the new folio: the data and its staleness are the same.
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
/*
 * A fault kept the cached folio: the first such fault of the open interval,
 * if any; reason is the write fault's KeepReason, _KEEP_REASON_INVALID for
 * a read fault.
 */
void retention_note_kept(const SlotRef *ref, const struct Event *ev, KeepReason reason);
/* The cached folio was written in place at ev, which kept it for `reason`. */
void retention_note_written(const SlotRef *ref, const struct Event *ev, KeepReason reason);

#endif
