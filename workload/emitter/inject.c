/*
 * Fault injection: for each rule of DESIGN.md §4, an event pattern that
 * breaks that rule and no other.  Patterns run on fresh slots of device 0
 * (or, for retention_full, a small device of their own) that the workload
 * model never touches again afterwards ("poisoned"), so what a replayer
 * reconstructs after the violation cannot cascade into later findings.
 * Every pattern stays in one operation, under the model mutex.
 *
 * F, G, H below are fresh folios (pfns); A alloc, D dup, P put, X cache
 * del, C cache add, E free, FLT fault.  The event that proves the finding
 * is the one `proof` names; the ground truth's seq_hint is its index.
 * Fault inputs (FaultInfo) are what a 6.1 kernel reports for that pattern:
 * a folio just read by the fault sits in the local LRU batch (lru 0, one
 * extra reference) unless a write fault drained it.
 */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Rules of analyzer/rules.c, in its order; names exactly as there. */
enum {
	R_ALLOC_IN_USE,
	R_ALLOC_MISALIGNED,
	R_DUP_UNALLOCATED,
	R_PUT_UNALLOCATED,
	R_PUT_UNDERFLOW,
	R_DUP_UNCACHED,
	R_PUT_UNCACHED,
	R_CACHE_ADD_OCCUPIED,
	R_CACHE_ADD_ZERO_COUNT,
	R_CACHE_DEL_MISMATCH,
	R_FREE_REFERENCED,
	R_FREE_CACHED,
	R_FREE_UNALLOCATED,
	R_COUNT_MISMATCH,
	R_SLOT_LEAK,
	R_RETENTION_STALE,
	R_RETENTION_FULL,
	R_WP_ROUNDTRIP,
	R_SWAPIN_RACE,
	R_CACHE_MOVE_MISMATCH,
	R_LAZYFREE_SWAPPED,
	_R_MAX,
};

const char *const inject_rule_names[_R_MAX + 1] = {
	[R_ALLOC_IN_USE] = "alloc_in_use",
	[R_ALLOC_MISALIGNED] = "alloc_misaligned",
	[R_DUP_UNALLOCATED] = "dup_unallocated",
	[R_PUT_UNALLOCATED] = "put_unallocated",
	[R_PUT_UNDERFLOW] = "put_underflow",
	[R_DUP_UNCACHED] = "dup_uncached",
	[R_PUT_UNCACHED] = "put_uncached",
	[R_CACHE_ADD_OCCUPIED] = "cache_add_occupied",
	[R_CACHE_ADD_ZERO_COUNT] = "cache_add_zero_count",
	[R_CACHE_DEL_MISMATCH] = "cache_del_mismatch",
	[R_FREE_REFERENCED] = "free_referenced",
	[R_FREE_CACHED] = "free_cached",
	[R_FREE_UNALLOCATED] = "free_unallocated",
	[R_COUNT_MISMATCH] = "count_mismatch",
	[R_SLOT_LEAK] = "slot_leak",
	[R_RETENTION_STALE] = "retention_stale",
	[R_RETENTION_FULL] = "retention_full",
	[R_WP_ROUNDTRIP] = "wp_roundtrip",
	[R_SWAPIN_RACE] = "swapin_race",
	[R_CACHE_MOVE_MISMATCH] = "cache_move_mismatch",
	[R_LAZYFREE_SWAPPED] = "lazyfree_swapped",
	[_R_MAX] = NULL,
};

/* the extra device retention_full fills over half */
#define FULL_DEV_TYPE 3
#define FULL_DEV_SLOTS 64
#define FULL_DEV_CLUSTER 16

int inject_rule_count(void)
{
	return _R_MAX;
}

int inject_rule_from_name(const char *name)
{
	for (int r = 0; r < _R_MAX; r++)
		if (strcmp(inject_rule_names[r], name) == 0)
			return r;
	return -1;
}

/* A fresh range on device type, reserved for the pattern for good. */
static int take(Model *m, uint32_t type, uint32_t nr, uint32_t align, uint32_t phase,
		uint64_t *ret_off)
{
	uint64_t off;

	if (model_find_free(m, type, nr, align, phase, &off) < 0)
		return -1;
	for (uint32_t i = 0; i < nr; i++)
		model_slot(m, type, off + i)->poisoned = 1;
	*ret_off = off;
	return 0;
}

