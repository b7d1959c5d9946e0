/*
 * The workload: processes touch anonymous pages, reclaim swaps folios out
 * (splitting some large ones, leaving some under writeback), faults swap
 * them back in, fork and exit share and drop swap entries, MADV_FREE makes
 * folios lazyfree, compaction migrates folios, mlock faults a mapping in,
 * and a transient device comes and goes.  Each model_step() is one
 * operation.  Device 1 is synchronous (zram): a swap-in of an entry with
 * count 1 pins the slot before its folio exists and never puts the folio
 * in the swap cache, as 6.1's do_swap_page() does.
 *
 * The fault (fault.c) decides as 6.1's do_swap_page(),
 * should_try_to_free_swap() and folio_free_swap() do, from the folio's real
 * state: in the swap cache or not, references (its mappings, the swap
 * cache's, a per-CPU LRU batch's), writeback, mlock, vm_swap_full(); a write
 * fault on a swap-cache folio off the LRU drains the local LRU batch first
 * (--regression: it does not, as the kernel of
 * kernel/patches/linux-6.1-regression/).
 *
 * The clean model keeps every rule of DESIGN.md §4 (the fault injections
 * in inject.c are the only way a finding gets into a trace):
 *
 *  - every device stays under MODEL_FULL_PCT percent full, so no cached slot
 *    ever meets vm_swap_full() (retention_full);
 *  - the programs write on a swap-in fault only where a correct 6.1 maps the
 *    folio exclusively and keeps no swap-cache copy of it (it frees the
 *    cache, or the folio never was in it); elsewhere they read, and write
 *    later through do_wp_page(), which copies or frees the cache.  So no
 *    write fault leaves a stale cached copy (retention_stale, wp_roundtrip).
 *    The same programs on the --regression kernel do leave them;
 *  - swap-in never races in the clean model (swapin_race);
 *  - a lazyfree folio that reclaim made swap-backed again because of an
 *    extra reference is never given a swap slot afterwards
 *    (lazyfree_swapped): the model's reclaim leaves it alone.
 */
#include "model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_FULL_PCT 40

enum {
	OPK_TOUCH,
	OPK_RECLAIM,
	OPK_FAULT,
	OPK_WP,
	OPK_FORK,
	OPK_EXIT,
	OPK_ZAP,
	OPK_DEVICE,
	OPK_INJECT,
	OPK_MADV_FREE,
	OPK_COMPACT,
	OPK_MLOCK,
	_OPK_MAX,
};

const char *const model_op_names[_OPK_MAX + 1] = {
	[OPK_TOUCH] = "touch",	   [OPK_RECLAIM] = "reclaim",
	[OPK_FAULT] = "fault",	   [OPK_WP] = "wp",
	[OPK_FORK] = "fork",	   [OPK_EXIT] = "exit",
	[OPK_ZAP] = "zap",	   [OPK_DEVICE] = "device",
	[OPK_INJECT] = "inject",   [OPK_MADV_FREE] = "madv_free",
	[OPK_COMPACT] = "compact", [OPK_MLOCK] = "mlock",
};
_Static_assert(_OPK_MAX <= sizeof(((Model *)0)->ops_done) / sizeof(uint64_t),
	       "Model.ops_done has a counter per kind");

uint64_t rng_next(Rng *r)
{
	/* splitmix64: tiny, good enough, and the same on every machine */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rng_below(Rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "swaptrace-emit: out of memory\n");
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fprintf(stderr, "swaptrace-emit: out of memory\n");
		exit(1);
	}
	return p;
}

Device *model_device(Model *m, uint32_t type)
{
	return type < MODEL_MAX_DEVICES ? &m->dev[type] : NULL;
}

Slot *model_slot(Model *m, uint32_t type, uint64_t off)
{
	return &m->dev[type].slots[off];
}

uint64_t model_new_pfn(Model *m, uint32_t nr)
{
	/* pfns of a large folio are aligned to its size, as the buddy allocator's */
	uint64_t pfn = (m->next_pfn + nr - 1) / nr * nr;

	m->next_pfn = pfn + nr;
	return pfn;
}

int model_swap_full(Model *m)
{
	uint64_t used = 0, total = 0;

	for (int t = 0; t < m->ndev; t++) {
		if (m->dev[t].on) {
			used += m->dev[t].used;
			total += m->dev[t].nr_slots;
		}
	}
	return used * 2 > total;
}

