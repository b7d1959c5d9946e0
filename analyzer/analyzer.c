/*
 * The slot state machine (DESIGN.md §4-§5): applies each normalized event
 * to the slots of its range, asks the rule families (rule-*.c,
 * retention.c) to judge it first, and reports what they find through the
 * ReplayOutput.  What swapon and a state dump say about unnamed slots is
 * device-state.c's; how hits become findings, findings.c's; lifetimes,
 * lifetime.c's; why a write fault kept the cache, keep-reason.c's;
 * storage, slot-table.c's.
 *
 * One slot's events are emitted under the lock that orders them (cluster
 * or folio lock), so seq order is causal order per slot; nothing here
 * relies on the order of events of different slots.
 *
 * Knowledge is kept per fact (allocated, count, cache binding): a slot
 * never seen knows nothing, since the trace may start in the middle of its
 * life.  alloc, free and state dumps establish all three; an unsaturated
 * kernel count establishes the count; a successful cache add or del, a
 * move or a split the binding.  A gap forgets everything, and events inside the gap's time
 * window establish nothing (a lost event of the same slot may sit between
 * them and the present).  A violated rule forgets the facts it
 * contradicts, so one kernel bug gives one finding, not a cascade.
 */
#include "analyzer.h"

#include <errno.h>
#include <string.h>

#include "slot-check.h"

#include "banned.h"

void analyzer_options_init(AnalyzerOptions *opts)
{
	*opts = (AnalyzerOptions){
		/*
		 * Longer than a fault: the kernel's own paths (do_swap_page()'s
		 * put then folio_free_swap(), a sharer's put then its del) keep
		 * a cached folio with count 0 for microseconds; retention that
		 * outlives a millisecond (a tick) was left there.
		 */
		.stale_threshold_ns = 1000000,
		.full_threshold_ns = 1000000,
		.full_permille = 500, /* vm_swap_full(): over half full */
		.leak_end_grace_ns = 1000000,
	};
}

Analyzer *analyzer_new(const AnalyzerOptions *opts, const ReplayOutput *out)
{
	Analyzer *a = g_new0(Analyzer, 1);

	if (opts)
		a->opts = *opts;
	else
		analyzer_options_init(&a->opts);
	if (out)
		a->out = *out;
	slot_table_init(&a->table);
	a->message = g_string_new(NULL);
	a->distrust_until_ns = INT64_MIN;
	a->last_ts_ns = INT64_MIN;
	a->last_seq = SEQ_NONE;
	return a;
}

Analyzer *analyzer_free(Analyzer *a)
{
	if (!a)
		return NULL;
	slot_table_release(&a->table);
	g_clear_pointer(&a->lazyfree, g_hash_table_destroy);
	g_string_free(a->message, TRUE);
	g_free(a);
	return NULL;
}

/* --- facts --- */

static void set_allocated(const SlotRef *ref, bool allocated, const Event *ev)
{
	Slot *s = ref->s;

	if (allocated)
		s->flags |= SLOT_ALLOCATED;
	else
		s->flags &= ~SLOT_ALLOCATED;
	s->flags |= SLOT_ALLOC_KNOWN;
	ref->setup->alloc_seq = ev->seq;
	s->alloc_kind = (uint8_t)ev->kind;
}

static void set_count(const SlotRef *ref, int32_t count, const Event *ev)
{
	Slot *s = ref->s;

	s->count = count;
	s->flags |= SLOT_COUNT_KNOWN;
	ref->setup->count_seq = ev->seq;
	s->count_kind = (uint8_t)ev->kind;
	lifetime_note_count(ref, count);
}

static void note_cache(const SlotRef *ref, uint64_t pfn, const Event *ev)
{
	Slot *s = ref->s;

	s->cache_pfn = pfn;
	s->flags |= SLOT_CACHE_KNOWN;
	ref->setup->cache_seq = ev->seq;
	ref->setup->cache_ts_ns = ev->ts_ns;
	s->cache_kind = (uint8_t)ev->kind;
}

