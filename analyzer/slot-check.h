/*
 * Private to analyzer/: the Analyzer, and the interface between the state
 * machine (analyzer.c) and the rule families (rule-*.c, retention.c).
 *
 * Each check looks at one slot of the event being applied, before the state
 * machine updates it.  A check that needs a fact the replayer does not know
 * calls check_unverified() and does not fire (DESIGN §5); one that fires
 * calls check_hit(), which merges the contiguous slots of one event into one
 * finding, and returns true so that the state machine can stop checking that
 * slot (one error per slot and event: the first broken rule explains the
 * rest) and forget the contradicted facts (no cascades of findings from one
 * violation).
 */
#ifndef SWAPTRACE_SLOT_CHECK_H
#define SWAPTRACE_SLOT_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer.h"
#include "rule-detail.h"
#include "slot-table.h"

/* A finding being built: contiguous offending slots of one proving event. */
typedef struct Run {
	bool open;
	uint32_t type;
	uint64_t offset;
	uint32_t nr;
	uint64_t seq; /* proving event */
	int64_t ts_ns;
	Who who;	    /* of the proving event */
	uint8_t kind;	    /* EventKind of the proving event */
	uint8_t setup_kind; /* EventKind of setup_seq */
	uint64_t setup_seq;
	RuleDetail detail; /* of the run's first slot, for the message */
} Run;

struct Analyzer {
	AnalyzerOptions opts;
	ReplayOutput out;
	SlotTable table;
	Run runs[_RULE_MAX];
	uint64_t findings[_RULE_MAX];
	uint64_t unverified[_RULE_MAX];
	int64_t retention_ns[_RETENTION_VERDICT_MAX];
	uint64_t retention_count[_RETENTION_VERDICT_MAX];
	/* Write swap-in faults, and those that kept the cache, by reason (keep-reason.c). */
	uint64_t write_faults;
	uint64_t kept_faults[_KEEP_REASON_MAX];
	uint64_t kept_in_place[_KEEP_REASON_MAX];
	/* Lazyfree folios made swap-backed by a reference, by pfn (rule-lazyfree.c). */
	GHashTable *lazyfree;
	uint32_t unverified_mask; /* rules skipped for the event being applied */
	uint32_t open_runs;	  /* rules with an open Run: flushing stays O(findings) */
	/*
	 * Events at or before this time may sit inside a window where a stream
	 * lost events (a gap's [begin, end]): they teach nothing, since a lost
	 * event of the same slot may lie between them and now.
	 */
	int64_t distrust_until_ns;
	bool trust; /* the event being applied establishes facts */
	bool finished;
	GString *message; /* scratch for the message of the finding being flushed */
	int64_t last_ts_ns;
	uint64_t last_seq;
};

G_STATIC_ASSERT(_RULE_MAX <= 32);

/* A rule could not be checked for want of a fact. */
static inline void check_unverified(Analyzer *a, Rule r)
{
	a->unverified_mask |= 1u << r;
}

/*
 * Slot `offset` breaks rule r at event (seq, ts, kind); the state it
 * contradicts was set up by setup_seq (SEQ_NONE if none).  detail: what
 * the message of r's family needs, kept from the run's first slot.
 * `strict` merges only slots sharing the setup event (retention, leaks at
 * trace end).
 */
void check_hit(Analyzer *a, Rule r, uint32_t type, uint64_t offset, uint64_t seq, int64_t ts_ns,
	       EventKind kind, const Who *who, uint64_t setup_seq, EventKind setup_kind,
	       bool strict, const RuleDetail *detail);
/* Emit every open run as a finding (end of an event, end of the trace). */
void check_flush(Analyzer *a);
/* Count the rules check_unverified() named during the event just applied. */
void check_count_unverified(Analyzer *a);

/*
 * The cache binding of a pin taken before its folio exists (6.1's
 * synchronous swap-in: cache_add with pfn 0, then cache_move 0 -> pfn, or
 * cache_del with pfn 0 if no folio came): not "no binding", and no pfn.
 */
#define PIN_NO_FOLIO UINT64_MAX

/* The binding an add, del or move names: pfn 0 is a pin without a folio. */
static inline uint64_t pin_pfn(uint64_t pfn)
{
	return pfn ? pfn : PIN_NO_FOLIO;
}

/* A v2 state dump line of free slots (count 0, no folio, no pin). */
static inline bool state_is_free(const Event *ev)
{
	return ev->kind == EVENT_STATE && !(ev->flags & (EVENT_F_V1 | EVENT_F_PINNED)) &&
	       ev->count == 0 && ev->pfn == 0;
}

/* Who an event was: its call site, thread and command. */
static inline Who event_who(const Event *ev)
{
	return (Who){ .ip = ev->ip, .tid = ev->tid, .procname = ev->procname };
}

/* Shorthand for a hit proved by event ev. */
static inline void check_hit_ev(Analyzer *a, Rule r, const Event *ev, uint64_t offset,
				uint64_t setup_seq, uint8_t setup_kind, const RuleDetail *detail)
{
	const Who who = event_who(ev);

	check_hit(a, r, ev->type, offset, ev->seq, ev->ts_ns, ev->kind, &who, setup_seq,
		  (EventKind)setup_kind, false, detail);
}

/* Fact helpers. */
static inline bool slot_alloc_known(const Slot *s)
{
	return s->flags & SLOT_ALLOC_KNOWN;
}
static inline bool slot_count_known(const Slot *s)
{
	return s->flags & SLOT_COUNT_KNOWN;
}
static inline bool slot_cache_known(const Slot *s)
{
	return s->flags & SLOT_CACHE_KNOWN;
}
static inline bool slot_allocated(const Slot *s)
{
	return s->flags & SLOT_ALLOCATED;
}

