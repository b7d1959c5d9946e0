/*
 * Paged per-device slot storage; see slot-table.h for the layout and why.
 * Hash tables here are lookup only: anything that reaches the output
 * iterates devices (sorted array) and pages (sorted copy) in order.
 */
#include "slot-table.h"

#include <string.h>

#include "event.h"

#include "banned.h"

static void page_free(gpointer p)
{
	SlotPage *page = p;

	g_free(page->slots);
	g_free(page->setup);
	g_free(page->life);
	g_free(page->cold);
	g_free(page);
}

static void spares_free(Spares *sp)
{
	for (uint32_t i = 0; i < sp->n; i++)
		g_free(sp->p[i]);
	sp->n = 0;
}

static void device_free(gpointer p)
{
	Device *d = p;

	g_hash_table_destroy(d->pages);
	g_array_unref(d->rare);
	spares_free(&d->spare_lives);
	spares_free(&d->spare_slots);
	spares_free(&d->spare_setups);
	spares_free(&d->spare_colds);
	g_free(d);
}

/* An array of `size` bytes, from the spares if there is one; zeroed if asked. */
static void *spare_take(Spares *sp, size_t size, bool zero)
{
	void *p;

	if (!sp->n)
		return zero ? g_malloc0(size) : g_malloc(size);
	p = sp->p[--sp->n];
	if (zero)
		memset(p, 0, size);
	return p;
}

static void spare_give(Spares *sp, void *p)
{
	if (!p)
		return;
	if (sp->n < SPARE_ARRAYS)
		sp->p[sp->n++] = p;
	else
		g_free(p);
}

void slot_table_init(SlotTable *t)
{
	t->by_type = g_hash_table_new(g_direct_hash, g_direct_equal);
	t->devices = g_ptr_array_new_with_free_func(device_free);
	t->last_device = NULL;
}

void slot_table_release(SlotTable *t)
{
	g_clear_pointer(&t->by_type, g_hash_table_destroy);
	g_clear_pointer(&t->devices, g_ptr_array_unref);
	t->last_device = NULL;
}

static gint device_cmp(gconstpointer a, gconstpointer b)
{
	const Device *da = *(Device *const *)a;
	const Device *db = *(Device *const *)b;

	return da->type < db->type ? -1 : da->type > db->type;
}

static Device *device_new(uint32_t type)
{
	Device *d = g_new0(Device, 1);
	const SlotRare none = { 0 };

	d->type = type;
	d->on_seq = SEQ_NONE;
	d->off_seq = SEQ_NONE;
	d->fresh_seq = SEQ_NONE;
	d->fresh_below = UINT64_MAX;
	d->fresh_kind = EVENT_DEVICE_ON;
	d->v1_on_seq = SEQ_NONE;
	for (unsigned p = 0; p < FILL_LEVELS; p++)
		d->fill_seen_seq[p] = SEQ_NONE;
	d->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, page_free);
	d->rare = g_array_new(FALSE, TRUE, sizeof(SlotRare));
	g_array_append_val(d->rare, none); /* index 0: "no SlotRare" */
	return d;
}

Device *slot_table_device(SlotTable *t, uint32_t type)
{
	Device *d = t->last_device;

	if (d && d->type == type)
		return d;
	d = g_hash_table_lookup(t->by_type, GUINT_TO_POINTER(type));
	if (!d) {
		d = device_new(type);
		g_hash_table_insert(t->by_type, GUINT_TO_POINTER(type), d);
		g_ptr_array_add(t->devices, d);
		/* Devices are few; keep the array sorted so iteration is ordered. */
		g_ptr_array_sort(t->devices, device_cmp);
	}
	t->last_device = d;
	return d;
}

Device *slot_table_device_peek(SlotTable *t, uint32_t type)
{
	Device *d = t->last_device;

	if (d && d->type == type)
		return d;
	return g_hash_table_lookup(t->by_type, GUINT_TO_POINTER(type));
}

void slot_set_fresh(Slot *s, SlotSetup *setup, uint64_t seq, uint8_t kind)
{
	s->flags = (uint16_t)((s->flags & (SLOT_TOUCHED | SLOT_SETTLED)) | SLOT_KNOWN_MASK);
	s->count = 0;
	s->cache_pfn = 0;
	setup->alloc_seq = setup->count_seq = setup->cache_seq = seq;
	s->alloc_kind = s->count_kind = s->cache_kind = kind;
}

