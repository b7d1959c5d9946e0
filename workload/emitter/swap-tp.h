/*
 * LTTng-UST provider `swap`: the userspace twin of the kernel's swap slot
 * tracepoints (event schema v2, schema/event-schema.c, and the kernel's
 * include/trace/events/swap.h in kernel/patches/linux-6.1/0001-*.patch).
 * Names, field order and integer widths follow that table exactly, so the
 * replayer sees one event model whichever producer recorded the trace;
 * tests/ust/ checks the recorded field classes against the table.  Events
 * of the same shape share a class, as the kernel's do (entry_alloc and
 * cache_del; device_on and state_begin; device_off and state_end).
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER swap

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./swap-tp.h"

#if !defined(SWAP_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SWAP_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

#ifndef SWAP_TP_FAULT_DEFINED
#define SWAP_TP_FAULT_DEFINED
/*
 * The fault's booleans and reference count, passed by pointer as the
 * kernel passes them as SWAP_FAULT_* flags: a tracepoint takes at most 10
 * arguments.
 */
struct swap_tp_fault {
	uint8_t write, exclusive, freed, lru;
	int32_t refs;
	uint8_t cached, tried, writeback, ksm, mlocked, swap_full;
};
#endif

/* The tracepoint DSL is laid out as the kernel's TRACE_EVENT()s, not as C. */
/* clang-format off */

/*
 * A folio and its slot range: entry_alloc (folio_alloc_swap(), slots bound
 * to folio pfn with count 0) and cache_del (folio pfn no longer caches the
 * slots) share this shape, as the kernel's event class does.
 */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(swap, folio_range,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(swap, folio_range, swap, entry_alloc,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint64_t, ip))

/* entry_dup: count +1; pfn 0 for a direct (fork) dup; count = after */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_dup,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  int32_t, count, int32_t, ret, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(int32_t, count, count)
		lttng_ust_field_integer(int32_t, ret, ret)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* entry_put: count -1; pfn 0 for a direct (zap) put; count = after */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_put,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  int32_t, count, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(int32_t, count, count)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* entry_free: slots returned to the allocator */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_free,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* cache_add: swap-in binds folio pfn; ret 0, -EEXIST, -ENOENT, -ENOMEM */
LTTNG_UST_TRACEPOINT_EVENT(swap, cache_add,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  int32_t, ret, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(int32_t, ret, ret)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(swap, folio_range, swap, cache_del,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint64_t, ip))

/*
 * fault: end of do_swap_page(): write, exclusive (RMAP_EXCLUSIVE), freed,
 * and the inputs of should_try_to_free_swap() / folio_free_swap()
 */
LTTNG_UST_TRACEPOINT_EVENT(swap, fault,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  const struct swap_tp_fault *, f, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(uint8_t, write, f->write)
		lttng_ust_field_integer(uint8_t, exclusive, f->exclusive)
		lttng_ust_field_integer(uint8_t, freed, f->freed)
		lttng_ust_field_integer(uint8_t, lru, f->lru)
		lttng_ust_field_integer(int32_t, refs, f->refs)
		lttng_ust_field_integer(uint8_t, cached, f->cached)
		lttng_ust_field_integer(uint8_t, tried, f->tried)
		lttng_ust_field_integer(uint8_t, writeback, f->writeback)
		lttng_ust_field_integer(uint8_t, ksm, f->ksm)
		lttng_ust_field_integer(uint8_t, mlocked, f->mlocked)
		lttng_ust_field_integer(uint8_t, swap_full, f->swap_full)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/*
 * Device geometry: device_on (swapon(): every slot of the device is free)
 * and state_begin (a state dump of a device in use starts; state runs for
 * every slot follow, then state_end).
 */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(swap, device,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, nr_slots, uint32_t, cluster_size,
			  uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, nr_slots, nr_slots)
		lttng_ust_field_integer(uint32_t, cluster_size, cluster_size)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(swap, device, swap, device_on,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, nr_slots, uint32_t, cluster_size,
			  uint64_t, ip))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(swap, device, swap, state_begin,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, nr_slots, uint32_t, cluster_size,
			  uint64_t, ip))

/* A device alone: device_off (swapoff()) and state_end (the dump is complete). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(swap, device_type,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(swap, device_type, swap, device_off,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, ip))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(swap, device_type, swap, state_end,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, ip))

/*
 * state: state dump, one run of slots in the same state, never crossing a
 * cluster; count 0, pfn 0, pinned 0 is a run of free slots; pinned with
 * pfn 0: the pin is held by a folio not in the swap cache
 */
LTTNG_UST_TRACEPOINT_EVENT(swap, state,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, int32_t, count,
			  uint64_t, pfn, uint8_t, pinned, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer(int32_t, count, count)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(uint8_t, pinned, pinned)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/*
 * cache_move: the cache pin passes from folio pfn to folio new_pfn without
 * being dropped (migration; pfn 0: a synchronous swap-in's pin taken
 * before its folio existed)
 */
LTTNG_UST_TRACEPOINT_EVENT(swap, cache_move,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint64_t, new_pfn, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer_hex(uint64_t, new_pfn, new_pfn)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/*
 * cache_split: the large folio pfn caching the slots was split into folios
 * of new_nr pages; slot offset + i is cached by pfn + i - i % new_nr
 */
LTTNG_UST_TRACEPOINT_EVENT(swap, cache_split,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint32_t, new_nr, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(uint32_t, new_nr, new_nr)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/*
 * lazyfree: reclaim decided about a lazyfree (MADV_FREE) folio; verdict
 * 0 discarded, 1 redirtied, 2 referenced (LazyfreeVerdict)
 */
LTTNG_UST_TRACEPOINT_EVENT(swap, lazyfree,
	LTTNG_UST_TP_ARGS(uint64_t, pfn, uint32_t, nr, uint8_t, dirty, int32_t, refs,
			  int32_t, mapcount, uint8_t, verdict, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer(uint8_t, dirty, dirty)
		lttng_ust_field_integer(int32_t, refs, refs)
		lttng_ust_field_integer(int32_t, mapcount, mapcount)
		lttng_ust_field_integer(uint8_t, verdict, verdict)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)
/* clang-format on */

#endif /* SWAP_TP_H */

#include <lttng/tracepoint-event.h>
