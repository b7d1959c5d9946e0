/*
 * retention_stale / retention_full: a slot with count 0 stays cached by a
 * written folio longer than the stale threshold, or while its device is
 * over the full threshold (vm_swap_full()) longer than the full threshold.
 * See retention.h for what an interval is and how it is judged.
 *
 * Unverifiable: no interval is opened for a slot whose allocated state,
 * count or cache binding is unknown; the fill counts only slots known to be
 * allocated, and is 0 without a swap_device_on (so `full` never fires on a
 * device of unknown size); an interval cut by a gap is judged on the part
 * before the gap.
 */
#include "retention.h"

#include <inttypes.h>

#include "slot-check.h"

#include "banned.h"

static bool retained(const Slot *s)
{
	const unsigned need = SLOT_ALLOCATED | SLOT_KNOWN_MASK;

	return (s->flags & need) == need && s->count == 0 && s->cache_pfn != 0;
}

static RetentionVerdict judge(const Analyzer *a, bool written, int64_t duration_ns,
			      uint32_t fill_max)
{
	if (written && duration_ns > a->opts.stale_threshold_ns)
		return RETENTION_STALE;
	if (fill_max > a->opts.full_permille && duration_ns > a->opts.full_threshold_ns)
		return RETENTION_FULL;
	return RETENTION_LAZY;
}

/*
 * A stale or full interval is a warning finding, proved by: for stale, the
 * write fault that kept the written folio (from then on the cached copy is
 * known stale); for full, the event that left the slot cached with count 0
 * while the device was over the threshold (the kernel should have freed the
 * cache there: vm_swap_full()), which is also the interval's start, or for
 * an interval that only became full later, the first fault that kept the
 * cache anyway.
 */
static void report_waste(Analyzer *a, const SlotRare *x, const Retention *r, int64_t duration_ns,
			 RetentionEnd end)
{
	Rule rule = r->verdict == RETENTION_STALE ? RULE_RETENTION_STALE : RULE_RETENTION_FULL;
	uint64_t seq = x->ret_seq;
	int64_t ts = x->ret_ts_ns;
	EventKind kind = (EventKind)x->ret_kind;
	Who who = { .ip = x->ret_ip, .tid = x->ret_tid, .procname = x->ret_procname };
	const RuleDetail detail = { .retention = {
					    .keep_reason = r->keep_reason,
					    .pfn = r->pfn,
					    .duration_ns = duration_ns,
					    .fill_permille_max = r->fill_permille_max,
					    .end = end,
					    .end_seq = r->end_seq,
				    } };

	if (rule == RULE_RETENTION_STALE) {
		seq = x->ret_written_seq;
		ts = x->ret_written_ts_ns;
		kind = EVENT_FAULT;
		who = x->ret_written_who;
	} else if (x->ret_fill_start <= a->opts.full_permille && x->ret_keep_seq != SEQ_NONE) {
		seq = x->ret_keep_seq;
		ts = x->ret_keep_ts_ns;
		kind = EVENT_FAULT;
		who = x->ret_keep_who;
	}
	check_hit(a, rule, r->type, r->offset, seq, ts, kind, &who, x->ret_seq,
		  (EventKind)x->ret_kind, true, &detail);
}

void retention_close(Analyzer *a, const SlotRef *ref, uint64_t end_seq, int64_t end_ts_ns,
		     uint64_t end_ip, bool truncated)
{
	Slot *s = ref->s;
	const SlotRare *x;
	int64_t duration;
	uint32_t fill_max;
	Retention r;

	if (!(s->flags & SLOT_RET_OPEN))
		return;
	x = slot_rare(ref);
	if (end_ts_ns < x->ret_ts_ns)
		end_ts_ns = x->ret_ts_ns;
	duration = end_ts_ns - x->ret_ts_ns;
	fill_max = MAX(device_fill_peak_since(ref->dev, x->ret_seq), x->ret_fill_start);
	r = (Retention){
		.type = ref->dev->type,
		.offset = ref->offset,
		.pfn = x->ret_pfn,
		.start_seq = x->ret_seq,
		.start_ts_ns = x->ret_ts_ns,
		.end_seq = end_seq,
		.end_ts_ns = end_ts_ns,
		.written = s->flags & SLOT_RET_WRITTEN,
		.fill_permille_start = x->ret_fill_start,
		.fill_permille_max = fill_max,
		.start_ip = x->ret_ip,
		.end_ip = end_seq == SEQ_NONE ? 0 : end_ip,
		.tid = x->ret_tid,
		.procname = x->ret_procname,
		.verdict = judge(a, s->flags & SLOT_RET_WRITTEN, duration, fill_max),
		.truncated = truncated,
		.keep_reason = x->ret_reason < _KEEP_REASON_MAX ? (KeepReason)x->ret_reason
								: _KEEP_REASON_INVALID,
	};

	lifetime_note_cached_zero(ref, duration);
	a->retention_ns[r.verdict] = add_saturating(a->retention_ns[r.verdict], duration);
	a->retention_count[r.verdict]++;
	if (a->out.retention)
		a->out.retention(a->out.user, &r);
	if (r.verdict != RETENTION_LAZY)
		report_waste(a, x, &r, duration,
			     truncated		   ? RETENTION_END_GAP
			     : end_seq == SEQ_NONE ? RETENTION_END_TRACE
						   : RETENTION_END_EVENT);
	s->flags &= ~(SLOT_RET_OPEN | SLOT_RET_WRITTEN);
}

