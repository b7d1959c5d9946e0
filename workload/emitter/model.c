/*
 * The workload: processes touch anonymous pages, reclaim swaps folios out,
 * faults swap them back in, fork and exit share and drop swap entries, and a
 * transient device comes and goes.  Each model_step() is one operation; the
 * clean model keeps every rule of DESIGN.md §4 (the fault injections in
 * inject.c are the only way a finding gets into a trace):
 *
 *  - every device stays under MODEL_FULL_PCT percent full, so no cached slot
 *    ever meets vm_swap_full() (retention_full);
 *  - a write swap-in fault happens only where the kernel frees the swap
 *    cache (count 0 after the put, folio exclusive, refs == 2); a write to a
 *    shared folio is a read fault followed by COW, so no write fault ever
 *    leaves a stale cached copy (retention_stale, wp_roundtrip);
 *  - swap-in never races in the clean model (swapin_race).
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
	_OPK_MAX,
};

const char *const model_op_names[_OPK_MAX + 1] = {
	[OPK_TOUCH] = "touch", [OPK_RECLAIM] = "reclaim", [OPK_FAULT] = "fault",
	[OPK_WP] = "wp",       [OPK_FORK] = "fork",	  [OPK_EXIT] = "exit",
	[OPK_ZAP] = "zap",     [OPK_DEVICE] = "device",	  [OPK_INJECT] = "inject",
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

void model_device_on(Model *m, uint32_t type, uint64_t nr_slots, uint32_t cluster_size,
		     int synthetic)
{
	Device *d = &m->dev[type];

	if (!d->slots)
		d->slots = xcalloc(nr_slots, sizeof(Slot));
	d->on = 1;
	d->synthetic = synthetic;
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

/* ---- folios ---- */