/* A page's SlotSetup array, allocated again after a swapoff gave it back. */
static SlotSetup *page_setup(Device *d, SlotPage *page)
{
	if (!page->setup)
		page->setup =
			spare_take(&d->spare_setups, SLOT_PAGE_SLOTS * sizeof(SlotSetup), true);
	return page->setup;
}

static void give_back_life(Device *d, SlotPage *page)
{
	spare_give(&d->spare_lives, page->life);
	page->life = NULL;
}

/*
 * A settled page becomes cold: what its arrays say goes into a SlotCold
 * (see slot_settled() for why that is all they say), and they go back to
 * the spares.
 */
static void page_collapse(Device *d, SlotPage *page)
{
	SlotCold *c = spare_take(&d->spare_colds, sizeof(SlotCold), false);

	g_assert(page->slots && !page->busy && !page->life_open);
	for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
		const Slot *s = &page->slots[k];
		bool touched = s->flags & SLOT_TOUCHED;
		bool known = s->flags & SLOT_KNOWN_MASK;
		uint64_t setup_seq = known ? page->setup[k].alloc_seq : 0;

		c->meta[k] = (uint8_t)((touched ? COLD_TOUCHED : 0) | (known ? COLD_KNOWN : 0) |
				       (known ? s->alloc_kind & COLD_KIND_MASK : 0));
		c->seq[k] = touched ? s->last_seq : setup_seq;
		c->back[k] = (uint16_t)(touched && known ? s->last_seq - setup_seq : 0);
	}
	page->cold = c;
	spare_give(&d->spare_slots, page->slots);
	page->slots = NULL;
	spare_give(&d->spare_setups, page->setup);
	page->setup = NULL;
	if (page->life)
		give_back_life(d, page);
}

/* Takes the oldest page off the idle ring: collapsed if it is still settled. */
static void idle_pop(Device *d)
{
	SlotPage *page = d->idle[d->idle_head];

	d->idle_head = (d->idle_head + 1) % IDLE_PAGES;
	d->idle_len--;
	page->queued = false;
	/*
	 * life_open counts a lifetime that slot_set_fresh() wiped from a slot
	 * forgotten with it open (a swapoff or gap, then a new swapon): the
	 * page keeps its array, as it always did.
	 */
	if (page->slots && !page->busy && !page->life_open)
		page_collapse(d, page);
}

static void page_idle(Device *d, SlotPage *page)
{
	if (page->queued)
		return;
	if (d->idle_len == IDLE_PAGES)
		idle_pop(d);
	d->idle[(d->idle_head + d->idle_len) % IDLE_PAGES] = page;
	d->idle_len++;
	page->queued = true;
}

/*
 * A cold page is touched again: its arrays come back exactly as they were,
 * but for what nothing reads (the time of a cache binding of pfn 0, whose
 * reader needs a folio; the setting-up events of facts not known).  Every
 * slot is settled, so the page goes on the idle ring: if the event leaves
 * it so, it is collapsed again in its turn.
 */
static void page_inflate(Device *d, SlotPage *page)
{
	SlotCold *c = page->cold;

	page->slots = spare_take(&d->spare_slots, SLOT_PAGE_SLOTS * sizeof(Slot), true);
	page->setup = spare_take(&d->spare_setups, SLOT_PAGE_SLOTS * sizeof(SlotSetup), true);
	for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
		Slot *s = &page->slots[k];
		uint8_t m = c->meta[k];

		if (m & COLD_KNOWN)
			slot_set_fresh(s, &page->setup[k], c->seq[k] - c->back[k],
				       m & COLD_KIND_MASK);
		if (m & COLD_TOUCHED) {
			s->flags |= SLOT_TOUCHED;
			s->last_seq = c->seq[k];
		}
		s->flags |= SLOT_SETTLED;
	}
	spare_give(&d->spare_colds, c);
	page->cold = NULL;
	page->busy = 0;
	page_idle(d, page);
}

void page_sync_settled(const SlotRef *ref)
{
	Slot *s = ref->s;
	SlotPage *page = ref->page;
	bool now = slot_settled(s, ref->setup);

	if (now == !!(s->flags & SLOT_SETTLED))
		return;
	if (now) {
		s->flags |= SLOT_SETTLED;
		g_assert(page->busy > 0);
		if (--page->busy == 0)
			page_idle(ref->dev, page);
	} else {
		s->flags &= ~SLOT_SETTLED;
		page->busy++;
	}
}

static void page_recount(SlotPage *page)
{
	uint32_t busy = 0;

	for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
		Slot *s = &page->slots[k];

		if (slot_settled(s, page->setup ? &page->setup[k] : NULL)) {
			s->flags |= SLOT_SETTLED;
		} else {
			s->flags &= ~SLOT_SETTLED;
			busy++;
		}
	}
	page->busy = busy;
}

