/*
 * swapin_race: a swap-in cache add fails with -EEXIST because another
 * insert holds the slot (info).  Each one gives a Race record with the
 * insert it lost to (the event that bound the cache now in effect: a
 * successful add, or the alloc of a folio still being swapped out) and the
 * wait: how long that winner had held the slot when this attempt bounced.
 * The old swap-in synchronisation slept one tick and retried, so a loser
 * leaves a series of races on one slot whose waits step by one tick.
 *
 * Unverifiable: the winner and the wait, when the slot's cache binding is
 * unknown (the race itself is always reported: the kernel said -EEXIST).
 */
#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

void rule_race(Analyzer *a, const Event *ev, const SlotRef *first)
{
	const Slot *s = first->s;
	Race race = {
		.type = ev->type,
		.offset = ev->offset,
		.seq = ev->seq,
		.ts_ns = ev->ts_ns,
		.winner_seq = SEQ_NONE,
		.wait_ns = -1,
		.tid = ev->tid,
		.nr = ev->nr,
		.pfn = ev->pfn,
	};
	uint8_t winner_kind = EVENT_CACHE_ADD;
	uint64_t winner_pfn = 0;

	if (slot_cache_known(s) && s->cache_pfn) {
		race.winner_seq = first->setup->cache_seq;
		race.wait_ns = ev->ts_ns - first->setup->cache_ts_ns;
		winner_kind = s->cache_kind;
		winner_pfn = s->cache_pfn;
	} else {
		check_unverified(a, RULE_SWAPIN_RACE);
	}
	if (a->out.race)
		a->out.race(a->out.user, &race);
	/* One finding for the range: it was one attempt. */
	for (uint32_t i = 0; i < ev->nr; i++)
		check_hit_ev(a, RULE_SWAPIN_RACE, ev, ev->offset + i, race.winner_seq, winner_kind,
			     &(RuleDetail){ .race = { .pfn = ev->pfn,
						      .wait_ns = race.wait_ns,
						      .winner_pfn = winner_pfn } });
}

void rule_race_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	const RaceDetail *d = &r->detail.race;

	g_assert(rule == RULE_SWAPIN_RACE);
	if (r->setup_seq == SEQ_NONE)
		g_string_append_printf(out,
				       "swap-in cache add of %s by pfn 0x%" PRIx64
				       " lost a race (-EEXIST) to an insert not in the trace",
				       range, d->pfn);
	else
		g_string_append_printf(out,
				       "swap-in cache add of %s by pfn 0x%" PRIx64
				       " lost a race (-EEXIST) to pfn 0x%" PRIx64
				       " inserted at %s, %.1f us earlier",
				       range, d->pfn, d->winner_pfn, setup,
				       (double)d->wait_ns / 1000.0);
}
