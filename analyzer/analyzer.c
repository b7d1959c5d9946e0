/*
 * The slot state machine (DESIGN.md §4-§5): applies each normalized event
 * to the slots of its range, asks the rule families (rule-*.c,
 * retention.c) to judge it first, and reports what they find through the
 * ReplayOutput.
 *
 * One slot's events are emitted under the lock that orders them (cluster
 * or folio lock), so seq order is causal order per slot; nothing here
 * relies on the order of events of different slots.
 *
 * Knowledge is kept per fact (allocated, count, cache binding): a slot
 * never seen knows nothing, since the trace may start in the middle of its
 * life.  alloc, free and state dumps establish all three; an unsaturated
 * kernel count establishes the count; a successful cache add or del the
 * binding.  A gap forgets everything, and events inside the gap's time
 * window establish nothing (a lost event of the same slot may sit between
 * them and the present).  A violated rule forgets the facts it
 * contradicts, so one kernel bug gives one finding, not a cascade.
 */
#include "analyzer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
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
	a->held = check_held_new();
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
	g_array_unref(a->held);
	g_string_free(a->message, TRUE);
	g_free(a);
	return NULL;
}

/* --- lifetimes --- */

static void open_lifetime(Slot *s, uint64_t alloc_seq, int64_t ts_ns)
{
	s->flags |= SLOT_LIFE_OPEN;
	s->life_alloc_seq = alloc_seq;
	s->life_alloc_ts_ns = ts_ns;
	s->life_max_count = slot_count_known(s) ? s->count : 0;
	s->life_swapins = 0;
	s->life_cached_zero_ns = 0;
}

/* A slot seen in use without its alloc: its lifetime started before the trace. */
static void ensure_lifetime(Slot *s, const Event *ev)
{
	if (s->flags & SLOT_LIFE_OPEN)
		return;
	if (slot_alloc_known(s) && !slot_allocated(s))
		return;
	open_lifetime(s, SEQ_NONE, ev->ts_ns);
}

void analyzer_close_lifetime(Analyzer *a, uint32_t type, uint64_t offset, Slot *s,
			     uint64_t free_seq, int64_t free_ts_ns)
{
	Lifetime l;

	if (!(s->flags & SLOT_LIFE_OPEN))
		return;
	s->flags &= ~SLOT_LIFE_OPEN;
	l = (Lifetime){
		.type = type,
		.offset = offset,
		.alloc_seq = s->life_alloc_seq,
		.alloc_ts_ns = s->life_alloc_ts_ns,
		.free_seq = free_seq,
		.free_ts_ns = free_ts_ns,
		.max_count = s->life_max_count,
		.swapins = s->life_swapins,
		.cached_zero_ns = s->life_cached_zero_ns,
	};
	if (a->out.lifetime)
		a->out.lifetime(a->out.user, &l);
}

/* --- facts --- */

static void set_allocated(Slot *s, bool allocated, const Event *ev)
{
	if (allocated)
		s->flags |= SLOT_ALLOCATED;
	else
		s->flags &= ~SLOT_ALLOCATED;
	s->flags |= SLOT_ALLOC_KNOWN;
	s->alloc_seq = ev->seq;
	s->alloc_kind = (uint8_t)ev->kind;
}

static void set_count(Slot *s, int32_t count, const Event *ev)
{
	s->count = count;
	s->flags |= SLOT_COUNT_KNOWN;
	s->count_seq = ev->seq;
	s->count_kind = (uint8_t)ev->kind;
	if ((s->flags & SLOT_LIFE_OPEN) && count > s->life_max_count)
		s->life_max_count = count;
}

