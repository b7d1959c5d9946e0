/*
 * The analyzer fed plain Event arrays: every rule fires on its pattern and
 * not on the legal neighbours, known/unknown (DESIGN §5), large folios,
 * retention, races, round trips, lifetimes and output order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "analyzer.h"

/* Everything the analyzer reported, copied. */
typedef struct Rec {
	GArray *findings;
	GArray *lifetimes;
	GArray *retention;
	GArray *races;
	GArray *roundtrips;
	GString *log; /* every record in output order, one line each */
} Rec;

typedef struct Feed {
	Analyzer *a;
	Rec rec;
	uint64_t seq;
	int64_t ts_ns;
} Feed;

/* A Finding's message lives as long as the callback: keep a copy. */
static void finding_clear(gpointer p)
{
	g_free((char *)((Finding *)p)->message);
}

static void on_finding(void *user, const Finding *f)
{
	Rec *r = user;
	Finding copy = *f;

	copy.message = g_strdup(f->message);
	g_array_append_val(r->findings, copy);
	g_string_append_printf(r->log, "finding %s %u:%lu+%u seq %lu setup %ld: %s\n",
			       rule_name(f->rule), f->type, (unsigned long)f->offset, f->nr,
			       (unsigned long)f->seq, (long)f->setup_seq, f->message);
}

static void on_lifetime(void *user, const Lifetime *l)
{
	Rec *r = user;

	g_array_append_val(r->lifetimes, *l);
	g_string_append_printf(r->log, "lifetime %u:%lu %ld-%ld max %d in %u zero %ld\n", l->type,
			       (unsigned long)l->offset, (long)l->alloc_seq, (long)l->free_seq,
			       l->max_count, l->swapins, (long)l->cached_zero_ns);
}

static void on_retention(void *user, const Retention *x)
{
	Rec *r = user;

	g_array_append_val(r->retention, *x);
	g_string_append_printf(r->log, "retention %u:%lu %ld-%ld verdict %d written %d\n", x->type,
			       (unsigned long)x->offset, (long)x->start_seq, (long)x->end_seq,
			       x->verdict, x->written);
}

static void on_race(void *user, const Race *x)
{
	Rec *r = user;

	g_array_append_val(r->races, *x);
	g_string_append_printf(r->log, "race %u:%lu seq %lu winner %ld wait %ld\n", x->type,
			       (unsigned long)x->offset, (unsigned long)x->seq, (long)x->winner_seq,
			       (long)x->wait_ns);
}

static void on_roundtrip(void *user, const RoundTrip *x)
{
	Rec *r = user;

	g_array_append_val(r->roundtrips, *x);
	g_string_append_printf(r->log, "roundtrip %u:%lu %lu-%lu\n", x->type,
			       (unsigned long)x->offset, (unsigned long)x->fault_seq,
			       (unsigned long)x->free_seq);
}

static Feed *feed_new_opts(const AnalyzerOptions *opts)
{
	Feed *f = g_new0(Feed, 1);
	ReplayOutput out = {
		.user = &f->rec,
		.finding = on_finding,
		.lifetime = on_lifetime,
		.retention = on_retention,
		.race = on_race,
		.roundtrip = on_roundtrip,
	};

	f->rec.findings = g_array_new(FALSE, TRUE, sizeof(Finding));
	g_array_set_clear_func(f->rec.findings, finding_clear);
	f->rec.lifetimes = g_array_new(FALSE, TRUE, sizeof(Lifetime));
	f->rec.retention = g_array_new(FALSE, TRUE, sizeof(Retention));
	f->rec.races = g_array_new(FALSE, TRUE, sizeof(Race));
	f->rec.roundtrips = g_array_new(FALSE, TRUE, sizeof(RoundTrip));
	f->rec.log = g_string_new(NULL);
	f->a = analyzer_new(opts, &out);
	f->ts_ns = 1000000;
	return f;
}

static Feed *feed_new(void)
{
	return feed_new_opts(NULL);
}

static void feed_free(Feed *f)
{
	analyzer_free(f->a);
	g_array_unref(f->rec.findings);
	g_array_unref(f->rec.lifetimes);
	g_array_unref(f->rec.retention);
	g_array_unref(f->rec.races);
	g_array_unref(f->rec.roundtrips);
	g_string_free(f->rec.log, TRUE);
	g_free(f);
}

/* Apply one event 1 us after the previous one; returns its seq. */
static uint64_t feed(Feed *f, Event e)
{
	e.seq = f->seq++;
	f->ts_ns += 1000;
	e.ts_ns = f->ts_ns;
	if (!e.nr && e.kind != EVENT_DEVICE_ON && e.kind != EVENT_DEVICE_OFF)
		e.nr = 1;
	if (!e.tid)
		e.tid = 42;
	analyzer_apply(f->a, &e);
	return e.seq;
}

static void feed_finish(Feed *f)
{
	analyzer_finish(f->a, f->ts_ns + 1000);
}

/* Event builders; nr 0 means 1. */
static Event ev_on(uint32_t type, uint64_t nr_slots, uint32_t cluster_size)
{
	return (Event){ .kind = EVENT_DEVICE_ON,
			.type = type,
			.nr_slots = nr_slots,
			.cluster_size = cluster_size };
}
static Event ev_alloc(uint64_t off, uint32_t nr, uint64_t pfn)
{
	return (Event){ .kind = EVENT_ENTRY_ALLOC, .offset = off, .nr = nr, .pfn = pfn };
}
static Event ev_dup(uint64_t off, uint32_t nr, uint64_t pfn, int32_t count)
{
	return (Event){
		.kind = EVENT_ENTRY_DUP, .offset = off, .nr = nr, .pfn = pfn, .count = count
	};
}
static Event ev_put(uint64_t off, uint32_t nr, uint64_t pfn, int32_t count)
{
	return (Event){
		.kind = EVENT_ENTRY_PUT, .offset = off, .nr = nr, .pfn = pfn, .count = count
	};
}
static Event ev_free(uint64_t off, uint32_t nr)
{
	return (Event){ .kind = EVENT_ENTRY_FREE, .offset = off, .nr = nr };
}
static Event ev_add(uint64_t off, uint32_t nr, uint64_t pfn, int32_t ret)
{
	return (Event){ .kind = EVENT_CACHE_ADD, .offset = off, .nr = nr, .pfn = pfn, .ret = ret };
}
static Event ev_del(uint64_t off, uint32_t nr, uint64_t pfn)
{
	return (Event){ .kind = EVENT_CACHE_DEL, .offset = off, .nr = nr, .pfn = pfn };
}
/*
 * A fault on a folio in the swap cache (schema v2's cached), with the
 * decision's inputs of a correct kernel (refs 2); WIP: a write fault that
 * maps it exclusively, i.e. writes it in place.
 */
#define WIP (EVENT_F_WRITE | EVENT_F_EXCLUSIVE)
static Event ev_fault(uint64_t off, uint32_t nr, uint64_t pfn, uint32_t flags)
{
	return (Event){ .kind = EVENT_FAULT,
			.offset = off,
			.nr = nr,
			.pfn = pfn,
			.flags = flags | EVENT_F_CACHED,
			.refs = 2 };
}
static Event ev_state(uint64_t off, uint32_t nr, int32_t count, uint64_t pfn)
{
	return (Event){ .kind = EVENT_STATE, .offset = off, .nr = nr, .count = count, .pfn = pfn };
}

static unsigned count_rule(Feed *f, Rule r)
{
	unsigned n = 0;

	for (guint i = 0; i < f->rec.findings->len; i++)
		if (g_array_index(f->rec.findings, Finding, i).rule == r)
			n++;
	return n;
}

static unsigned count_errors(Feed *f)
{
	unsigned n = 0;

	for (guint i = 0; i < f->rec.findings->len; i++)
		if (rule_table[g_array_index(f->rec.findings, Finding, i).rule].severity ==
		    SEVERITY_ERROR)
			n++;
	return n;
}

/* The only finding is one of rule r; returns it. */
static const Finding *only_finding(Feed *f, Rule r)
{
	if (f->rec.findings->len != 1)
		g_test_message("findings:\n%s", f->rec.log->str);
	g_assert_cmpuint(f->rec.findings->len, ==, 1);
	g_assert_cmpstr(rule_name(g_array_index(f->rec.findings, Finding, 0).rule), ==,
			rule_name(r));
	return &g_array_index(f->rec.findings, Finding, 0);
}

static void assert_no_findings(Feed *f)
{
	if (f->rec.findings->len)
		g_test_message("findings:\n%s", f->rec.log->str);
	g_assert_cmpuint(f->rec.findings->len, ==, 0);
}

/*
 * A whole clean life: swap-out (alloc, dup), reclaim drops the cache,
 * swap-in (add, put), lazy retention, cache del, free.  Returns nothing;
 * asserts no finding.
 */
static void clean_life(Feed *f, uint64_t off, uint32_t nr, uint64_t pfn_out, uint64_t pfn_in)
{
	feed(f, ev_alloc(off, nr, pfn_out));
	feed(f, ev_dup(off, nr, pfn_out, 1));
	feed(f, ev_del(off, nr, pfn_out));
	feed(f, ev_add(off, nr, pfn_in, 0));
	feed(f, ev_put(off, nr, pfn_in, 0));
	feed(f, ev_fault(off, nr, pfn_in, 0));
	feed(f, ev_del(off, nr, pfn_in));
	feed(f, ev_free(off, nr));
}

/* --- the rule table --- */

static void test_rule_table(void)
{
	for (int r = 0; r < _RULE_MAX; r++) {
		g_assert_cmpint(rule_table[r].rule, ==, r);
		g_assert_nonnull(rule_table[r].name);
		g_assert_nonnull(rule_table[r].description);
		g_assert_nonnull(rule_table[r].unverifiable);
		g_assert_cmpint(rule_from_name(rule_table[r].name), ==, r);
		g_assert_nonnull(severity_name(rule_table[r].severity));
	}
	g_assert_cmpstr(rule_name(RULE_PUT_UNDERFLOW), ==, "put_underflow");
	g_assert_cmpint(rule_from_name("nope"), ==, _RULE_INVALID);
	g_assert_cmpint(rule_from_name(NULL), ==, _RULE_INVALID);
	g_assert_null(rule_name(_RULE_MAX));
	g_assert_cmpstr(severity_name(SEVERITY_WARNING), ==, "warning");
	g_assert_cmpint(rule_table[RULE_SWAPIN_RACE].severity, ==, SEVERITY_INFO);
	g_assert_cmpint(rule_table[RULE_RETENTION_STALE].severity, ==, SEVERITY_WARNING);
}

/* --- clean traces --- */

static void test_clean(void)
{
	Feed *f = feed_new();
	const Lifetime *l;

	feed(f, ev_on(0, 1000, 256));
	clean_life(f, 10, 1, 0x100, 0x200);
	clean_life(f, 10, 1, 0x300, 0x400); /* reused */
	/* fork: direct dup and zap: direct put; the last put frees at once */
	feed(f, ev_alloc(20, 1, 0x500));
	feed(f, ev_dup(20, 1, 0x500, 1));
	feed(f, ev_del(20, 1, 0x500));
	feed(f, ev_dup(20, 1, 0, 2));
	feed(f, ev_put(20, 1, 0, 1));
	feed(f, ev_put(20, 1, 0, 0));
	feed(f, ev_free(20, 1));
	/* failed operations change nothing */
	feed(f, ev_dup(20, 1, 0, 0));
	g_assert_cmpuint(
		feed(f, (Event){ .kind = EVENT_ENTRY_DUP, .offset = 20, .nr = 1, .ret = -ENOENT }),
		>, 0);
	feed(f, ev_add(20, 1, 0x600, -ENOENT));
	feed_finish(f);
	/* the stray ret-0 dup above on a free slot is the only finding */
	g_assert_cmpuint(count_rule(f, RULE_DUP_UNALLOCATED), ==, 1);
	g_assert_cmpuint(f->rec.findings->len, ==, 1);

	g_assert_cmpuint(f->rec.lifetimes->len, ==, 3);
	l = &g_array_index(f->rec.lifetimes, Lifetime, 0);
	g_assert_cmpuint(l->offset, ==, 10);
	g_assert_cmpuint(l->alloc_seq, ==, 1);
	g_assert_cmpuint(l->free_seq, ==, 8);
	g_assert_cmpint(l->max_count, ==, 1);
	g_assert_cmpuint(l->swapins, ==, 1);
	g_assert_cmpint(l->cached_zero_ns, ==, 2000); /* put .. del */
	g_assert_cmpuint(f->rec.retention->len, ==, 2);
	g_assert_cmpint(g_array_index(f->rec.retention, Retention, 0).verdict, ==, RETENTION_LAZY);
	feed_free(f);
}

