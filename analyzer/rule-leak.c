/*
 * slot_leak: a slot left allocated with count 0 and no cache is never
 * freed.  The kernel frees such a slot in the operation that left it so (the
 * last put of an uncached slot, the cache del of a slot with count 0), so
 * the slot's next state-changing event must be its free; any other one, or
 * the end of the trace (more than AnalyzerOptions.leak_end_grace_ns after
 * it, since recording may stop between the two), proves the leak.
 *
 * Only successful operations other than a swap-in add prove it: on 6.1 the free happens in
 * free_swap_slot() after the cluster lock is dropped, so a racing swap-in
 * (cache add -ENOENT) or fork (dup failing) may legally come between the put
 * and the free; fault events and state dumps describe, they do not operate.
 *
 * Unverifiable: when the event leaves the count 0 (or the cache empty) but
 * the slot's allocated state, count or cache binding is unknown; a gap
 * before the free cancels the check (the free may be among the lost
 * events).
 */
#include <errno.h>
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

static bool proves(const Event *ev)
{
	switch (ev->kind) {
	case EVENT_ENTRY_ALLOC:
	case EVENT_ENTRY_PUT:
	case EVENT_CACHE_DEL:
		return true;
	case EVENT_ENTRY_DUP:
		return ev->ret == 0;
	default:
		return false;
	}
}

void rule_leak_check(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	const SlotRare *x;

	if (!(s->flags & SLOT_LEAK_PENDING))
		return;
	if (ev->kind == EVENT_ENTRY_FREE) {
		s->flags &= ~SLOT_LEAK_PENDING;
		return;
	}
	/*
	 * A successful swap-in add re-binds the slot, so it is no longer
	 * count 0 and uncached; adding with count 0 is cache_add_zero_count's.
	 */
	if (ev->kind == EVENT_CACHE_ADD && ev->ret == 0) {
		s->flags &= ~SLOT_LEAK_PENDING;
		return;
	}
	if (!proves(ev))
		return;
	s->flags &= ~SLOT_LEAK_PENDING;
	x = slot_rare(ref);
	check_hit(a, RULE_SLOT_LEAK, ev->type, ref->offset, ev->seq, ev->ts_ns, ev->kind,
		  &(const Who){ .ip = ev->ip, .tid = ev->tid, .procname = ev->procname },
		  x->leak_seq, (EventKind)x->leak_kind, true,
		  &(RuleDetail){ .leak = { .at_trace_end = false } });
	/*
	 * The kernel evidently does not consider the slot free-pending: forget
	 * that it is allocated, so the event that proved the leak (a re-alloc
	 * of the "free" slot, say) does not add alloc_in_use to it.
	 */
	s->flags &= ~SLOT_ALLOC_KNOWN;
}

void rule_leak_arm(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	bool count_zero, uncached;
	SlotRare *x;

	if (ev->kind != EVENT_ENTRY_PUT && ev->kind != EVENT_CACHE_DEL)
		return;
	count_zero = slot_count_known(s) && s->count == 0;
	uncached = slot_cache_known(s) && s->cache_pfn == 0;
	/* Something is still holding the slot: no free is due. */
	if ((slot_count_known(s) && s->count > 0) || (slot_cache_known(s) && s->cache_pfn))
		return;
	if (slot_alloc_known(s) && !slot_allocated(s))
		return;
	if (!count_zero || !uncached || !slot_alloc_known(s)) {
		check_unverified(a, RULE_SLOT_LEAK);
		return;
	}
	x = slot_rare(ref);
	s->flags |= SLOT_LEAK_PENDING;
	x->leak_seq = ev->seq;
	x->leak_ts_ns = ev->ts_ns;
	x->leak_kind = (uint8_t)ev->kind;
}

void rule_leak_finish(Analyzer *a, const SlotRef *ref, int64_t end_ts_ns)
{
	Slot *s = ref->s;
	const SlotRare *x;

	if (!(s->flags & SLOT_LEAK_PENDING))
		return;
	s->flags &= ~SLOT_LEAK_PENDING;
	x = slot_rare(ref);
	/* Recording may have stopped between the put and its free. */
	if (end_ts_ns - x->leak_ts_ns <= a->opts.leak_end_grace_ns) {
		check_unverified(a, RULE_SLOT_LEAK);
		return;
	}
	/* Nothing later proves it but the end: the setting-up event stands for both. */
	check_hit(a, RULE_SLOT_LEAK, ref->dev->type, ref->offset, x->leak_seq, x->leak_ts_ns,
		  (EventKind)x->leak_kind, NULL, x->leak_seq, (EventKind)x->leak_kind, true,
		  &(RuleDetail){ .leak = { .at_trace_end = true } });
}

void rule_leak_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	g_assert(rule == RULE_SLOT_LEAK);
	if (r->detail.leak.at_trace_end)
		g_string_append_printf(out,
				       "%s left allocated with count 0 and no cache at %s, never "
				       "freed by the end of the trace",
				       range, setup);
	else
		g_string_append_printf(
			out,
			"%s left allocated with count 0 and no cache at %s, not freed "
			"before its next operation (seq %" PRIu64 ", %s)",
			range, setup, r->seq, event_kind_name((EventKind)r->kind));
}