static void set_cache(Slot *s, uint64_t pfn, const Event *ev)
{
	if (!slot_cache_known(s) || s->cache_pfn != pfn) {
		/* A new binding: a new folio, clean as far as we know. */
		s->flags &= ~SLOT_WRITTEN;
		if (pfn && s->wp_pfn != pfn)
			s->flags &= ~SLOT_WP_PENDING;
	}
	s->cache_pfn = pfn;
	s->flags |= SLOT_CACHE_KNOWN;
	s->cache_seq = ev->seq;
	s->cache_ts_ns = ev->ts_ns;
	s->cache_kind = (uint8_t)ev->kind;
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
static void resync_count(Slot *s, const Event *ev, uint64_t offset)
{
	if (count_reported_for(ev, offset) && ev->count >= 0 && ev->count < SWAP_COUNT_SATURATED)
		set_count(s, ev->count, ev);
}

/* --- per-slot transitions; each returns whether a rule fired on the slot --- */

static bool on_alloc(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	bool hit = rule_alloc_in_use(a, ev, s, offset);

	/*
	 * A lifetime still open ends here although its free is not in the
	 * trace (alloc_in_use, or lost events): the re-alloc ends it, rather
	 * than leaving it "still allocated at trace end".
	 */
	analyzer_close_lifetime(a, ev->type, offset, s, ev->seq, ev->ts_ns);
	set_allocated(s, true, ev);
	set_count(s, 0, ev);
	set_cache(s, ev->pfn, ev);
	s->flags &= ~(SLOT_WRITTEN | SLOT_WP_PENDING);
	open_lifetime(s, ev->seq, ev->ts_ns);
	return hit;
}

static bool on_dup(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	bool hit = false;
	bool known = slot_count_known(s);
	int32_t expect = s->count < INT32_MAX ? s->count + 1 : INT32_MAX;

	/* A failed dup changes nothing, and the kernel was right to refuse. */
	if (ev->ret != 0)
		return false;
	ensure_lifetime(s, ev);
	if (rule_dup_unallocated(a, ev, s, offset)) {
		hit = true;
		/* The kernel thinks it is allocated: we no longer know. */
		s->flags &= ~SLOT_ALLOC_KNOWN;
	} else if (ev->pfn && rule_dup_uncached(a, ev, s, offset)) {
		hit = true;
		s->flags &= ~SLOT_CACHE_KNOWN;
	}
	if (!hit && count_reported_for(ev, offset))
		hit = rule_count_mismatch(a, ev, s, offset, known, expect);
	if (known)
		set_count(s, expect, ev);
	resync_count(s, ev, offset);
	/*
	 * A folio-bound dup unmaps the folio again for reclaim, which writes
	 * it back: the device copy is current again.
	 */
	if (ev->pfn && slot_cache_known(s) && s->cache_pfn == ev->pfn)
		s->flags &= ~SLOT_WRITTEN;
	return hit;
}

static bool on_put(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	bool hit = false;
	bool known = slot_count_known(s) && s->count > 0;

	ensure_lifetime(s, ev);
	if (rule_put_unallocated(a, ev, s, offset)) {
		hit = true;
		s->flags &= ~SLOT_ALLOC_KNOWN;
	} else if (rule_put_underflow(a, ev, s, offset)) {
		hit = true;
	} else if (ev->pfn && rule_put_uncached(a, ev, s, offset)) {
		hit = true;
		s->flags &= ~SLOT_CACHE_KNOWN;
	}
	if (!hit && count_reported_for(ev, offset))
		hit = rule_count_mismatch(a, ev, s, offset, known, s->count - 1);
	if (known)
		set_count(s, s->count - 1, ev);
	else
		s->flags &= ~SLOT_COUNT_KNOWN; /* unknown, or an underflow: not -1 */
	resync_count(s, ev, offset);
	return hit;
}

static bool on_cache_add(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	bool hit = false;

	/* -EEXIST is a race (rule_race, per event); -ENOENT, -ENOMEM change nothing. */
	if (ev->ret != 0)
		return false;
	ensure_lifetime(s, ev);
	/* The kernel tests the cache pin before the count (__swap_duplicate()). */
	if (rule_cache_add_occupied(a, ev, s, offset) ||
	    rule_cache_add_zero_count(a, ev, s, offset)) {
		hit = true;
		/* Whose binding the kernel now holds is anybody's guess. */
		s->flags &= ~SLOT_CACHE_KNOWN;
	} else {
		set_cache(s, ev->pfn, ev);
	}
	if (s->flags & SLOT_LIFE_OPEN)
		s->life_swapins++;
	return hit;
}

static bool on_cache_del(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	ensure_lifetime(s, ev);
	if (rule_cache_del_mismatch(a, ev, s, offset)) {
		s->flags &= ~SLOT_CACHE_KNOWN;
		return true;
	}
	set_cache(s, 0, ev);
	return false;
}

static bool on_free(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	bool hit = rule_free_unallocated(a, ev, s, offset) ||
		   rule_free_referenced(a, ev, s, offset) || rule_free_cached(a, ev, s, offset);

	if (!(slot_alloc_known(s) && !slot_allocated(s)))
		ensure_lifetime(s, ev);
	analyzer_close_lifetime(a, ev->type, offset, s, ev->seq, ev->ts_ns);
	/* Whatever was wrong, the slot is now free: known, count 0, uncached. */
	set_allocated(s, false, ev);
	set_count(s, 0, ev);
	set_cache(s, 0, ev);
	s->flags &= ~SLOT_WRITTEN;
	return hit;
}

static void on_fault(Analyzer *a, const Event *ev, Slot *s, uint64_t offset)
{
	bool kept = !(ev->flags & EVENT_F_FREED) && ev->pfn && slot_cache_known(s) &&
		    s->cache_pfn == ev->pfn;

	if (kept && (s->flags & SLOT_RET_OPEN) && s->ret_keep_seq == SEQ_NONE) {
		/* should_try_to_free_swap() said no: the decision a finding names */
		s->ret_keep_seq = ev->seq;
		s->ret_keep_ts_ns = ev->ts_ns;
	}
	/*
	 * A write fault on a folio that stays cached: the device copy is stale
	 * from here on.  Only the write flag says so: a read fault may map an
	 * exclusive folio (exclusive = 1) without writing it, and a later write
	 * that reuses it frees the cache in do_wp_page() (a cache del).
	 */
	if (kept && (ev->flags & EVENT_F_WRITE)) {
		if (!(s->flags & SLOT_WRITTEN)) {
			s->flags |= SLOT_WRITTEN;
			s->written_seq = ev->seq;
			s->written_ts_ns = ev->ts_ns;
		}
		if ((s->flags & SLOT_RET_OPEN) && !(s->flags & SLOT_RET_WRITTEN)) {
			s->flags |= SLOT_RET_WRITTEN;
			s->ret_written_seq = ev->seq;
			s->ret_written_ts_ns = ev->ts_ns;
		}
	}
	rule_roundtrip_fault(a, ev, s, offset);
}

static void on_state(const Event *ev, Slot *s)
{
	set_allocated(s, true, ev);
	ensure_lifetime(s, ev);
	if (ev->count >= 0 && ev->count < SWAP_COUNT_SATURATED) {
		set_count(s, ev->count, ev);
	} else {
		/* At least SWAP_COUNT_SATURATED: not exact, so not known. */
		s->count = SWAP_COUNT_SATURATED;
		s->flags &= ~SLOT_COUNT_KNOWN;
	}
	if (ev->pfn) {
		set_cache(s, ev->pfn, ev);
	} else {
		/*
		 * pfn 0 is "no folio in the swap cache", not "no cache
		 * binding": on 6.1 a synchronous swap-in pins the slot
		 * (SWAP_HAS_CACHE, traced as a cache add by its folio) without
		 * inserting the folio, so the dump cannot name it.
		 */
		s->cache_pfn = 0;
		s->flags &= ~(SLOT_CACHE_KNOWN | SLOT_WRITTEN);
	}
}

static void forget(Slot *s)
{
	s->flags &= ~(SLOT_KNOWN_MASK | SLOT_LEAK_PENDING | SLOT_WP_PENDING | SLOT_WRITTEN);
}

static void apply_slot(Analyzer *a, Device *d, const Event *ev, Slot *s, uint64_t offset)
{
	bool hit = false;

	if (!(s->flags & SLOT_TOUCHED)) {
		s->flags |= SLOT_TOUCHED;
		d->slots_touched++;
	}
	rule_leak_check(a, ev, s, offset);

	switch (ev->kind) {
	case EVENT_ENTRY_ALLOC:
		hit = on_alloc(a, ev, s, offset);
		break;
	case EVENT_ENTRY_DUP:
		hit = on_dup(a, ev, s, offset);
		break;
	case EVENT_ENTRY_PUT:
		hit = on_put(a, ev, s, offset);
		break;
	case EVENT_ENTRY_FREE:
		hit = on_free(a, ev, s, offset);
		break;
	case EVENT_CACHE_ADD:
		hit = on_cache_add(a, ev, s, offset);
		break;
	case EVENT_CACHE_DEL:
		hit = on_cache_del(a, ev, s, offset);
		break;
	case EVENT_FAULT:
		on_fault(a, ev, s, offset);
		break;
	case EVENT_STATE:
		on_state(ev, s);
		break;
	default:
		g_assert_not_reached();
	}
	if (!a->trust)
		forget(s);
	else if (!hit)
		rule_leak_arm(a, ev, s);
	device_sync_in_use(d, s, ev->seq);
	retention_update(a, d, ev, s, offset);
	s->last_seq = ev->seq;
}

typedef void (*SlotFn)(Analyzer *a, Device *d, Slot *s, uint64_t offset, void *user);

/*
 * Every slot of every device (of device `only` unless it is UINT32_MAX) in
 * (type, offset) order: the touched ones, or all those with storage.
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

			for (uint32_t k = 0; k < SLOT_PAGE_SLOTS; k++) {
				Slot *s = &page->slots[k];

				if (untouched_too || (s->flags & SLOT_TOUCHED))
					fn(a, d, s, (page->index << SLOT_PAGE_SHIFT) + k, user);
			}
		}
	}
}

static void foreach_touched(Analyzer *a, SlotFn fn, void *user)
{
	foreach_slot_in(a, UINT32_MAX, false, fn, user);
}

typedef struct DeviceOff {
	const Event *ev;
} DeviceOff;

static void device_off_slot(Analyzer *a, Device *d, Slot *s, uint64_t offset, void *user)
{
	const Event *ev = ((DeviceOff *)user)->ev;

	/* swapoff ends every interval; what follows a later swapon is unknown. */
	retention_close(a, d, s, offset, ev->seq, ev->ts_ns, ev->ip, false);
	forget(s);
	device_sync_in_use(d, s, ev->seq);
}

