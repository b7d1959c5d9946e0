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

/* Event.flags bits, from the events' u8 fields. */
enum {
	/* fault */
	EVENT_F_WRITE = 1u << 0,
	EVENT_F_EXCLUSIVE = 1u << 1,
	EVENT_F_FREED = 1u << 2,
	EVENT_F_LRU = 1u << 3,
	EVENT_F_CACHED = 1u << 4,
	EVENT_F_TRIED = 1u << 5,
	EVENT_F_WRITEBACK = 1u << 6,
	EVENT_F_KSM = 1u << 7,
	EVENT_F_MLOCKED = 1u << 8,
	EVENT_F_SWAP_FULL = 1u << 9,
	/* state */
	EVENT_F_PINNED = 1u << 10,
	/* lazyfree */
	EVENT_F_DIRTY = 1u << 11,
	/*
	 * The event has its schema v1 meaning: a fault without the v2 inputs
	 * (cached, tried, ...: unknown), a state line of a v1 dump (in-use runs
	 * only, and the nr 0 end marker), a device_on of a v1 trace (which a
	 * state dump emitted too: it says nothing about the slots).
	 */
	EVENT_F_V1 = 1u << 15,
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
	uint32_t flags;	       /* EVENT_F_* */
	uint64_t new_pfn;      /* cache_move only */
	uint32_t new_nr;       /* cache_split only */
	int32_t mapcount;      /* lazyfree only */
	uint32_t verdict;      /* lazyfree only: LazyfreeVerdict */
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