void page_walk_begin(Device *d, SlotPage *page)
{
	if (!page->slots)
		page_inflate(d, page);
}

void page_walk_end(Device *d, SlotPage *page)
{
	page_recount(page);
	if (!page->busy && !page->life_open)
		page_collapse(d, page);
}

void device_grant_fresh(Device *d, uint64_t lo, uint64_t hi)
{
	GHashTableIter it;
	gpointer value;

	if (d->fresh_seq == SEQ_NONE)
		return;
	/* Order does not matter: this only sets state, it reports nothing. */
	g_hash_table_iter_init(&it, d->pages);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		SlotPage *page = value;
		uint64_t base = page->index << SLOT_PAGE_SHIFT;

		page_walk_begin(d, page);
		for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
			Slot *s = &page->slots[k];

			if (base + k >= lo && base + k < hi && !(s->flags & SLOT_KNOWN_MASK))
				slot_set_fresh(s, &page_setup(d, page)[k], d->fresh_seq,
					       d->fresh_kind);
		}
		page_walk_end(d, page);
	}
}

static SlotPage *page_new(Device *d, uint64_t index)
{
	SlotPage *page = g_new0(SlotPage, 1);

	page->index = index;
	page->slots = spare_take(&d->spare_slots, SLOT_PAGE_SLOTS * sizeof(Slot), true);
	page->setup = spare_take(&d->spare_setups, SLOT_PAGE_SLOTS * sizeof(SlotSetup), true);
	for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
		if (d->fresh_seq != SEQ_NONE && (index << SLOT_PAGE_SHIFT) + k < d->fresh_below)
			slot_set_fresh(&page->slots[k], &page->setup[k], d->fresh_seq,
				       d->fresh_kind);
		page->slots[k].flags |= SLOT_SETTLED;
	}
	/* Every slot is settled (free or unknown): the event creating it will say more. */
	page->busy = 0;
	g_hash_table_insert(d->pages, &page->index, page);
	page_idle(d, page);
	return page;
}

SlotRef device_slot(Device *d, uint64_t offset)
{
	uint64_t index = offset >> SLOT_PAGE_SHIFT;
	uint32_t k = offset & (SLOT_PAGE_SLOTS - 1);
	SlotPage *page = d->last_page;

	if (!page || page->index != index) {
		page = g_hash_table_lookup(d->pages, &index);
		if (!page)
			page = page_new(d, index);
		d->last_page = page;
	}
	if (!page->slots)
		page_inflate(d, page);
	return (SlotRef){
		.dev = d,
		.page = page,
		.s = &page->slots[k],
		.setup = &page_setup(d, page)[k],
		.k = k,
		.offset = offset,
	};
}

SlotRef device_slot_peek(Device *d, uint64_t offset)
{
	uint64_t index = offset >> SLOT_PAGE_SHIFT;
	SlotPage *page = d->last_page;

	if (!page || page->index != index)
		page = g_hash_table_lookup(d->pages, &index);
	if (!page)
		return (SlotRef){ .dev = d, .offset = offset };
	d->last_page = page;
	return device_slot(d, offset);
}

void device_release_cold(Device *d)
{
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, d->pages);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		SlotPage *page = value;

		if (!page->slots)
			continue;
		spare_give(&d->spare_setups, page->setup);
		page->setup = NULL;
		if (page->life && !page->life_open)
			give_back_life(d, page);
		/* Knowing nothing, a page of free slots is settled: it goes cold now. */
		page_walk_end(d, page);
	}
}

SlotRare *slot_rare(const SlotRef *ref)
{
	Device *d = ref->dev;
	uint32_t i = ref->s->rare;

	if (i)
		return &g_array_index(d->rare, SlotRare, i);
	if (d->rare_free) {
		i = d->rare_free;
		d->rare_free = g_array_index(d->rare, SlotRare, i).next_free;
	} else {
		/* More open at once than ever before: the pool grows (GArray doubles). */
		i = d->rare->len;
		g_array_set_size(d->rare, i + 1);
	}
	d->rare_live++;
	ref->s->rare = i;
	/* Every field is written before its flag is set: no need to clear it. */
	return &g_array_index(d->rare, SlotRare, i);
}

void slot_rare_release_idle(const SlotRef *ref)
{
	Device *d = ref->dev;
	uint32_t i = ref->s->rare;

	if (!i || (ref->s->flags & SLOT_RARE_MASK))
		return;
	g_array_index(d->rare, SlotRare, i).next_free = d->rare_free;
	d->rare_free = i;
	d->rare_live--;
	ref->s->rare = 0;
}