/* "slot 0:4711" or "slots 0:4704-4719" */
void format_range(GString *out, uint32_t type, uint64_t offset, uint32_t nr);
/* "seq 812 (entry_put)" */
void format_setup(GString *out, uint64_t seq, uint8_t kind);

/*
 * Message formatters, one per rule family file: append the one-line
 * message of a finding built from run r of rule `rule` to out.
 */
typedef void (*RuleFormat)(Rule rule, const Run *r, const char *range, const char *setup,
			   GString *out);
void rule_alloc_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);
void rule_count_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);
void rule_cache_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);
void rule_free_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);
void rule_leak_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);
void rule_roundtrip_format(Rule rule, const Run *r, const char *range, const char *setup,
			   GString *out);
void rule_race_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);
void retention_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out);

/*
 * The checks, one rule family per file.  Each looks at one slot of the
 * event being applied, before the state machine updates it, and returns
 * whether its rule fired on the slot.
 */

/* device-state.c: what swapon and a state dump say about the slots not seen since. */
void device_on_apply(Analyzer *a, const Event *ev);
void device_state_begin(Analyzer *a, const Event *ev);
/* A v2 swap_state line of device d, after it is applied. */
void device_state_line(Device *d, const Event *ev);
void device_state_end(Analyzer *a, const Event *ev);
/* A v1 dump's end marker (a v1 swap_state with nr 0). */
void device_v1_dump_end(Analyzer *a, const Event *ev);

/* rule-alloc.c */
void rule_alloc_misaligned(Analyzer *a, const Event *ev, const Device *d);
bool rule_alloc_in_use(Analyzer *a, const Event *ev, const SlotRef *ref);

/* rule-count.c */
bool rule_dup_unallocated(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_put_unallocated(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_put_underflow(Analyzer *a, const Event *ev, const SlotRef *ref);
/* Compares the kernel's count after ev with `expect` (valid if expect_known). */
bool rule_count_mismatch(Analyzer *a, const Event *ev, const SlotRef *ref, bool expect_known,
			 int32_t expect);

/* rule-cache.c */
bool rule_dup_uncached(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_put_uncached(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_cache_add_occupied(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_cache_add_zero_count(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_cache_del_mismatch(Analyzer *a, const Event *ev, const SlotRef *ref);

/* rule-free.c */
bool rule_free_unallocated(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_free_referenced(Analyzer *a, const Event *ev, const SlotRef *ref);
bool rule_free_cached(Analyzer *a, const Event *ev, const SlotRef *ref);

/* rule-leak.c */
/* Before ev changes the slot: a pending leak is proven unless ev frees it. */
void rule_leak_check(Analyzer *a, const Event *ev, const SlotRef *ref);
/* After ev changed the slot: arm the leak check if it must be freed next. */
void rule_leak_arm(Analyzer *a, const Event *ev, const SlotRef *ref);
/* End of trace at end_ts_ns: a pending leak is proven, unless it is too recent. */
void rule_leak_finish(Analyzer *a, const SlotRef *ref, int64_t end_ts_ns);

/* rule-roundtrip.c: a fault event on one slot. */
void rule_roundtrip_fault(Analyzer *a, const Event *ev, const SlotRef *ref);
/* A new folio binds the slot: a pending round trip of another folio is void. */
void rule_roundtrip_rebind(const SlotRef *ref, uint64_t pfn);

/* rule-cache.c: a cache move or split names a folio that does not cache the slot. */
bool rule_cache_move_mismatch(Analyzer *a, const Event *ev, const SlotRef *ref);

/* keep-reason.c: why a write fault that did not free the cache kept it. */
KeepReason keep_reason(const Event *ev, const Slot *s);
void keep_reason_count(Analyzer *a, KeepReason reason, bool in_place);

/* rule-lazyfree.c: a lazyfree decision, and an alloc that may follow one. */
void rule_lazyfree_decision(Analyzer *a, const Event *ev);
void rule_lazyfree_alloc(Analyzer *a, const Event *ev);
/* The pfn now holds another folio: a decision about the old one no longer waits. */
void rule_lazyfree_forget(Analyzer *a, uint64_t pfn);
void rule_lazyfree_format(Rule rule, const Run *r, const char *range, const char *setup,
			  GString *out);

/* rule-race.c: a -EEXIST cache add (the whole event); first: its first slot. */
void rule_race(Analyzer *a, const Event *ev, const SlotRef *first);

#include "retention.h"

/* lifetime.c: the Lifetime record of a slot (SLOT_LIFE_OPEN, SlotLife). */
void lifetime_open(const SlotRef *ref, uint64_t alloc_seq, int64_t ts_ns);
/* A slot seen in use without its alloc: its lifetime started before the trace. */
void lifetime_ensure(const SlotRef *ref, const Event *ev);
/* Closes the open lifetime, if any, at (free_seq, free_ts_ns) and reports it. */
void lifetime_close(Analyzer *a, const SlotRef *ref, uint64_t free_seq, int64_t free_ts_ns);
/* What the open lifetime, if any, keeps: the highest count, swap-ins, cached-zero time. */
void lifetime_note_count(const SlotRef *ref, int32_t count);
void lifetime_note_swapin(const SlotRef *ref);
void lifetime_note_cached_zero(const SlotRef *ref, int64_t duration_ns);
/* sum + duration, at most INT64_MAX. */
int64_t add_saturating(int64_t sum, int64_t duration);

#endif
