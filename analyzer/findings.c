/*
 * From rule hits to findings (slot-check.h): check_hit() merges the
 * contiguous slots one event breaks a rule on into one run, and a run
 * becomes one Finding, its message written by the rule family's formatter
 * (the table below).
 */
#include <inttypes.h>
#include <string.h>

#include "slot-check.h"

#include "banned.h"

/* The message of each rule, by the family file that checks it. */
static const RuleFormat rule_formats[_RULE_MAX] = {
	[RULE_ALLOC_IN_USE] = rule_alloc_format,
	[RULE_ALLOC_MISALIGNED] = rule_alloc_format,
	[RULE_DUP_UNALLOCATED] = rule_count_format,
	[RULE_PUT_UNALLOCATED] = rule_count_format,
	[RULE_PUT_UNDERFLOW] = rule_count_format,
	[RULE_DUP_UNCACHED] = rule_cache_format,
	[RULE_PUT_UNCACHED] = rule_cache_format,
	[RULE_CACHE_ADD_OCCUPIED] = rule_cache_format,
	[RULE_CACHE_ADD_ZERO_COUNT] = rule_cache_format,
	[RULE_CACHE_DEL_MISMATCH] = rule_cache_format,
	[RULE_FREE_REFERENCED] = rule_free_format,
	[RULE_FREE_CACHED] = rule_free_format,
	[RULE_FREE_UNALLOCATED] = rule_free_format,
	[RULE_COUNT_MISMATCH] = rule_count_format,
	[RULE_SLOT_LEAK] = rule_leak_format,
	[RULE_RETENTION_STALE] = retention_format,
	[RULE_RETENTION_FULL] = retention_format,
	[RULE_WP_ROUNDTRIP] = rule_roundtrip_format,
	[RULE_SWAPIN_RACE] = rule_race_format,
	[RULE_CACHE_MOVE_MISMATCH] = rule_cache_format,
	[RULE_LAZYFREE_SWAPPED] = rule_lazyfree_format,
};

void format_range(GString *out, uint32_t type, uint64_t offset, uint32_t nr)
{
	if (nr <= 1)
		g_string_append_printf(out, "slot %" PRIu32 ":%" PRIu64, type, offset);
	else
		g_string_append_printf(out, "slots %" PRIu32 ":%" PRIu64 "-%" PRIu64, type, offset,
				       offset + nr - 1);
}

void format_setup(GString *out, uint64_t seq, uint8_t kind)
{
	const char *name = event_kind_name((EventKind)kind);

	if (seq == SEQ_NONE)
		g_string_append(out, "an event not in the trace");
	else
		g_string_append_printf(out, "seq %" PRIu64 " (%s)", seq, name ? name : "?");
}

static void deliver(Analyzer *a, const Finding *f)
{
	a->findings[f->rule]++;
	if (a->out.finding)
		a->out.finding(a->out.user, f);
}

/* A wp_roundtrip run is also a RoundTrip record, sent at once. */
static void report_roundtrip(Analyzer *a, const Run *r)
{
	const RoundTripDetail *d = &r->detail.roundtrip;
	const RoundTrip rt = {
		.type = r->type,
		.offset = r->offset,
		.pfn = d->pfn,
		.fault_seq = r->setup_seq,
		.free_seq = r->seq,
		.delay_ns = d->delay_ns,
		.ip = d->ip,
		.nr = r->nr,
		.tid = d->tid,
	};

	if (a->out.roundtrip)
		a->out.roundtrip(a->out.user, &rt);
}

static void flush_run(Analyzer *a, Rule rule)
{
	Run *r = &a->runs[rule];
	g_autoptr(GString) range = g_string_new(NULL);
	g_autoptr(GString) setup = g_string_new(NULL);
	Finding f;

	if (!r->open)
		return;
	r->open = false;
	a->open_runs &= ~(1u << rule);
	format_range(range, r->type, r->offset, r->nr);
	format_setup(setup, r->setup_seq, r->setup_kind);
	g_string_truncate(a->message, 0);
	rule_formats[rule](rule, r, range->str, setup->str, a->message);
	f = (Finding){
		.rule = rule,
		.type = r->type,
		.offset = r->offset,
		.nr = r->nr,
		.seq = r->seq,
		.ts_ns = r->ts_ns,
		.setup_seq = r->setup_seq,
		.message = a->message->str,
		.who = r->who,
	};
	if (rule == RULE_WP_ROUNDTRIP)
		report_roundtrip(a, r);
	deliver(a, &f);
}

void check_hit(Analyzer *a, Rule rule, uint32_t type, uint64_t offset, uint64_t seq, int64_t ts_ns,
	       EventKind kind, const Who *who, uint64_t setup_seq, EventKind setup_kind,
	       bool strict, const RuleDetail *detail)
{
	Run *r = &a->runs[rule];

	if (r->open && r->type == type && r->seq == seq && r->offset + r->nr == offset &&
	    r->nr < UINT32_MAX && (!strict || r->setup_seq == setup_seq)) {
		r->nr++;
		return;
	}
	flush_run(a, rule);
	a->open_runs |= 1u << rule;
	*r = (Run){
		.open = true,
		.type = type,
		.offset = offset,
		.nr = 1,
		.seq = seq,
		.ts_ns = ts_ns,
		.who = who ? *who : (Who){ .tid = EVENT_TID_UNKNOWN },
		.kind = (uint8_t)kind,
		.setup_kind = (uint8_t)setup_kind,
		.setup_seq = setup_seq,
		.detail = *detail,
	};
}

void check_flush(Analyzer *a)
{
	/* In rule order, so that findings of one event come out the same way. */
	while (a->open_runs)
		flush_run(a, (Rule)__builtin_ctz(a->open_runs));
}

void check_count_unverified(Analyzer *a)
{
	uint32_t mask = a->unverified_mask;

	a->unverified_mask = 0;
	for (int r = 0; mask; r++, mask >>= 1)
		if (mask & 1)
			a->unverified[r]++;
}