static void retention_open(const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;
	SlotRare *x = slot_rare(ref);

	s->flags |= SLOT_RET_OPEN;
	x->ret_reason = _KEEP_REASON_MAX;
	if (s->flags & SLOT_WRITTEN) {
		/* written while still referenced, kept once it no longer is */
		s->flags |= SLOT_RET_WRITTEN;
		x->ret_written_seq = x->written_seq;
		x->ret_written_ts_ns = x->written_ts_ns;
		x->ret_written_who = x->written_who;
		x->ret_reason = x->written_reason;
	}
	x->ret_keep_seq = SEQ_NONE;
	x->ret_seq = ev->seq;
	x->ret_ts_ns = ev->ts_ns;
	x->ret_kind = (uint8_t)ev->kind;
	x->ret_pfn = s->cache_pfn;
	x->ret_ip = ev->ip;
	x->ret_tid = ev->tid;
	x->ret_procname = ev->procname;
	x->ret_fill_start = ref->dev->fill;
}

void retention_update(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	Slot *s = ref->s;

	if (s->flags & SLOT_RET_OPEN) {
		/* A re-alloc starts a new life even if it looks the same. */
		if (retained(s) && s->cache_pfn == slot_rare(ref)->ret_pfn &&
		    ev->kind != EVENT_ENTRY_ALLOC)
			return;
		retention_close(a, ref, ev->seq, ev->ts_ns, ev->ip, false);
	}
	if (retained(s) && (ev->kind == EVENT_ENTRY_PUT || ev->kind == EVENT_STATE))
		retention_open(ev, ref);
}

void retention_note_kept(const SlotRef *ref, const Event *ev, KeepReason reason)
{
	SlotRare *x;

	if (!(ref->s->flags & SLOT_RET_OPEN))
		return;
	x = slot_rare(ref);
	if (x->ret_reason == _KEEP_REASON_MAX && (unsigned)reason < _KEEP_REASON_MAX)
		x->ret_reason = (uint8_t)reason;
	if (x->ret_keep_seq != SEQ_NONE)
		return;
	/* should_try_to_free_swap() said no: the decision a finding names */
	x->ret_keep_seq = ev->seq;
	x->ret_keep_ts_ns = ev->ts_ns;
	x->ret_keep_who = (Who){ .ip = ev->ip, .tid = ev->tid, .procname = ev->procname };
}

void retention_note_written(const SlotRef *ref, const Event *ev, KeepReason reason)
{
	SlotRare *x;

	if ((ref->s->flags & (SLOT_RET_OPEN | SLOT_RET_WRITTEN)) != SLOT_RET_OPEN)
		return;
	x = slot_rare(ref);
	ref->s->flags |= SLOT_RET_WRITTEN;
	x->ret_written_seq = ev->seq;
	x->ret_written_ts_ns = ev->ts_ns;
	x->ret_written_who = (Who){ .ip = ev->ip, .tid = ev->tid, .procname = ev->procname };
	x->ret_reason = (uint8_t)reason;
}

void retention_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	const RetentionDetail *d = &r->detail.retention;
	g_autofree char *until = NULL;

	switch (d->end) {
	case RETENTION_END_TRACE:
		until = g_strdup("the end of the trace");
		break;
	case RETENTION_END_GAP:
		until = g_strdup("a gap in the trace");
		break;
	default:
		until = g_strdup_printf("seq %" PRIu64, d->end_seq);
		break;
	}
	if (rule == RULE_RETENTION_STALE) {
		g_string_append_printf(out,
				       "%s kept folio pfn 0x%" PRIx64
				       " in the swap cache with count 0 for %" PRId64
				       " us after the write fault at seq %" PRIu64
				       " (device copy stale), from %s to %s",
				       range, d->pfn, d->duration_ns / 1000, r->seq, setup, until);
		if (d->keep_reason >= 0)
			g_string_append_printf(out, "; the fault kept it: %s",
					       keep_reason_description((KeepReason)d->keep_reason));
		return;
	}
	g_string_append_printf(
		out,
		"%s kept folio pfn 0x%" PRIx64 " in the swap cache with count 0 for %" PRId64
		" us while its device was up to %" PRIu32 "/1000 full, from %s to %s",
		range, d->pfn, d->duration_ns / 1000, d->fill_permille_max, setup, until);
}
