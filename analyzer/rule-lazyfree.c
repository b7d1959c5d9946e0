/*
 * lazyfree_swapped: reclaim found a clean lazyfree (MADV_FREE) folio with a
 * reference more than its mappings and isolation account for, made it
 * swap-backed again instead of discarding it (6.1's try_to_unmap_one():
 * swap_lazyfree verdict "referenced"), and the folio was then given swap
 * slots (swap_entry_alloc with its pfn): a slot and a device write for
 * data the program had already given up.  The reference was a transient
 * one (a speculative folio_try_get(), a GUP pin for a copy); upstream made
 * such folios stay lazyfree ("mm: set folio swapbacked iff folios are
 * dirty in try_to_unmap_one", 2025).  Warning: the program loses nothing,
 * the system a slot and a write.
 *
 * A folio is known only by its pfn.  A later event that shows the pfn
 * holding another folio (a swap-in cache add, a fault, a migration to it)
 * or a new lazyfree decision about it ends the wait, and a gap forgets
 * every decision (a lost event may have freed the folio).  Unverifiable: a
 * write by the program after the decision (which makes the swap-out
 * rightful) leaves no event, nor does a free of the folio and reuse of its
 * pfn by another anonymous folio that is then swapped out.
 */
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

/* Decisions waiting for an allocation at once: beyond this, new ones are not tracked. */
#define LAZYFREE_MAX_PENDING (1u << 20)

typedef struct LazyfreeWait {
	uint64_t pfn; /* the key */
	uint64_t seq;
	int64_t ts_ns;
	Who who;
	uint32_t nr;
	int32_t refs;
	int32_t mapcount;
} LazyfreeWait;

static GHashTable *waits(Analyzer *a)
{
	if (!a->lazyfree)
		a->lazyfree = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
	return a->lazyfree;
}

void rule_lazyfree_forget(Analyzer *a, uint64_t pfn)
{
	if (a->lazyfree && g_hash_table_size(a->lazyfree))
		g_hash_table_remove(a->lazyfree, &pfn);
}

void rule_lazyfree_decision(Analyzer *a, const Event *ev)
{
	LazyfreeWait *w;

	if (ev->verdict != LAZYFREE_REFERENCED || (ev->flags & EVENT_F_DIRTY) || !ev->pfn) {
		rule_lazyfree_forget(a, ev->pfn);
		return;
	}
	if (ev->ts_ns <= a->distrust_until_ns)
		return;
	if (g_hash_table_size(waits(a)) >= LAZYFREE_MAX_PENDING) {
		check_unverified(a, RULE_LAZYFREE_SWAPPED);
		check_count_unverified(a);
		return;
	}
	w = g_new(LazyfreeWait, 1);
	*w = (LazyfreeWait){
		.pfn = ev->pfn,
		.seq = ev->seq,
		.ts_ns = ev->ts_ns,
		.who = event_who(ev),
		.nr = ev->nr,
		.refs = ev->refs,
		.mapcount = ev->mapcount,
	};
	g_hash_table_replace(a->lazyfree, &w->pfn, w);
}

void rule_lazyfree_alloc(Analyzer *a, const Event *ev)
{
	LazyfreeWait *w;

	if (!a->lazyfree || !g_hash_table_size(a->lazyfree))
		return;
	w = g_hash_table_lookup(a->lazyfree, &ev->pfn);
	if (!w)
		return;
	for (uint32_t i = 0; i < ev->nr; i++)
		check_hit_ev(a, RULE_LAZYFREE_SWAPPED, ev, ev->offset + i, w->seq, EVENT_LAZYFREE,
			     &(RuleDetail){ .lazyfree = { .pfn = w->pfn,
							  .folio_nr = w->nr,
							  .refs = w->refs,
							  .mapcount = w->mapcount,
							  .delay_ns = ev->ts_ns - w->ts_ns,
							  .decision_ip = w->who.ip } });
	g_hash_table_remove(a->lazyfree, &ev->pfn);
	check_flush(a);
}

void rule_lazyfree_format(Rule rule, const Run *r, const char *range, const char *setup,
			  GString *out)
{
	const LazyfreeDetail *d = &r->detail.lazyfree;

	g_assert(rule == RULE_LAZYFREE_SWAPPED);
	g_string_append_printf(out,
			       "clean lazyfree folio pfn 0x%" PRIx64
			       " was made swap-backed by an extra reference (refs %" PRId32
			       ", mapcount %" PRId32 " at %s) and given %s %.1f us later: a slot "
			       "and a device write for data the program had freed",
			       d->pfn, d->refs, d->mapcount, setup, range,
			       (double)d->delay_ns / 1000.0);
}
