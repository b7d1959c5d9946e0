/*
 * TEST-ONLY LTTng-UST provider `swap` whose events break event schema v1
 * (schema/event-schema.c) on purpose, so tests/bad-input/test-schema.sh can
 * record real traces that `swaptrace replay` must refuse.  Never linked
 * with the real provider (workload/emitter/swap-tp.h): one process, one
 * provider of a name.  device_on is the correct one, every other event here
 * has exactly one breach:
 *
 *   entry_dup    count is uint32_t (schema: s32)      signedness
 *   entry_put    type is int32_t (schema: u32)        signedness
 *   entry_free   offset is uint32_t (schema: u64)     width
 *   entry_alloc  no pfn field                         missing field
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER swap

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./bad-schema-tp.h"

#if !defined(BAD_SCHEMA_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define BAD_SCHEMA_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

/* The tracepoint DSL, laid out as workload/emitter/swap-tp.h. */
/* clang-format off */
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

/* breach: count is unsigned */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_dup,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  uint32_t, count, int32_t, ret, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(uint32_t, count, count)
		lttng_ust_field_integer(int32_t, ret, ret)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* breach: type is signed */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_put,
	LTTNG_UST_TP_ARGS(int32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, pfn,
			  int32_t, count, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, pfn, pfn)
		lttng_ust_field_integer(int32_t, count, count)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* breach: offset is 32 bits wide */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_free,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint32_t, offset, uint32_t, nr, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint32_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)

/* breach: no pfn */
LTTNG_UST_TRACEPOINT_EVENT(swap, entry_alloc,
	LTTNG_UST_TP_ARGS(uint32_t, type, uint64_t, offset, uint32_t, nr, uint64_t, ip),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, type, type)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(uint32_t, nr, nr)
		lttng_ust_field_integer_hex(uint64_t, ip, ip)
	)
)
/* clang-format on */

#endif /* BAD_SCHEMA_TP_H */

#include <lttng/tracepoint-event.h>