void model_device_on(Model *m, uint32_t type, uint64_t nr_slots, uint32_t cluster_size,
		     int synthetic, int synchronous)
{
	Device *d = &m->dev[type];

	if (!d->slots)
		d->slots = xcalloc(nr_slots, sizeof(Slot));
	d->on = 1;
	d->synthetic = synthetic;
	d->synchronous = synchronous;
	d->type = type;
	d->nr_slots = nr_slots;
	d->cluster_size = cluster_size;
	d->cursor = 0;
	if ((int)type >= m->ndev)
		m->ndev = (int)type + 1;
	ev_device_on(m, type, IP_SWAPON);
}

int model_init(Model *m, const Options *opt)
{
	memset(m, 0, sizeof(*m));
	m->opt = *opt;
	m->rng.s = opt->seed ^ 0x5357415054524345ull; /* "SWAPTRCE" */
	m->procs = xcalloc((size_t)opt->max_procs, sizeof(Proc));
	m->next_pfn = 0x10000;
	return 0;
}

void model_release(Model *m)
{
	for (int i = 0; i < m->nlive; i++) {
		free(m->live[i]->maps);
		free(m->live[i]);
	}
	free(m->live);
	free(m->procs);
	for (int t = 0; t < MODEL_MAX_DEVICES; t++)
		free(m->dev[t].slots);
	free(m->inj);
}

int proc_cpu(int p)
{
	return p % MODEL_CPUS;
}

/* ---- per-CPU LRU batches (6.1's lru_add pagevecs) ---- */

/* lru_add_drain(): the CPU's batched folios reach the LRU, the batch's references go. */
void lru_drain(Model *m, int cpu)
{
	for (int i = 0; i < m->nbatch[cpu]; i++)
		m->batch[cpu][i]->batch_cpu = -1;
	m->nbatch[cpu] = 0;
}

static void lru_drain_all(Model *m)
{
	for (int cpu = 0; cpu < MODEL_CPUS; cpu++)
		lru_drain(m, cpu);
}

/* folio_add_lru(): the folio waits in the CPU's batch, holding a reference. */
void lru_add(Model *m, Folio *f, int cpu)
{
	if (m->nbatch[cpu] == LRU_BATCH_SIZE)
		lru_drain(m, cpu);
	f->batch_cpu = cpu;
	m->batch[cpu][m->nbatch[cpu]++] = f;
}

static void lru_forget(Model *m, Folio *f)
{
	int cpu = f->batch_cpu;

	if (cpu < 0)
		return;
	for (int i = 0; i < m->nbatch[cpu]; i++) {
		if (m->batch[cpu][i] == f) {
			memmove(&m->batch[cpu][i], &m->batch[cpu][i + 1],
				(size_t)(m->nbatch[cpu] - i - 1) * sizeof(Folio *));
			m->nbatch[cpu]--;
			break;
		}
	}
	f->batch_cpu = -1;
}

/* ---- folios ---- */

Folio *folio_new(Model *m, uint32_t nr)
{
	Folio *f = xcalloc(1, sizeof(*f));

	f->pfn = model_new_pfn(m, nr);
	f->nr = nr;
	f->batch_cpu = -1;
	if (m->nlive == m->live_cap) {
		m->live_cap = m->live_cap ? m->live_cap * 2 : 256;
		m->live = xrealloc(m->live, (size_t)m->live_cap * sizeof(*m->live));
	}
	f->live_idx = m->nlive;
	m->live[m->nlive++] = f;
	return f;
}

static void folio_destroy(Model *m, Folio *f)
{
	Folio *last = m->live[--m->nlive];

	lru_forget(m, f);
	last->live_idx = f->live_idx;
	m->live[f->live_idx] = last;
	free(f->maps);
	free(f);
}

static void folio_map(Folio *f, int proc, int idx)
{
	if (f->nmaps == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		f->maps = xrealloc(f->maps, (size_t)f->cap * sizeof(*f->maps));
	}
	f->maps[f->nmaps++] = (Mapper){ proc, idx };
}

