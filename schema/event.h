/*
 * What crosses from trace reading to state keeping: the normalized Event
 * (replay/normalize.c makes it from a babeltrace2 event) and the Gap (a
 * babeltrace2 discarded-events or discarded-packets message,
 * replay/trace-reader.c).  The analyzer is fed nothing else, so it never
 * sees babeltrace2 types; the reader never sees slot state.  Both sides
 * depend on this header, neither on the other.
 */
#ifndef SWAPTRACE_EVENT_H
#define SWAPTRACE_EVENT_H

#include <errno.h>
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

/* A seq that names no event ("no setting-up event", "still open"). */
#define SEQ_NONE UINT64_MAX

/*
 * Bounds of what an event can name, which the reader enforces (a trace
 * naming more is corrupt: an error, not hours of per-slot work) and the
 * analyzer relies on.  A kernel event names the slots of one large folio
 * inside one swap cluster (at most 8192, arm64 with 64 KiB pages); a state
 * dump's run, one cluster on the kernel, a whole device's worth of equal
 * slots from a userspace producer.  Swap device types are below
 * MAX_SWAPFILES, 1 << MAX_SWAPFILES_SHIFT (5) in every kernel.
 */
#define EVENT_NR_MAX (1u << 20)
#define EVENT_TYPE_MAX 32u

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

typedef enum GapKind {
	GAP_DISCARDED_EVENTS,
	GAP_DISCARDED_PACKETS,
	_GAP_KIND_MAX,
	_GAP_KIND_INVALID = -EINVAL,
} GapKind;

/* Events lost by the tracer on one stream. */
typedef struct Gap {
	GapKind kind;
	const char
		*stream; /* stable stream name (trace name + stream file), never an absolute path */
	uint64_t stream_id;
	int64_t begin_ts_ns; /* INT64_MIN when the trace does not say */
	int64_t end_ts_ns;
	uint64_t count;	    /* events or packets lost; 0 when the trace does not say */
	uint64_t after_seq; /* last event seq replayed before the gap, SEQ_NONE if none */
} Gap;

#endif