/* A new binding: a new folio, clean as far as we know. */
static void set_cache(const SlotRef *ref, uint64_t pfn, const Event *ev)
{
	Slot *s = ref->s;

	if (!slot_cache_known(s) || s->cache_pfn != pfn) {
		s->flags &= ~SLOT_WRITTEN;
		rule_roundtrip_rebind(ref, pfn);
	}
	note_cache(ref, pfn, ev);
}

/*
 * The binding passes to another folio with the same contents (migration,
 * split): what was written stays written, and what waits on the old folio
 * (a retention interval, a write-fault round trip) follows it.
 */
static void move_cache(const SlotRef *ref, uint64_t pfn, const Event *ev)
{
	Slot *s = ref->s;

	if (s->flags & (SLOT_RET_OPEN | SLOT_WP_PENDING)) {
		SlotRare *x = slot_rare(ref);

		if (s->flags & SLOT_RET_OPEN)
			x->ret_pfn = pfn;
		if (s->flags & SLOT_WP_PENDING)
			x->wp_pfn = pfn;
	}
	note_cache(ref, pfn, ev);
}

/*
 * The kernel reports one count for the whole range: that of its first slot
 * (a large folio's slots may have different counts once part of it was
 * forked or zapped), so only the first slot is cross-checked and re-synced.
 */
static bool count_reported_for(const Event *ev, uint64_t offset)
{
	return offset == ev->offset;
}

/* The kernel's count after ev re-syncs ours when it is exact (below saturation). */
static void resync_count(const SlotRef *ref, const Event *ev)
{
	if (count_reported_for(ev, ref->offset) && ev->count >= 0 &&
	    ev->count < SWAP_COUNT_SATURATED)
		set_count(ref, ev->count, ev);
}

/* --- per-slot transitions; each returns whether a rule fired on the slot --- */

static bool on_alloc(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	bool hit = rule_alloc_in_use(a, ev, ref);

	/*
	 * A lifetime still open ends here although its free is not in the
	 * trace (alloc_in_use, or lost events): the re-alloc ends it, rather
	 * than leaving it "still allocated at trace end".
	 */
	lifetime_close(a, ref, ev->seq, ev->ts_ns);
	set_allocated(ref, true, ev);
	set_count(ref, 0, ev);
	set_cache(ref, ev->pfn, ev);
	ref->s->flags &= ~(SLOT_WRITTEN | SLOT_WP_PENDING);
	lifetime_open(ref, ev->seq, ev->ts_ns);
	return hit;
}

static bool on_dup(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	bool hit = false;
	bool known = slot_count_known(s);
	int32_t expect = s->count < INT32_MAX ? s->count + 1 : INT32_MAX;

	/* A failed dup changes nothing, and the kernel was right to refuse. */
	if (ev->ret != 0)
		return false;
	lifetime_ensure(ref, ev);
	if (rule_dup_unallocated(a, ev, ref)) {
		hit = true;
		/* The kernel thinks it is allocated: we no longer know. */
		s->flags &= ~SLOT_ALLOC_KNOWN;
	} else if (ev->pfn && rule_dup_uncached(a, ev, ref)) {
		hit = true;
		s->flags &= ~SLOT_CACHE_KNOWN;
	}
	if (!hit && count_reported_for(ev, ref->offset))
		hit = rule_count_mismatch(a, ev, ref, known, expect);
	if (known)
		set_count(ref, expect, ev);
	resync_count(ref, ev);
	/*
	 * A folio-bound dup unmaps the folio again for reclaim, which writes
	 * it back: the device copy is current again.
	 */
	if (ev->pfn && slot_cache_known(s) && s->cache_pfn == ev->pfn)
		s->flags &= ~SLOT_WRITTEN;
	return hit;
}

static bool on_put(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	bool hit = false;
	bool known = slot_count_known(s) && s->count > 0;

	lifetime_ensure(ref, ev);
	if (rule_put_unallocated(a, ev, ref)) {
		hit = true;
		s->flags &= ~SLOT_ALLOC_KNOWN;
	} else if (rule_put_underflow(a, ev, ref)) {
		hit = true;
	} else if (ev->pfn && rule_put_uncached(a, ev, ref)) {
		hit = true;
		s->flags &= ~SLOT_CACHE_KNOWN;
	}
	if (!hit && count_reported_for(ev, ref->offset))
		hit = rule_count_mismatch(a, ev, ref, known, s->count - 1);
	if (known)
		set_count(ref, s->count - 1, ev);
	else
		s->flags &= ~SLOT_COUNT_KNOWN; /* unknown, or an underflow: not -1 */
	resync_count(ref, ev);
	return hit;
}

