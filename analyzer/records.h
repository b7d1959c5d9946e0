/*
 * What the analyzer reports while it replays: the records of DESIGN.md §7,
 * handed to a ReplayOutput (store/db-writer.c, or `swaptrace check`'s
 * printer in cli/cmd-check.c).  Records are passed by const pointer and
 * only valid during the call: the receiver copies what it keeps.
 *
 * The contract between analyzer/ (producer) and its consumers: add
 * fields, never rename or remove them.
 */
#ifndef SWAPTRACE_RECORDS_H
#define SWAPTRACE_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "db-names.h"
#include "event.h"
#include "rules.h"

/* Who an event was: call site, thread and command, as the trace recorded them. */
typedef struct Who {
	uint64_t ip;	      /* 0 if unknown */
	int32_t tid;	      /* EVENT_TID_UNKNOWN if not recorded */
	const char *procname; /* NULL if not recorded */
} Who;

typedef struct Finding {
	Rule rule;
	uint32_t type;
	uint64_t offset;
	uint32_t nr;
	uint64_t seq; /* the event that proves it */
	int64_t ts_ns;
	uint64_t setup_seq;  /* the event that set up the contradicted state, or SEQ_NONE */
	const char *message; /* one line a kernel developer understands; valid during the call */
	Who who;	     /* of the event that proves it; zeroed for the end of the trace */
} Finding;

/* One row per slot per alloc -> free (or alloc -> trace end). */
typedef struct Lifetime {
	uint32_t type;
	uint64_t offset;
	uint64_t alloc_seq; /* SEQ_NONE: already allocated when first seen */
	int64_t alloc_ts_ns;
	uint64_t free_seq; /* SEQ_NONE: still allocated at trace end; an alloc: re-allocated
			      without a free in the trace (alloc_in_use, or lost events) */
	int64_t free_ts_ns;
	int32_t max_count;
	uint32_t swapins;	/* successful cache adds */
	int64_t cached_zero_ns; /* time cached with count 0 */
} Lifetime;

/* A period during which a slot was cached with count 0. */
typedef struct Retention {
	uint32_t type;
	uint64_t offset;
	uint64_t pfn;
	uint64_t start_seq;
	int64_t start_ts_ns;
	uint64_t end_seq;  /* SEQ_NONE: still retained at trace end */
	int64_t end_ts_ns; /* trace end when still open */
	bool written;	   /* write fault or exclusive reuse during it */
	uint32_t fill_permille_start;
	uint32_t fill_permille_max;
	uint64_t start_ip;
	uint64_t end_ip; /* 0 when still open */
	int32_t tid;	 /* of the event that started it */
	const char *procname;
	RetentionVerdict verdict;
	/*
	 * Cut short by a gap (lost events): end_seq is SEQ_NONE and end_ts_ns
	 * the start of the gap, the last moment the interval is proven.
	 */
	bool truncated;
	/*
	 * Why a write fault kept the folio cached: the one that wrote it in
	 * place, or the first write fault that kept it during the interval;
	 * _KEEP_REASON_INVALID when no write fault did (lazy retention).
	 */
	KeepReason keep_reason;
} Retention;

/* A -EEXIST swap-in cache add and the insert that beat it. */
typedef struct Race {
	uint32_t type;
	uint64_t offset;
	uint64_t seq; /* the -EEXIST cache_add */
	int64_t ts_ns;
	uint64_t winner_seq; /* the successful add it lost to, SEQ_NONE if unseen */
	/*
	 * How long the winner had held the slot when this attempt bounced:
	 * ts of this -EEXIST add minus ts of the winning insert (the event that
	 * bound the cache now in effect).  A loser that sleeps a tick and
	 * retries leaves a series of races on one slot whose wait_ns grow by
	 * one tick each; the last one is (about) the whole wait.  -1 when
	 * winner_seq is SEQ_NONE.
	 */
	int64_t wait_ns;
	int32_t tid;
	uint32_t nr;  /* slots in the add's range, from offset */
	uint64_t pfn; /* the losing folio */
} Race;

/* A write fault that kept the cache, whose cache a later fault freed. */
typedef struct RoundTrip {
	uint32_t type;
	uint64_t offset;
	uint64_t pfn;
	uint64_t fault_seq;
	uint64_t free_seq; /* the later fault that freed the cache */
	int64_t delay_ns;
	uint64_t ip; /* call site of the first fault */
	uint32_t nr; /* slots of the folio's range with this round trip, from offset */
	int32_t tid; /* of the fault that freed the cache */
} RoundTrip;

typedef struct ReplayOutput {
	void *user;
	void (*finding)(void *user, const Finding *f);
	void (*lifetime)(void *user, const Lifetime *l);
	void (*retention)(void *user, const Retention *r);
	void (*race)(void *user, const Race *r);
	void (*roundtrip)(void *user, const RoundTrip *rt);
} ReplayOutput;

#endif
