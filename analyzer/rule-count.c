/*
 * The swap count rules.
 * dup_unallocated / put_unallocated: a successful dup, or a put, on a slot
 * that is free.  put_underflow: a put on a slot whose count is already 0.
 * count_mismatch: the kernel's count after a dup or put (below saturation)
 * differs from the count reconstructed from the events.
 *
 * Unverifiable: the *_unallocated rules when the slot's allocated state is
 * unknown (never seen, or not re-synced since a gap: a trace starting
 * mid-life cannot call a dup on a slot it never saw allocated "unallocated");
 * put_underflow and count_mismatch when the reconstructed count is unknown,
 * and count_mismatch also when the kernel's count is saturated
 * (SWAP_COUNT_SATURATED means "at least that many").  Failed dups change
 * nothing and are not checked.
 */
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

static bool unallocated(Analyzer *a, Rule rule, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_alloc_known(s)) {
		check_unverified(a, rule);
		return false;
	}
	if (slot_allocated(s))
		return false;
	check_hit_ev(a, rule, ev, ref->offset, ref->setup->alloc_seq, s->alloc_kind,
		     &(RuleDetail){ .count = { .pfn = ev->pfn } });
	return true;
}

bool rule_dup_unallocated(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	return unallocated(a, RULE_DUP_UNALLOCATED, ev, ref);
}

bool rule_put_unallocated(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	return unallocated(a, RULE_PUT_UNALLOCATED, ev, ref);
}

bool rule_put_underflow(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_count_known(s)) {
		check_unverified(a, RULE_PUT_UNDERFLOW);
		return false;
	}
	if (s->count > 0)
		return false;
	check_hit_ev(a, RULE_PUT_UNDERFLOW, ev, ref->offset, ref->setup->count_seq, s->count_kind,
		     &(RuleDetail){ .count = { .pfn = ev->pfn } });
	return true;
}

bool rule_count_mismatch(Analyzer *a, const Event *ev, const SlotRef *ref, bool expect_known,
			 int32_t expect)
{
	const Slot *s = ref->s;

	/* Only a count below saturation is exact; a negative one is garbage. */
	if (ev->count < 0 || ev->count >= SWAP_COUNT_SATURATED || !expect_known) {
		check_unverified(a, RULE_COUNT_MISMATCH);
		return false;
	}
	if (ev->count == expect)
		return false;
	check_hit_ev(a, RULE_COUNT_MISMATCH, ev, ref->offset, ref->setup->count_seq, s->count_kind,
		     &(RuleDetail){ .count = { .pfn = ev->pfn,
					       .kernel_count = ev->count,
					       .expected = expect,
					       .was = s->count } });
	return true;
}

void rule_count_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	const CountDetail *d = &r->detail.count;
	const char *op = event_kind_name((EventKind)r->kind);

	switch (rule) {
	case RULE_DUP_UNALLOCATED:
	case RULE_PUT_UNALLOCATED:
		g_string_append_printf(out, "%s %s on %s, which is not allocated; %s at %s",
				       d->pfn ? "folio-bound" : "direct",
				       rule == RULE_DUP_UNALLOCATED ? "dup" : "put", range,
				       r->setup_kind == EVENT_ENTRY_FREE ? "freed" : "state set",
				       setup);
		break;
	case RULE_PUT_UNDERFLOW:
		g_string_append_printf(out,
				       "put on %s whose count is already 0; count reached 0 at %s",
				       range, setup);
		break;
	case RULE_COUNT_MISMATCH:
		g_string_append_printf(out,
				       "kernel reports count %" PRId32
				       " after %s on %s, reconstructed count is %" PRId32
				       " (was %" PRId32 ", set at %s)",
				       d->kernel_count, op, range, d->expected, d->was, setup);
		break;
	default:
		g_assert_not_reached();
	}
}