static bool on_cache_add(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	bool hit = false;

	/* -EEXIST is a race (rule_race, per event); -ENOENT, -ENOMEM change nothing. */
	if (ev->ret != 0)
		return false;
	lifetime_ensure(ref, ev);
	/* The kernel tests the cache pin before the count (__swap_duplicate()). */
	if (rule_cache_add_occupied(a, ev, ref) || rule_cache_add_zero_count(a, ev, ref)) {
		hit = true;
		/* Whose binding the kernel now holds is anybody's guess. */
		ref->s->flags &= ~SLOT_CACHE_KNOWN;
	} else {
		set_cache(ref, pin_pfn(ev->pfn), ev);
	}
	lifetime_note_swapin(ref);
	return hit;
}

static bool on_cache_del(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	lifetime_ensure(ref, ev);
	if (rule_cache_del_mismatch(a, ev, ref)) {
		ref->s->flags &= ~SLOT_CACHE_KNOWN;
		return true;
	}
	set_cache(ref, 0, ev);
	return false;
}

/* The folio that caches slot `offset` after a split of ev's range. */
static uint64_t split_pfn(const Event *ev, uint64_t offset)
{
	uint64_t rel = offset - ev->offset;
	uint64_t new_nr = ev->new_nr ? ev->new_nr : 1;

	return ev->pfn + rel - rel % new_nr;
}

static bool on_cache_move(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	uint64_t to = ev->kind == EVENT_CACHE_SPLIT ? split_pfn(ev, ref->offset) : ev->new_pfn;
	bool hit;

	lifetime_ensure(ref, ev);
	hit = rule_cache_move_mismatch(a, ev, ref);
	/* Whatever folio held it before, the kernel says this one holds it now. */
	if (hit)
		set_cache(ref, to, ev);
	else
		move_cache(ref, to, ev);
	return hit;
}

static bool on_free(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;
	bool hit = rule_free_unallocated(a, ev, ref) || rule_free_referenced(a, ev, ref) ||
		   rule_free_cached(a, ev, ref);

	if (!(slot_alloc_known(s) && !slot_allocated(s)))
		lifetime_ensure(ref, ev);
	lifetime_close(a, ref, ev->seq, ev->ts_ns);
	/* Whatever was wrong, the slot is now free: known, count 0, uncached. */
	set_allocated(ref, false, ev);
	set_count(ref, 0, ev);
	set_cache(ref, 0, ev);
	ref->s->flags &= ~SLOT_WRITTEN;
	return hit;
}

static void on_fault(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	bool write = ev->flags & EVENT_F_WRITE;
	bool freed = ev->flags & EVENT_F_FREED;
	/*
	 * The faulting folio is the one in the swap cache: v2 says so (cached:
	 * not a synchronous swap-in's folio, which only pins, nor a KSM copy);
	 * v1 only lets us compare it with the binding.
	 */
	bool kept = !freed && ev->pfn && slot_cache_known(s) && s->cache_pfn == ev->pfn &&
		    ((ev->flags & EVENT_F_V1) || (ev->flags & EVENT_F_CACHED));
	KeepReason reason = _KEEP_REASON_INVALID;

	if (write && ref->offset == ev->offset)
		a->write_faults++;
	if (write && !freed) {
		reason = keep_reason(ev, s);
		/* One decision per fault, whatever the folio's size. */
		if (ref->offset == ev->offset)
			keep_reason_count(a, reason, kept && (ev->flags & EVENT_F_EXCLUSIVE));
	}
	if (kept)
		retention_note_kept(ref, ev, reason);
	/*
	 * A write fault that maps the cached folio exclusively (writable) and
	 * keeps it cached: the device copy is stale from here on.  A read fault
	 * may map an exclusive folio read-only without writing it; a write
	 * fault on a folio that is not exclusive goes to do_wp_page(), which
	 * writes a copy or frees the cache before reusing it (a cache del).
	 */
	if (kept && write && (ev->flags & EVENT_F_EXCLUSIVE)) {
		if (!(s->flags & SLOT_WRITTEN)) {
			SlotRare *x = slot_rare(ref);

			s->flags |= SLOT_WRITTEN;
			x->written_seq = ev->seq;
			x->written_ts_ns = ev->ts_ns;
			x->written_reason = (uint8_t)reason;
			x->written_who = event_who(ev);
		}
		retention_note_written(ref, ev, reason);
	}
	rule_roundtrip_fault(a, ev, ref);
}