/*
 * What a swap_device_on says about the slots not seen since.
 *
 * At swapon every slot of the device is free.  A state dump (patch 0003's
 * debugfs swap_state) also emits device_on, then walks the device cluster by
 * cluster under each cluster lock, emitting swap_state for the in-use runs:
 * a slot it has passed without listing it was free then, but a slot it has
 * not reached yet may be in use, and operations on it may come before the
 * dump gets there.  The two device_ons look alike but for their call site,
 * which a dump shares with its swap_state lines.
 *
 * So a device_on is taken for a swapon (every unseen slot free) until
 * proven a dump's, and meanwhile findings are held (release_held()); when a
 * swap_state line or end-of-dump marker with its call site arrives, the
 * findings resting on it are dropped (unverified), what it said is revoked,
 * and from then on slots become free only as the dump passes them
 * (fresh_below).  Once a dump's call site is known, its later device_ons are
 * recognised at once.
 *
 * A dump is complete at its end-of-dump marker (on_dump_end()).  Producers
 * older than the marker give no such word: then a dump is taken as complete
 * when it moves on to the next device (a device_on with its call site), and
 * the last device's slots past its last state line stay unknown; a dump's
 * device_on never followed by a state line stays undecided until the
 * device's next device_on or device_off, or the trace's end.
 *
 * The next event of the device does not decide it: the kernel's dump walks
 * the device one cluster lock at a time, so operations on slots it has not
 * reached yet may come between its device_on and its first state line.
 */