void folio_unmap(Folio *f, int proc, int idx)
{
	for (int i = 0; i < f->nmaps; i++) {
		if (f->maps[i].proc == proc && f->maps[i].idx == idx) {
			/* keep mapper order: it decides the order of reclaim's dups */
			memmove(&f->maps[i], &f->maps[i + 1],
				(size_t)(f->nmaps - i - 1) * sizeof(*f->maps));
			f->nmaps--;
			return;
		}
	}
	abort(); /* a mapping the folio does not know: a model bug */
}

/* The folio holds the slots' cache pin; swapcache: it is in the swap cache proper. */
void folio_bind(Model *m, Folio *f, uint32_t type, uint64_t off, int swapcache)
{
	f->cached = 1;
	f->swapcache = swapcache;
	f->type = type;
	f->off = off;
	for (uint32_t i = 0; i < f->nr; i++)
		model_slot(m, type, off + i)->cache = f;
}

void folio_unbind(Folio *f)
{
	f->cached = 0;
	f->swapcache = 0;
	f->writeback = 0;
}

int32_t folio_count(Model *m, Folio *f)
{
	return model_slot(m, f->type, f->off)->count;
}

/* Mapped by a VM_LOCKED vma: unevictable. */
static int folio_mlocked(Model *m, const Folio *f)
{
	for (int i = 0; i < f->nmaps; i++)
		if (m->procs[f->maps[i].proc].map[f->maps[i].idx].locked)
			return 1;
	return 0;
}

void map_present(Model *m, int p, int idx, Folio *f, int excl)
{
	Mapping *mp = &m->procs[p].map[idx];

	*mp = (Mapping){
		.state = MAP_PRESENT, .excl = (uint8_t)excl, .locked = mp->locked, .folio = f
	};
	folio_map(f, p, idx);
}

/* ---- slot allocation ---- */

int model_find_free(Model *m, uint32_t type, uint32_t nr, uint32_t align, uint32_t phase,
		    uint64_t *ret_off)
{
	Device *d = &m->dev[type];
	uint64_t n = d->nr_slots / align;

	for (uint64_t step = 0; step < n; step++) {
		uint64_t base = ((d->cursor / align + step) % n) * align + phase;
		uint64_t i;

		if (base + nr > d->nr_slots)
			continue;
		/* never across a cluster */
		if (base / d->cluster_size != (base + nr - 1) / d->cluster_size)
			continue;
		for (i = 0; i < nr; i++) {
			Slot *s = &d->slots[base + i];

			if (s->allocated || s->poisoned)
				break;
		}
		if (i == nr) {
			d->cursor = base + nr;
			*ret_off = base;
			return 0;
		}
	}
	return -1;
}

/*
 * Device priority as swapon -p would give: the transient device 2 first,
 * then 0 and 1, which share a priority and so take turns (6.1 requeues a
 * device behind its equals after each allocation).
 */
static int alloc_slots(Model *m, uint32_t nr, uint32_t *ret_type, uint64_t *ret_off)
{
	const uint32_t order[] = { 2, m->rr, 1 - m->rr };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		Device *d = &m->dev[order[i]];

		if (!d->on || d->synthetic)
			continue;
		if ((d->used + nr) * 100 > d->nr_slots * MODEL_FULL_PCT)
			continue;
		if (model_find_free(m, order[i], nr, nr, 0, ret_off) == 0) {
			*ret_type = order[i];
			if (order[i] < 2)
				m->rr = 1 - order[i];
			return 0;
		}
	}
	return -1;
}

/* ---- operations ---- */

static uint32_t pick_folio_nr(Model *m)
{
	static const uint32_t sizes[] = { 2, 4, 8, 16 };

	if (!m->opt.large_folios || rng_below(&m->rng, 100) < 60)
		return 1;
	return sizes[rng_below(&m->rng, 4)];
}

static int pick_proc(Model *m)
{
	int n = m->opt.max_procs;
	int start = (int)rng_below(&m->rng, (uint64_t)n);

	for (int i = 0; i < n; i++) {
		int p = (start + i) % n;

		if (m->procs[p].alive)
			return p;
	}
	return -1;
}

static int pick_mapping(Model *m, int p, int state)
{
	int start = (int)rng_below(&m->rng, MODEL_MAPS_PER_PROC);

	for (int i = 0; i < MODEL_MAPS_PER_PROC; i++) {
		int idx = (start + i) % MODEL_MAPS_PER_PROC;

		if (m->procs[p].map[idx].state == state)
			return idx;
	}
	return -1;
}

