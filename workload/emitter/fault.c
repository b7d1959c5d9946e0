/*
 * do_swap_page() and do_wp_page() as 6.1 decides them, on the model's
 * folios: the swap-in (through the swap cache, or synchronous: pinned before
 * its folio exists), the decision to free the swap cache from the folio's
 * real state (swap cache, references, LRU batch, writeback, mlock,
 * vm_swap_full()), the fault event reporting every input of it, and the
 * write to a present folio that copies it or frees its swap cache.  Also the
 * swap-ins a mid-life start leaves in flight.  Called from model.c's
 * operations, under the scheduler mutex.
 */
#include "model.h"

/*
 * do_swap_page()'s decision for folio f, which the fault is about to map
 * (f->nmaps: its other mappings), from the folio's state; pure, so the
 * workload can ask what a correct kernel would do.  count_after: the slots'
 * count after the fault's put.  A write fault on a swap-cache folio off the
 * LRU first drains the local LRU batch, unless `regression`.  The swap
 * cache holds one reference per folio in this model.
 */
static FaultInfo fault_decide(Model *m, const Folio *f, int cpu, int write, int swp_excl,
			      int locked, int32_t count_after, int regression)
{
	FaultInfo fi = { 0 };
	int batched = f->batch_cpu >= 0;

	fi.write = (uint8_t)write;
	fi.cached = (uint8_t)f->swapcache;
	fi.writeback = f->writeback;
	fi.mlocked = (uint8_t)locked;
	fi.swap_full = (uint8_t)model_swap_full(m);
	if (write && fi.cached && batched && f->batch_cpu == cpu && !regression)
		batched = 0; /* lru_add_drain() */
	fi.lru = (uint8_t)!batched;
	/* the fault's own reference, the swap cache's, other mappings', the batch's */
	fi.refs = 1 + fi.cached + f->nmaps + batched;
	/* should_try_to_free_swap() */
	fi.tried = fi.cached && (fi.swap_full || fi.mlocked || (write && fi.refs == 2));
	/* folio_free_swap(): not under writeback, no swap PTE left (!folio_swapped()) */
	fi.freed = fi.tried && !fi.writeback && count_after == 0;
	/* RMAP_EXCLUSIVE: the swap PTE said so, a fresh folio, or the only reference left */
	fi.exclusive = (uint8_t)(swp_excl || !fi.cached || fi.refs - fi.freed == 1);
	return fi;
}

/*
 * The rest of a swap-in once the folio is there (in the swap cache, or a
 * synchronous swap-in's): the put, the decision, the mapping, the fault
 * event, and the synchronous swap-in's unpin.
 */
static void swapin_finish(Model *m, int p, int idx, Folio *f, int want_write, int how)
{
	Mapping *mp = &m->procs[p].map[idx];
	uint32_t type = mp->type, nr = mp->nr;
	uint64_t off = mp->off;
	int cpu = proc_cpu(p), swp_excl = mp->excl;
	int locked = mp->locked || how == SWAPIN_MLOCK;
	int write = 0;
	int32_t count;
	FaultInfo fi;

	ev_put(m, type, off, nr, f->pfn, how == SWAPIN_UNUSE ? IP_UNUSE_PTE : IP_DO_SWAP_PAGE_PUT);
	count = model_slot(m, type, off)->count;
	if (how == SWAPIN_UNUSE) {
		map_present(m, p, idx, f, swp_excl);
		return;
	}
	if (want_write) {
		/* the program writes where a correct kernel leaves no cached copy behind */
		FaultInfo c = fault_decide(m, f, cpu, 1, swp_excl, locked, count, 0);

		write = c.exclusive && (c.freed || !c.cached);
	}
	fi = fault_decide(m, f, cpu, write, swp_excl, locked, count, m->opt.regression);
	if (write && fi.cached && f->batch_cpu == cpu && !m->opt.regression)
		lru_drain(m, cpu);
	if (fi.freed) {
		ev_cache_del(m, type, off, nr, f->pfn, IP_FOLIO_FREE_SWAP);
		ev_free(m, type, off, nr, IP_SWAP_ENTRY_FREE);
		folio_unbind(f);
	}
	map_present(m, p, idx, f, fi.exclusive);
	mp->locked = (uint8_t)locked;
	ev_fault(m, type, off, nr, f->pfn, &fi, IP_DO_SWAP_PAGE);
	/*
	 * 6.1 calls do_wp_page() before swapcache_clear(), but never both: a
	 * synchronous swap-in's folio is fresh, so mapped exclusively.  The
	 * unpin goes first here because do_wp() may forget f.
	 */
	if (f->cached && !f->swapcache) {
		/* synchronous swap-in: swapcache_clear() once the PTE lock is dropped */
		ev_cache_del(m, type, off, nr, f->pfn, IP_SWAPCACHE_CLEAR);
		if (model_slot(m, type, off)->count == 0)
			ev_free(m, type, off, nr, IP_SWAP_ENTRY_FREE);
		folio_unbind(f);
	}
	/* not mapped writable in place: do_wp_page() (the regression's write faults) */
	if (write && !fi.exclusive)
		do_wp(m, p, idx);
}

