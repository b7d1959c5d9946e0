/*
 * Paged per-device slot storage; see slot-table.h for the layout and why.
 * Hash tables here are lookup only: anything that reaches the output
 * iterates devices (sorted array) and pages (sorted copy) in order.
 */
#include "slot-table.h"

#include <string.h>

#include "event.h"

#include "banned.h"

static void device_free(gpointer p)
{
	Device *d = p;

	g_hash_table_destroy(d->pages);
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

Device *slot_table_device(SlotTable *t, uint32_t type)
{
	Device *d = t->last_device;

	if (d && d->type == type)
		return d;
	d = g_hash_table_lookup(t->by_type, GUINT_TO_POINTER(type));
	if (!d) {
		d = g_new0(Device, 1);
		d->type = type;
		d->on_seq = SEQ_NONE;
		d->off_seq = SEQ_NONE;
		d->fresh_seq = SEQ_NONE;
		d->fresh_below = UINT64_MAX;
		for (unsigned p = 0; p < FILL_LEVELS; p++)
			d->fill_seen_seq[p] = SEQ_NONE;
		d->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
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

Slot *device_slot_peek(Device *d, uint64_t offset)
{
	uint64_t index = offset >> SLOT_PAGE_SHIFT;
	SlotPage *page = d->last_page;

	if (!page || page->index != index) {
		page = g_hash_table_lookup(d->pages, &index);
		if (!page)
			return NULL;
		d->last_page = page;
	}
	return &page->slots[offset & (SLOT_PAGE_SLOTS - 1)];
}

void slot_set_fresh(Slot *s, uint64_t seq)
{
	s->flags = (uint16_t)((s->flags & SLOT_TOUCHED) | SLOT_KNOWN_MASK);
	s->count = 0;
	s->cache_pfn = 0;
	s->alloc_seq = s->count_seq = s->cache_seq = seq;
	s->alloc_kind = s->count_kind = s->cache_kind = EVENT_DEVICE_ON;
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
				slot_set_fresh(s, d->fresh_seq);
		}
	}
}

void device_revoke_fresh(Device *d, uint64_t seq)
{
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, d->pages);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		SlotPage *page = value;

		for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
			Slot *s = &page->slots[k];

			if (s->alloc_seq == seq && s->alloc_kind == EVENT_DEVICE_ON)
				s->flags &= ~SLOT_ALLOC_KNOWN;
			if (s->count_seq == seq && s->count_kind == EVENT_DEVICE_ON)
				s->flags &= ~SLOT_COUNT_KNOWN;
			if (s->cache_seq == seq && s->cache_kind == EVENT_DEVICE_ON)
				s->flags &= ~SLOT_CACHE_KNOWN;
		}
	}
}

Slot *device_slot(Device *d, uint64_t offset)
{
	Slot *s = device_slot_peek(d, offset);
	SlotPage *page;

	if (s)
		return s;
	/* First touch of this page: the only allocation on the event path. */
	page = g_new0(SlotPage, 1);
	page->index = offset >> SLOT_PAGE_SHIFT;
	if (d->fresh_seq != SEQ_NONE)
		for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++)
			if ((page->index << SLOT_PAGE_SHIFT) + k < d->fresh_below)
				slot_set_fresh(&page->slots[k], d->fresh_seq);
	g_hash_table_insert(d->pages, &page->index, page);
	d->last_page = page;
	return &page->slots[offset & (SLOT_PAGE_SLOTS - 1)];
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