static void resolve_tentative(Analyzer *a, Device *d)
{
	if (!d->tentative)
		return;
	d->tentative = false;
	g_assert(a->n_tentative > 0);
	a->n_tentative--;
}

/* The dump has passed every slot of d below `below`: those not listed are free. */
static void dump_progress(Device *d, uint64_t below)
{
	if (d->fresh_seq == SEQ_NONE || below <= d->fresh_below)
		return;
	device_grant_fresh(d, d->fresh_below, below);
	d->fresh_below = below;
}

static void on_device_on(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device(&a->table, ev->type);

	d->on_seq = ev->seq;
	d->off_seq = SEQ_NONE;
	d->on_ip = ev->ip;
	device_set_size(d, ev->nr_slots, ev->cluster_size, ev->seq);
	/* A later device_on settles an earlier undecided one: no dump line came. */
	resolve_tentative(a, d);
	/* A dump moving on to the next device has finished the previous one. */
	for (guint i = 0; i < a->table.devices->len; i++) {
		Device *u = g_ptr_array_index(a->table.devices, i);

		if (u != d && u->dumping && u->on_ip == ev->ip) {
			dump_progress(u, UINT64_MAX);
			u->dumping = false;
		}
	}
	d->dumping = false;
	d->fresh_seq = SEQ_NONE;
	if (ev->ts_ns <= a->distrust_until_ns)
		return;
	d->fresh_seq = ev->seq;
	if (a->have_dump_ip && ev->ip == a->dump_ip) {
		d->dumping = true;
		d->fresh_below = 0;
		return;
	}
	d->tentative = true;
	d->tentative_seq = ev->seq;
	a->n_tentative++;
	d->fresh_below = UINT64_MAX;
	device_grant_fresh(d, 0, UINT64_MAX);
}