static void test_clean_only(void)
{
	Feed *f = feed_new();

	feed(f, ev_on(0, 1000, 256));
	for (uint64_t i = 0; i < 50; i++)
		clean_life(f, i * 3, 1, 0x1000 + i, 0x2000 + i);
	feed_finish(f);
	assert_no_findings(f);
	for (int r = 0; r < _RULE_MAX; r++)
		g_assert_cmpuint(analyzer_findings(f->a, r), ==, 0);
	feed_free(f);
}

/* --- error rules, each with its legal neighbours --- */

static void test_alloc_in_use(void)
{
	Feed *f = feed_new();
	uint64_t setup, prove;
	const Finding *x;

	setup = feed(f, ev_alloc(5, 1, 0x10));
	prove = feed(f, ev_alloc(5, 1, 0x20));
	/* neighbour: alloc after free */
	feed(f, ev_alloc(6, 1, 0x30));
	feed(f, ev_del(6, 1, 0x30));
	feed(f, ev_free(6, 1));
	feed(f, ev_alloc(6, 1, 0x40));
	x = only_finding(f, RULE_ALLOC_IN_USE);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_cmpuint(x->offset, ==, 5);
	g_assert_nonnull(strstr(x->message, "slot 0:5"));
	feed_free(f);
}

static void test_alloc_in_use_unknown(void)
{
	Feed *f = feed_new();

	/* never seen: may have been freed before the trace */
	feed(f, ev_alloc(5, 1, 0x10));
	g_assert_cmpuint(f->rec.findings->len, ==, 0);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_ALLOC_IN_USE), ==, 1);
	feed_free(f);
}

static void test_alloc_misaligned(void)
{
	Feed *f = feed_new();
	const Finding *x;

	/* without device_on: alignment is checked, cluster crossing unverified */
	feed(f, ev_alloc(16, 8, 0x100));
	g_assert_cmpuint(f->rec.findings->len, ==, 0);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_ALLOC_MISALIGNED), ==, 1);
	feed(f, ev_alloc(34, 4, 0x200));
	x = only_finding(f, RULE_ALLOC_MISALIGNED);
	g_assert_cmpuint(x->offset, ==, 34);
	g_assert_cmpuint(x->nr, ==, 4);
	feed_free(f);

	f = feed_new();
	feed(f, ev_on(0, 4096, 4));
	feed(f, ev_alloc(8, 4, 0x100));	 /* aligned, inside one cluster */
	feed(f, ev_alloc(0, 1, 0x200));	 /* order 0 is never misaligned */
	feed(f, ev_alloc(16, 8, 0x300)); /* aligned but spans two 4-slot clusters */
	x = only_finding(f, RULE_ALLOC_MISALIGNED);
	g_assert_cmpuint(x->nr, ==, 8);
	g_assert_cmpuint(x->setup_seq, ==, 0);
	g_assert_nonnull(strstr(x->message, "cluster"));
	feed_free(f);
}

static void test_dup_unallocated(void)
{
	Feed *f = feed_new();
	uint64_t setup, prove;
	const Finding *x;

	feed(f, ev_alloc(7, 1, 0x10));
	feed(f, ev_del(7, 1, 0x10));
	setup = feed(f, ev_free(7, 1));
	prove = feed(f, ev_dup(7, 1, 0, 1));
	/* neighbours: a failed dup of a free slot is the kernel being right;
	 * a dup of a slot never seen is unverified */
	feed(f, (Event){ .kind = EVENT_ENTRY_DUP, .offset = 8, .nr = 1, .ret = -ENOENT });
	feed(f, ev_dup(900, 1, 0, 3));
	x = only_finding(f, RULE_DUP_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_nonnull(strstr(x->message, "entry_free"));
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	feed_free(f);
}

static void test_put_unallocated(void)
{
	Feed *f = feed_new();
	uint64_t setup, prove;
	const Finding *x;

	feed(f, ev_alloc(7, 1, 0x10));
	feed(f, ev_del(7, 1, 0x10));
	setup = feed(f, ev_free(7, 1));
	prove = feed(f, ev_put(7, 1, 0, 0));
	/* no cascade: the emitter's model re-allocates the free slot */
	feed(f, ev_alloc(7, 1, 0x20));
	x = only_finding(f, RULE_PUT_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);
}

static void test_put_underflow(void)
{
	Feed *f = feed_new();
	uint64_t setup, prove;
	const Finding *x;

	feed(f, ev_alloc(4711, 1, 0x10));
	feed(f, ev_dup(4711, 1, 0x10, 1));
	setup = feed(f, ev_put(4711, 1, 0x10, 0)); /* count 0, still cached: legal */
	prove = feed(f, ev_put(4711, 1, 0x10, 0));
	x = only_finding(f, RULE_PUT_UNDERFLOW);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_cmpstr(x->message, ==,
			"put on slot 0:4711 whose count is already 0; count reached 0 at seq 2 "
			"(entry_put)");
	feed_free(f);
}

static void test_dup_put_uncached(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	setup = feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1)); /* bound to the caching folio: legal */
	feed(f, ev_dup(3, 1, 0, 2));	/* direct: legal */
	prove = feed(f, ev_dup(3, 1, 0x99, 3));
	x = only_finding(f, RULE_DUP_UNCACHED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_nonnull(strstr(x->message, "0x99"));
	feed_free(f);

	f = feed_new();
	feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1));
	feed(f, ev_dup(3, 1, 0x10, 2));
	setup = feed(f, ev_del(3, 1, 0x10));
	feed(f, ev_put(3, 1, 0, 1)); /* direct: legal */
	prove = feed(f, ev_put(3, 1, 0x10, 0));
	x = only_finding(f, RULE_PUT_UNCACHED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_nonnull(strstr(x->message, "not cached"));
	feed_free(f);
}

static void test_cache_add_occupied(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	setup = feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1));
	feed(f, ev_add(3, 1, 0x20, -EEXIST)); /* the kernel refusing: legal (a race) */
	prove = feed(f, ev_add(3, 1, 0x20, 0));
	g_assert_cmpuint(count_rule(f, RULE_SWAPIN_RACE), ==, 1);
	g_assert_cmpuint(count_rule(f, RULE_CACHE_ADD_OCCUPIED), ==, 1);
	g_assert_cmpuint(count_errors(f), ==, 1);
	x = &g_array_index(f->rec.findings, Finding, 1);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);

	f = feed_new();
	setup = feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1));
	feed(f, ev_del(3, 1, 0x10));
	feed(f, ev_add(3, 1, 0x20, 0)); /* legal swap-in */
	prove = feed(f, ev_add(3, 1, 0x30, 0));
	x = only_finding(f, RULE_CACHE_ADD_OCCUPIED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup + 3);
	feed_free(f);
}

static void test_cache_add_zero_count(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_del(3, 1, 0x10));
	setup = feed(f, ev_free(3, 1));
	feed(f, ev_add(3, 1, 0x20, -ENOENT)); /* the kernel right */
	prove = feed(f, ev_add(3, 1, 0x20, 0));
	x = only_finding(f, RULE_CACHE_ADD_ZERO_COUNT);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);
}

static void test_cache_del_mismatch(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	setup = feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1));
	prove = feed(f, ev_del(3, 1, 0x11));
	/* no cascade: the real owner's del is not judged against a guess */
	feed(f, ev_del(3, 1, 0x10));
	x = only_finding(f, RULE_CACHE_DEL_MISMATCH);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);
}

static void test_free_rules(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	feed(f, ev_alloc(3, 1, 0x10));
	setup = feed(f, ev_dup(3, 1, 0x10, 1));
	feed(f, ev_del(3, 1, 0x10));
	prove = feed(f, ev_free(3, 1));
	x = only_finding(f, RULE_FREE_REFERENCED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_nonnull(strstr(x->message, "data loss"));
	feed_free(f);

	f = feed_new();
	setup = feed(f, ev_alloc(3, 1, 0x10));
	prove = feed(f, ev_free(3, 1));
	x = only_finding(f, RULE_FREE_CACHED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);

	f = feed_new();
	feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_del(3, 1, 0x10));
	setup = feed(f, ev_free(3, 1));
	prove = feed(f, ev_free(3, 1));
	x = only_finding(f, RULE_FREE_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);

	/* never seen: a free proves nothing but makes the slot known */
	f = feed_new();
	feed(f, ev_free(3, 1));
	feed(f, ev_dup(3, 1, 0, 1));
	x = only_finding(f, RULE_DUP_UNALLOCATED);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_FREE_UNALLOCATED), ==, 1);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_FREE_REFERENCED), ==, 1);
	feed_free(f);
}

static void test_count_mismatch(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	feed(f, ev_alloc(3, 1, 0x10));
	setup = feed(f, ev_dup(3, 1, 0x10, 1));
	prove = feed(f, ev_dup(3, 1, 0, 5));
	/* re-synced to the kernel's 5: no cascade */
	feed(f, ev_put(3, 1, 0, 4));
	/* saturated counts are "at least": not compared */
	feed(f, ev_dup(3, 1, 0, SWAP_COUNT_SATURATED));
	x = only_finding(f, RULE_COUNT_MISMATCH);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_nonnull(strstr(x->message, "count 5"));
	g_assert_nonnull(strstr(x->message, "reconstructed count is 2"));
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_COUNT_MISMATCH), ==, 1);
	feed_free(f);
}

static void test_slot_leak(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	/* legal: the last direct put of an uncached slot, then its free */
	feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1));
	feed(f, ev_del(3, 1, 0x10));
	feed(f, ev_put(3, 1, 0, 0));
	feed(f, ev_add(3, 1, 0x77, -ENOENT)); /* a swap-in racing the free: legal */
	feed(f, ev_free(3, 1));
	/* leak: the next operation on the slot is not its free */
	feed(f, ev_alloc(4, 1, 0x20));
	feed(f, ev_dup(4, 1, 0x20, 1));
	feed(f, ev_del(4, 1, 0x20));
	setup = feed(f, ev_put(4, 1, 0, 0));
	prove = feed(f, ev_alloc(4, 1, 0x30));
	x = only_finding(f, RULE_SLOT_LEAK);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_cmpuint(count_rule(f, RULE_ALLOC_IN_USE), ==, 0);
	feed_free(f);

	/* leak at trace end, after a cache del of a count-0 slot */
	f = feed_new();
	feed(f, ev_alloc(4, 1, 0x20));
	setup = feed(f, ev_del(4, 1, 0x20));
	f->ts_ns += 2000000;
	feed_finish(f);
	x = only_finding(f, RULE_SLOT_LEAK);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	g_assert_nonnull(strstr(x->message, "end of the trace"));
	feed_free(f);

	/* the trace stopped right after the put: its free may be cut off */
	f = feed_new();
	feed(f, ev_alloc(4, 1, 0x20));
	feed(f, ev_del(4, 1, 0x20));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_SLOT_LEAK), ==, 1);
	feed_free(f);

	/* a gap before the free cancels it */
	f = feed_new();
	feed(f, ev_alloc(4, 1, 0x20));
	feed(f, ev_del(4, 1, 0x20));
	analyzer_note_gap(f->a, &(Gap){ .begin_ts_ns = f->ts_ns, .end_ts_ns = f->ts_ns + 10 });
	feed_finish(f);
	assert_no_findings(f);
	feed_free(f);
}

