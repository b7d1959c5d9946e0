/*
 * The normalized event: the only type that crosses from trace reading
 * (trace-reader.c, normalize.c) to state keeping (slot-table.c, analyzer/).
 * The state machine never sees babeltrace2 types; the reader never sees
 * slot state.
 */
#ifndef SWAPTRACE_EVENT_H
#define SWAPTRACE_EVENT_H

#include <stdint.h>

#include "event-schema.h"

/* Event.flags bits, from the fault event's u8 fields. */
enum {
	EVENT_F_WRITE = 1u << 0,
	EVENT_F_EXCLUSIVE = 1u << 1,
	EVENT_F_FREED = 1u << 2,
	EVENT_F_LRU = 1u << 3,
};

#define EVENT_TID_UNKNOWN (-1)

typedef struct Event {
	uint64_t seq;	   /* 0-based position in muxer order: the event's identity */
	int64_t ts_ns;	   /* ns from the trace clock's origin */
	uint64_t offset;   /* first slot */
	uint64_t pfn;	   /* 0: direct / none */
	uint64_t ip;	   /* caller address, 0 if unknown */
	uint64_t nr_slots; /* device_on only */
	const char
		*procname; /* interned by the reader, lives as long as it; NULL if not recorded */
	EventKind kind;
	uint32_t type;	       /* swap device */
	uint32_t nr;	       /* slots in the range, >= 1 for slot events */
	uint32_t cluster_size; /* device_on only */
	int32_t count;	       /* kernel's count after (dup/put/state) */
	int32_t ret;	       /* dup, cache_add */
	int32_t refs;	       /* fault only */
	int32_t tid;	       /* EVENT_TID_UNKNOWN if not recorded */
	uint32_t cpu;	       /* from the stream's packet context; UINT32_MAX if unknown */
	uint32_t flags;	       /* EVENT_F_* (fault only) */
} Event;

#endif