static void on_state(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;

	if (state_is_free(ev)) {
		/* A v2 dump line of free slots: as if freed there. */
		lifetime_close(a, ref, ev->seq, ev->ts_ns);
		set_allocated(ref, false, ev);
		set_count(ref, 0, ev);
		set_cache(ref, 0, ev);
		return;
	}
	set_allocated(ref, true, ev);
	lifetime_ensure(ref, ev);
	if (ev->count >= 0 && ev->count < SWAP_COUNT_SATURATED) {
		set_count(ref, ev->count, ev);
	} else {
		/* At least SWAP_COUNT_SATURATED: not exact, so not known. */
		s->count = SWAP_COUNT_SATURATED;
		s->flags &= ~SLOT_COUNT_KNOWN;
	}
	if (ev->pfn) {
		set_cache(ref, ev->pfn, ev);
	} else if ((ev->flags & EVENT_F_PINNED) || (ev->flags & EVENT_F_V1)) {
		/*
		 * Pinned by a folio the dump cannot see (a swap-in in flight,
		 * between swapcache_prepare() and the swap cache, or a
		 * synchronous one that never inserts it); a v1 dump does not
		 * tell a pin from no pin at all.
		 */
		s->cache_pfn = 0;
		s->flags &= ~(SLOT_CACHE_KNOWN | SLOT_WRITTEN);
	} else {
		set_cache(ref, 0, ev);
	}
}

static void forget(Slot *s)
{
	s->flags &= ~(SLOT_KNOWN_MASK | SLOT_LEAK_PENDING | SLOT_WP_PENDING | SLOT_WRITTEN);
}

static bool on_slot_event(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	switch (ev->kind) {
	case EVENT_ENTRY_ALLOC:
		return on_alloc(a, ev, ref);
	case EVENT_ENTRY_DUP:
		return on_dup(a, ev, ref);
	case EVENT_ENTRY_PUT:
		return on_put(a, ev, ref);
	case EVENT_ENTRY_FREE:
		return on_free(a, ev, ref);
	case EVENT_CACHE_ADD:
		return on_cache_add(a, ev, ref);
	case EVENT_CACHE_DEL:
		return on_cache_del(a, ev, ref);
	case EVENT_CACHE_MOVE:
	case EVENT_CACHE_SPLIT:
		return on_cache_move(a, ev, ref);
	case EVENT_FAULT:
		on_fault(a, ev, ref);
		return false;
	case EVENT_STATE:
		on_state(a, ev, ref);
		return false;
	default:
		g_assert_not_reached();
	}
}

static void apply_slot(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	bool hit;

	if (!(s->flags & SLOT_TOUCHED)) {
		s->flags |= SLOT_TOUCHED;
		ref->dev->slots_touched++;
	}
	rule_leak_check(a, ev, ref);
	hit = on_slot_event(a, ev, ref);
	if (!a->trust)
		forget(s);
	else if (!hit)
		rule_leak_arm(a, ev, ref);
	device_sync_in_use(ref->dev, s, ev->seq);
	retention_update(a, ev, ref);
	slot_rare_release_idle(ref);
	s->last_seq = ev->seq;
	slot_sync_settled(ref);
}

typedef void (*SlotFn)(Analyzer *a, const SlotRef *ref, void *user);

/*
 * Every slot of every device (of device `only` unless it is UINT32_MAX) in
 * (type, offset) order: the touched ones, or all those with storage.  A
 * cold page is inflated for the walk and collapsed again after it, one at
 * a time.
 */