/* --- known / unknown --- */

static void test_mid_life(void)
{
	Feed *f = feed_new();

	/* slots never seen allocated: nothing is provable */
	feed(f, ev_put(100, 1, 0, 3));
	feed(f, ev_dup(101, 1, 0x55, 4));
	feed(f, ev_put(102, 1, 0x56, 0));
	feed(f, ev_del(102, 1, 0x56));
	feed(f, ev_free(102, 1));
	feed(f, ev_add(103, 1, 0x57, 0));
	feed(f, ev_del(104, 1, 0x58));
	feed(f, ev_free(105, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_PUT_UNALLOCATED), >, 0);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNCACHED), >, 0);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_CACHE_DEL_MISMATCH), >, 0);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_FREE_CACHED), >, 0);
	/* a slot seen in use without its alloc: lifetime from before the trace */
	g_assert_cmpuint(f->rec.lifetimes->len, ==, 6);
	g_assert_cmpuint(g_array_index(f->rec.lifetimes, Lifetime, 0).alloc_seq, ==, SEQ_NONE);
	feed_free(f);
}

static void test_unsaturated_count_resyncs(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	/* the kernel's count makes the count known: then underflow is provable */
	setup = feed(f, ev_put(100, 1, 0, 0));
	prove = feed(f, ev_put(100, 1, 0, 0));
	x = only_finding(f, RULE_PUT_UNDERFLOW);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);

	/* a saturated one does not */
	f = feed_new();
	feed(f, ev_dup(100, 1, 0, SWAP_COUNT_SATURATED));
	feed(f, ev_put(100, 1, 0, SWAP_COUNT_SATURATED));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_PUT_UNDERFLOW), ==, 1);
	feed_free(f);
}

static void test_state_dump(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;

	/* dump at trace start: slots 0-3 in use, count 2, uncached */
	setup = feed(f, ev_state(0, 4, 2, 0));
	feed(f, ev_put(0, 1, 0, 1));
	feed(f, ev_put(0, 1, 0, 0));
	feed(f, ev_free(0, 1));
	prove = feed(f, ev_free(1, 1)); /* count 2: freed while referenced */
	x = only_finding(f, RULE_FREE_REFERENCED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);
}

static void test_gap(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t setup, prove;
	int64_t begin;

	feed(f, ev_alloc(3, 1, 0x10));
	feed(f, ev_dup(3, 1, 0x10, 1));
	feed(f, ev_del(3, 1, 0x10));
	begin = f->ts_ns;
	/* lost: put (count 0); the free below is then legal */
	analyzer_note_gap(f->a, &(Gap){ .kind = GAP_DISCARDED_EVENTS,
					.begin_ts_ns = begin,
					.end_ts_ns = begin + 5000,
					.count = 1 });
	/* inside the gap's window: establishes nothing */
	feed(f, ev_free(3, 1));
	feed(f, ev_free(3, 1)); /* would be a double free if the free above taught */
	g_assert_cmpuint(f->rec.findings->len, ==, 0);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_FREE_REFERENCED), >, 0);
	/* after the window, a re-sync teaches again */
	f->ts_ns = begin + 10000;
	setup = feed(f, ev_state(3, 1, 1, 0));
	prove = feed(f, ev_free(3, 1));
	x = only_finding(f, RULE_FREE_REFERENCED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, setup);
	feed_free(f);
}

/* --- large folios --- */

static void test_large_folio(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t prove;

	feed(f, ev_on(0, 4096, 512));
	feed(f, ev_alloc(512, 16, 0x1000));
	feed(f, ev_dup(512, 16, 0x1000, 1));
	feed(f, ev_put(512, 16, 0x1000, 0));
	/* one injected underflow on the whole folio: one finding */
	prove = feed(f, ev_put(512, 16, 0x1000, 0));
	x = only_finding(f, RULE_PUT_UNDERFLOW);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->offset, ==, 512);
	g_assert_cmpuint(x->nr, ==, 16);
	g_assert_nonnull(strstr(x->message, "slots 0:512-527"));
	feed_free(f);

	/* a partial violation: one finding per offending run */
	f = feed_new();
	feed(f, ev_alloc(0, 8, 0x1000));
	feed(f, ev_dup(0, 8, 0x1000, 1));
	feed(f, ev_dup(2, 3, 0, 2)); /* fork of three of the slots */
	/* the kernel reports the first slot's count only: 2-4 are not mismatches */
	feed(f, ev_put(0, 8, 0, 0));
	prove = feed(f, ev_put(0, 8, 0, 0)); /* 2-4 go to 0, the others underflow */
	g_assert_cmpuint(f->rec.findings->len, ==, 2);
	x = &g_array_index(f->rec.findings, Finding, 0);
	g_assert_cmpint(x->rule, ==, RULE_PUT_UNDERFLOW);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->offset, ==, 0);
	g_assert_cmpuint(x->nr, ==, 2);
	x = &g_array_index(f->rec.findings, Finding, 1);
	g_assert_cmpint(x->rule, ==, RULE_PUT_UNDERFLOW);
	g_assert_cmpuint(x->offset, ==, 5);
	g_assert_cmpuint(x->nr, ==, 3);
	feed_free(f);
}

/* --- retention --- */

static void test_retention(void)
{
	AnalyzerOptions o;
	Feed *f;
	const Retention *r;
	const Finding *x;
	uint64_t wfault;

	analyzer_options_init(&o);
	g_assert_cmpuint(o.full_permille, ==, 500);
	o.stale_threshold_ns = 1500;
	o.full_threshold_ns = 1500;
	f = feed_new_opts(&o);

	feed(f, ev_on(0, 10, 256));
	/* lazy: clean folio kept */
	feed(f, ev_alloc(0, 1, 0x10));
	feed(f, ev_dup(0, 1, 0x10, 1));
	feed(f, ev_del(0, 1, 0x10));
	feed(f, ev_add(0, 1, 0x20, 0));
	feed(f, ev_put(0, 1, 0x20, 0));
	feed(f, ev_fault(0, 1, 0x20, 0));
	feed(f, ev_del(0, 1, 0x20));
	feed(f, ev_free(0, 1));
	g_assert_cmpuint(f->rec.retention->len, ==, 1);
	r = &g_array_index(f->rec.retention, Retention, 0);
	g_assert_cmpint(r->verdict, ==, RETENTION_LAZY);
	g_assert_false(r->written);
	g_assert_cmpuint(r->pfn, ==, 0x20);
	g_assert_cmpuint(r->start_seq, ==, 5);
	g_assert_cmpuint(r->end_seq, ==, 7);
	g_assert_cmpuint(r->fill_permille_start, ==, 100);

	/* stale: written by a fault that kept the cache, kept past 1.5 us */
	feed(f, ev_alloc(1, 1, 0x10));
	feed(f, ev_dup(1, 1, 0x10, 1));
	feed(f, ev_del(1, 1, 0x10));
	feed(f, ev_add(1, 1, 0x20, 0));
	feed(f, ev_put(1, 1, 0x20, 0));
	wfault = feed(f, ev_fault(1, 1, 0x20, WIP));
	feed(f, ev_fault(1, 1, 0x20, 0));
	feed(f, ev_del(1, 1, 0x20));
	feed(f, ev_free(1, 1));
	g_assert_cmpuint(f->rec.retention->len, ==, 2);
	r = &g_array_index(f->rec.retention, Retention, 1);
	g_assert_cmpint(r->verdict, ==, RETENTION_STALE);
	g_assert_true(r->written);
	x = only_finding(f, RULE_RETENTION_STALE);
	g_assert_cmpuint(x->setup_seq, ==, r->start_seq);
	g_assert_cmpuint(x->seq, ==, wfault); /* the fault that kept the written folio */

	/* full: 6 of 10 slots allocated during it */
	for (uint64_t i = 2; i < 8; i++)
		feed(f, ev_alloc(i, 1, 0x100 + i));
	feed(f, ev_dup(2, 1, 0x102, 1));
	feed(f, ev_put(2, 1, 0x102, 0));
	feed(f, ev_dup(2, 1, 0x102, 1));
	r = &g_array_index(f->rec.retention, Retention, 2);
	g_assert_cmpint(r->verdict, ==, RETENTION_LAZY); /* 1 us: under the threshold */
	g_assert_cmpuint(r->fill_permille_start, ==, 600);
	feed(f, ev_put(2, 1, 0x102, 0));
	feed(f, ev_fault(2, 1, 0x102, 0));
	feed(f, ev_dup(2, 1, 0x102, 1));
	r = &g_array_index(f->rec.retention, Retention, 3);
	g_assert_cmpint(r->verdict, ==, RETENTION_FULL);
	g_assert_cmpuint(count_rule(f, RULE_RETENTION_FULL), ==, 1);

	/* fill peak during the interval counts, not only at its start */
	feed(f, ev_put(2, 1, 0x102, 0));
	for (uint64_t i = 3; i < 8; i++) {
		feed(f, ev_del(i, 1, 0x100 + i));
		feed(f, ev_free(i, 1));
	}
	feed(f, ev_alloc(3, 1, 0x200));
	feed(f, ev_del(3, 1, 0x200));
	feed(f, ev_free(3, 1));
	feed(f, ev_dup(2, 1, 0x102, 1));
	r = &g_array_index(f->rec.retention, Retention, 4);
	g_assert_cmpuint(r->fill_permille_start, ==, 600);
	g_assert_cmpuint(r->fill_permille_max, ==, 600);
	feed(f, ev_put(2, 1, 0x102, 0)); /* fill 100 */
	for (uint64_t i = 3; i < 9; i++)
		feed(f, ev_alloc(i, 1, 0x300 + i)); /* up to 700 */
	for (uint64_t i = 3; i < 9; i++) {
		feed(f, ev_del(i, 1, 0x300 + i));
		feed(f, ev_free(i, 1));
	}
	feed(f, ev_dup(2, 1, 0x102, 1));
	r = &g_array_index(f->rec.retention, Retention, 5);
	g_assert_cmpuint(r->fill_permille_start, ==, 200 - 100);
	g_assert_cmpuint(r->fill_permille_max, ==, 700);
	g_assert_cmpint(r->verdict, ==, RETENTION_FULL);

	/* open at trace end */
	feed(f, ev_put(2, 1, 0x102, 0));
	feed_finish(f);
	{
		int64_t sum[_RETENTION_VERDICT_MAX] = { 0 };
		uint64_t n[_RETENTION_VERDICT_MAX] = { 0 };

		for (guint i = 0; i < f->rec.retention->len; i++) {
			r = &g_array_index(f->rec.retention, Retention, i);
			sum[r->verdict] += r->end_ts_ns - r->start_ts_ns;
			n[r->verdict]++;
		}
		for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
			g_assert_cmpint(analyzer_retention_ns(f->a, v), ==, sum[v]);
			g_assert_cmpuint(analyzer_retention_count(f->a, v), ==, n[v]);
		}
		g_assert_cmpuint(n[RETENTION_STALE], ==, 1);
		g_assert_cmpint(sum[RETENTION_STALE], >, 1500);
	}
	r = &g_array_index(f->rec.retention, Retention, f->rec.retention->len - 1);
	g_assert_cmpuint(r->end_seq, ==, SEQ_NONE);
	g_assert_false(r->truncated);
	g_assert_cmpuint(count_errors(f), ==, 0);
	feed_free(f);
}

