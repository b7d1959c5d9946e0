/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LTTng copy of the kernel's include/trace/events/swap.h (swaptrace event
 * schema v2, kernel/patches/linux-6.1).  lttng-probe-swap.c includes the
 * kernel header first, so a prototype that drifts from it fails to build,
 * and the SWAP_FAULT_* and SWAP_LAZYFREE_* values come from it.
 *
 * Field names and integer widths are the swaptrace event schema
 * (schema/event-schema.c): the replayer rejects a known event whose field
 * is missing or of another width or signedness.  The kernel shares one
 * class between dup and put (and between alloc and cache_del); here each
 * event lists exactly the schema's fields, so put carries no ret.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swap

#if !defined(LTTNG_TRACE_SWAP_H) || defined(TRACE_HEADER_MULTI_READ)
#define LTTNG_TRACE_SWAP_H

#include <lttng/tracepoint-event.h>
#include <linux/types.h>
#include <linux/mm.h>

LTTNG_TRACEPOINT_EVENT_CLASS(swap_folio_range,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT_INSTANCE(swap_folio_range, swap_entry_alloc,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, ip)
)

LTTNG_TRACEPOINT_EVENT_INSTANCE(swap_folio_range, swap_cache_del,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, ip)
)

LTTNG_TRACEPOINT_EVENT(swap_entry_dup,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, int count, int ret, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, count, ret, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(int32_t, count, count)
		ctf_integer(int32_t, ret, ret)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_entry_put,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, int count, int ret, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, count, ret, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(int32_t, count, count)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

/* The kernel's TP_CONDITION(!usage) is evaluated before probes run. */
LTTNG_TRACEPOINT_EVENT(swap_entry_free,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned char usage, unsigned long ip),

	TP_ARGS(type, offset, nr, usage, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_cache_add,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, int ret, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, ret, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(int32_t, ret, ret)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_cache_move,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, unsigned long new_pfn, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, new_pfn, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(uint64_t, new_pfn, new_pfn)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_cache_split,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, unsigned int new_nr, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, new_nr, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(uint32_t, new_nr, new_nr)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_fault,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, unsigned int flags, int refs,
		 unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, flags, refs, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(uint8_t, write, !!(flags & SWAP_FAULT_WRITE))
		ctf_integer(uint8_t, exclusive, !!(flags & SWAP_FAULT_EXCLUSIVE))
		ctf_integer(uint8_t, freed, !!(flags & SWAP_FAULT_FREED))
		ctf_integer(uint8_t, lru, !!(flags & SWAP_FAULT_LRU))
		ctf_integer(int32_t, refs, refs)
		ctf_integer(uint8_t, cached, !!(flags & SWAP_FAULT_CACHED))
		ctf_integer(uint8_t, tried, !!(flags & SWAP_FAULT_TRIED))
		ctf_integer(uint8_t, writeback, !!(flags & SWAP_FAULT_WRITEBACK))
		ctf_integer(uint8_t, ksm, !!(flags & SWAP_FAULT_KSM))
		ctf_integer(uint8_t, mlocked, !!(flags & SWAP_FAULT_MLOCKED))
		ctf_integer(uint8_t, swap_full, !!(flags & SWAP_FAULT_SWAP_FULL))
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT_CLASS(swap_device,

	TP_PROTO(unsigned int type, unsigned long nr_slots,
		 unsigned int cluster_size, unsigned long ip),

	TP_ARGS(type, nr_slots, cluster_size, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, nr_slots, nr_slots)
		ctf_integer(uint32_t, cluster_size, cluster_size)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT_INSTANCE(swap_device, swap_device_on,

	TP_PROTO(unsigned int type, unsigned long nr_slots,
		 unsigned int cluster_size, unsigned long ip),

	TP_ARGS(type, nr_slots, cluster_size, ip)
)

LTTNG_TRACEPOINT_EVENT_INSTANCE(swap_device, swap_state_begin,

	TP_PROTO(unsigned int type, unsigned long nr_slots,
		 unsigned int cluster_size, unsigned long ip),

	TP_ARGS(type, nr_slots, cluster_size, ip)
)

LTTNG_TRACEPOINT_EVENT_CLASS(swap_device_type,

	TP_PROTO(unsigned int type, unsigned long ip),

	TP_ARGS(type, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT_INSTANCE(swap_device_type, swap_device_off,

	TP_PROTO(unsigned int type, unsigned long ip),

	TP_ARGS(type, ip)
)

LTTNG_TRACEPOINT_EVENT_INSTANCE(swap_device_type, swap_state_end,

	TP_PROTO(unsigned int type, unsigned long ip),

	TP_ARGS(type, ip)
)

LTTNG_TRACEPOINT_EVENT(swap_state,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 int count, unsigned long pfn, bool pinned, unsigned long ip),

	TP_ARGS(type, offset, nr, count, pfn, pinned, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(int32_t, count, count)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(uint8_t, pinned, pinned)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

/* The dirty bit is read once, for both dirty and verdict. */
LTTNG_TRACEPOINT_EVENT_CODE(swap_lazyfree,

	TP_PROTO(struct folio *folio, int refs, int mapcount, bool discard,
		 unsigned long ip),

	TP_ARGS(folio, refs, mapcount, discard, ip),

	TP_locvar(
		uint8_t dirty;
	),

	TP_code_pre(
		tp_locvar->dirty = !discard && folio_test_dirty(folio);
	),

	TP_FIELDS(
		ctf_integer(uint64_t, pfn, folio_pfn(folio))
		ctf_integer(uint32_t, nr, folio_nr_pages(folio))
		ctf_integer(uint8_t, dirty, tp_locvar->dirty)
		ctf_integer(int32_t, refs, refs)
		ctf_integer(int32_t, mapcount, mapcount)
		ctf_integer(uint8_t, verdict,
			    discard ? SWAP_LAZYFREE_DISCARDED :
			    tp_locvar->dirty ? SWAP_LAZYFREE_REDIRTIED :
			    SWAP_LAZYFREE_REFERENCED)
		ctf_integer_hex(uint64_t, ip, ip)
	),

	TP_code_post()
)

#endif /* LTTNG_TRACE_SWAP_H */

/* This part must be outside protection */
#include <lttng/define_trace.h>