static void foreach_slot_in(Analyzer *a, uint32_t only, bool untouched_too, SlotFn fn, void *user)
{
	for (guint i = 0; i < a->table.devices->len; i++) {
		Device *d = g_ptr_array_index(a->table.devices, i);
		g_autoptr(GPtrArray) pages = NULL;

		if (only != UINT32_MAX && d->type != only)
			continue;
		pages = device_sorted_pages(d);
		for (guint p = 0; p < pages->len; p++) {
			SlotPage *page = g_ptr_array_index(pages, p);

			page_walk_begin(d, page);
			for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
				const SlotRef ref = page_slot(d, page, k);

				if (untouched_too || (ref.s->flags & SLOT_TOUCHED))
					fn(a, &ref, user);
			}
			page_walk_end(d, page);
		}
	}
}

static void foreach_touched(Analyzer *a, SlotFn fn, void *user)
{
	foreach_slot_in(a, UINT32_MAX, false, fn, user);
}

static void device_off_slot(Analyzer *a, const SlotRef *ref, void *user)
{
	const Event *ev = user;

	/* swapoff ends every interval; what follows a later swapon is unknown. */
	retention_close(a, ref, ev->seq, ev->ts_ns, ev->ip, false);
	forget(ref->s);
	slot_rare_release_idle(ref);
	device_sync_in_use(ref->dev, ref->s, ev->seq);
}

static void on_device_off(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device(&a->table, ev->type);

	d->off_seq = ev->seq;
	d->fresh_seq = SEQ_NONE;
	d->dumping = false;
	d->v1_on_seq = SEQ_NONE;
	foreach_slot_in(a, ev->type, true, device_off_slot, (void *)ev);
	/* Nothing is known any more: the setting-up events are not needed. */
	device_release_cold(d);
	check_flush(a);
}

/*
 * Slots past the end of a device of known size do not exist: a range
 * running past it (a corrupt nr, say) stops there rather than filling
 * memory with pages of phantom slots.
 */
static uint32_t cut_at_device_end(const Event *ev, const Device *d)
{
	if (d->nr_slots && (ev->offset >= d->nr_slots || ev->nr > d->nr_slots - ev->offset))
		return ev->offset < d->nr_slots ? (uint32_t)(d->nr_slots - ev->offset) : 0;
	return ev->nr;
}

/*
 * A v2 dump line of free slots: the slots with storage learn it, the others
 * need none (device_state_line(): below fresh_below a new page starts
 * free), so a dump of a large, mostly free device allocates nothing.
 */
static void on_free_run(Analyzer *a, const Event *e, Device *d)
{
	uint64_t end = e->offset + e->nr;

	for (uint64_t base = e->offset & ~(uint64_t)(SLOT_PAGE_SLOTS - 1); base < end;
	     base += SLOT_PAGE_SLOTS) {
		uint64_t from = MAX(base, e->offset);
		uint64_t to = MIN(base + SLOT_PAGE_SLOTS, end);

		if (!device_slot_peek(d, from).s)
			continue;
		for (uint64_t o = from; o < to; o++) {
			const SlotRef ref = device_slot(d, o);

			apply_slot(a, e, &ref);
		}
	}
	if (a->trust)
		device_state_line(d, e);
	check_flush(a);
	check_count_unverified(a);
}

static void on_slot_range(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device(&a->table, ev->type);
	Event e = *ev;

	/* A range running past the last offset is cut there, not wrapped. */
	if (e.offset + e.nr - 1 < e.offset)
		e.nr = (uint32_t)(UINT64_MAX - e.offset + 1);
	/* Judged on the range the kernel gave, before it is cut at the device end. */
	if (e.kind == EVENT_ENTRY_ALLOC)
		rule_alloc_misaligned(a, &e, d);
	/*
	 * Per-slot work only for slots that can exist: those of the device,
	 * and never more than EVENT_NR_MAX (the reader refuses a trace naming
	 * more; this bounds what other feeders, tests and fuzzers, can cost).
	 */
	e.nr = MIN(cut_at_device_end(&e, d), EVENT_NR_MAX);
	a->trust = e.ts_ns > a->distrust_until_ns;
	if (e.kind == EVENT_STATE && state_is_free(&e)) {
		on_free_run(a, &e, d);
		return;
	}
	if (e.kind == EVENT_CACHE_ADD && e.ret == -EEXIST && e.nr) {
		const SlotRef first = device_slot(d, e.offset);

		rule_race(a, &e, &first);
	}
	for (uint32_t i = 0; i < e.nr; i++) {
		const SlotRef ref = device_slot(d, e.offset + i);

		apply_slot(a, &e, &ref);
	}
	if (e.kind == EVENT_STATE && !(e.flags & EVENT_F_V1) && a->trust)
		device_state_line(d, &e);
	check_flush(a);
	check_count_unverified(a);
}