static void test_retention_gap(void)
{
	Feed *f = feed_new();
	const Retention *r;
	int64_t begin;

	feed(f, ev_state(0, 1, 0, 0x10));		  /* cached with count 0 at trace start */
	feed(f, ev_fault(0, 1, 0x10, EVENT_F_EXCLUSIVE)); /* a read: not written */
	feed(f, ev_fault(0, 1, 0x10, WIP));
	begin = f->ts_ns + 2000000;
	analyzer_note_gap(f->a, &(Gap){ .begin_ts_ns = begin, .end_ts_ns = begin + 100 });
	g_assert_cmpuint(f->rec.retention->len, ==, 1);
	r = &g_array_index(f->rec.retention, Retention, 0);
	g_assert_true(r->truncated);
	g_assert_true(r->written);
	g_assert_cmpuint(r->end_seq, ==, SEQ_NONE);
	g_assert_cmpint(r->end_ts_ns, ==, begin);
	g_assert_cmpint(r->verdict, ==, RETENTION_STALE);
	g_assert_cmpuint(r->start_seq, ==, 0);
	only_finding(f, RULE_RETENTION_STALE);
	feed_free(f);
}

/* --- races and round trips --- */

static void test_swapin_race(void)
{
	Feed *f = feed_new();
	const Race *r;
	uint64_t winner;

	feed(f, ev_alloc(9, 1, 0x10));
	feed(f, ev_dup(9, 1, 0x10, 1));
	feed(f, ev_del(9, 1, 0x10));
	winner = feed(f, ev_add(9, 1, 0x20, 0));
	feed(f, ev_add(9, 1, 0x30, -EEXIST));
	f->ts_ns += 4000000; /* sleep one tick, retry */
	feed(f, ev_add(9, 1, 0x30, -EEXIST));
	g_assert_cmpuint(f->rec.races->len, ==, 2);
	r = &g_array_index(f->rec.races, Race, 0);
	g_assert_cmpuint(r->winner_seq, ==, winner);
	g_assert_cmpint(r->wait_ns, ==, 1000);
	r = &g_array_index(f->rec.races, Race, 1);
	g_assert_cmpint(r->wait_ns, ==, 4002000);
	g_assert_cmpuint(count_rule(f, RULE_SWAPIN_RACE), ==, 2);
	g_assert_cmpuint(f->rec.findings->len, ==, 2);
	g_assert_cmpuint(g_array_index(f->rec.findings, Finding, 0).setup_seq, ==, winner);

	/* unknown winner: still a race, winner unseen */
	feed(f, ev_add(700, 4, 0x40, -EEXIST));
	r = &g_array_index(f->rec.races, Race, 2);
	g_assert_cmpuint(r->winner_seq, ==, SEQ_NONE);
	g_assert_cmpint(r->wait_ns, ==, -1);
	g_assert_cmpuint(r->nr, ==, 4);
	g_assert_cmpuint(count_rule(f, RULE_SWAPIN_RACE), ==, 3);
	feed_free(f);
}

static void roundtrip_case(bool del_first)
{
	Feed *f = feed_new();
	const RoundTrip *rt;
	uint64_t first, second;

	feed(f, ev_alloc(0, 4, 0x10));
	feed(f, ev_dup(0, 4, 0x10, 1));
	feed(f, ev_del(0, 4, 0x10));
	feed(f, ev_add(0, 4, 0x20, 0));
	feed(f, ev_put(0, 4, 0x20, 0));
	first = feed(f, (Event){ .kind = EVENT_FAULT,
				 .offset = 0,
				 .nr = 4,
				 .pfn = 0x20,
				 .flags = EVENT_F_WRITE | EVENT_F_CACHED,
				 .ip = 0xffff1234 });
	if (del_first) {
		feed(f, ev_del(0, 4, 0x20));
		feed(f, ev_free(0, 4));
		second = feed(f, ev_fault(0, 4, 0x20, EVENT_F_WRITE | EVENT_F_FREED));
	} else {
		second = feed(f, ev_fault(0, 4, 0x20, EVENT_F_WRITE | EVENT_F_FREED));
		feed(f, ev_del(0, 4, 0x20));
		feed(f, ev_free(0, 4));
	}
	feed_finish(f);
	g_assert_cmpuint(f->rec.roundtrips->len, ==, 1);
	rt = &g_array_index(f->rec.roundtrips, RoundTrip, 0);
	g_assert_cmpuint(rt->fault_seq, ==, first);
	g_assert_cmpuint(rt->free_seq, ==, second);
	g_assert_cmpuint(rt->nr, ==, 4);
	g_assert_cmpuint(rt->ip, ==, 0xffff1234);
	g_assert_cmpint(rt->delay_ns, ==, (int64_t)(second - first) * 1000);
	g_assert_cmpuint(count_rule(f, RULE_WP_ROUNDTRIP), ==, 1);
	g_assert_cmpuint(count_errors(f), ==, 0);
	/* kept with count 0 only between a sharer's put and its del: not stale */
	g_assert_cmpuint(count_rule(f, RULE_RETENTION_STALE), ==, 0);
	g_assert_cmpuint(f->rec.findings->len, ==, 1);
	feed_free(f);
}

static void test_wp_roundtrip(void)
{
	Feed *f;

	roundtrip_case(true);
	roundtrip_case(false);

	/* neighbour: a write fault that frees the cache at once */
	f = feed_new();
	feed(f, ev_alloc(0, 1, 0x10));
	feed(f, ev_dup(0, 1, 0x10, 1));
	feed(f, ev_del(0, 1, 0x10));
	feed(f, ev_add(0, 1, 0x20, 0));
	feed(f, ev_put(0, 1, 0x20, 0));
	feed(f, ev_del(0, 1, 0x20));
	feed(f, ev_free(0, 1));
	feed(f, ev_fault(0, 1, 0x20, EVENT_F_WRITE | EVENT_F_FREED));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(f->rec.roundtrips->len, ==, 0);
	feed_free(f);
}

/* --- output order and determinism --- */

static void test_order(void)
{
	static const uint64_t offsets[] = { 70000, 3, 1 << 20, 255, 256, 9 };
	Feed *f = feed_new();
	GArray *seen = g_array_new(FALSE, FALSE, sizeof(uint64_t[2]));
	uint64_t prev[2] = { 0, 0 };

	for (int type = 2; type >= 0; type--) {
		for (guint i = 0; i < G_N_ELEMENTS(offsets); i++) {
			Event e = ev_alloc(offsets[i], 1, 0x10 + i);

			e.type = (uint32_t)type;
			feed(f, e);
		}
	}
	feed_finish(f);
	g_assert_cmpuint(f->rec.lifetimes->len, ==, 3 * G_N_ELEMENTS(offsets));
	for (guint i = 0; i < f->rec.lifetimes->len; i++) {
		const Lifetime *l = &g_array_index(f->rec.lifetimes, Lifetime, i);

		if (i)
			g_assert_true(l->type > prev[0] ||
				      (l->type == prev[0] && l->offset > prev[1]));
		prev[0] = l->type;
		prev[1] = l->offset;
	}
	g_array_unref(seen);
	feed_free(f);
}

typedef struct Collect {
	GString *s;
} Collect;

static void collect_slot(void *user, const SlotFinal *s)
{
	g_string_append_printf(((Collect *)user)->s, "%u:%lu a%d k%d c%d p%lx l%lu\n", s->type,
			       (unsigned long)s->offset, s->allocated, s->known, s->count,
			       (unsigned long)s->cache_pfn, (unsigned long)s->last_seq);
}

static void collect_device(void *user, const DeviceFinal *d)
{
	g_string_append_printf(((Collect *)user)->s, "dev %u %lu %u touched %lu max %lu\n", d->type,
			       (unsigned long)d->nr_slots, d->cluster_size,
			       (unsigned long)d->slots_touched, (unsigned long)d->max_in_use);
}

/* A pseudo-random but fixed workload (a tiny LCG: no g_random, no clock). */
static char *run_workload(unsigned seed)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };
	uint32_t x = seed;
	char *out;

	feed(f, ev_on(1, 100000, 256));
	for (int i = 0; i < 3000; i++) {
		uint64_t off;
		Event e;

		x = x * 1103515245u + 12345u;
		off = (x >> 8) % 5000;
		e = (Event){ .kind = (EventKind)((x >> 4) % 8),
			     .type = (x >> 28) & 1,
			     .offset = off,
			     .nr = 1,
			     .pfn = (x >> 12) % 4,
			     .count = (int32_t)((x >> 16) % 4),
			     .ret = ((x >> 20) & 7) == 0 ? -EEXIST : 0,
			     .flags = (x >> 24) & 7 };
		feed(f, e);
	}
	feed_finish(f);
	analyzer_foreach_device(f->a, collect_device, &c);
	analyzer_foreach_slot(f->a, collect_slot, &c);
	g_string_append(c.s, f->rec.log->str);
	for (int r = 0; r < _RULE_MAX; r++)
		g_string_append_printf(c.s, "%s %lu %lu\n", rule_name(r),
				       (unsigned long)analyzer_findings(f->a, r),
				       (unsigned long)analyzer_unverified(f->a, r));
	out = g_string_free(c.s, FALSE);
	feed_free(f);
	return out;
}

static void test_determinism(void)
{
	g_autofree char *one = run_workload(7);
	g_autofree char *two = run_workload(7);
	g_autofree char *other = run_workload(8);

	g_assert_cmpstr(one, ==, two);
	g_assert_cmpstr(one, !=, other);
}

static void test_final_state(void)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };

	feed(f, ev_on(0, 1000, 256));
	feed(f, ev_alloc(300, 2, 0x10));
	feed(f, ev_dup(300, 2, 0x10, 1));
	feed(f, ev_del(300, 2, 0x10));
	feed(f, ev_put(5, 1, 0, 2)); /* mid-life */
	feed_finish(f);
	analyzer_foreach_device(f->a, collect_device, &c);
	analyzer_foreach_slot(f->a, collect_slot, &c);
	g_assert_cmpstr(c.s->str, ==,
			"dev 0 1000 256 touched 3 max 2\n"
			"0:5 a0 k0 c2 p0 l4\n"
			"0:300 a1 k1 c1 p0 l3\n"
			"0:301 a1 k1 c1 p0 l3\n");
	g_string_free(c.s, TRUE);
	feed_free(f);
}

/* --- devices --- */

/* At swapon (v2) every slot is free: a finding on a never-seen slot is proven at once. */
static void test_device_on_fresh(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t on, prove;

	feed(f, ev_put(700, 1, 0, 1)); /* a page exists before the device_on */
	on = feed(f, ev_on(0, 4096, 256));
	prove = feed(f, ev_dup(3000, 1, 0, 1));
	feed(f, ev_dup(701, 1, 0, 1)); /* untouched slot of an existing page */
	g_assert_cmpuint(f->rec.findings->len, ==, 2);
	x = &g_array_index(f->rec.findings, Finding, 0);
	g_assert_cmpint(x->rule, ==, RULE_DUP_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, on);
	g_assert_nonnull(strstr(x->message, "device_on"));
	g_assert_cmpint(x->who.tid, ==, 42);
	g_assert_cmpuint(g_array_index(f->rec.findings, Finding, 1).offset, ==, 701);
	feed_finish(f);
	g_assert_cmpuint(analyzer_findings(f->a, RULE_DUP_UNALLOCATED), ==, 2);
	feed_free(f);
}

static Event with_ip(Event e, uint32_t type, uint64_t ip)
{
	e.type = type;
	e.ip = ip;
	return e;
}

static Event ev_begin(uint32_t type, uint64_t nr_slots, uint32_t cluster_size)
{
	return (Event){ .kind = EVENT_STATE_BEGIN,
			.type = type,
			.nr_slots = nr_slots,
			.cluster_size = cluster_size };
}

static Event ev_end(uint32_t type)
{
	return (Event){ .kind = EVENT_STATE_END, .type = type };
}

/* A v2 dump line of free slots. */
static Event ev_state_free(uint64_t off, uint32_t nr)
{
	return (Event){ .kind = EVENT_STATE, .offset = off, .nr = nr };
}

