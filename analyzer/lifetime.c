/*
 * Lifetimes: one record per slot per allocation, alloc -> free (DESIGN.md
 * §7), with the highest count, the swap-ins and the time cached with count
 * 0 on the way.  A slot first seen in use opens one with no alloc (it began
 * before the trace); a re-alloc without a free closes the open one at the
 * re-alloc; the trace's end closes the rest, in (type, offset) order.
 */
#include "slot-check.h"

#include "banned.h"

void lifetime_open(const SlotRef *ref, uint64_t alloc_seq, int64_t ts_ns)
{
	Slot *s = ref->s;
	SlotLife *life;

	g_assert(!(s->flags & SLOT_LIFE_OPEN));
	life = slot_life_open(ref);
	s->flags |= SLOT_LIFE_OPEN;
	*life = (SlotLife){
		.alloc_seq = alloc_seq,
		.alloc_ts_ns = ts_ns,
		.max_count = slot_count_known(s) ? s->count : 0,
	};
}

void lifetime_ensure(const SlotRef *ref, const Event *ev)
{
	const Slot *s = ref->s;

	if (s->flags & SLOT_LIFE_OPEN)
		return;
	if (slot_alloc_known(s) && !slot_allocated(s))
		return;
	lifetime_open(ref, SEQ_NONE, ev->ts_ns);
}

void lifetime_close(Analyzer *a, const SlotRef *ref, uint64_t free_seq, int64_t free_ts_ns)
{
	const SlotLife *life;
	Lifetime l;

	if (!(ref->s->flags & SLOT_LIFE_OPEN))
		return;
	ref->s->flags &= ~SLOT_LIFE_OPEN;
	life = slot_life(ref);
	l = (Lifetime){
		.type = ref->dev->type,
		.offset = ref->offset,
		.alloc_seq = life->alloc_seq,
		.alloc_ts_ns = life->alloc_ts_ns,
		.free_seq = free_seq,
		.free_ts_ns = free_ts_ns,
		.max_count = life->max_count,
		.swapins = life->swapins,
		.cached_zero_ns = life->cached_zero_ns,
	};
	slot_life_close(ref);
	if (a->out.lifetime)
		a->out.lifetime(a->out.user, &l);
}

void lifetime_note_count(const SlotRef *ref, int32_t count)
{
	SlotLife *life;

	if (!(ref->s->flags & SLOT_LIFE_OPEN))
		return;
	life = slot_life(ref);
	if (count > life->max_count)
		life->max_count = count;
}

void lifetime_note_swapin(const SlotRef *ref)
{
	if (ref->s->flags & SLOT_LIFE_OPEN)
		slot_life(ref)->swapins++;
}

/* Durations are >= 0; a day of a million retained slots overflows slot-ns. */
int64_t add_saturating(int64_t sum, int64_t duration)
{
	int64_t res;

	return __builtin_add_overflow(sum, duration, &res) ? INT64_MAX : res;
}

void lifetime_note_cached_zero(const SlotRef *ref, int64_t duration_ns)
{
	SlotLife *life;

	if (!(ref->s->flags & SLOT_LIFE_OPEN))
		return;
	life = slot_life(ref);
	life->cached_zero_ns = add_saturating(life->cached_zero_ns, duration_ns);
}