static int spawn(Model *m)
{
	for (int p = 0; p < m->opt.max_procs; p++) {
		if (!m->procs[p].alive) {
			memset(&m->procs[p], 0, sizeof(m->procs[p]));
			m->procs[p].alive = 1;
			return p;
		}
	}
	return -1;
}

/* The swap cache folio's last user is gone: drop it and its slots (free_swap_cache). */
static void drop_cached_unmapped(Model *m, Folio *f, CallSite ip)
{
	ev_cache_del(m, f->type, f->off, f->nr, f->pfn, ip);
	ev_free(m, f->type, f->off, f->nr, IP_SWAP_ENTRY_FREE);
	folio_destroy(m, f);
}

/*
 * A swap PTE dropped (zap_pte_range(), MADV_FREE): a direct put, then
 * free_swap_and_cache() frees the slots when the count is 0 and nothing
 * maps the cached folio; a folio under writeback or still mapped keeps
 * them (lazy).
 */
static void drop_swap_pte(Model *m, const Mapping *mp, CallSite put_ip)
{
	Slot *s;

	ev_put(m, mp->type, mp->off, mp->nr, 0, put_ip);
	s = model_slot(m, mp->type, mp->off);
	if (s->count == 0) {
		Folio *f = s->cache;

		if (!f)
			ev_free(m, mp->type, mp->off, mp->nr, IP_FREE_SWAP_AND_CACHE);
		else if (f->nmaps == 0 && !f->writeback)
			/* __try_to_reclaim_swap(): unmapped folio goes too */
			drop_cached_unmapped(m, f, IP_FREE_SWAP_AND_CACHE);
	}
}

/* A folio lost its last mapping; what is in the swap cache stays until reclaim. */
void folio_unmapped(Model *m, Folio *f)
{
	if (f->nmaps == 0 && !f->cached)
		folio_destroy(m, f);
}

/* munmap/MADV_DONTNEED/exit of one mapping (zap_pte_range). */
static void zap(Model *m, int p, int idx)
{
	Mapping *mp = &m->procs[p].map[idx];

	if (mp->state == MAP_PRESENT) {
		Folio *f = mp->folio;

		folio_unmap(f, p, idx);
		if (f->nmaps == 0 && f->cached && folio_count(m, f) == 0 && !f->writeback)
			drop_cached_unmapped(m, f, IP_FREE_SWAP_CACHE);
		else
			/* other swap PTEs still need a cached copy, or it is written back */
			folio_unmapped(m, f);
	} else if (mp->state == MAP_SWAP) {
		drop_swap_pte(m, mp, IP_ZAP_PTE_RANGE);
	}
	*mp = (Mapping){ .state = MAP_NONE };
}

static int op_touch(Model *m, int p)
{
	int idx = pick_mapping(m, p, MAP_NONE);
	Folio *f;

	if (idx < 0) {
		/* the process is full: it unmaps something first */
		idx = (int)rng_below(&m->rng, MODEL_MAPS_PER_PROC);
		zap(m, p, idx);
	}
	f = folio_new(m, pick_folio_nr(m));
	lru_add(m, f, proc_cpu(p));
	map_present(m, p, idx, f, 1);
	return 1;
}

/*
 * Reclaim of a lazyfree folio (try_to_unmap_one(), mapping by mapping): a
 * clean folio whose only references are isolation's and its mappings' is
 * discarded; a redirtied one, or one with an extra reference, becomes
 * swap-backed again and stays.
 */
static int reclaim_lazyfree(Model *m, Folio *f)
{
	/* a racing speculative reference (GUP-fast, a page cache lookup) */
	int extra = rng_below(&m->rng, 8) == 0;

	while (f->nmaps > 0) {
		Mapper mp = f->maps[0];
		int32_t mapcount = f->nmaps;
		int32_t refs = 1 + mapcount + extra;
		LazyfreeVerdict v;

		if (!f->dirty && !extra) {
			ev_lazyfree(m, f->pfn, f->nr, 0, refs, mapcount, LAZYFREE_DISCARDED,
				    IP_TRY_TO_UNMAP_ONE);
			folio_unmap(f, mp.proc, mp.idx);
			/* the data is gone: the next access reads zeroes */
			m->procs[mp.proc].map[mp.idx] = (Mapping){ .state = MAP_NONE };
			continue;
		}
		v = f->dirty ? LAZYFREE_REDIRTIED : LAZYFREE_REFERENCED;
		ev_lazyfree(m, f->pfn, f->nr, f->dirty, refs, mapcount, v, IP_TRY_TO_UNMAP_ONE);
		f->lazyfree = 0;
		f->no_swap = f->no_swap || v == LAZYFREE_REFERENCED;
		return 1;
	}
	folio_destroy(m, f);
	return 1;
}