/*
 * do_swap_page()'s synchronous swap-in (SWP_SYNCHRONOUS_IO, count 1): the
 * pin first (swapcache_prepare(), no folio yet), then the folio, which
 * takes over the pin without entering the swap cache.  NULL: the folio
 * could not be allocated (VM_FAULT_OOM); the pin is dropped, the PTE stays.
 */
static Folio *swapin_sync_pin(Model *m, uint32_t type, uint64_t off, uint32_t nr, int cpu,
			      int may_fail)
{
	Folio *f;

	ev_cache_add(m, type, off, nr, 0, 0, IP_SWAPCACHE_PREPARE);
	if (may_fail && rng_below(&m->rng, 64) == 0) {
		ev_cache_del(m, type, off, nr, 0, IP_SWAPCACHE_CLEAR);
		return NULL;
	}
	f = folio_new(m, nr);
	ev_cache_move(m, type, off, nr, 0, f->pfn, IP_HANDLE_PTE_FAULT);
	folio_bind(m, f, type, off, 0);
	lru_add(m, f, cpu);
	return f;
}

/* Swap-in of one swap mapping (do_swap_page(), or swapoff's unuse_pte()). */
void swap_in(Model *m, int p, int idx, int want_write, int how)
{
	Mapping *mp = &m->procs[p].map[idx];
	uint32_t type = mp->type, nr = mp->nr;
	uint64_t off = mp->off;
	Slot *s = model_slot(m, type, off);
	Folio *f = s->cache;

	if (!f && how != SWAPIN_UNUSE && m->dev[type].synchronous && s->count == 1) {
		f = swapin_sync_pin(m, type, off, nr, proc_cpu(p), 1);
		if (!f)
			return;
	} else if (!f) {
		/* __read_swap_cache_async(): pin, swap cache, local LRU batch */
		f = folio_new(m, nr);
		ev_cache_add(m, type, off, nr, f->pfn, 0, IP_SWAPCACHE_PREPARE);
		folio_bind(m, f, type, off, 1);
		lru_add(m, f, proc_cpu(p));
	}
	swapin_finish(m, p, idx, f, want_write, how);
}

static void wp_reuse(Mapping *mp)
{
	mp->excl = 1;
	if (mp->folio->lazyfree)
		mp->folio->dirty = 1;
}

/*
 * A write to a present page.  An exclusive one is written in place with no
 * fault at all (a cached copy goes stale without an event: EMIT-POINTS.md,
 * known limits); otherwise do_wp_page() reuses the folio when its
 * references allow, freeing its swap cache on the way, or copies it.
 */
void do_wp(Model *m, int p, int idx)
{
	Mapping *mp = &m->procs[p].map[idx];
	Folio *f = mp->folio, *copy;
	int cpu = proc_cpu(p);

	if (mp->excl) {
		wp_reuse(mp);
		return;
	}
	if (f->nmaps + f->cached + (f->batch_cpu >= 0) > 3)
		goto copy;
	if (f->batch_cpu >= 0)
		lru_drain(m, cpu);
	if (f->nmaps + f->cached + (f->batch_cpu >= 0) > 1 + f->cached)
		goto copy;
	if (f->cached && folio_count(m, f) == 0 && !f->writeback) {
		/* folio_free_swap() */
		ev_cache_del(m, f->type, f->off, f->nr, f->pfn, IP_DO_WP_PAGE);
		ev_free(m, f->type, f->off, f->nr, IP_SWAP_ENTRY_FREE);
		folio_unbind(f);
	}
	if (f->nmaps + f->cached + (f->batch_cpu >= 0) != 1)
		goto copy;
	wp_reuse(mp);
	return;
copy:
	folio_unmap(f, p, idx);
	copy = folio_new(m, f->nr);
	lru_add(m, copy, cpu);
	map_present(m, p, idx, copy, 1);
	folio_unmapped(m, f);
}

void model_start_inflight(Model *m)
{
	int n = (int)(sizeof(m->inflight) / sizeof(m->inflight[0]));

	for (int p = 0; p < m->opt.max_procs && m->ninflight < n; p++) {
		if (!m->procs[p].alive)
			continue;
		for (int idx = 0; idx < MODEL_MAPS_PER_PROC; idx++) {
			Mapping *mp = &m->procs[p].map[idx];
			Slot *s;

			if (mp->state != MAP_SWAP || !m->dev[mp->type].synchronous)
				continue;
			s = model_slot(m, mp->type, mp->off);
			if (s->count != 1 || s->bound)
				continue;
			m->inflight[m->ninflight].proc = p;
			m->inflight[m->ninflight].idx = idx;
			m->inflight[m->ninflight].folio =
				swapin_sync_pin(m, mp->type, mp->off, mp->nr, proc_cpu(p), 0);
			m->ninflight++;
			break; /* one fault per process */
		}
	}
}

void model_finish_inflight(Model *m)
{
	for (int i = 0; i < m->ninflight; i++)
		swapin_finish(m, m->inflight[i].proc, m->inflight[i].idx, m->inflight[i].folio,
			      (int)rng_below(&m->rng, 2), SWAPIN_FAULT);
	m->ninflight = 0;
}
