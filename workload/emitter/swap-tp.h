/*
 * LTTng-UST provider `swap`: the userspace twin of the kernel's swap slot
 * tracepoints (event schema v1, schema/event-schema.c).  Names, field order
 * and integer widths follow that table exactly, so the replayer sees one
 * event model whichever producer recorded the trace; tests/ust/ checks the
 * recorded field classes against the table.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER swap

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./swap-tp.h"

#if !defined(SWAP_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SWAP_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

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

/* fault: end of do_swap_page(), with the inputs of the free decision */
LTTNG_UST_TRACEPOINT_EVENT(swap, fault,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint8_t, write, uint8_t, exclusive, uint8_t, freed, uint8_t, lru,
			  int32_t, refs, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(uint8_t, write, write)
		lttng_ust_field_integer(uint8_t, exclusive, exclusive)
		lttng_ust_field_integer(uint8_t, freed, freed)
		lttng_ust_field_integer(uint8_t, lru, lru)
		lttng_ust_field_integer(int32_t, refs, refs)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* device_on: swapon(), also replayed first by the state dump */
LTTNG_UST_TRACEPOINT_EVENT(swap, device_on,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, nr_slots, uint32_t, cluster_size,
			  uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, nr_slots, nr_slots)
		lttng_ust_field_integer(uint32_t, cluster_size, cluster_size)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* device_off: swapoff() */
LTTNG_UST_TRACEPOINT_EVENT(swap, device_off,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* state: one run of in-use slots with equal count and caching folio */
LTTNG_UST_TRACEPOINT_EVENT(swap, state,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, int32_t, count,
			  uint64_t, pfn, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer(int32_t, count, count)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)
/* clang-format on */

#endif /* SWAP_TP_H */

#include <lttng/tracepoint-event.h>