/*
 * Reclaim of a large folio that cannot go to swap whole: the swap-cache
 * folio is split into folios of new_nr pages, each then unmapped and
 * dropped on its own, with its own pfn.  The PTE range becomes swap
 * entries for all of it, as one model mapping.
 */
static int reclaim_split(Model *m, Folio *f)
{
	uint32_t type = f->type, nr = f->nr, shifts = 0, new_nr;
	uint64_t off = f->off, pfn = f->pfn;

	while ((2u << shifts) < nr)
		shifts++;
	new_nr = nr >> (1 + rng_below(&m->rng, shifts + 1));
	ev_cache_split(m, type, off, nr, pfn, new_nr, IP_SPLIT_HUGE_PAGE);
	for (uint32_t k = 0; k < nr; k += new_nr) {
		for (int i = 0; i < f->nmaps; i++)
			ev_dup(m, type, off + k, new_nr, pfn + k, -1, IP_FOLIO_DUP_SWAP);
		ev_cache_del(m, type, off + k, new_nr, pfn + k, IP_REMOVE_MAPPING);
		if (model_slot(m, type, off + k)->count == 0)
			ev_free(m, type, off + k, new_nr, IP_SWAP_ENTRY_FREE);
	}
	for (int i = 0; i < f->nmaps; i++) {
		Mapping *mp = &m->procs[f->maps[i].proc].map[f->maps[i].idx];

		*mp = (Mapping){
			.state = MAP_SWAP, .excl = mp->excl, .type = type, .off = off, .nr = nr
		};
	}
	f->nmaps = 0;
	folio_destroy(m, f);
	return 1;
}

static int op_reclaim(Model *m, int p)
{
	Folio *f;
	uint32_t type;
	uint64_t off;

	/* shrink_inactive_list(): lru_add_drain() on the reclaiming CPU */
	lru_drain(m, proc_cpu(p));
	if (m->nlive == 0)
		return 0;
	f = m->live[rng_below(&m->rng, (uint64_t)m->nlive)];
	/* not isolatable from another CPU's batch; unevictable; kept for good (no_swap) */
	if (f->batch_cpu >= 0 || folio_mlocked(m, f) || f->no_swap)
		return 0;
	if (f->lazyfree)
		return reclaim_lazyfree(m, f);
	/* a writeback an earlier pass started is done */
	f->writeback = 0;
	if (!f->cached) {
		if (alloc_slots(m, f->nr, &type, &off) < 0)
			return 0;
		ev_alloc(m, type, off, f->nr, f->pfn, IP_FOLIO_ALLOC_SWAP);
		folio_bind(m, f, type, off, 1);
	}
	if (f->nr > 1 && rng_below(&m->rng, 4) == 0)
		return reclaim_split(m, f);
	/* try_to_unmap(): one folio-bound dup per mapping replaced by a swap entry */
	for (int i = 0; i < f->nmaps; i++) {
		Mapping *mp = &m->procs[f->maps[i].proc].map[f->maps[i].idx];

		ev_dup(m, f->type, f->off, f->nr, f->pfn, -1, IP_FOLIO_DUP_SWAP);
		*mp = (Mapping){ .state = MAP_SWAP,
				 .excl = mp->excl,
				 .type = f->type,
				 .off = f->off,
				 .nr = f->nr };
	}
	f->nmaps = 0;
	if (!m->dev[f->type].synchronous && rng_below(&m->rng, 4) == 0) {
		/* pageout() started the write: the folio stays cached until a later pass */
		f->writeback = 1;
		return 1;
	}
	/* written back (or clean already): __remove_mapping() drops the folio */
	ev_cache_del(m, f->type, f->off, f->nr, f->pfn, IP_REMOVE_MAPPING);
	if (folio_count(m, f) == 0)
		ev_free(m, f->type, f->off, f->nr, IP_SWAP_ENTRY_FREE);
	folio_destroy(m, f);
	return 1;
}