/*
 * Device d's undecided device_on was a state dump's (call site ip): drop the
 * findings resting on what it seemed to say, revoke it, and let slots become
 * free only as the dump passes them.
 */
static void decide_dump(Analyzer *a, Device *d, uint64_t ip)
{
	resolve_tentative(a, d);
	check_drop_held(a, d);
	device_revoke_fresh(d, d->tentative_seq);
	a->dump_ip = ip;
	a->have_dump_ip = true;
	d->dumping = true;
	d->fresh_below = 0;
}

/* A swap_state line of device d, before it is applied. */
static void on_state_line(Analyzer *a, Device *d, const Event *ev)
{
	/* That device_on was this dump's. */
	if (d->tentative && ev->ip == d->on_ip)
		decide_dump(a, d, ev->ip);
	/*
	 * Every slot below this line's offset was dumped before it (earlier
	 * clusters, or earlier in this cluster under the same lock hold).
	 */
	if (d->dumping && ev->ip == d->on_ip)
		dump_progress(d, ev->offset);
}

/*
 * The end-of-dump marker (schema/events-v1.md, `state`): a swap_state with
 * nr 0 and offset the device's nr_slots, with the call site of the dump's
 * device_on, once the dump has walked the whole device.  It proves that
 * device_on a dump's, at once, even when no state line followed it (a
 * device with no slot in use); and every slot the dump did not list, and
 * that nothing has taught us about since that device_on, was free when the
 * dump passed it.  A marker that matches no dump in progress (no device_on
 * seen, another call site or size, a gap since, the device off) says
 * nothing.  It names no slot: no rule looks at it.
 */
static void on_dump_end(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device_peek(&a->table, ev->type);

	if (!d || !d->nr_slots || ev->offset != d->nr_slots || ev->ip != d->on_ip ||
	    d->off_seq != SEQ_NONE)
		return;
	if (d->tentative)
		decide_dump(a, d, ev->ip);
	if (!d->dumping)
		return;
	dump_progress(d, UINT64_MAX);
	d->dumping = false;
}