void analyzer_apply(Analyzer *a, const Event *ev)
{
	g_return_if_fail(!a->finished);
	a->last_ts_ns = ev->ts_ns;
	a->last_seq = ev->seq;

	switch (ev->kind) {
	case EVENT_DEVICE_ON:
		device_on_apply(a, ev);
		break;
	case EVENT_DEVICE_OFF:
		on_device_off(a, ev);
		break;
	case EVENT_STATE_BEGIN:
		device_state_begin(a, ev);
		break;
	case EVENT_STATE_END:
		device_state_end(a, ev);
		break;
	case EVENT_LAZYFREE:
		rule_lazyfree_decision(a, ev);
		break;
	case EVENT_STATE:
	case EVENT_ENTRY_ALLOC:
	case EVENT_ENTRY_DUP:
	case EVENT_ENTRY_PUT:
	case EVENT_ENTRY_FREE:
	case EVENT_CACHE_ADD:
	case EVENT_CACHE_DEL:
	case EVENT_CACHE_MOVE:
	case EVENT_CACHE_SPLIT:
	case EVENT_FAULT:
		/* A slot event naming no slot says nothing, but a v1 dump's end marker. */
		if (ev->nr == 0) {
			if (ev->kind == EVENT_STATE && (ev->flags & EVENT_F_V1))
				device_v1_dump_end(a, ev);
			return;
		}
		if (ev->kind == EVENT_ENTRY_ALLOC)
			rule_lazyfree_alloc(a, ev);
		else if ((ev->kind == EVENT_CACHE_ADD && ev->ret == 0) || ev->kind == EVENT_FAULT)
			rule_lazyfree_forget(a, ev->pfn);
		else if (ev->kind == EVENT_CACHE_MOVE)
			rule_lazyfree_forget(a, ev->new_pfn);
		on_slot_range(a, ev);
		break;
	default:
		return;
	}
}

static void gap_slot(Analyzer *a, const SlotRef *ref, void *user)
{
	const Gap *gap = user;

	/*
	 * The interval is proven only up to the start of the gap; when the
	 * trace does not say when that was (INT64_MIN), retention_close()
	 * keeps only its start.
	 */
	retention_close(a, ref, SEQ_NONE, gap->begin_ts_ns, 0, true);
	forget(ref->s);
	slot_rare_release_idle(ref);
	device_sync_in_use(ref->dev, ref->s, a->last_seq == SEQ_NONE ? 0 : a->last_seq);
}

void analyzer_note_gap(Analyzer *a, const Gap *gap)
{
	int64_t until;

	g_return_if_fail(!a->finished);
	for (guint i = 0; i < a->table.devices->len; i++) {
		Device *d = g_ptr_array_index(a->table.devices, i);

		/* Lost dump lines would make a dump's progress a lie, too. */
		d->fresh_seq = SEQ_NONE;
		d->dumping = false;
		d->v1_on_seq = SEQ_NONE;
	}
	foreach_slot_in(a, UINT32_MAX, true, gap_slot, (void *)gap);
	check_flush(a);
	/* A lost event may have freed a folio a lazyfree decision named. */
	if (a->lazyfree)
		g_hash_table_remove_all(a->lazyfree);
	/*
	 * The lost events lie somewhere in [begin, end]; events up to end may
	 * have interleaved with them, so they teach nothing.
	 * NEEDSWORK: a gap without an end time only distrusts what came
	 * before it; babeltrace2 gives both times for LTTng traces.
	 */
	until = gap->end_ts_ns != INT64_MIN && gap->end_ts_ns != 0 ? gap->end_ts_ns : a->last_ts_ns;
	if (until > a->distrust_until_ns)
		a->distrust_until_ns = until;
}

