/*
 * What a swap_device_on says about the slots not seen since: every one of
 * them free at a swapon, only those a state dump has passed at a dump's.
 * The analyzer (analyzer.c) hands this file every device_on, swap_state
 * line and end-of-dump marker.
 */
#include "slot-check.h"

#include "banned.h"

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
 * proven a dump's, and meanwhile findings are held (check_release_held()); when a
 * swap_state line or end-of-dump marker with its call site arrives, the
 * findings resting on it are dropped (unverified), what it said is revoked,
 * and from then on slots become free only as the dump passes them
 * (fresh_below).  Once a dump's call site is known, its later device_ons are
 * recognised at once.
 *
 * A dump is complete at its end-of-dump marker (device_on_dump_end()).
 * Producers older than the marker give no such word: then a dump is taken as
 * complete when it moves on to the next device (a device_on with its call
 * site), and the last device's slots past its last state line stay unknown;
 * a dump's device_on never followed by a state line stays undecided until
 * the device's next device_on or device_off, or the trace's end.
 *
 * The next event of the device does not decide it: the kernel's dump walks
 * the device one cluster lock at a time, so operations on slots it has not
 * reached yet may come between its device_on and its first state line.
 */
void device_on_resolve(Analyzer *a, Device *d)
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

void device_on_apply(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device(&a->table, ev->type);

	d->on_seq = ev->seq;
	d->off_seq = SEQ_NONE;
	d->on_ip = ev->ip;
	device_set_size(d, ev->nr_slots, ev->cluster_size, ev->seq);
	/* A later device_on settles an earlier undecided one: no dump line came. */
	device_on_resolve(a, d);
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
	device_on_resolve(a, d);
	check_drop_held(a, d);
	device_revoke_fresh(d, d->tentative_seq);
	a->dump_ip = ip;
	a->have_dump_ip = true;
	d->dumping = true;
	d->fresh_below = 0;
}

/* A swap_state line of device d, before it is applied. */
void device_on_state_line(Analyzer *a, Device *d, const Event *ev)
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
void device_on_dump_end(Analyzer *a, const Event *ev)
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