SlotLife *slot_life_open(const SlotRef *ref)
{
	SlotPage *page = ref->page;
	Device *d = ref->dev;

	if (!page->life)
		page->life = spare_take(&d->spare_lives, SLOT_PAGE_SLOTS * sizeof(SlotLife), false);
	page->life_open++;
	return &page->life[ref->k];
}

SlotLife *slot_life(const SlotRef *ref)
{
	g_assert(ref->page->life);
	return &ref->page->life[ref->k];
}

void slot_life_close(const SlotRef *ref)
{
	SlotPage *page = ref->page;

	g_assert(page->life && page->life_open > 0);
	if (--page->life_open == 0)
		give_back_life(ref->dev, page);
}

SlotRef page_slot(Device *d, SlotPage *page, uint32_t k)
{
	return (SlotRef){
		.dev = d,
		.page = page,
		.s = &page->slots[k],
		.setup = page->setup ? &page->setup[k] : NULL,
		.k = k,
		.offset = (page->index << SLOT_PAGE_SHIFT) + k,
	};
}

static gint page_cmp(gconstpointer a, gconstpointer b)
{
	const SlotPage *pa = *(SlotPage *const *)a;
	const SlotPage *pb = *(SlotPage *const *)b;

	return pa->index < pb->index ? -1 : pa->index > pb->index;
}

GPtrArray *device_sorted_pages(Device *d)
{
	GPtrArray *pages = g_ptr_array_sized_new(g_hash_table_size(d->pages));
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, d->pages);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(pages, value);
	/* Hash order must never reach the output (DESIGN §6). */
	g_ptr_array_sort(pages, page_cmp);
	return pages;
}

void slot_table_stats(const SlotTable *t, SlotTableStats *ret)
{
	SlotTableStats st = { 0 };

	for (guint i = 0; i < t->devices->len; i++) {
		const Device *d = g_ptr_array_index(t->devices, i);
		GHashTableIter it;
		gpointer value;

		g_hash_table_iter_init(&it, d->pages);
		while (g_hash_table_iter_next(&it, NULL, &value)) {
			const SlotPage *page = value;

			st.pages++;
			st.cold_pages += page->cold != NULL;
			st.setup_arrays += page->setup != NULL;
			st.life_arrays += page->life != NULL;
		}
		st.rare_live += d->rare_live;
		st.rare_peak += d->rare->len - 1;
	}
	*ret = st;
}

static void device_update_fill(Device *d, uint64_t seq)
{
	uint32_t fill = 0;

	if (d->nr_slots) {
		uint64_t f = d->in_use * 1000 / d->nr_slots;

		fill = f > 1000 ? 1000 : (uint32_t)f;
	}
	if (fill == d->fill)
		return;
	/* The old level was in effect up to this event, the new one from it. */
	d->fill_seen_seq[d->fill] = seq;
	d->fill_seen_seq[fill] = seq;
	d->fill = fill;
	if (fill > d->fill_peak)
		d->fill_peak = fill;
}

void device_sync_in_use(Device *d, Slot *s, uint64_t seq)
{
	bool want = (s->flags & (SLOT_ALLOCATED | SLOT_ALLOC_KNOWN)) ==
		    (SLOT_ALLOCATED | SLOT_ALLOC_KNOWN);
	bool have = s->flags & SLOT_IN_USE;

	if (want == have)
		return;
	if (want) {
		s->flags |= SLOT_IN_USE;
		d->in_use++;
		if (d->in_use > d->max_in_use)
			d->max_in_use = d->in_use;
	} else {
		s->flags &= ~SLOT_IN_USE;
		g_assert(d->in_use > 0);
		d->in_use--;
	}
	device_update_fill(d, seq);
}

void device_set_size(Device *d, uint64_t nr_slots, uint32_t cluster_size, uint64_t seq)
{
	d->nr_slots = nr_slots;
	d->cluster_size = cluster_size;
	device_update_fill(d, seq);
}

uint32_t device_fill_peak_since(const Device *d, uint64_t seq)
{
	uint32_t p;

	/*
	 * Scan down from the all-time peak; levels at or below the current
	 * fill cannot beat it.  Retention closes are far rarer than events,
	 * and the scan stops at the first level seen since seq.
	 */
	for (p = d->fill_peak; p > d->fill; p--)
		if (d->fill_seen_seq[p] != SEQ_NONE && d->fill_seen_seq[p] >= seq)
			return p;
	return d->fill;
}