/* A + D x n + X: folio pfn reclaimed with n swap PTEs left behind. */
static void swapped_out_pfn(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, int n)
{
	ev_alloc(m, type, off, nr, pfn, IP_FOLIO_ALLOC_SWAP);
	for (int i = 0; i < n; i++)
		ev_dup(m, type, off, nr, pfn, -1, IP_FOLIO_DUP_SWAP);
	ev_cache_del(m, type, off, nr, pfn, IP_REMOVE_MAPPING);
}

/* The same for a fresh folio; returns its pfn. */
static uint64_t swapped_out(Model *m, uint32_t type, uint64_t off, uint32_t nr, int n)
{
	uint64_t pfn = model_new_pfn(m, nr);

	swapped_out_pfn(m, type, off, nr, pfn, n);
	return pfn;
}

/* A swap-in fault on a swap-cache folio (cached 1), ksm, mlock and writeback 0. */
static FaultInfo fault_info(Model *m, int write, int exclusive, int freed, int lru, int32_t refs,
			    int tried)
{
	return (FaultInfo){
		.write = (uint8_t)write,
		.exclusive = (uint8_t)exclusive,
		.freed = (uint8_t)freed,
		.lru = (uint8_t)lru,
		.refs = refs,
		.cached = 1,
		.tried = (uint8_t)tried,
		.swap_full = (uint8_t)model_swap_full(m),
	};
}

/* Fault events of the patterns below. */
#define FAULT_READ_KEPT(m) fault_info(m, 0, 1, 0, 0, 3, 0)   /* read, just read: in the batch */
#define FAULT_WRITE_FREED(m) fault_info(m, 1, 1, 1, 1, 2, 1) /* drained, refs 2: freed */

typedef struct RaceArg {
	uint32_t type;
	uint64_t off;
	uint32_t nr;
	uint64_t seq;
} RaceArg;

/* The losing thread's swapcache_prepare(): the winner's folio is already there. */
static void race_loser(Model *m, void *arg)
{
	RaceArg *a = arg;

	a->seq = m->seq;
	ev_cache_add(m, a->type, a->off, a->nr, model_new_pfn(m, a->nr), -EEXIST,
		     IP_SWAPCACHE_PREPARE);
}

