/*
 * The free rules: a slot is returned to the allocator while page tables
 * still reference it (free_referenced: count > 0, their data is lost),
 * while a folio still caches it (free_cached), or while it is already free
 * (free_unallocated: a double free).
 *
 * Unverifiable: free_unallocated when the slot's allocated state is
 * unknown, free_referenced when its count is, free_cached when its cache
 * binding is (never seen, or not re-synced since a gap).  Whatever it
 * finds, a free leaves the slot known: free, count 0, uncached.
 */
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

bool rule_free_unallocated(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_alloc_known(s)) {
		check_unverified(a, RULE_FREE_UNALLOCATED);
		return false;
	}
	if (slot_allocated(s))
		return false;
	check_hit_ev(a, RULE_FREE_UNALLOCATED, ev, ref->offset, ref->setup->alloc_seq,
		     s->alloc_kind, &(RuleDetail){ .free = { 0 } });
	return true;
}

bool rule_free_referenced(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_count_known(s)) {
		check_unverified(a, RULE_FREE_REFERENCED);
		return false;
	}
	if (s->count <= 0)
		return false;
	check_hit_ev(a, RULE_FREE_REFERENCED, ev, ref->offset, ref->setup->count_seq, s->count_kind,
		     &(RuleDetail){ .free = { .count = s->count } });
	return true;
}

bool rule_free_cached(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_cache_known(s)) {
		check_unverified(a, RULE_FREE_CACHED);
		return false;
	}
	if (!s->cache_pfn)
		return false;
	check_hit_ev(a, RULE_FREE_CACHED, ev, ref->offset, ref->setup->cache_seq, s->cache_kind,
		     &(RuleDetail){ .free = { .cached_pfn = s->cache_pfn } });
	return true;
}

void rule_free_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	const FreeDetail *d = &r->detail.free;

	switch (rule) {
	case RULE_FREE_UNALLOCATED:
		g_string_append_printf(out, "double free of %s; already %s at %s", range,
				       r->setup_kind == EVENT_ENTRY_FREE ? "freed" : "free", setup);
		break;
	case RULE_FREE_REFERENCED:
		g_string_append_printf(
			out,
			"free of %s whose count is %" PRId32
			" (page tables still point at it: data loss); count set at %s",
			range, d->count, setup);
		break;
	case RULE_FREE_CACHED:
		g_string_append_printf(
			out, "free of %s while folio pfn 0x%" PRIx64 " caches it since %s", range,
			d->cached_pfn, setup);
		break;
	default:
		g_assert_not_reached();
	}
}