/*
 * A v2 state dump: begin, a line for every slot in offset order (free runs
 * included), end.  A slot is known from its own line on; before it, the
 * dump has not reached it and events on it may come first.
 */
static void test_state_dump_v2(void)
{
	Feed *f = feed_new();
	AnalyzerStorage st;
	const Finding *x;
	uint64_t begin, line, prove;

	begin = feed(f, ev_begin(0, 2048, 256));
	/* not reached yet: a zap frees it; nothing is known, nothing fires */
	feed(f, ev_put(1500, 1, 0, 0));
	feed(f, ev_free(1500, 1));
	feed(f, ev_state_free(0, 256));
	feed(f, ev_state_free(256, 256));
	line = feed(f, ev_state(512, 2, 1, 0));
	feed(f, ev_state(514, 1, 0, 0x40)); /* cached with count 0 */
	feed(f, ev_state_free(515, 512 - 3));
	/* passed and free: proven at once */
	prove = feed(f, ev_dup(100, 1, 0, 1));
	x = only_finding(f, RULE_DUP_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, begin);
	/* in use since its line */
	feed(f, ev_put(512, 1, 0, 0));
	feed(f, ev_free(512, 1));
	feed(f, ev_del(514, 1, 0x40));
	feed(f, ev_free(514, 1));
	/* not reached yet: unknown */
	feed(f, ev_dup(1800, 1, 0, 1));
	g_assert_cmpuint(f->rec.findings->len, ==, 1);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	feed(f, ev_state_free(1024, 512));
	feed(f, ev_state_free(1536, 512));
	/* slot 1500 was named free by its line, after the free the dump came later */
	feed(f, ev_end(0));
	prove = feed(f, ev_put(1600, 1, 0, 0));
	feed_finish(f);
	g_assert_cmpuint(f->rec.findings->len, ==, 2);
	x = &g_array_index(f->rec.findings, Finding, 1);
	g_assert_cmpint(x->rule, ==, RULE_PUT_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(count_errors(f), ==, 2);
	(void)line;
	/* free runs allocate no storage: only the pages events and in-use lines touched */
	analyzer_storage(f->a, &st);
	g_assert_cmpuint(st.pages, ==, 5); /* slots 100, 512-514, 1500, 1600, 1800 */
	feed_free(f);
}

/* A dump line pinned with pfn 0: a swap-in in flight holds the pin; the binding is unknown. */
static void test_state_dump_pinned(void)
{
	Feed *f = feed_new();

	feed(f, ev_begin(0, 256, 256));
	feed(f, (Event){ .kind = EVENT_STATE,
			 .offset = 0,
			 .nr = 1,
			 .count = 1,
			 .flags = EVENT_F_PINNED });
	feed(f, ev_state_free(1, 255));
	feed(f, ev_end(0));
	/* the synchronous swap-in ends: its del names a folio the dump could not see */
	feed(f, ev_put(0, 1, 0x77, 0));
	feed(f, ev_del(0, 1, 0x77));
	feed(f, ev_free(0, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_PUT_UNCACHED), ==, 1);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_CACHE_DEL_MISMATCH), ==, 1);
	feed_free(f);
}

static void test_gap_forgets_fresh(void)
{
	Feed *f = feed_new();

	feed(f, ev_on(0, 4096, 256));
	feed(f, ev_alloc(5, 1, 0x10));
	analyzer_note_gap(f->a, &(Gap){ .begin_ts_ns = f->ts_ns, .end_ts_ns = f->ts_ns + 10 });
	f->ts_ns += 1000;
	/* slots allocated in the gap: neither these nor the one seen before are known */
	feed(f, ev_dup(6, 1, 0, 1));
	feed(f, ev_dup(3000, 1, 0, 1));
	feed(f, ev_alloc(5, 1, 0x20));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 2);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_ALLOC_IN_USE), ==, 1);
	feed_free(f);

	/* a dump cut by a gap: the lines after it do not continue it */
	f = feed_new();
	feed(f, ev_begin(0, 1024, 256));
	feed(f, ev_state_free(0, 256));
	analyzer_note_gap(f->a, &(Gap){ .begin_ts_ns = f->ts_ns, .end_ts_ns = f->ts_ns + 10 });
	f->ts_ns += 1000;
	feed(f, ev_state_free(256, 256));
	feed(f, ev_end(0));
	feed(f, ev_dup(100, 1, 0, 1));
	feed(f, ev_dup(800, 1, 0, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 2);
	feed_free(f);
}

static void test_device_off_on(void)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };

	feed(f, ev_on(0, 4096, 32));
	feed(f, ev_alloc(0, 1, 0x10));
	feed(f, ev_dup(0, 1, 0x10, 1));
	feed(f, ev_put(0, 1, 0x10, 0)); /* retained */
	feed(f, (Event){ .kind = EVENT_DEVICE_OFF, .type = 0 });
	g_assert_cmpuint(f->rec.retention->len, ==, 1);
	/* a new swapon: everything is free again */
	feed(f,
	     (Event){ .kind = EVENT_DEVICE_ON, .type = 0, .nr_slots = 4096, .cluster_size = 32 });
	feed(f, (Event){ .kind = EVENT_ENTRY_ALLOC, .type = 0, .offset = 0, .nr = 1, .pfn = 0x20 });
	feed_finish(f);
	assert_no_findings(f);
	analyzer_foreach_device(f->a, collect_device, &c);
	g_assert_cmpstr(c.s->str, ==, "dev 0 4096 32 touched 1 max 1\n");
	g_string_free(c.s, TRUE);
	feed_free(f);
}

static Event on_type(Event e, uint32_t type)
{
	e.type = type;
	return e;
}

/* Lines of `log` about slots of device 0 below offset 4096 (not "dev" lines). */
static char *low_slots_of_type0(const char *log)
{
	g_auto(GStrv) lines = g_strsplit(log, "\n", -1);
	GString *out = g_string_new(NULL);

	for (char **l = lines; *l; l++) {
		const char *colon = strchr(*l, ':');
		const char *p = colon;
		char *end;
		unsigned long off;

		if (!colon || g_str_has_prefix(*l, "dev "))
			continue;
		while (p > *l && g_ascii_isdigit(p[-1]))
			p--;
		if (p == colon || strtoul(p, NULL, 10) != 0)
			continue;
		off = strtoul(colon + 1, &end, 10);
		if (end == colon + 1)
			continue;
		if (off < 4096)
			g_string_append_printf(out, "%s\n", *l);
	}
	return g_string_free(out, FALSE);
}

/*
 * Slots of a page used and freed, the page collapsed to its summary while
 * other pages of the device settle (or, with `drop` false, while those
 * pages are another device's and it stays whole), then used again: the
 * findings, lifetimes and final state of its slots are the same either way.
 */
static char *cold_scenario(bool drop, uint64_t *ret_cold, uint64_t *ret_seqs)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };
	uint32_t filler = drop ? 0 : 1;
	AnalyzerStorage st;
	char *out;

	feed(f, ev_on(0, 1u << 20, 512));
	feed(f, ev_on(1, 1u << 20, 512));
	feed(f, ev_alloc(5, 1, 0x10));
	feed(f, ev_dup(5, 1, 0x10, 1));
	feed(f, ev_del(5, 1, 0x10));
	feed(f, ev_put(5, 1, 0, 0));
	ret_seqs[0] = feed(f, ev_free(5, 1));
	feed(f, ev_alloc(9, 1, 0x11));
	feed(f, ev_del(9, 1, 0x11));
	ret_seqs[1] = feed(f, ev_free(9, 1));
	/* a live slot keeps its page whole */
	ret_seqs[2] = feed(f, ev_alloc(300, 1, 0x12));
	/* many pages settle after page 0: its turn to collapse comes */
	for (uint64_t p = 16; p < 16 + 4 * 64; p++) {
		feed(f, on_type(ev_alloc(p * 256, 1, 0x1000 + p), filler));
		feed(f, on_type(ev_del(p * 256, 1, 0x1000 + p), filler));
		feed(f, on_type(ev_free(p * 256, 1), filler));
	}
	analyzer_storage(f->a, &st);
	*ret_cold = st.cold_pages;
	ret_seqs[3] = feed(f, ev_free(5, 1)); /* free_unallocated, set up by 5's free */
	feed(f, ev_dup(9, 1, 0, 1));	      /* dup_unallocated, set up by 9's free */
	feed(f, ev_put(7, 1, 0, 0));	      /* put_unallocated: free since swapon */
	feed(f, ev_add(9, 1, 0x13, -EEXIST)); /* a race with nobody: no winner */
	feed(f, ev_alloc(5, 1, 0x14));	      /* reused: clean */
	feed(f, ev_dup(5, 1, 0x14, 1));
	feed(f, ev_del(5, 1, 0x14));
	feed(f, ev_put(5, 1, 0, 0));
	feed(f, ev_free(5, 1));
	ret_seqs[4] = feed(f, ev_free(300, 1)); /* free_cached, set up by its alloc */
	feed_finish(f);
	analyzer_foreach_slot(f->a, collect_slot, &c);
	g_string_append(c.s, f->rec.log->str);
	out = low_slots_of_type0(c.s->str);
	g_string_free(c.s, TRUE);
	c.s = g_string_new(out);
	g_free(out);
	for (int r = 0; r < _RULE_MAX; r++)
		g_string_append_printf(c.s, "%s %lu %lu\n", rule_name(r),
				       (unsigned long)analyzer_findings(f->a, r),
				       (unsigned long)analyzer_unverified(f->a, r));
	feed_free(f);
	return g_string_free(c.s, FALSE);
}

static void test_cold_page_retouch(void)
{
	uint64_t cold_drop, cold_keep, seqs[5];
	char *dropped = cold_scenario(true, &cold_drop, seqs);
	char *kept = cold_scenario(false, &cold_keep, seqs);
	char *want;

	/* the filler pages settle and go cold, and page 0 before them */
	g_assert_cmpuint(cold_drop, >=, 3 * 64);
	g_assert_cmpstr(dropped, ==, kept);
	want = g_strdup_printf("finding free_unallocated 0:5+1 seq %lu setup %lu:",
			       (unsigned long)seqs[3], (unsigned long)seqs[0]);
	g_assert_nonnull(strstr(dropped, want));
	g_free(want);
	want = g_strdup_printf("setup %lu:", (unsigned long)seqs[1]);
	g_assert_nonnull(strstr(dropped, "finding dup_unallocated 0:9+1"));
	g_assert_nonnull(strstr(dropped, want));
	g_free(want);
	g_assert_nonnull(strstr(dropped, "finding put_unallocated 0:7+1"));
	want = g_strdup_printf("finding free_cached 0:300+1 seq %lu setup %lu:",
			       (unsigned long)seqs[4], (unsigned long)seqs[2]);
	g_assert_nonnull(strstr(dropped, want));
	g_free(want);
	g_free(dropped);
	g_free(kept);
}

