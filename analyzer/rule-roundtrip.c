/*
 * wp_roundtrip: a write swap-in fault keeps the folio in the swap cache
 * (freed = 0), and a later fault on the same folio frees it.  The first
 * fault should have freed the now-stale cache; the second one is the
 * write-protect fault the folio took because it was left mapped read-only
 * with the cache still holding it: the 2026 regression in which write
 * swap-in faults stopped freeing the swap cache.  Info, with a RoundTrip
 * record (delay, call site of the first fault) per contiguous run of slots.
 *
 * Unverifiable: when the slot's cache binding is unknown at the first fault,
 * since the faulting folio is then not proven to be the swap-cache folio.
 *
 * The freeing fault may be traced before or after its cache del (the kernel
 * emits the del inside folio_free_swap() and the fault event at the end of
 * do_swap_page(), the emitter may differ), so the pending first fault is
 * matched by folio, not by the current binding, and only a new binding of
 * the slot cancels it.
 */
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

void rule_roundtrip_fault(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	bool write = ev->flags & EVENT_F_WRITE;
	bool freed = ev->flags & EVENT_F_FREED;
	Slot *s = ref->s;
	SlotRare *x;

	if ((s->flags & SLOT_WP_PENDING) && slot_rare(ref)->wp_pfn == ev->pfn) {
		if (!freed)
			return; /* the first fault that kept the cache is the one to report */
		s->flags &= ~SLOT_WP_PENDING;
		x = slot_rare(ref);
		check_hit(a, RULE_WP_ROUNDTRIP, ev->type, ref->offset, ev->seq, ev->ts_ns, ev->kind,
			  &(const Who){ .ip = ev->ip, .tid = ev->tid, .procname = ev->procname },
			  x->wp_seq, EVENT_FAULT, true,
			  &(RuleDetail){ .roundtrip = { .pfn = ev->pfn,
							.delay_ns = ev->ts_ns - x->wp_ts_ns,
							.ip = x->wp_ip,
							.tid = ev->tid } });
		return;
	}
	if (!write || freed)
		return;
	if (!slot_cache_known(s)) {
		check_unverified(a, RULE_WP_ROUNDTRIP);
		return;
	}
	if (s->cache_pfn != ev->pfn)
		return;
	x = slot_rare(ref);
	s->flags |= SLOT_WP_PENDING;
	x->wp_seq = ev->seq;
	x->wp_ts_ns = ev->ts_ns;
	x->wp_ip = ev->ip;
	x->wp_pfn = ev->pfn;
}

void rule_roundtrip_rebind(const SlotRef *ref, uint64_t pfn)
{
	if ((ref->s->flags & SLOT_WP_PENDING) && pfn && slot_rare(ref)->wp_pfn != pfn)
		ref->s->flags &= ~SLOT_WP_PENDING;
}

void rule_roundtrip_format(Rule rule, const Run *r, const char *range, const char *setup,
			   GString *out)
{
	const RoundTripDetail *d = &r->detail.roundtrip;

	g_assert(rule == RULE_WP_ROUNDTRIP);
	g_string_append_printf(out,
			       "write fault at %s kept folio pfn 0x%" PRIx64
			       " in the swap cache of %s; a later fault freed it %.1f us later",
			       setup, d->pfn, range, (double)d->delay_ns / 1000.0);
}
