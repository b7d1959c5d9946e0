/*
 * What a device's lifecycle events say about the slots nobody has named:
 * at swapon (swap_device_on) every slot is free; a state dump
 * (swap_state_begin, swap_state for every slot, swap_state_end) names
 * every slot, in offset order, so the slots below the last line read are
 * known.  A v1 recording's swap_device_on says nothing by itself, since a
 * v1 dump emitted it too and named only the slots in use; such a dump ends
 * with a swap_state of nr 0 at offset nr_slots and the device_on's call
 * site (device_v1_dump_end()), after which every slot nobody has named is
 * known free.  Until then they are unknown: nothing is guessed.
 *
 * The dump walks the device one cluster lock at a time, so events of slots
 * it has not reached yet come between its lines, and were emitted before
 * the line that will name their slot.  A slot becomes known by its own
 * line, never by a line of another cluster: nothing is guessed, and no
 * finding waits for a later event to confirm what an earlier one meant.
 */
#include "slot-check.h"

#include "banned.h"

void device_on_apply(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device(&a->table, ev->type);

	d->on_seq = ev->seq;
	d->off_seq = SEQ_NONE;
	d->dumping = false;
	d->fresh_seq = SEQ_NONE;
	device_set_size(d, ev->nr_slots, ev->cluster_size, ev->seq);
	d->v1_on_seq = SEQ_NONE;
	if (ev->ts_ns <= a->distrust_until_ns)
		return;
	/* A v1 device_on may be a dump's: only its end marker will say. */
	if (ev->flags & EVENT_F_V1) {
		d->v1_on_seq = ev->seq;
		d->v1_on_ip = ev->ip;
		return;
	}
	d->fresh_seq = ev->seq;
	d->fresh_kind = EVENT_DEVICE_ON;
	d->fresh_below = UINT64_MAX;
	device_grant_fresh(d, 0, UINT64_MAX);
}

void device_state_begin(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device(&a->table, ev->type);

	device_set_size(d, ev->nr_slots, ev->cluster_size, ev->seq);
	d->dumping = false;
	d->fresh_seq = SEQ_NONE;
	if (ev->ts_ns <= a->distrust_until_ns)
		return;
	d->dumping = true;
	d->fresh_seq = ev->seq;
	d->fresh_kind = EVENT_STATE_BEGIN;
	d->fresh_below = 0;
}

/*
 * A v2 state line [offset, offset + nr) of device d has been applied: if it
 * continues the dump where the previous line stopped, every slot below its
 * end is known, and those nobody named since the dump began need no storage
 * to say so (a fresh page below fresh_below starts known free).
 */
void device_state_line(Device *d, const Event *ev)
{
	if (!d->dumping || ev->offset != d->fresh_below)
		return;
	d->fresh_below = ev->offset + ev->nr;
}

void device_state_end(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device_peek(&a->table, ev->type);

	(void)a;
	if (!d || !d->dumping)
		return;
	/* Lines that did not reach the device's end leave the rest unknown. */
	d->dumping = false;
}

/*
 * A v1 dump's end marker: the dump walked the whole device, cluster by
 * cluster, naming every slot in use.  A slot that nothing has made known
 * since its device_on was free when the dump passed it, and has seen no
 * alloc or free since (either would have made it known).
 */
void device_v1_dump_end(Analyzer *a, const Event *ev)
{
	Device *d = slot_table_device_peek(&a->table, ev->type);

	if (!d || d->v1_on_seq == SEQ_NONE || !d->nr_slots || ev->offset != d->nr_slots ||
	    ev->ip != d->v1_on_ip || ev->ts_ns <= a->distrust_until_ns)
		return;
	d->fresh_seq = d->v1_on_seq;
	d->fresh_kind = EVENT_DEVICE_ON;
	d->fresh_below = UINT64_MAX;
	device_grant_fresh(d, 0, UINT64_MAX);
	d->v1_on_seq = SEQ_NONE;
}
