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

	g_free(page->setup);
	g_free(page->life);
	g_free(page);
}

static void device_free(gpointer p)
{
	Device *d = p;

	g_hash_table_destroy(d->pages);
	g_array_unref(d->rare);
	for (uint32_t i = 0; i < d->n_spare_lives; i++)
		g_free(d->spare_lives[i]);
	g_free(d);
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
	s->flags = (uint16_t)((s->flags & SLOT_TOUCHED) | SLOT_KNOWN_MASK);
	s->count = 0;
	s->cache_pfn = 0;
	setup->alloc_seq = setup->count_seq = setup->cache_seq = seq;
	s->alloc_kind = s->count_kind = s->cache_kind = kind;
}

/* A page's SlotSetup array, allocated again after a swapoff gave it back. */
static SlotSetup *page_setup(SlotPage *page)
{
	if (!page->setup)
		page->setup = g_new0(SlotSetup, SLOT_PAGE_SLOTS);
	return page->setup;
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

		for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
			Slot *s = &page->slots[k];

			if (base + k >= lo && base + k < hi && !(s->flags & SLOT_KNOWN_MASK))
				slot_set_fresh(s, &page_setup(page)[k], d->fresh_seq,
					       d->fresh_kind);
		}
	}
}

static SlotPage *page_new(Device *d, uint64_t index)
{
	SlotPage *page = g_new0(SlotPage, 1);

	page->index = index;
	page->setup = g_new0(SlotSetup, SLOT_PAGE_SLOTS);
	if (d->fresh_seq != SEQ_NONE)
		for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++)
			if ((index << SLOT_PAGE_SHIFT) + k < d->fresh_below)
				slot_set_fresh(&page->slots[k], &page->setup[k], d->fresh_seq,
					       d->fresh_kind);
	g_hash_table_insert(d->pages, &page->index, page);
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
	return (SlotRef){
		.dev = d,
		.page = page,
		.s = &page->slots[k],
		.setup = &page_setup(page)[k],
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

static void give_back_life(Device *d, SlotPage *page)
{
	if (d->n_spare_lives < SPARE_LIFE_ARRAYS)
		d->spare_lives[d->n_spare_lives++] = page->life;
	else
		g_free(page->life);
	page->life = NULL;
}

void device_release_cold(Device *d)
{
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, d->pages);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		SlotPage *page = value;

		g_clear_pointer(&page->setup, g_free);
		if (page->life && !page->life_open)
			give_back_life(d, page);
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
		page->life = d->n_spare_lives ? d->spare_lives[--d->n_spare_lives]
					      : g_new(SlotLife, SLOT_PAGE_SLOTS);
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