void analyzer_apply(Analyzer *a, const Event *ev)
{
	Event e;
	Device *d;

	g_return_if_fail(!a->finished);
	a->last_ts_ns = ev->ts_ns;
	a->last_seq = ev->seq;

	switch (ev->kind) {
	case EVENT_DEVICE_ON:
		on_device_on(a, ev);
		check_release_held(a);
		return;
	case EVENT_DEVICE_OFF:
		d = slot_table_device(&a->table, ev->type);
		d->off_seq = ev->seq;
		d->fresh_seq = SEQ_NONE;
		d->dumping = false;
		/* Off again without a dump line: that device_on was a swapon. */
		resolve_tentative(a, d);
		foreach_slot_in(a, ev->type, true, device_off_slot, &(DeviceOff){ ev });
		check_flush(a);
		check_release_held(a);
		return;
	case EVENT_ENTRY_ALLOC:
	case EVENT_ENTRY_DUP:
	case EVENT_ENTRY_PUT:
	case EVENT_ENTRY_FREE:
	case EVENT_CACHE_ADD:
	case EVENT_CACHE_DEL:
	case EVENT_FAULT:
	case EVENT_STATE:
		break;
	default:
		return;
	}
	if (ev->nr == 0) {
		if (ev->kind == EVENT_STATE) {
			on_dump_end(a, ev);
			check_release_held(a);
		}
		return;
	}
	e = *ev;
	/* A range running past the last offset is cut there, not wrapped. */
	if (e.offset + e.nr - 1 < e.offset)
		e.nr = (uint32_t)(UINT64_MAX - e.offset + 1);

	d = slot_table_device(&a->table, e.type);
	/* Judged on the range the kernel gave, before it is cut at the device end. */
	if (e.kind == EVENT_ENTRY_ALLOC)
		rule_alloc_misaligned(a, &e, d);
	/*
	 * Slots past the end of a device of known size do not exist: a range
	 * running past it (a corrupt nr, say) stops there rather than filling
	 * memory with pages of phantom slots.
	 */
	if (d->nr_slots && (e.offset >= d->nr_slots || e.nr > d->nr_slots - e.offset))
		e.nr = e.offset < d->nr_slots ? (uint32_t)(d->nr_slots - e.offset) : 0;
	a->trust = e.ts_ns > a->distrust_until_ns;
	if (e.kind == EVENT_STATE && e.nr)
		on_state_line(a, d, &e);
	if (e.kind == EVENT_CACHE_ADD && e.ret == -EEXIST && e.nr)
		rule_race(a, &e, device_slot(d, e.offset));
	for (uint32_t i = 0; i < e.nr; i++) {
		uint64_t offset = e.offset + i;

		apply_slot(a, d, &e, device_slot(d, offset), offset);
	}
	check_flush(a);
	check_count_unverified(a);
	check_release_held(a);
}

typedef struct GapCtx {
	const Gap *gap;
} GapCtx;

static void gap_slot(Analyzer *a, Device *d, Slot *s, uint64_t offset, void *user)
{
	const Gap *gap = ((GapCtx *)user)->gap;

	/*
	 * The interval is proven only up to the start of the gap; when the
	 * trace does not say when that was (INT64_MIN), retention_close()
	 * keeps only its start.
	 */
	retention_close(a, d, s, offset, SEQ_NONE, gap->begin_ts_ns, 0, true);
	forget(s);
	device_sync_in_use(d, s, a->last_seq == SEQ_NONE ? 0 : a->last_seq);
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
	}
	foreach_slot_in(a, UINT32_MAX, true, gap_slot, &(GapCtx){ gap });
	check_flush(a);
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

static void finish_slot(Analyzer *a, Device *d, Slot *s, uint64_t offset, void *user)
{
	int64_t end_ts_ns = *(int64_t *)user;

	rule_leak_finish(a, d->type, offset, s, end_ts_ns);
	retention_close(a, d, s, offset, SEQ_NONE, end_ts_ns, 0, false);
	analyzer_close_lifetime(a, d->type, offset, s, SEQ_NONE, end_ts_ns);
}

void analyzer_finish(Analyzer *a, int64_t end_ts_ns)
{
	g_return_if_fail(!a->finished);
	if (end_ts_ns < a->last_ts_ns)
		end_ts_ns = a->last_ts_ns;
	check_flush(a);
	/* No dump line ever came for an undecided device_on: it was a swapon. */
	for (guint i = 0; i < a->table.devices->len; i++)
		resolve_tentative(a, g_ptr_array_index(a->table.devices, i));
	check_release_held(a);
	foreach_touched(a, finish_slot, &end_ts_ns);
	check_flush(a);
	check_count_unverified(a);
	a->finished = true;
}

typedef struct SlotCb {
	void (*cb)(void *user, const SlotFinal *s);
	void *user;
} SlotCb;

static void final_slot(Analyzer *a, Device *d, Slot *s, uint64_t offset, void *user)
{
	SlotCb *c = user;
	const SlotFinal f = {
		.type = d->type,
		.offset = offset,
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
