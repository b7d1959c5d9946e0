/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LTTng copy of the kernel's include/trace/events/swap.h (swaptrace event
 * schema v1, kernel/patches/linux-6.1).  lttng-probe-swap.c includes the
 * kernel header first, so a prototype that drifts from it fails to build.
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

LTTNG_TRACEPOINT_EVENT(swap_fault,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 unsigned long pfn, bool write, bool exclusive, bool freed,
		 bool lru, int refs, unsigned long ip),

	TP_ARGS(type, offset, nr, pfn, write, exclusive, freed, lru, refs, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer(uint8_t, write, write)
		ctf_integer(uint8_t, exclusive, exclusive)
		ctf_integer(uint8_t, freed, freed)
		ctf_integer(uint8_t, lru, lru)
		ctf_integer(int32_t, refs, refs)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_device_on,

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

LTTNG_TRACEPOINT_EVENT(swap_device_off,

	TP_PROTO(unsigned int type, unsigned long ip),

	TP_ARGS(type, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_TRACEPOINT_EVENT(swap_state,

	TP_PROTO(unsigned int type, unsigned long offset, unsigned int nr,
		 int count, unsigned long pfn, unsigned long ip),

	TP_ARGS(type, offset, nr, count, pfn, ip),

	TP_FIELDS(
		ctf_integer(uint32_t, type, type)
		ctf_integer(uint64_t, offset, offset)
		ctf_integer(uint32_t, nr, nr)
		ctf_integer(int32_t, count, count)
		ctf_integer(uint64_t, pfn, pfn)
		ctf_integer_hex(uint64_t, ip, ip)
	)
)

#endif /* LTTNG_TRACE_SWAP_H */

/* This part must be outside protection */
#include <lttng/define_trace.h>