int inject_run(Model *m, Injection *inj)
{
	uint32_t t = 0, nr = 1;
	uint64_t off, F, G;
	uint64_t proof = 0;
	FaultInfo fi;
	/* cache_move_mismatch alternates between its two events: move, split */
	int split = inj->rule == R_CACHE_MOVE_MISMATCH && inj->op % 2;

	if (inj->rule == R_RETENTION_FULL) {
		t = FULL_DEV_TYPE;
		if (!m->dev[t].on)
			model_device_on(m, t, FULL_DEV_SLOTS, FULL_DEV_CLUSTER, 1, 0);
	}
	if (inj->rule == R_ALLOC_MISALIGNED) {
		/* nr 2 at an odd offset: misaligned, but inside one cluster */
		nr = 2;
		if (take(m, t, nr, 4, 1, &off) < 0)
			goto fail;
	} else if (split) {
		nr = 2;
		if (take(m, t, nr, 2, 0, &off) < 0)
			goto fail;
	} else if (take(m, t, nr, 1, 0, &off) < 0) {
		goto fail;
	}

	switch (inj->rule) {
	case R_ALLOC_IN_USE:
		swapped_out(m, t, off, nr, 1);
		proof = m->seq;
		ev_alloc(m, t, off, nr, model_new_pfn(m, nr), IP_FOLIO_ALLOC_SWAP);
		break;
	case R_ALLOC_MISALIGNED:
		proof = m->seq;
		swapped_out(m, t, off, nr, 1);
		break;
	case R_DUP_UNALLOCATED:
		proof = m->seq;
		ev_dup(m, t, off, nr, 0, -1, IP_COPY_NONPRESENT_PTE);
		break;
	case R_PUT_UNALLOCATED:
		proof = m->seq;
		ev_put(m, t, off, nr, 0, IP_ZAP_PTE_RANGE);
		break;
	case R_PUT_UNDERFLOW:
		/* freshly allocated, count 0, still cached: nobody may put it */
		F = model_new_pfn(m, nr);
		ev_alloc(m, t, off, nr, F, IP_FOLIO_ALLOC_SWAP);
		proof = m->seq;
		ev_put(m, t, off, nr, F, IP_DO_SWAP_PAGE_PUT);
		break;
	case R_DUP_UNCACHED:
		F = swapped_out(m, t, off, nr, 1);
		proof = m->seq;
		ev_dup(m, t, off, nr, F, -1, IP_FOLIO_DUP_SWAP);
		break;
	case R_PUT_UNCACHED:
		F = swapped_out(m, t, off, nr, 2);
		proof = m->seq;
		ev_put(m, t, off, nr, F, IP_DO_SWAP_PAGE_PUT);
		break;
	case R_CACHE_ADD_OCCUPIED:
		F = model_new_pfn(m, nr);
		ev_alloc(m, t, off, nr, F, IP_FOLIO_ALLOC_SWAP);
		ev_dup(m, t, off, nr, F, -1, IP_FOLIO_DUP_SWAP);
		proof = m->seq;
		ev_cache_add(m, t, off, nr, model_new_pfn(m, nr), 0, IP_SWAPCACHE_PREPARE);
		break;
	case R_CACHE_ADD_ZERO_COUNT:
		/* count 0 and uncached for one event only: the add re-binds it at once */
		F = model_new_pfn(m, nr);
		ev_alloc(m, t, off, nr, F, IP_FOLIO_ALLOC_SWAP);
		ev_cache_del(m, t, off, nr, F, IP_REMOVE_MAPPING);
		proof = m->seq;
		ev_cache_add(m, t, off, nr, model_new_pfn(m, nr), 0, IP_SWAPCACHE_PREPARE);
		break;
	case R_CACHE_DEL_MISMATCH:
		F = model_new_pfn(m, nr);
		ev_alloc(m, t, off, nr, F, IP_FOLIO_ALLOC_SWAP);
		ev_dup(m, t, off, nr, F, -1, IP_FOLIO_DUP_SWAP);
		proof = m->seq;
		ev_cache_del(m, t, off, nr, model_new_pfn(m, nr), IP_REMOVE_MAPPING);
		break;
	case R_FREE_REFERENCED:
		swapped_out(m, t, off, nr, 1);
		proof = m->seq;
		ev_free(m, t, off, nr, IP_SWAP_ENTRY_FREE);
		break;
	case R_FREE_CACHED:
		ev_alloc(m, t, off, nr, model_new_pfn(m, nr), IP_FOLIO_ALLOC_SWAP);
		proof = m->seq;
		ev_free(m, t, off, nr, IP_SWAP_ENTRY_FREE);
		break;
	case R_FREE_UNALLOCATED:
		swapped_out(m, t, off, nr, 1);
		ev_put(m, t, off, nr, 0, IP_ZAP_PTE_RANGE);
		ev_free(m, t, off, nr, IP_FREE_SWAP_AND_CACHE);
		proof = m->seq;
		ev_free(m, t, off, nr, IP_FREE_SWAP_AND_CACHE);
		break;
	case R_COUNT_MISMATCH:
		F = model_new_pfn(m, nr);
		ev_alloc(m, t, off, nr, F, IP_FOLIO_ALLOC_SWAP);
		proof = m->seq;
		ev_dup(m, t, off, nr, F, 2, IP_FOLIO_DUP_SWAP); /* true count 1 */
		ev_cache_del(m, t, off, nr, F, IP_REMOVE_MAPPING);
		break;
	case R_SLOT_LEAK:
		swapped_out(m, t, off, nr, 1);
		proof = m->seq;
		ev_put(m, t, off, nr, 0, IP_ZAP_PTE_RANGE); /* count 0, and no free ever */
		break;
	case R_RETENTION_STALE:
		/*
		 * the 2026 regression: a write fault keeps the cache, because the
		 * folio still sits in a per-CPU LRU batch (lru 0) whose reference
		 * makes refs 3, defeating should_try_to_free_swap()
		 */
		swapped_out(m, t, off, nr, 1);
		G = model_new_pfn(m, nr);
		ev_cache_add(m, t, off, nr, G, 0, IP_SWAPCACHE_PREPARE);
		ev_put(m, t, off, nr, G, IP_DO_SWAP_PAGE_PUT);
		proof = m->seq;
		fi = fault_info(m, 1, 1, 0, 0, 3, 0); /* exclusive: written in place */
		ev_fault(m, t, off, nr, G, &fi, IP_DO_SWAP_PAGE);
		break;
	case R_RETENTION_FULL: {
		uint64_t o;

		/* fill the small device over half with ordinary swapped-out slots */
		for (uint64_t i = 0; i < FULL_DEV_SLOTS / 2 + 8; i++) {
			if (take(m, t, 1, 1, 0, &o) < 0)
				goto fail;
			swapped_out(m, t, o, 1, 1);
		}
		swapped_out(m, t, off, nr, 1);
		G = model_new_pfn(m, nr);
		ev_cache_add(m, t, off, nr, G, 0, IP_SWAPCACHE_PREPARE);
		/* count 0 with the folio cached: retention starts, although vm_swap_full() */
		proof = m->seq;
		ev_put(m, t, off, nr, G, IP_DO_SWAP_PAGE_PUT);
		/* and the read fault keeps the cache (globally, swap is not full) */
		fi = FAULT_READ_KEPT(m);
		ev_fault(m, t, off, nr, G, &fi, IP_DO_SWAP_PAGE);
		break;
	}
	case R_WP_ROUNDTRIP:
		swapped_out(m, t, off, nr, 2);
		G = model_new_pfn(m, nr);
		ev_cache_add(m, t, off, nr, G, 0, IP_SWAPCACHE_PREPARE);
		ev_put(m, t, off, nr, G, IP_DO_SWAP_PAGE_PUT);
		/*
		 * write fault on a still-shared entry: tried, but the other
		 * swap PTE keeps the cache (not exclusive: the write goes to a
		 * COW copy)
		 */
		fi = fault_info(m, 1, 0, 0, 1, 2, 1);
		ev_fault(m, t, off, nr, G, &fi, IP_DO_SWAP_PAGE);
		/* the other sharer's fault on the same folio frees it */
		ev_put(m, t, off, nr, G, IP_DO_SWAP_PAGE_PUT);
		ev_cache_del(m, t, off, nr, G, IP_FOLIO_FREE_SWAP);
		ev_free(m, t, off, nr, IP_SWAP_ENTRY_FREE);
		proof = m->seq;
		fi = FAULT_WRITE_FREED(m);
		ev_fault(m, t, off, nr, G, &fi, IP_DO_SWAP_PAGE);
		break;
	case R_SWAPIN_RACE: {
		RaceArg a = { t, off, nr, 0 };

		swapped_out(m, t, off, nr, 1);
		G = model_new_pfn(m, nr);
		ev_cache_add(m, t, off, nr, G, 0, IP_SWAPCACHE_PREPARE);
		m->run_on_other(m->sched, race_loser, m, &a);
		proof = a.seq;
		ev_put(m, t, off, nr, G, IP_DO_SWAP_PAGE_PUT);
		ev_cache_del(m, t, off, nr, G, IP_FOLIO_FREE_SWAP);
		ev_free(m, t, off, nr, IP_SWAP_ENTRY_FREE);
		fi = FAULT_WRITE_FREED(m);
		ev_fault(m, t, off, nr, G, &fi, IP_DO_SWAP_PAGE);
		break;
	}
	case R_CACHE_MOVE_MISMATCH:
		/* F caches the slots (count 1); the move or split names G */
		F = model_new_pfn(m, nr);
		ev_alloc(m, t, off, nr, F, IP_FOLIO_ALLOC_SWAP);
		ev_dup(m, t, off, nr, F, -1, IP_FOLIO_DUP_SWAP);
		G = model_new_pfn(m, nr);
		proof = m->seq;
		if (split)
			ev_cache_split(m, t, off, nr, G, 1, IP_SPLIT_HUGE_PAGE);
		else
			ev_cache_move(m, t, off, nr, G, model_new_pfn(m, nr), IP_MIGRATE_FOLIO);
		break;
	case R_LAZYFREE_SWAPPED:
		/*
		 * reclaim met lazyfree F clean with an extra reference (refs 3 =
		 * isolation + its one mapping + 1) and made it swap-backed again;
		 * a later pass gives it a slot
		 */
		F = model_new_pfn(m, nr);
		ev_lazyfree(m, F, nr, 0, 3, 1, LAZYFREE_REFERENCED, IP_TRY_TO_UNMAP_ONE);
		proof = m->seq;
		swapped_out_pfn(m, t, off, nr, F, 1);
		break;
	default:
		goto fail;
	}
	inj->done = 1;
	inj->type = t;
	inj->offset = off;
	inj->nr = nr;
	inj->seq_hint = proof;
	return 0;

fail:
	fprintf(stderr, "swaptrace-emit: cannot inject '%s' at op %llu: no room\n",
		inject_rule_names[inj->rule], (unsigned long long)inj->op);
	return -1;
}