static Folio *folio_new(Model *m, uint32_t nr)
{
	Folio *f = xcalloc(1, sizeof(*f));

	f->pfn = model_new_pfn(m, nr);
	f->nr = nr;
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

static void folio_unmap(Folio *f, int proc, int idx)
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

static void folio_bind(Model *m, Folio *f, uint32_t type, uint64_t off)
{
	f->cached = 1;
	f->type = type;
	f->off = off;
	for (uint32_t i = 0; i < f->nr; i++)
		model_slot(m, type, off + i)->cache = f;
}

static int32_t folio_count(Model *m, Folio *f)
{
	return model_slot(m, f->type, f->off)->count;
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

/* Device priority as swapon -p would give: the transient device 2 first, then 0, then 1. */
static int alloc_slots(Model *m, uint32_t nr, uint32_t *ret_type, uint64_t *ret_off)
{
	static const uint32_t order[] = { 2, 0, 1 };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		Device *d = &m->dev[order[i]];

		if (!d->on || d->synthetic)
			continue;
		if ((d->used + nr) * 100 > d->nr_slots * MODEL_FULL_PCT)
			continue;
		if (model_find_free(m, order[i], nr, nr, 0, ret_off) == 0) {
			*ret_type = order[i];
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

/* munmap/MADV_DONTNEED/exit of one mapping (zap_pte_range). */
static void zap(Model *m, int p, int idx)
{
	Mapping *mp = &m->procs[p].map[idx];

	if (mp->state == MAP_PRESENT) {
		Folio *f = mp->folio;

		folio_unmap(f, p, idx);
		if (f->nmaps == 0) {
			if (!f->cached)
				folio_destroy(m, f);
			else if (folio_count(m, f) == 0)
				drop_cached_unmapped(m, f, IP_FREE_SWAP_CACHE);
			/* else: other swap PTEs still need the cached copy */
		}
	} else if (mp->state == MAP_SWAP) {
		Slot *s;

		ev_put(m, mp->type, mp->off, mp->nr, 0, IP_ZAP_PTE_RANGE);
		s = model_slot(m, mp->type, mp->off);
		if (s->count == 0) {
			Folio *f = s->cache;

			if (!f)
				ev_free(m, mp->type, mp->off, mp->nr, IP_FREE_SWAP_AND_CACHE);
			else if (f->nmaps == 0)
				/* __try_to_reclaim_swap(): unmapped folio goes too */
				drop_cached_unmapped(m, f, IP_FREE_SWAP_AND_CACHE);
			/* else: a mapped clean folio keeps its slots (lazy) */
		}
	}
	mp->state = MAP_NONE;
	mp->folio = NULL;
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
	m->procs[p].map[idx] = (Mapping){ .state = MAP_PRESENT, .folio = f };
	folio_map(f, p, idx);
	return 1;
}

static int op_reclaim(Model *m)
{
	Folio *f;
	uint32_t type;
	uint64_t off;

	if (m->nlive == 0)
		return 0;
	f = m->live[rng_below(&m->rng, (uint64_t)m->nlive)];
	if (!f->cached) {
		if (alloc_slots(m, f->nr, &type, &off) < 0)
			return 0;
		ev_alloc(m, type, off, f->nr, f->pfn, IP_FOLIO_ALLOC_SWAP);
		folio_bind(m, f, type, off);
	}
	/* try_to_unmap(): one folio-bound dup per mapping replaced by a swap entry */
	for (int i = 0; i < f->nmaps; i++) {
		Mapping *mp = &m->procs[f->maps[i].proc].map[f->maps[i].idx];

		ev_dup(m, f->type, f->off, f->nr, f->pfn, -1, IP_FOLIO_DUP_SWAP);
		*mp = (Mapping){ .state = MAP_SWAP, .type = f->type, .off = f->off, .nr = f->nr };
	}
	f->nmaps = 0;
	/* written back (or clean already): __remove_mapping() drops the folio */
	ev_cache_del(m, f->type, f->off, f->nr, f->pfn, IP_REMOVE_MAPPING);
	if (folio_count(m, f) == 0)
		ev_free(m, f->type, f->off, f->nr, IP_SWAP_ENTRY_FREE);
	folio_destroy(m, f);
	return 1;
}

/* Swap-in of one swap mapping; fault = 0 for swapoff's unuse_pte(). */
static void swap_in(Model *m, int p, int idx, int want_write, int fault)
{
	Mapping *mp = &m->procs[p].map[idx];
	uint32_t type = mp->type, nr = mp->nr;
	uint64_t off = mp->off;
	Slot *s = model_slot(m, type, off);
	Folio *f = s->cache;
	int32_t count;
	int exclusive, write;

	if (!f) {
		f = folio_new(m, nr);
		ev_cache_add(m, type, off, nr, f->pfn, 0, IP_SWAPCACHE_PREPARE);
		folio_bind(m, f, type, off);
	}
	ev_put(m, type, off, nr, f->pfn, fault ? IP_DO_SWAP_PAGE_PUT : IP_UNUSE_PTE);
	count = s->count;
	*mp = (Mapping){ .state = MAP_PRESENT, .folio = f };
	folio_map(f, p, idx);
	if (!fault)
		return;
	exclusive = count == 0 && f->nmaps == 1;
	/* should_try_to_free_swap(): write fault, refs == 2, nothing else swapped */
	write = want_write && exclusive;
	if (write) {
		ev_cache_del(m, type, off, nr, f->pfn, IP_FOLIO_FREE_SWAP);
		ev_free(m, type, off, nr, IP_SWAP_ENTRY_FREE);
		f->cached = 0;
		ev_fault(m, type, off, nr, f->pfn, 1, 1, 1, 1, 2, IP_DO_SWAP_PAGE);
	} else {
		/* lazy: the clean folio stays cached; refs = ours + cache + other maps */
		ev_fault(m, type, off, nr, f->pfn, 0, exclusive, 0, 1, 1 + f->nmaps,
			 IP_DO_SWAP_PAGE);
	}
}

static int op_fault(Model *m, int p)
{
	int idx = pick_mapping(m, p, MAP_SWAP);
	int want_write = (int)rng_below(&m->rng, 2);

	if (idx < 0)
		return 0;
	swap_in(m, p, idx, want_write, 1);
	return 1;
}

/* A write to a present page (do_wp_page): reuse frees the cache, else COW. */
static int op_wp(Model *m, int p)
{
	int idx = pick_mapping(m, p, MAP_PRESENT);
	Folio *f, *copy;

	if (idx < 0)
		return 0;
	f = m->procs[p].map[idx].folio;
	if (f->nmaps == 1 && (!f->cached || folio_count(m, f) == 0)) {
		if (f->cached) {
			ev_cache_del(m, f->type, f->off, f->nr, f->pfn, IP_DO_WP_PAGE);
			ev_free(m, f->type, f->off, f->nr, IP_SWAP_ENTRY_FREE);
			f->cached = 0;
		}
		return 1;
	}
	/* shared (mapped elsewhere or still swapped elsewhere): copy on write */
	folio_unmap(f, p, idx);
	copy = folio_new(m, f->nr);
	m->procs[p].map[idx] = (Mapping){ .state = MAP_PRESENT, .folio = copy };
	folio_map(copy, p, idx);
	return 1;
}

static int op_fork(Model *m, int p)
{
	int q = spawn(m);

	if (q < 0)
		return 0;
	for (int idx = 0; idx < MODEL_MAPS_PER_PROC; idx++) {
		Mapping *mp = &m->procs[p].map[idx];

		m->procs[q].map[idx] = *mp;
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
				swap_in(m, p, idx, 0, 0);
		}
	}
	for (uint64_t off = 0; off < d->nr_slots; off++) {
		Folio *f = d->slots[off].cache;

		if (f && f->off == off) {
			ev_cache_del(m, type, off, f->nr, f->pfn, IP_SWAPOFF);
			ev_free(m, type, off, f->nr, IP_SWAP_ENTRY_FREE);
			f->cached = 0;
			if (f->nmaps == 0)
				folio_destroy(m, f);
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
		model_device_on(m, 2, 4096, 32, 0);
		return 1;
	}
	if (m->op == n * 3 / 4 && m->dev[2].on) {
		device_off(m, 2);
		return 1;
	}
	return 0;
}

void model_step(Model *m)
{
	int i = m->emitting ? injection_at(m) : -1;
	int kind, p, done = 0;
	uint64_t r;

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
	r = rng_below(&m->rng, 100);
	if (r < 22)
		kind = OPK_TOUCH;
	else if (r < 47)
		kind = OPK_RECLAIM;
	else if (r < 72)
		kind = OPK_FAULT;
	else if (r < 78)
		kind = OPK_WP;
	else if (r < 86)
		kind = OPK_FORK;
	else if (r < 92)
		kind = OPK_EXIT;
	else
		kind = OPK_ZAP;

	switch (kind) {
	case OPK_TOUCH:
		done = op_touch(m, p);
		break;
	case OPK_RECLAIM:
		done = op_reclaim(m);
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
 * Runs of in-use slots with equal count and caching folio, device by device,
 * each device closed by the end-of-dump marker (schema/events-v1.md,
 * `state`): a state event with nr 0 at offset nr_slots, count 0, pfn 0,
 * saying that every slot the dump did not list is free.
 */
void model_state_dump(Model *m)
{
	for (uint32_t t = 0; t < (uint32_t)m->ndev; t++) {
		Device *d = &m->dev[t];
		uint64_t off = 0;

		if (!d->on)
			continue;
		ev_device_on(m, t, IP_SWAP_STATE_DUMP);
		while (off < d->nr_slots) {
			Slot *s = &d->slots[off];
			uint64_t end = off + 1;

			if (!s->allocated) {
				off++;
				continue;
			}
			while (end < d->nr_slots && d->slots[end].allocated &&
			       d->slots[end].count == s->count &&
			       d->slots[end].cache_pfn == s->cache_pfn && end - off < UINT32_MAX)
				end++;
			ev_state(m, t, off, (uint32_t)(end - off), count_report(s->count),
				 s->cache_pfn, IP_SWAP_STATE_DUMP);
			off = end;
		}
		ev_state(m, t, d->nr_slots, 0, 0, 0, IP_SWAP_STATE_DUMP);
	}
}

void model_teardown(Model *m)
{
	for (int p = 0; p < m->opt.max_procs; p++)
		if (m->procs[p].alive)
			proc_exit(m, p);
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
					s->allocated, s->count, s->cache_pfn);
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}