static int op_fault(Model *m, int p)
{
	int idx = pick_mapping(m, p, MAP_SWAP);
	int want_write = (int)rng_below(&m->rng, 2);

	if (idx < 0)
		return 0;
	swap_in(m, p, idx, want_write, SWAPIN_FAULT);
	return 1;
}

static int op_wp(Model *m, int p)
{
	int idx = pick_mapping(m, p, MAP_PRESENT);

	if (idx < 0)
		return 0;
	do_wp(m, p, idx);
	return 1;
}

static int op_fork(Model *m, int p)
{
	int q = spawn(m);

	if (q < 0)
		return 0;
	for (int idx = 0; idx < MODEL_MAPS_PER_PROC; idx++) {
		Mapping *mp = &m->procs[p].map[idx];

		/* shared now: neither side is exclusive; VM_LOCKED is not inherited */
		mp->excl = 0;
		m->procs[q].map[idx] = *mp;
		m->procs[q].map[idx].locked = 0;
		if (mp->state == MAP_PRESENT)
			folio_map(mp->folio, q, idx);
		else if (mp->state == MAP_SWAP)
			/* copy_nonpresent_pte(): a direct dup, no folio */
			ev_dup(m, mp->type, mp->off, mp->nr, 0, -1, IP_COPY_NONPRESENT_PTE);
	}
	return 1;
}

static void proc_exit(Model *m, int p)
{
	for (int idx = 0; idx < MODEL_MAPS_PER_PROC; idx++)
		zap(m, p, idx);
	m->procs[p].alive = 0;
}

static int count_procs(Model *m)
{
	int n = 0;

	for (int p = 0; p < m->opt.max_procs; p++)
		n += m->procs[p].alive;
	return n;
}

/*
 * MADV_FREE of one mapping (madvise_free_pte_range()): a swap PTE is
 * dropped; a folio mapped only here leaves the swap cache if it can and
 * becomes lazyfree: clean, not swap-backed, discarded by reclaim unless
 * written again.
 */
static int op_madv_free(Model *m, int p)
{
	int idx = (int)rng_below(&m->rng, MODEL_MAPS_PER_PROC);
	Mapping *mp = &m->procs[p].map[idx];
	Folio *f = mp->folio;

	if (mp->locked || mp->state == MAP_NONE)
		return 0; /* -EINVAL on a VM_LOCKED vma */
	if (mp->state == MAP_SWAP) {
		drop_swap_pte(m, mp, IP_MADVISE_FREE);
		*mp = (Mapping){ .state = MAP_NONE };
		return 1;
	}
	if (f->nmaps != 1)
		return 0; /* shared folios are skipped */
	if (f->cached) {
		if (folio_count(m, f) != 0 || f->writeback)
			return 0; /* folio_free_swap() refused: skipped */
		ev_cache_del(m, f->type, f->off, f->nr, f->pfn, IP_MADVISE_FREE);
		ev_free(m, f->type, f->off, f->nr, IP_SWAP_ENTRY_FREE);
		folio_unbind(f);
	}
	f->lazyfree = 1;
	f->dirty = 0;
	return 1;
}

/*
 * Proactive compaction (echo 1 > /proc/sys/vm/compact_memory): every LRU
 * batch is drained (compact_nodes()), then folios move to new page frames;
 * a swap-cache folio takes its cache binding along (folio_migrate_mapping()).
 * Folios under writeback are skipped, as async migration does.
 */
static int op_compact(Model *m)
{
	int moved = 0;

	lru_drain_all(m);
	for (int i = 0; i < 8 && m->nlive > 0; i++) {
		Folio *f = m->live[rng_below(&m->rng, (uint64_t)m->nlive)];
		uint64_t old = f->pfn;

		if (f->writeback)
			continue;
		f->pfn = model_new_pfn(m, f->nr);
		if (f->cached)
			ev_cache_move(m, f->type, f->off, f->nr, old, f->pfn, IP_MIGRATE_FOLIO);
		moved++;
	}
	return moved > 0;
}