/* swapoff gives back the pages of slots that hold nothing: summaries only. */
static void test_swapoff_cold(void)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };
	AnalyzerStorage st;
	uint64_t freed;

	feed(f, ev_on(0, 4096, 256));
	for (uint64_t p = 0; p < 10; p++) {
		feed(f, ev_alloc(p * 256 + 1, 1, 0x100 + p));
		feed(f, ev_del(p * 256 + 1, 1, 0x100 + p));
		feed(f, ev_free(p * 256 + 1, 1));
	}
	/* left allocated at swapoff (a broken trace): its page keeps its slots */
	feed(f, ev_alloc(3 * 256 + 7, 1, 0x200));
	feed(f, (Event){ .kind = EVENT_DEVICE_OFF, .type = 0 });
	analyzer_storage(f->a, &st);
	g_assert_cmpuint(st.pages, ==, 10);
	g_assert_cmpuint(st.cold_pages, ==, 9);
	g_assert_cmpuint(st.setup_arrays, ==, 0);
	g_assert_cmpuint(st.life_arrays, ==, 1);
	/* swapon again: a slot of a collapsed page is free, and known so */
	feed(f, ev_on(0, 4096, 256));
	feed(f, ev_alloc(1, 1, 0x300));
	feed(f, ev_del(1, 1, 0x300));
	freed = feed(f, ev_free(1, 1));
	feed(f, ev_free(1, 1));
	feed_finish(f);
	g_assert_cmpuint(f->rec.findings->len, ==, 1);
	g_assert_cmpint(g_array_index(f->rec.findings, Finding, 0).rule, ==, RULE_FREE_UNALLOCATED);
	g_assert_cmpuint(g_array_index(f->rec.findings, Finding, 0).setup_seq, ==, freed);
	analyzer_foreach_slot(f->a, collect_slot, &c);
	g_assert_cmpstr(c.s->str, ==,
			"0:1 a0 k1 c0 p0 l37\n"
			"0:257 a0 k1 c0 p0 l6\n"
			"0:513 a0 k1 c0 p0 l9\n"
			"0:769 a0 k1 c0 p0 l12\n"
			/* forgotten at swapoff, free since the new swapon */
			"0:775 a0 k1 c0 p0 l31\n"
			"0:1025 a0 k1 c0 p0 l15\n"
			"0:1281 a0 k1 c0 p0 l18\n"
			"0:1537 a0 k1 c0 p0 l21\n"
			"0:1793 a0 k1 c0 p0 l24\n"
			"0:2049 a0 k1 c0 p0 l27\n"
			"0:2305 a0 k1 c0 p0 l30\n");
	g_string_free(c.s, TRUE);
	feed_free(f);
}

/* --- schema v1 recordings: device_on and the end-of-dump marker --- */

static const uint64_t DUMP_IP = 0xffffffff81234567, SWAPON_IP = 0xffffffff81000100;

static Event v1(Event e)
{
	e.flags |= EVENT_F_V1;
	return e;
}

/* A v1 swap_state with nr 0, offset nr_slots: feed() would make its nr 1. */
static uint64_t feed_marker(Feed *f, uint32_t type, uint64_t nr_slots, uint64_t ip)
{
	Event e = { .kind = EVENT_STATE,
		    .type = type,
		    .offset = nr_slots,
		    .ip = ip,
		    .tid = 42,
		    .flags = EVENT_F_V1 };

	e.seq = f->seq++;
	f->ts_ns += 1000;
	e.ts_ns = f->ts_ns;
	analyzer_apply(f->a, &e);
	return e.seq;
}

static uint64_t unverified_total(Feed *f)
{
	uint64_t n = 0;

	for (int r = 0; r < _RULE_MAX; r++)
		n += analyzer_unverified(f->a, (Rule)r);
	return n;
}

/*
 * A v1 device_on may be a swapon or a dump's: it says nothing until the
 * dump's end marker says every slot nobody named is free.
 */
static void test_v1_dump_end_unnamed_free(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t on, prove;

	on = feed(f, v1(with_ip(ev_on(0, 4096, 256), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(10, 2, 1, 0), 0, DUMP_IP)));
	feed(f, ev_dup(2000, 1, 0, 1)); /* before the marker: unknown */
	feed(f, v1(with_ip(ev_state(1000, 1, 3, 0x40), 0, DUMP_IP)));
	feed_marker(f, 0, 4096, DUMP_IP);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	/* past the last state line, never touched: free */
	prove = feed(f, ev_dup(3000, 1, 0, 1));
	x = only_finding(f, RULE_DUP_UNALLOCATED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, on);
	/* an alloc there is checked, not unverified; the listed slots are in use */
	feed(f, ev_alloc(3500, 1, 0x50));
	feed(f, ev_put(10, 1, 0, 0));
	feed(f, ev_free(10, 1));
	feed(f, ev_put(1000, 1, 0x40, 2));
	feed_finish(f);
	g_assert_cmpuint(f->rec.findings->len, ==, 1);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_ALLOC_IN_USE), ==, 0);
	feed_free(f);

	/* the same dump without the marker: the slot past the last line stays unknown */
	f = feed_new();
	feed(f, v1(with_ip(ev_on(0, 4096, 256), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(10, 2, 1, 0), 0, DUMP_IP)));
	feed(f, ev_dup(3000, 1, 0, 1));
	feed(f, ev_alloc(3500, 1, 0x50));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_ALLOC_IN_USE), ==, 1);
	feed_free(f);
}

/* Slots touched before the marker keep what their events said. */
static void test_v1_dump_end_touched_slots(void)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };

	feed(f, v1(with_ip(ev_on(0, 512, 256), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(0, 1, 2, 0), 0, DUMP_IP)));
	/* the dump has not reached slot 300 yet: a put there, count 1 */
	feed(f, ev_put(300, 1, 0, 1));
	/* a slot it passed is allocated after it passed it */
	feed(f, ev_alloc(4, 1, 0x60));
	feed_marker(f, 0, 512, DUMP_IP);
	/* neither is taken for free by the marker */
	feed(f, ev_dup(300, 1, 0, 2));
	feed(f, ev_dup(4, 1, 0x60, 1));
	g_assert_cmpuint(f->rec.findings->len, ==, 0);
	/* their untouched neighbours are */
	feed(f, ev_dup(301, 1, 0, 1));
	feed_finish(f);
	g_assert_cmpuint(only_finding(f, RULE_DUP_UNALLOCATED)->offset, ==, 301);
	analyzer_foreach_slot(f->a, collect_slot, &c);
	/* 300: allocated unknown (seen in use), count known; 4: allocated, known */
	g_assert_nonnull(strstr(c.s->str, "0:4 a1 k1 c1 p60"));
	g_assert_nonnull(strstr(c.s->str, "0:300 a0 k0 c2"));
	g_string_free(c.s, TRUE);
	feed_free(f);
}

