/*
 * The cache-binding rules: a folio-bound dup or put (dup_uncached,
 * put_uncached) or a cache del (cache_del_mismatch) names a folio that does
 * not cache the slot; a successful swap-in cache add finds the slot already
 * cached (cache_add_occupied) or with count 0 (cache_add_zero_count: the
 * kernel must fail it with -ENOENT, nobody references the data).
 *
 * Unverifiable: whenever the needed fact is unknown: the cache binding
 * (unknown before the slot's first alloc, free, state dump or successful
 * cache add/del, and after a gap) or, for cache_add_zero_count, the count.
 * Only successful adds are checked; -EEXIST, -ENOENT and -ENOMEM change
 * nothing (-EEXIST is swapin_race's).
 */
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

/* Is the slot cached by pfn?  Fires `rule` when it is proven not to be. */
static bool not_cached_by(Analyzer *a, Rule rule, const Event *ev, const SlotRef *ref, uint64_t pfn,
			  uint64_t new_pfn)
{
	const Slot *s = ref->s;

	if (!slot_cache_known(s)) {
		check_unverified(a, rule);
		return false;
	}
	if (s->cache_pfn == pfn)
		return false;
	check_hit_ev(
		a, rule, ev, ref->offset, ref->setup->cache_seq, s->cache_kind,
		&(RuleDetail){
			.cache = { .pfn = pfn, .cached_pfn = s->cache_pfn, .new_pfn = new_pfn } });
	return true;
}

bool rule_dup_uncached(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	return not_cached_by(a, RULE_DUP_UNCACHED, ev, ref, ev->pfn, 0);
}

bool rule_put_uncached(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	return not_cached_by(a, RULE_PUT_UNCACHED, ev, ref, ev->pfn, 0);
}

bool rule_cache_del_mismatch(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	return not_cached_by(a, RULE_CACHE_DEL_MISMATCH, ev, ref, pin_pfn(ev->pfn), 0);
}

bool rule_cache_move_mismatch(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	return not_cached_by(a, RULE_CACHE_MOVE_MISMATCH, ev, ref, pin_pfn(ev->pfn),
			     ev->kind == EVENT_CACHE_MOVE ? ev->new_pfn : ev->pfn);
}

bool rule_cache_add_occupied(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_cache_known(s)) {
		check_unverified(a, RULE_CACHE_ADD_OCCUPIED);
		return false;
	}
	if (!s->cache_pfn)
		return false;
	check_hit_ev(a, RULE_CACHE_ADD_OCCUPIED, ev, ref->offset, ref->setup->cache_seq,
		     s->cache_kind,
		     &(RuleDetail){ .cache = { .pfn = ev->pfn, .cached_pfn = s->cache_pfn } });
	return true;
}

bool rule_cache_add_zero_count(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_count_known(s)) {
		check_unverified(a, RULE_CACHE_ADD_ZERO_COUNT);
		return false;
	}
	if (s->count > 0)
		return false;
	check_hit_ev(a, RULE_CACHE_ADD_ZERO_COUNT, ev, ref->offset, ref->setup->count_seq,
		     s->count_kind, &(RuleDetail){ .cache = { .pfn = ev->pfn } });
	return true;
}

/* "pfn 0x1a2b", or what a pin without a folio is. */
static char *folio_name(uint64_t pfn)
{
	return pfn == PIN_NO_FOLIO ? g_strdup("a pin without a folio")
				   : g_strdup_printf("pfn 0x%" PRIx64, pfn);
}

void rule_cache_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	const CacheDetail *d = &r->detail.cache;
	g_autofree char *by = folio_name(d->pfn);
	g_autofree char *cached = folio_name(d->cached_pfn);
	g_autofree char *held = d->cached_pfn ? g_strdup_printf("is cached by %s", cached)
					      : g_strdup("is not cached");

	switch (rule) {
	case RULE_DUP_UNCACHED:
	case RULE_PUT_UNCACHED:
		g_string_append_printf(
			out, "folio-bound %s of %s by pfn 0x%" PRIx64 ", but the slot %s since %s",
			rule == RULE_DUP_UNCACHED ? "dup" : "put", range, d->pfn, held, setup);
		break;
	case RULE_CACHE_DEL_MISMATCH:
		g_string_append_printf(out, "cache del of %s by %s, but the slot %s since %s",
				       range, by, held, setup);
		break;
	case RULE_CACHE_MOVE_MISMATCH:
		g_string_append_printf(out,
				       "cache binding of %s moved from %s to pfn 0x%" PRIx64
				       " (migration or split), but the slot %s since %s",
				       range, by, d->new_pfn, held, setup);
		break;
	case RULE_CACHE_ADD_OCCUPIED:
		g_string_append_printf(out,
				       "swap-in cache add of %s by pfn 0x%" PRIx64
				       " succeeded, but the slot %s since %s",
				       range, d->pfn, held, setup);
		break;
	case RULE_CACHE_ADD_ZERO_COUNT:
		g_string_append_printf(out,
				       "swap-in cache add of %s by pfn 0x%" PRIx64
				       " succeeded with count 0 (must fail with -ENOENT); count "
				       "reached 0 at %s",
				       range, d->pfn, setup);
		break;
	default:
		g_assert_not_reached();
	}
}