/* mlock() of one mapping: a swapped-out one is faulted in at once (VM_LOCKED). */
static int op_mlock(Model *m, int p)
{
	int idx = (int)rng_below(&m->rng, MODEL_MAPS_PER_PROC);
	Mapping *mp = &m->procs[p].map[idx];

	if (mp->state == MAP_NONE || mp->locked)
		return 0;
	mp->locked = 1;
	if (mp->state == MAP_SWAP)
		swap_in(m, p, idx, 0, SWAPIN_MLOCK);
	return 1;
}

/* swapoff: try_to_unuse() swaps every entry of the device back in, then drops the cache. */
static void device_off(Model *m, uint32_t type)
{
	Device *d = &m->dev[type];

	for (int p = 0; p < m->opt.max_procs; p++) {
		if (!m->procs[p].alive)
			continue;
		for (int idx = 0; idx < MODEL_MAPS_PER_PROC; idx++) {
			Mapping *mp = &m->procs[p].map[idx];

			if (mp->state == MAP_SWAP && mp->type == type)
				swap_in(m, p, idx, 0, SWAPIN_UNUSE);
		}
	}
	for (uint64_t off = 0; off < d->nr_slots; off++) {
		Folio *f = d->slots[off].cache;

		if (f && f->off == off) {
			ev_cache_del(m, type, off, f->nr, f->pfn, IP_SWAPOFF);
			ev_free(m, type, off, f->nr, IP_SWAP_ENTRY_FREE);
			folio_unbind(f);
			folio_unmapped(m, f);
		}
	}
	if (d->used != 0)
		abort(); /* an allocated slot nobody references: a model bug */
	d->on = 0;
	ev_device_off(m, type, IP_SWAPOFF);
}

static int injection_at(Model *m)
{
	for (int i = 0; i < m->ninj; i++)
		if (!m->inj[i].done && m->inj[i].op == m->op)
			return i;
	return -1;
}

static int device_schedule(Model *m)
{
	uint64_t n = m->opt.ops;

	/* the transient device lives through the middle half of a long enough run */
	if (!m->emitting || n < 100)
		return 0;
	if (m->op == n / 4 && !m->dev[2].on) {
		model_device_on(m, 2, 4096, 32, 0, 0);
		return 1;
	}
	if (m->op == n * 3 / 4 && m->dev[2].on) {
		device_off(m, 2);
		return 1;
	}
	return 0;
}

static int pick_kind(Model *m)
{
	/* cumulative percentages, in OPK_* order of the workload's kinds */
	static const struct {
		int kind, upto;
	} mix[] = {
		{ OPK_TOUCH, 21 },   { OPK_RECLAIM, 45 }, { OPK_FAULT, 68 }, { OPK_WP, 74 },
		{ OPK_FORK, 81 },    { OPK_EXIT, 86 },	  { OPK_ZAP, 92 },   { OPK_MADV_FREE, 96 },
		{ OPK_COMPACT, 98 }, { OPK_MLOCK, 100 },
	};
	int r = (int)rng_below(&m->rng, 100);
	size_t i = 0;

	while (r >= mix[i].upto)
		i++;
	return mix[i].kind;
}

void model_step(Model *m)
{
	int i = m->emitting ? injection_at(m) : -1;
	int kind, p, done = 0;

	if (i >= 0) {
		inject_run(m, &m->inj[i]);
		m->ops_done[OPK_INJECT]++;
		m->op++;
		return;
	}
	if (device_schedule(m)) {
		m->ops_done[OPK_DEVICE]++;
		m->op++;
		return;
	}
	p = pick_proc(m);
	if (p < 0)
		p = spawn(m);
	kind = pick_kind(m);

	switch (kind) {
	case OPK_TOUCH:
		done = op_touch(m, p);
		break;
	case OPK_RECLAIM:
		done = op_reclaim(m, p);
		break;
	case OPK_FAULT:
		done = op_fault(m, p);
		break;
	case OPK_WP:
		done = op_wp(m, p);
		break;
	case OPK_FORK:
		/* pre-forking servers: half the forks come from the oldest process */
		if (rng_below(&m->rng, 2) == 0 && m->procs[0].alive)
			p = 0;
		done = op_fork(m, p);
		break;
	case OPK_EXIT:
		if (count_procs(m) > 2) {
			proc_exit(m, p);
			done = 1;
		}
		break;
	case OPK_ZAP: {
		int idx = (int)rng_below(&m->rng, MODEL_MAPS_PER_PROC);

		done = m->procs[p].map[idx].state != MAP_NONE;
		zap(m, p, idx);
		break;
	}
	case OPK_MADV_FREE:
		done = op_madv_free(m, p);
		break;
	case OPK_COMPACT:
		done = op_compact(m);
		break;
	case OPK_MLOCK:
		done = op_mlock(m, p);
		break;
	}
	if (!done) {
		/* nothing to do for that kind right now: the process touches memory */
		kind = OPK_TOUCH;
		op_touch(m, p);
	}
	m->ops_done[kind]++;
	m->op++;
}