/* A marker that matches no dump in progress says nothing and breaks nothing. */
static void test_v1_dump_end_stray(void)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };

	/* no device_on before it: no device, no slot, no finding, nothing unverified */
	feed_marker(f, 0, 4096, DUMP_IP);
	feed_marker(f, 3, 0, 0);
	feed_marker(f, 0, UINT64_MAX, DUMP_IP);
	analyzer_foreach_device(f->a, collect_device, &c);
	analyzer_foreach_slot(f->a, collect_slot, &c);
	g_assert_cmpstr(c.s->str, ==, "");
	g_assert_cmpuint(unverified_total(f), ==, 0);
	feed(f, ev_dup(5, 1, 0, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	g_string_free(c.s, TRUE);
	feed_free(f);

	/* wrong size or call site: the dump is not complete, slots past it unknown */
	f = feed_new();
	feed(f, v1(with_ip(ev_on(0, 4096, 256), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(10, 2, 1, 0), 0, DUMP_IP)));
	feed_marker(f, 0, 2048, DUMP_IP);
	feed_marker(f, 0, 4096, SWAPON_IP);
	feed_marker(f, 1, 4096, DUMP_IP);
	feed(f, ev_dup(3000, 1, 0, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	feed_free(f);

	/* after a gap, the marker grants nothing */
	f = feed_new();
	feed(f, v1(with_ip(ev_on(0, 4096, 256), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(10, 2, 1, 0), 0, DUMP_IP)));
	analyzer_note_gap(f->a, &(Gap){ .begin_ts_ns = f->ts_ns, .end_ts_ns = f->ts_ns + 10 });
	f->ts_ns += 1000;
	feed_marker(f, 0, 4096, DUMP_IP);
	feed(f, ev_dup(3000, 1, 0, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(analyzer_unverified(f->a, RULE_DUP_UNALLOCATED), ==, 1);
	feed_free(f);

	/* after the device is off again, too */
	f = feed_new();
	feed(f, v1(with_ip(ev_on(0, 4096, 256), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(10, 2, 1, 0), 0, DUMP_IP)));
	feed(f, with_ip((Event){ .kind = EVENT_DEVICE_OFF }, 0, SWAPON_IP));
	feed_marker(f, 0, 4096, DUMP_IP);
	feed(f, ev_dup(3000, 1, 0, 1));
	feed_finish(f);
	assert_no_findings(f);
	feed_free(f);
}

/* nr 0 trips no rule and no range code, whatever its offset. */
static void test_v1_dump_end_no_rule(void)
{
	Feed *f = feed_new();

	feed(f, v1(with_ip(ev_on(0, 48, 16), 0, DUMP_IP)));
	feed(f, v1(with_ip(ev_state(3, 1, 1, 0x7), 0, DUMP_IP)));
	/* misaligned and past a cluster boundary, were it a range */
	feed_marker(f, 0, 48, DUMP_IP);
	feed_marker(f, 0, 47, DUMP_IP);
	feed_marker(f, 0, UINT64_MAX, DUMP_IP);
	feed_marker(f, 0, 48, DUMP_IP); /* a second one: nothing more to say */
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(unverified_total(f), ==, 0);
	g_assert_cmpuint(f->rec.lifetimes->len, ==, 1);
	feed_free(f);
}

/* A v1 fault without the v2 inputs: written in place is write and exclusive. */
static void test_v1_fault(void)
{
	AnalyzerOptions o;
	Feed *f;

	analyzer_options_init(&o);
	o.stale_threshold_ns = 1500;
	f = feed_new_opts(&o);
	feed(f, ev_on(0, 64, 16));
	feed(f, ev_alloc(0, 1, 0x10));
	feed(f, ev_dup(0, 1, 0x10, 1));
	feed(f, ev_put(0, 1, 0x10, 0));
	/* a v1 write fault that is not exclusive: the write goes to a copy */
	feed(f, (Event){ .kind = EVENT_FAULT,
			 .pfn = 0x10,
			 .refs = 3,
			 .flags = EVENT_F_V1 | EVENT_F_WRITE });
	feed(f, ev_fault(0, 1, 0x10, 0));
	feed(f, ev_fault(0, 1, 0x10, 0));
	feed(f, ev_del(0, 1, 0x10));
	feed(f, ev_free(0, 1));
	assert_no_findings(f);
	/* exclusive, refs 3, off the LRU: written in place, an LRU batch kept it */
	feed(f, ev_alloc(1, 1, 0x20));
	feed(f, ev_dup(1, 1, 0x20, 1));
	feed(f, ev_put(1, 1, 0x20, 0));
	feed(f, (Event){ .kind = EVENT_FAULT,
			 .offset = 1,
			 .pfn = 0x20,
			 .refs = 3,
			 .flags = EVENT_F_V1 | EVENT_F_WRITE | EVENT_F_EXCLUSIVE });
	feed(f, ev_fault(1, 1, 0x20, 0));
	feed(f, ev_fault(1, 1, 0x20, 0));
	feed(f, ev_del(1, 1, 0x20));
	feed_finish(f);
	g_assert_nonnull(strstr(only_finding(f, RULE_RETENTION_STALE)->message, "LRU batch"));
	g_assert_cmpint(g_array_index(f->rec.retention, Retention, 1).keep_reason, ==,
			KEEP_LRU_BATCH);
	feed_free(f);
}

/* --- schema v2: rebinding without a del, and the pin without a folio --- */

static Event ev_move(uint64_t off, uint32_t nr, uint64_t pfn, uint64_t new_pfn)
{
	return (Event){
		.kind = EVENT_CACHE_MOVE, .offset = off, .nr = nr, .pfn = pfn, .new_pfn = new_pfn
	};
}

static Event ev_split(uint64_t off, uint32_t nr, uint64_t pfn, uint32_t new_nr)
{
	return (Event){
		.kind = EVENT_CACHE_SPLIT, .offset = off, .nr = nr, .pfn = pfn, .new_nr = new_nr
	};
}

/*
 * Compaction migrates a swap-cache folio: later events name the new pfn.
 * The retention interval and the written state follow the data.
 */
static void test_cache_move(void)
{
	AnalyzerOptions o;
	Feed *f;
	const Finding *x;
	uint64_t prove;

	analyzer_options_init(&o);
	o.stale_threshold_ns = 1500;
	f = feed_new_opts(&o);
	feed(f, ev_on(0, 64, 16));
	feed(f, ev_alloc(0, 1, 0x10));
	feed(f, ev_move(0, 1, 0x10, 0x11)); /* migrated while being swapped out */
	feed(f, ev_dup(0, 1, 0x11, 1));
	feed(f, ev_del(0, 1, 0x11));
	feed(f, ev_add(0, 1, 0x20, 0));
	feed(f, ev_put(0, 1, 0x20, 0));
	feed(f, ev_fault(0, 1, 0x20, WIP)); /* written in place, kept */
	feed(f, ev_move(0, 1, 0x20, 0x21));
	feed(f, ev_fault(0, 1, 0x21, 0));
	feed(f, ev_fault(0, 1, 0x21, 0));
	feed(f, ev_del(0, 1, 0x21));
	feed(f, ev_free(0, 1));
	g_assert_cmpuint(count_errors(f), ==, 0);
	/* one interval, across the move, stale */
	g_assert_cmpuint(f->rec.retention->len, ==, 1);
	g_assert_cmpint(g_array_index(f->rec.retention, Retention, 0).verdict, ==, RETENTION_STALE);
	only_finding(f, RULE_RETENTION_STALE);
	/* a move from a folio that does not cache the slot is an error */
	feed(f, ev_alloc(1, 1, 0x30));
	prove = feed(f, ev_move(1, 1, 0x31, 0x32));
	feed(f, ev_dup(1, 1, 0x32, 1)); /* the kernel's word stands after it */
	feed_finish(f);
	x = &g_array_index(f->rec.findings, Finding, f->rec.findings->len - 1);
	g_assert_cmpint(x->rule, ==, RULE_CACHE_MOVE_MISMATCH);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_nonnull(strstr(x->message, "pfn 0x30"));
	g_assert_cmpuint(count_errors(f), ==, 1);
	feed_free(f);
}

/* A THP in the swap cache is split: each slot is then cached by its own page. */
static void test_cache_split(void)
{
	Feed *f = feed_new();

	feed(f, ev_on(0, 1024, 512));
	feed(f, ev_alloc(512, 512, 0x1000));
	feed(f, ev_dup(512, 512, 0x1000, 1));
	feed(f, ev_split(512, 512, 0x1000, 1));
	/* reclaim of the pages one by one, a swap-in of one, a fault */
	feed(f, ev_del(512, 1, 0x1000));
	feed(f, ev_del(513, 1, 0x1001));
	feed(f, ev_put(700, 1, 0x10bc, 0));
	feed(f, ev_fault(700, 1, 0x10bc, WIP | EVENT_F_FREED));
	feed(f, ev_del(700, 1, 0x10bc));
	feed(f, ev_free(700, 1));
	/* another THP split into 16-page folios (6.12 may split to an order) */
	feed(f, ev_alloc(0, 512, 0x2000));
	feed(f, ev_split(0, 512, 0x2000, 16));
	feed(f, ev_del(0, 16, 0x2000));
	feed(f, ev_del(16, 16, 0x2010));
	feed(f, ev_del(496, 16, 0x21f0));
	feed_finish(f);
	assert_no_findings(f);
	feed_free(f);
}

/*
 * 6.1's synchronous swap-in pins the slot before its folio exists (add with
 * pfn 0), binds it (move 0 -> pfn) and drops it (del); without a folio, the
 * del names none.
 */
static void test_sync_pin(void)
{
	Feed *f = feed_new();

	feed(f, ev_on(0, 64, 16));
	feed(f, ev_alloc(0, 2, 0x10));
	feed(f, ev_dup(0, 2, 0x10, 1));
	feed(f, ev_del(0, 2, 0x10));
	feed(f, ev_add(0, 1, 0, 0));
	feed(f, ev_move(0, 1, 0, 0x20));
	feed(f, ev_put(0, 1, 0x20, 0));
	feed(f, (Event){ .kind = EVENT_FAULT,
			 .pfn = 0x20,
			 .refs = 2,
			 .flags = EVENT_F_WRITE | EVENT_F_EXCLUSIVE }); /* not cached */
	feed(f, ev_del(0, 1, 0x20));
	feed(f, ev_free(0, 1));
	/* the allocation failed: the pin goes with no folio */
	feed(f, ev_add(1, 1, 0, 0));
	feed(f, ev_del(1, 1, 0));
	feed(f, ev_put(1, 1, 0, 0));
	feed(f, ev_free(1, 1));
	feed_finish(f);
	assert_no_findings(f);
	g_assert_cmpuint(unverified_total(f), ==, 0);
	feed_free(f);
}

/* --- why a write fault kept the swap cache --- */

static void test_keep_reasons(void)
{
	static const struct {
		uint32_t flags;
		int32_t refs;
		int32_t count_after; /* the slot's count once the fault's put is done */
		KeepReason want;
	} cases[] = {
		{ EVENT_F_WRITE | EVENT_F_EXCLUSIVE, 2, 0, KEEP_NOT_CACHED },
		{ EVENT_F_WRITE | EVENT_F_CACHED, 3, 0, KEEP_NOT_EXCLUSIVE },
		{ WIP | EVENT_F_CACHED | EVENT_F_WRITEBACK | EVENT_F_TRIED, 2, 0, KEEP_WRITEBACK },
		{ WIP | EVENT_F_CACHED | EVENT_F_KSM, 2, 0, KEEP_KSM },
		{ WIP | EVENT_F_CACHED | EVENT_F_TRIED | EVENT_F_LRU, 2, 1, KEEP_SWAPPED },
		{ WIP | EVENT_F_CACHED, 3, 0, KEEP_LRU_BATCH },
		{ WIP | EVENT_F_CACHED | EVENT_F_LRU, 3, 0, KEEP_EXTRA_REFS },
		{ WIP | EVENT_F_CACHED, 5, 0, KEEP_EXTRA_REFS },
		{ WIP | EVENT_F_CACHED | EVENT_F_TRIED | EVENT_F_LRU, 2, 0, KEEP_UNKNOWN },
		{ EVENT_F_V1 | WIP, 2, 0, KEEP_UNKNOWN },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		Feed *f = feed_new();
		uint64_t faults, in_place;

		feed(f, ev_on(0, 64, 16));
		feed(f, ev_alloc(0, 1, 0x10));
		feed(f, ev_dup(0, 1, 0x10, 1));
		if (cases[i].count_after)
			feed(f, ev_dup(0, 1, 0, 2));
		feed(f, ev_put(0, 1, 0x10, cases[i].count_after));
		feed(f, (Event){ .kind = EVENT_FAULT,
				 .pfn = 0x10,
				 .refs = cases[i].refs,
				 .flags = cases[i].flags });
		feed_finish(f);
		g_assert_cmpuint(analyzer_write_faults(f->a), ==, 1);
		for (int r = 0; r < _KEEP_REASON_MAX; r++) {
			analyzer_kept_faults(f->a, (KeepReason)r, &faults, &in_place);
			g_assert_cmpuint(faults, ==, r == (int)cases[i].want);
		}
		feed_free(f);
	}
}

/* --- lazyfree folios made swap-backed by a reference (seed 003) --- */

static Event ev_lazyfree(uint64_t pfn, uint32_t verdict, uint32_t flags)
{
	return (Event){ .kind = EVENT_LAZYFREE,
			.pfn = pfn,
			.nr = 1,
			.refs = 3,
			.mapcount = 1,
			.verdict = verdict,
			.flags = flags };
}

static void test_lazyfree(void)
{
	Feed *f = feed_new();
	const Finding *x;
	uint64_t decision, prove;

	feed(f, ev_on(0, 64, 16));
	/* referenced while clean, then given a slot: the waste */
	decision = feed(f, ev_lazyfree(0x10, LAZYFREE_REFERENCED, 0));
	prove = feed(f, ev_alloc(0, 1, 0x10));
	x = only_finding(f, RULE_LAZYFREE_SWAPPED);
	g_assert_cmpuint(x->seq, ==, prove);
	g_assert_cmpuint(x->setup_seq, ==, decision);
	g_assert_cmpint(rule_table[x->rule].severity, ==, SEVERITY_WARNING);
	g_assert_nonnull(strstr(x->message, "lazyfree"));
	/* once only */
	feed(f, ev_del(0, 1, 0x10));
	feed(f, ev_free(0, 1));
	feed(f, ev_alloc(0, 1, 0x10));
	/* redirtied: swapped out rightly; discarded: nothing to swap */
	feed(f, ev_lazyfree(0x20, LAZYFREE_REDIRTIED, EVENT_F_DIRTY));
	feed(f, ev_alloc(1, 1, 0x20));
	feed(f, ev_lazyfree(0x30, LAZYFREE_DISCARDED, 0));
	feed(f, ev_alloc(2, 1, 0x30));
	/* the pfn came back as a swap-in folio before it was swapped out: not the same folio */
	feed(f, ev_lazyfree(0x40, LAZYFREE_REFERENCED, 0));
	feed(f, ev_alloc(3, 1, 0x41));
	feed(f, ev_dup(3, 1, 0x41, 1));
	feed(f, ev_del(3, 1, 0x41));
	feed(f, ev_add(3, 1, 0x40, 0));
	feed(f, ev_put(3, 1, 0x40, 0));
	feed(f, ev_del(3, 1, 0x40));
	feed(f, ev_free(3, 1));
	feed(f, ev_alloc(4, 1, 0x40));
	/* a gap forgets decisions */
	feed(f, ev_lazyfree(0x50, LAZYFREE_REFERENCED, 0));
	analyzer_note_gap(f->a, &(Gap){ .begin_ts_ns = f->ts_ns, .end_ts_ns = f->ts_ns + 10 });
	f->ts_ns += 1000;
	feed(f, ev_alloc(5, 1, 0x50));
	feed_finish(f);
	g_assert_cmpuint(analyzer_findings(f->a, RULE_LAZYFREE_SWAPPED), ==, 1);
	feed_free(f);
}

/*
 * The patterns workload/emitter/inject.c records, as plain events: each gives
 * exactly its finding, proved by the marked event (or set up by it).
 */
typedef struct Pattern {
	Rule rule;
	int proof; /* index of the proving event in ev[] */
	bool proof_is_setup;
	int n;
	Event ev[12];
} Pattern;

#define F 0x100
#define G 0x200
#define H 0x300
#define W (EVENT_F_WRITE | EVENT_F_CACHED)
#define X EVENT_F_EXCLUSIVE
#define FR EVENT_F_FREED

static const Pattern patterns[] = {
	{ RULE_ALLOC_IN_USE,
	  3,
	  false,
	  4,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_ENTRY_ALLOC, .pfn = G } } },
	{ RULE_DUP_UNALLOCATED, 0, false, 1, { { .kind = EVENT_ENTRY_DUP, .count = 1 } } },
	{ RULE_PUT_UNALLOCATED, 0, false, 1, { { .kind = EVENT_ENTRY_PUT, .count = 0 } } },
	{ RULE_PUT_UNDERFLOW,
	  1,
	  false,
	  2,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F }, { .kind = EVENT_ENTRY_PUT, .pfn = F } } },
	{ RULE_DUP_UNCACHED,
	  3,
	  false,
	  4,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 2 } } },
	{ RULE_PUT_UNCACHED,
	  4,
	  false,
	  5,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 2 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_ENTRY_PUT, .pfn = F, .count = 1 } } },
	{ RULE_CACHE_ADD_OCCUPIED,
	  2,
	  false,
	  3,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_ADD, .pfn = G } } },
	{ RULE_CACHE_ADD_ZERO_COUNT,
	  2,
	  false,
	  3,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_CACHE_ADD, .pfn = G } } },
	{ RULE_CACHE_DEL_MISMATCH,
	  2,
	  false,
	  3,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = G } } },
	{ RULE_FREE_REFERENCED,
	  3,
	  false,
	  4,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_ENTRY_FREE } } },
	{ RULE_FREE_CACHED,
	  1,
	  false,
	  2,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F }, { .kind = EVENT_ENTRY_FREE } } },
	{ RULE_FREE_UNALLOCATED,
	  5,
	  false,
	  6,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_ENTRY_PUT, .count = 0 },
	    { .kind = EVENT_ENTRY_FREE },
	    { .kind = EVENT_ENTRY_FREE } } },
	{ RULE_COUNT_MISMATCH,
	  1,
	  false,
	  3,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 2 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F } } },
	{ RULE_SLOT_LEAK,
	  3,
	  true,
	  4,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_ENTRY_PUT, .count = 0 } } },
	{ RULE_RETENTION_STALE,
	  5,
	  false,
	  6,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_CACHE_ADD, .pfn = G },
	    { .kind = EVENT_ENTRY_PUT, .pfn = G, .count = 0 },
	    { .kind = EVENT_FAULT, .pfn = G, .flags = W | X, .refs = 3 } } },
	{ RULE_WP_ROUNDTRIP,
	  10,
	  false,
	  11,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 2 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_CACHE_ADD, .pfn = G },
	    { .kind = EVENT_ENTRY_PUT, .pfn = G, .count = 1 },
	    { .kind = EVENT_FAULT, .pfn = G, .flags = W, .refs = 3 },
	    { .kind = EVENT_ENTRY_PUT, .pfn = G, .count = 0 },
	    { .kind = EVENT_CACHE_DEL, .pfn = G },
	    { .kind = EVENT_ENTRY_FREE },
	    { .kind = EVENT_FAULT, .pfn = G, .flags = W | X | FR } } },
	{ RULE_SWAPIN_RACE,
	  4,
	  false,
	  9,
	  { { .kind = EVENT_ENTRY_ALLOC, .pfn = F },
	    { .kind = EVENT_ENTRY_DUP, .pfn = F, .count = 1 },
	    { .kind = EVENT_CACHE_DEL, .pfn = F },
	    { .kind = EVENT_CACHE_ADD, .pfn = G },
	    { .kind = EVENT_CACHE_ADD, .pfn = H, .ret = -EEXIST },
	    { .kind = EVENT_ENTRY_PUT, .pfn = G, .count = 0 },
	    { .kind = EVENT_CACHE_DEL, .pfn = G },
	    { .kind = EVENT_ENTRY_FREE },
	    { .kind = EVENT_FAULT, .pfn = G, .flags = W | X | FR } } },
};

