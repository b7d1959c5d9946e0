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
#include <stdio.h>

#include "slot-check.h"

#include "banned.h"

bool rule_free_unallocated(Analyzer *a, const Event *ev, const Slot *s, uint64_t offset)
{
	if (!slot_alloc_known(s)) {
		check_unverified(a, RULE_FREE_UNALLOCATED);
		return false;
	}
	if (slot_allocated(s))
		return false;
	check_hit_ev(a, RULE_FREE_UNALLOCATED, ev, offset, s->alloc_seq, s->alloc_kind, 0, 0, 0);
	return true;
}

bool rule_free_referenced(Analyzer *a, const Event *ev, const Slot *s, uint64_t offset)
{
	if (!slot_count_known(s)) {
		check_unverified(a, RULE_FREE_REFERENCED);
		return false;
	}
	if (s->count <= 0)
		return false;
	check_hit_ev(a, RULE_FREE_REFERENCED, ev, offset, s->count_seq, s->count_kind, s->count, 0,
		     0);
	return true;
}

bool rule_free_cached(Analyzer *a, const Event *ev, const Slot *s, uint64_t offset)
{
	if (!slot_cache_known(s)) {
		check_unverified(a, RULE_FREE_CACHED);
		return false;
	}
	if (!s->cache_pfn)
		return false;
	check_hit_ev(a, RULE_FREE_CACHED, ev, offset, s->cache_seq, s->cache_kind,
		     (int64_t)s->cache_pfn, 0, 0);
	return true;
}

void rule_free_format(Rule rule, const Run *r, const char *range, const char *setup, char *buf,
		      size_t size)
{
	switch (rule) {
	case RULE_FREE_UNALLOCATED:
		snprintf(buf, size, "double free of %s; already %s at %s", range,
			 r->setup_kind == EVENT_ENTRY_FREE ? "freed" : "free", setup);
		break;
	case RULE_FREE_REFERENCED:
		snprintf(buf, size,
			 "free of %s whose count is %" PRId64
			 " (page tables still point at it: data loss); count set at %s",
			 range, r->v[0], setup);
		break;
	case RULE_FREE_CACHED:
		snprintf(buf, size, "free of %s while folio pfn 0x%" PRIx64 " caches it since %s",
			 range, (uint64_t)r->v[0], setup);
		break;
	default:
		g_assert_not_reached();
	}
}
