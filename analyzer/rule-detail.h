/*
 * What a rule family tells the message of its finding, beyond the range,
 * the proving event and the setting-up event every finding has: one struct
 * per family (one rule-*.c file), one member of RuleDetail each.  A check
 * fills the member of its family for the first slot of a run; the family's
 * formatter (slot-check.h) reads the same member.  A new rule family adds a
 * struct here, a member to RuleDetail and a row to findings.c's table.
 */
#ifndef SWAPTRACE_RULE_DETAIL_H
#define SWAPTRACE_RULE_DETAIL_H

#include <stdbool.h>
#include <stdint.h>

/* rule-alloc.c */
typedef enum AllocMisalignment {
	MISALIGNED_NR,	    /* offset % nr != 0 */
	MISALIGNED_CLUSTER, /* the range crosses a swap cluster */
} AllocMisalignment;

typedef struct AllocDetail {
	uint64_t pfn;	       /* the allocating folio */
	AllocMisalignment why; /* alloc_misaligned */
	uint32_t cluster_size; /* alloc_misaligned: from the device_on */
} AllocDetail;

/* rule-count.c */
typedef struct CountDetail {
	uint64_t pfn;	      /* dup/put: 0 for a direct (folio-less) operation */
	int32_t kernel_count; /* count_mismatch: the count the kernel reports */
	int32_t expected;     /* count_mismatch: the reconstructed count after */
	int32_t was;	      /* count_mismatch: the reconstructed count before */
} CountDetail;

/* rule-cache.c */
typedef struct CacheDetail {
	uint64_t pfn;	     /* the folio the event names (PIN_NO_FOLIO: a pin without one) */
	uint64_t cached_pfn; /* the folio caching the slot, 0: none */
	uint64_t new_pfn;    /* cache_move_mismatch: where the binding went */
} CacheDetail;

/* rule-lazyfree.c */
typedef struct LazyfreeDetail {
	uint64_t pfn;	      /* the folio */
	uint32_t folio_nr;    /* its pages at the lazyfree decision */
	int32_t refs;	      /* reference count then */
	int32_t mapcount;     /* map count then */
	int64_t delay_ns;     /* from the decision to the allocation */
	uint64_t decision_ip; /* call site of the decision */
} LazyfreeDetail;

/* rule-free.c */
typedef struct FreeDetail {
	int32_t count;	     /* free_referenced: the references left */
	uint64_t cached_pfn; /* free_cached: the folio still caching it */
} FreeDetail;

/* rule-leak.c */
typedef struct LeakDetail {
	bool at_trace_end; /* proven by the end of the trace, not by an event */
} LeakDetail;

/* retention.c: how an interval ended */
typedef enum RetentionEnd {
	RETENTION_END_EVENT, /* at RetentionDetail.end_seq */
	RETENTION_END_TRACE, /* still retained at the end of the trace */
	RETENTION_END_GAP,   /* cut short by lost events */
} RetentionEnd;

typedef struct RetentionDetail {
	int keep_reason;	    /* KeepReason, or -1 when no write fault kept it */
	uint64_t pfn;		    /* the caching folio */
	int64_t duration_ns;	    /* of the interval */
	uint32_t fill_permille_max; /* the device's highest fill during it */
	RetentionEnd end;
	uint64_t end_seq; /* RETENTION_END_EVENT */
} RetentionDetail;

/* rule-roundtrip.c */
typedef struct RoundTripDetail {
	uint64_t pfn;	  /* the folio */
	int64_t delay_ns; /* from the first fault to the one that freed the cache */
	uint64_t ip;	  /* call site of the first fault */
	int32_t tid;	  /* of the fault that freed the cache */
} RoundTripDetail;

/* rule-race.c */
typedef struct RaceDetail {
	uint64_t pfn;	     /* the losing folio */
	int64_t wait_ns;     /* since the winning insert, -1 if it is not in the trace */
	uint64_t winner_pfn; /* the winning folio, 0 if unknown */
} RaceDetail;

typedef union RuleDetail {
	AllocDetail alloc;
	CountDetail count;
	CacheDetail cache;
	FreeDetail free;
	LeakDetail leak;
	RetentionDetail retention;
	RoundTripDetail roundtrip;
	RaceDetail race;
	LazyfreeDetail lazyfree;
} RuleDetail;

#endif