/*
 * What the kernel's dump reports for one slot (kernel patch 0004,
 * swap_state_slot()): free (0, 0, 0); else the count, the pfn of the folio
 * in the swap cache (0 for none, or for a synchronous swap-in's folio,
 * which the swap cache does not show), and the pin.  Count 0 with no folio
 * in the swap cache reads as free.
 */
static void dump_view(const Slot *s, int32_t *ret_count, uint64_t *ret_pfn, int *ret_pinned)
{
	uint64_t pfn = 0;
	int32_t count = 0;
	int pinned = 0;

	if (s->allocated) {
		if (s->bound && s->cache_pfn && !(s->cache && !s->cache->swapcache))
			pfn = s->cache_pfn;
		count = count_report(s->count);
		if (count || pfn)
			pinned = s->bound;
	}
	*ret_count = count;
	*ret_pfn = pfn;
	*ret_pinned = pinned;
}

/*
 * The dump of every device that is on (schema/events-v2.md, `state`):
 * state_begin, runs of slots in the same state cluster by cluster (free
 * runs included, so every slot is named once, in offset order), state_end.
 */
void model_state_dump(Model *m)
{
	for (uint32_t t = 0; t < (uint32_t)m->ndev; t++) {
		Device *d = &m->dev[t];

		if (!d->on)
			continue;
		ev_state_begin(m, t, IP_SWAP_STATE_DUMP);
		for (uint64_t off = 0; off < d->nr_slots;) {
			uint64_t cluster_end = (off / d->cluster_size + 1) * d->cluster_size;
			uint64_t end = off + 1;
			int32_t count, c;
			uint64_t pfn, pf;
			int pinned, pn;

			if (cluster_end > d->nr_slots)
				cluster_end = d->nr_slots;
			dump_view(&d->slots[off], &count, &pfn, &pinned);
			for (; end < cluster_end; end++) {
				dump_view(&d->slots[end], &c, &pf, &pn);
				if (c != count || pf != pfn || pn != pinned)
					break;
			}
			ev_state(m, t, off, (uint32_t)(end - off), count, pfn, pinned,
				 IP_SWAP_STATE_DUMP);
			off = end;
		}
		ev_state_end(m, t, IP_SWAP_STATE_DUMP);
	}
}

void model_teardown(Model *m)
{
	for (int p = 0; p < m->opt.max_procs; p++)
		if (m->procs[p].alive)
			proc_exit(m, p);
	/* what writeback kept in the swap cache: written, then reclaimed */
	for (int i = m->nlive - 1; i >= 0; i--) {
		Folio *f = m->live[i];

		if (i >= m->nlive || !f->cached || f->nmaps)
			continue;
		f->writeback = 0;
		if (folio_count(m, f) == 0)
			drop_cached_unmapped(m, f, IP_REMOVE_MAPPING);
	}
	for (uint32_t t = 0; t < (uint32_t)m->ndev; t++) {
		Device *d = &m->dev[t];

		/* devices holding injected patterns stay on: their slots are the evidence */
		if (d->on && !d->synthetic && d->used == 0) {
			d->on = 0;
			ev_device_off(m, t, IP_SWAPOFF);
		}
	}
}

int model_write_final_state(Model *m, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "type\toffset\tallocated\tcount\tcache_pfn\n");
	for (uint32_t t = 0; t < (uint32_t)m->ndev; t++) {
		Device *d = &m->dev[t];

		for (uint64_t off = 0; d->slots && off < d->nr_slots; off++) {
			Slot *s = &d->slots[off];

			if (s->touched)
				fprintf(f, "%u\t%" PRIu64 "\t%u\t%d\t%" PRIu64 "\n", t, off,
					s->allocated, s->count, s->bound ? s->cache_pfn : 0);
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}