static void test_emitter_patterns(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(patterns); i++) {
		const Pattern *p = &patterns[i];
		Feed *f = feed_new();
		uint64_t seqs[12];
		const Finding *x;

		feed(f, ev_on(0, 16384, 256));
		/* the workload around it: a clean life on a neighbouring slot */
		clean_life(f, 99, 1, 0x10, 0x20);
		for (int k = 0; k < p->n; k++) {
			Event e = p->ev[k];

			e.offset = 100;
			seqs[k] = feed(f, e);
		}
		f->ts_ns += 5000000; /* the rest of the trace: past every threshold */
		clean_life(f, 101, 1, 0x30, 0x40);
		feed_finish(f);
		g_test_message("pattern %s", rule_name(p->rule));
		x = only_finding(f, p->rule);
		g_assert_cmpuint(x->offset, ==, 100);
		g_assert_cmpuint(x->nr, ==, 1);
		if (p->proof_is_setup)
			g_assert_cmpuint(x->setup_seq, ==, seqs[p->proof]);
		else
			g_assert_cmpuint(x->seq, ==, seqs[p->proof]);
		feed_free(f);
	}
}

#undef F
#undef G
#undef H
#undef W
#undef X
#undef FR

static void test_out_of_range(void)
{
	Feed *f = feed_new();
	Collect c = { g_string_new(NULL) };

	feed(f, ev_on(0, 100, 16));
	feed(f, ev_free(98, 1000000)); /* a corrupt nr: only 98, 99 exist */
	feed(f, ev_free(5000, 1));     /* past the end: nothing */
	feed(f, (Event){ .kind = EVENT_ENTRY_FREE, .offset = UINT64_MAX - 1, .nr = 4 });
	feed(f, (Event){ .kind = EVENT_ENTRY_FREE, .type = 1, .offset = UINT64_MAX - 1, .nr = 4 });
	feed_finish(f);
	analyzer_foreach_device(f->a, collect_device, &c);
	g_assert_cmpstr(c.s->str, ==, "dev 0 100 16 touched 2 max 0\ndev 1 0 0 touched 2 max 0\n");
	g_string_free(c.s, TRUE);
	feed_free(f);
}

/*
 * A corrupt nr costs no more than the slots that can exist: an alloc of
 * 2^32 - 1 slots once made rule_alloc_misaligned loop over every one (20 s
 * of CPU), and on a device no device_on announced, allocated state for all
 * of them (6.8 GB).  One finding covers the whole range; slot state stays
 * within EVENT_NR_MAX slots.
 */
static void test_huge_range(void)
{
	Feed *f = feed_new();
	AnalyzerStorage st;
	clock_t start = clock();

	feed(f, ev_on(0, UINT64_C(1) << 40, 512));
	feed(f, ev_alloc(0, UINT32_MAX, 7));
	feed(f, (Event){ .kind = EVENT_ENTRY_ALLOC, .type = 3, .offset = 1, .nr = UINT32_MAX });
	feed_finish(f);
	g_assert_cmpuint(f->rec.findings->len, ==, 2);
	g_assert_cmpint(g_array_index(f->rec.findings, Finding, 0).rule, ==, RULE_ALLOC_MISALIGNED);
	g_assert_cmpuint(g_array_index(f->rec.findings, Finding, 0).nr, ==, UINT32_MAX);
	analyzer_storage(f->a, &st);
	g_assert_cmpuint(st.pages, <=, 2 * (EVENT_NR_MAX / 256 + 2));
	/* CPU time: a loop over 2^32 slots takes longer, even unsanitized. */
	g_assert_cmpfloat((double)(clock() - start) / CLOCKS_PER_SEC, <, 30.0);
	feed_free(f);
}

/* Garbage in, no crash (run under ASan/UBSan in CI): every kind, gaps, ranges. */
static void test_random_robust(void)
{
	Feed *f = feed_new();
	uint64_t x = 12345;

	for (int i = 0; i < 50000; i++) {
		Event e;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		if ((x >> 58) == 0) {
			analyzer_note_gap(
				f->a,
				&(Gap){ .begin_ts_ns = f->ts_ns,
					.end_ts_ns = (x >> 40) & 1 ? INT64_MIN : f->ts_ns + 3000 });
			continue;
		}
		e = (Event){ .kind = (EventKind)((x >> 8) % (_EVENT_KIND_MAX + 1)),
			     .type = (uint32_t)((x >> 20) % 3),
			     .offset = (x >> 24) % 3000,
			     .nr = (x >> 36) % 8 == 0 ? (uint32_t)((x >> 40) % 600) : 1,
			     .pfn = (x >> 44) % 5,
			     .count = (int32_t)((x >> 48) % 70) - 2,
			     .ret = (x >> 52) % 5 == 0	 ? -EEXIST
				    : (x >> 52) % 7 == 0 ? -ENOENT
							 : 0,
			     .flags = (uint32_t)(x >> 56) & 15,
			     .nr_slots = (x >> 30) % 5000,
			     .cluster_size = 1u << ((x >> 33) % 10) };
		feed(f, e);
	}
	feed_finish(f);
	g_assert_cmpuint(f->rec.findings->len, >, 0);
	feed_free(f);
}

static void test_free_null(void)
{
	g_assert_null(analyzer_free(NULL));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/analyzer/rule-table", test_rule_table);
	g_test_add_func("/analyzer/clean", test_clean);
	g_test_add_func("/analyzer/clean-only", test_clean_only);
	g_test_add_func("/analyzer/alloc-in-use", test_alloc_in_use);
	g_test_add_func("/analyzer/alloc-in-use-unknown", test_alloc_in_use_unknown);
	g_test_add_func("/analyzer/alloc-misaligned", test_alloc_misaligned);
	g_test_add_func("/analyzer/dup-unallocated", test_dup_unallocated);
	g_test_add_func("/analyzer/put-unallocated", test_put_unallocated);
	g_test_add_func("/analyzer/put-underflow", test_put_underflow);
	g_test_add_func("/analyzer/dup-put-uncached", test_dup_put_uncached);
	g_test_add_func("/analyzer/cache-add-occupied", test_cache_add_occupied);
	g_test_add_func("/analyzer/cache-add-zero-count", test_cache_add_zero_count);
	g_test_add_func("/analyzer/cache-del-mismatch", test_cache_del_mismatch);
	g_test_add_func("/analyzer/free", test_free_rules);
	g_test_add_func("/analyzer/count-mismatch", test_count_mismatch);
	g_test_add_func("/analyzer/slot-leak", test_slot_leak);
	g_test_add_func("/analyzer/mid-life", test_mid_life);
	g_test_add_func("/analyzer/unsaturated-count-resyncs", test_unsaturated_count_resyncs);
	g_test_add_func("/analyzer/state-dump", test_state_dump);
	g_test_add_func("/analyzer/gap", test_gap);
	g_test_add_func("/analyzer/large-folio", test_large_folio);
	g_test_add_func("/analyzer/retention", test_retention);
	g_test_add_func("/analyzer/retention-gap", test_retention_gap);
	g_test_add_func("/analyzer/swapin-race", test_swapin_race);
	g_test_add_func("/analyzer/wp-roundtrip", test_wp_roundtrip);
	g_test_add_func("/analyzer/order", test_order);
	g_test_add_func("/analyzer/determinism", test_determinism);
	g_test_add_func("/analyzer/final-state", test_final_state);
	g_test_add_func("/analyzer/device-on-fresh", test_device_on_fresh);
	g_test_add_func("/analyzer/state-dump-v2", test_state_dump_v2);
	g_test_add_func("/analyzer/state-dump-pinned", test_state_dump_pinned);
	g_test_add_func("/analyzer/gap-forgets-fresh", test_gap_forgets_fresh);
	g_test_add_func("/analyzer/device-off-on", test_device_off_on);
	g_test_add_func("/analyzer/cold-page-retouch", test_cold_page_retouch);
	g_test_add_func("/analyzer/swapoff-cold", test_swapoff_cold);
	g_test_add_func("/analyzer/v1/dump-end-unnamed-free", test_v1_dump_end_unnamed_free);
	g_test_add_func("/analyzer/v1/dump-end-touched-slots", test_v1_dump_end_touched_slots);
	g_test_add_func("/analyzer/v1/dump-end-stray", test_v1_dump_end_stray);
	g_test_add_func("/analyzer/v1/dump-end-no-rule", test_v1_dump_end_no_rule);
	g_test_add_func("/analyzer/v1/fault", test_v1_fault);
	g_test_add_func("/analyzer/cache-move", test_cache_move);
	g_test_add_func("/analyzer/cache-split", test_cache_split);
	g_test_add_func("/analyzer/sync-pin", test_sync_pin);
	g_test_add_func("/analyzer/keep-reasons", test_keep_reasons);
	g_test_add_func("/analyzer/lazyfree", test_lazyfree);
	g_test_add_func("/analyzer/emitter-patterns", test_emitter_patterns);
	g_test_add_func("/analyzer/out-of-range", test_out_of_range);
	g_test_add_func("/analyzer/huge-range", test_huge_range);
	g_test_add_func("/analyzer/random-robust", test_random_robust);
	g_test_add_func("/analyzer/free-null", test_free_null);
	return g_test_run();
}