static void finish_slot(Analyzer *a, const SlotRef *ref, void *user)
{
	int64_t end_ts_ns = *(int64_t *)user;

	rule_leak_finish(a, ref, end_ts_ns);
	retention_close(a, ref, SEQ_NONE, end_ts_ns, 0, false);
	lifetime_close(a, ref, SEQ_NONE, end_ts_ns);
	slot_rare_release_idle(ref);
}

void analyzer_finish(Analyzer *a, int64_t end_ts_ns)
{
	g_return_if_fail(!a->finished);
	if (end_ts_ns < a->last_ts_ns)
		end_ts_ns = a->last_ts_ns;
	check_flush(a);
	foreach_touched(a, finish_slot, &end_ts_ns);
	check_flush(a);
	check_count_unverified(a);
	a->finished = true;
}

typedef struct SlotCb {
	void (*cb)(void *user, const SlotFinal *s);
	void *user;
} SlotCb;

static void final_slot(Analyzer *a, const SlotRef *ref, void *user)
{
	SlotCb *c = user;
	const Slot *s = ref->s;
	const SlotFinal f = {
		.type = ref->dev->type,
		.offset = ref->offset,
		.allocated = slot_allocated(s),
		.known = (s->flags & SLOT_KNOWN_MASK) == SLOT_KNOWN_MASK,
		.count = s->count,
		.cache_pfn = s->cache_pfn,
		.last_seq = s->last_seq,
	};

	(void)a;
	c->cb(c->user, &f);
}

void analyzer_foreach_slot(Analyzer *a, void (*cb)(void *user, const SlotFinal *s), void *user)
{
	foreach_touched(a, final_slot, &(SlotCb){ cb, user });
}

void analyzer_foreach_device(Analyzer *a, void (*cb)(void *user, const DeviceFinal *d), void *user)
{
	for (guint i = 0; i < a->table.devices->len; i++) {
		const Device *d = g_ptr_array_index(a->table.devices, i);
		const DeviceFinal f = {
			.type = d->type,
			.nr_slots = d->nr_slots,
			.cluster_size = d->cluster_size,
			.on_seq = d->on_seq,
			.off_seq = d->off_seq,
			.slots_touched = d->slots_touched,
			.max_in_use = d->max_in_use,
		};

		cb(user, &f);
	}
}

uint64_t analyzer_unverified(const Analyzer *a, Rule r)
{
	return (unsigned)r < _RULE_MAX ? a->unverified[r] : 0;
}

uint64_t analyzer_findings(const Analyzer *a, Rule r)
{
	return (unsigned)r < _RULE_MAX ? a->findings[r] : 0;
}

int64_t analyzer_retention_ns(const Analyzer *a, RetentionVerdict v)
{
	return (unsigned)v < _RETENTION_VERDICT_MAX ? a->retention_ns[v] : 0;
}

uint64_t analyzer_retention_count(const Analyzer *a, RetentionVerdict v)
{
	return (unsigned)v < _RETENTION_VERDICT_MAX ? a->retention_count[v] : 0;
}

uint64_t analyzer_write_faults(const Analyzer *a)
{
	return a->write_faults;
}

void analyzer_kept_faults(const Analyzer *a, KeepReason reason, uint64_t *ret_faults,
			  uint64_t *ret_in_place)
{
	bool ok = (unsigned)reason < _KEEP_REASON_MAX;

	*ret_faults = ok ? a->kept_faults[reason] : 0;
	*ret_in_place = ok ? a->kept_in_place[reason] : 0;
}

void analyzer_storage(const Analyzer *a, AnalyzerStorage *ret)
{
	SlotTableStats st;

	slot_table_stats(&a->table, &st);
	*ret = (AnalyzerStorage){
		.slot_bytes = sizeof(Slot),
		.pages = st.pages,
		.cold_pages = st.cold_pages,
		.setup_arrays = st.setup_arrays,
		.life_arrays = st.life_arrays,
		.rare_live = st.rare_live,
		.rare_peak = st.rare_peak,
	};
}
