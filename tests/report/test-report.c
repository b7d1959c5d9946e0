/*
 * Unit tests of the numbers every report view shares: nearest-rank
 * quantiles, duration and slot-second formatting, and the regression rule
 * of `swaptrace diff` (report/diff.h) at its boundaries.  The end-to-end
 * tests (*.sh) run the same code on real recordings.
 */
#include <string.h>

#include <glib.h>

#include "diff.h"
#include "report.h"

static void test_quantiles(void)
{
	int64_t v[1000] = { 0 };
	ReportQuantiles q;

	report_quantiles_from_sorted(&q, v, 0);
	g_assert_cmpuint(q.n, ==, 0);
	g_assert_cmpint(q.p99, ==, 0);

	v[0] = 5;
	report_quantiles_from_sorted(&q, v, 1);
	g_assert_cmpint(q.p50, ==, 5);
	g_assert_cmpint(q.p99, ==, 5);
	g_assert_cmpint(q.max, ==, 5);

	/* Nearest rank: always a value that occurred. */
	for (int i = 0; i < 100; i++)
		v[i] = i + 1;
	report_quantiles_from_sorted(&q, v, 100);
	g_assert_cmpint(q.p50, ==, 50);
	g_assert_cmpint(q.p99, ==, 99);
	g_assert_cmpint(q.max, ==, 100);
	g_assert_cmpfloat(q.sum_ns, ==, 5050);

	for (int i = 0; i < 1000; i++)
		v[i] = i + 1;
	report_quantiles_from_sorted(&q, v, 1000);
	g_assert_cmpint(q.p50, ==, 500);
	g_assert_cmpint(q.p99, ==, 990);

	/*
	 * The defining property, for every size: at least 99% of the values
	 * are <= p99, and fewer than 99% are below it (likewise p50).
	 */
	for (size_t n = 1; n <= 1000; n++) {
		size_t at_or_below99 = 0, below99 = 0, at_or_below50 = 0, below50 = 0;

		report_quantiles_from_sorted(&q, v, n);
		for (size_t i = 0; i < n; i++) {
			at_or_below99 += v[i] <= q.p99;
			below99 += v[i] < q.p99;
			at_or_below50 += v[i] <= q.p50;
			below50 += v[i] < q.p50;
		}
		g_assert_cmpuint(at_or_below99 * 100, >=, 99 * n);
		g_assert_cmpuint(below99 * 100, <, 99 * n);
		g_assert_cmpuint(at_or_below50 * 100, >=, 50 * n);
		g_assert_cmpuint(below50 * 100, <, 50 * n);
	}

	/* Two values: p50 is the first, p99 the second. */
	v[0] = 10;
	v[1] = 20;
	report_quantiles_from_sorted(&q, v, 2);
	g_assert_cmpint(q.p50, ==, 10);
	g_assert_cmpint(q.p99, ==, 20);
}

static void assert_duration(int64_t ns, const char *expect)
{
	g_autoptr(GString) s = g_string_new(NULL);

	report_append_duration(s, ns);
	g_assert_cmpstr(s->str, ==, expect);
}

static void assert_slot_seconds(int64_t ns, const char *expect)
{
	g_autoptr(GString) s = g_string_new(NULL);

	report_append_slot_seconds(s, ns);
	g_assert_cmpstr(s->str, ==, expect);
}

static void test_format(void)
{
	assert_duration(0, "0 ns");
	assert_duration(999, "999 ns");
	assert_duration(1500, "1.5 us");
	assert_duration(2500000, "2.5 ms");
	assert_duration(3000000000, "3.00 s");
	assert_duration(-1500, "-1.5 us");
	assert_duration(INT64_MIN, "-9223372036.85 s");

	assert_slot_seconds(0, "0");
	assert_slot_seconds(12345, "1.23e-05");
	assert_slot_seconds(1000000, "0.0010");
	assert_slot_seconds(2500000000, "2.5000");
	assert_slot_seconds(12000000000, "12.0");
}

/* A Report with just what diff_compute() reads. */
static Report *fake_report(const char *path)
{
	Report *r = g_new0(Report, 1);

	r->path = g_strdup(path);
	r->rules = g_ptr_array_new();
	r->keeps = g_ptr_array_new();
	r->write_faults = -1;
	return r;
}

static void fake_rule(Report *r, const char *rule, const char *severity, int64_t findings)
{
	ReportRule *x = g_new0(ReportRule, 1);

	x->rule = (char *)rule;
	x->severity = (char *)severity;
	x->findings = findings;
	g_ptr_array_add(r->rules, x);
}

static void fake_keep(Report *r, const char *reason, int64_t faults, int64_t in_place)
{
	ReportKeep *k = g_new0(ReportKeep, 1);

	k->reason = (char *)reason;
	k->faults = faults;
	k->in_place = in_place;
	g_ptr_array_add(r->keeps, k);
}

static void fake_free(Report *r)
{
	for (guint i = 0; i < r->rules->len; i++)
		g_free(g_ptr_array_index(r->rules, i));
	for (guint i = 0; i < r->keeps->len; i++)
		g_free(g_ptr_array_index(r->keeps, i));
	g_ptr_array_unref(r->rules);
	g_ptr_array_unref(r->keeps);
	g_free(r->path);
	g_free(r);
}

static const DiffMetric *metric(const GPtrArray *m, const char *name)
{
	for (guint i = 0; i < m->len; i++)
		if (strcmp(((DiffMetric *)g_ptr_array_index(m, i))->name, name) == 0)
			return g_ptr_array_index(m, i);
	return NULL;
}

static void test_diff_rule(void)
{
	Report *base = fake_report("base.db"), *new_report = fake_report("new.db");
	g_autoptr(GPtrArray) m = NULL;
	DiffOptions opts;
	bool worse;

	diff_options_init(&opts);
	g_assert_cmpfloat(opts.tolerance, ==, 3.0);
	g_assert_cmpint(opts.min_count, ==, 10);

	/* error: 0 -> 1 is worse */
	fake_rule(base, "put_underflow", "error", 0);
	fake_rule(new_report, "put_underflow", "error", 1);
	/* warning: 0 -> 1 is noise (within the floor of 10); 10 -> 45 is over both */
	fake_rule(base, "retention_stale", "warning", 0);
	fake_rule(new_report, "retention_stale", "warning", 1);
	fake_rule(base, "retention_full", "warning", 10);
	fake_rule(new_report, "retention_full", "warning", 45);
	/* warning: 20 -> 80 is exactly 4x: not worse */
	fake_rule(base, "lazyfree_swapped", "warning", 20);
	fake_rule(new_report, "lazyfree_swapped", "warning", 80);
	/* info: never judged, however it moves */
	fake_rule(base, "wp_roundtrip", "info", 10);
	fake_rule(new_report, "wp_roundtrip", "info", 2000);
	/* a rule only BASE has, going away: better */
	fake_rule(base, "slot_leak", "error", 3);

	/* slot-time: 0 -> 20 slot-s is under the 30 slot-s floor; 0 -> 40 is over it */
	new_report->retention_ns[RETENTION_STALE] = 20000000000;
	new_report->retention_ns[RETENTION_FULL] = 40000000000;
	/* race wait p99 of a few races: not judged */
	base->race_q = (ReportQuantiles){ .n = 3, .p99 = 1000000 };
	new_report->race_q = (ReportQuantiles){ .n = 3, .p99 = 900000000 };
	/* fewer than 100 write faults: no rate */
	base->write_faults = new_report->write_faults = 99;
	fake_keep(new_report, "lru_batch", 99, 99);

	m = diff_compute(base, new_report, &opts, &worse);
	g_assert_true(worse);
	g_assert_true(metric(m, "findings.put_underflow")->worse);
	g_assert_false(metric(m, "findings.retention_stale")->worse);
	g_assert_true(metric(m, "findings.retention_full")->worse);
	g_assert_false(metric(m, "findings.lazyfree_swapped")->worse);
	g_assert_false(metric(m, "findings.wp_roundtrip")->worse);
	g_assert_false(metric(m, "findings.wp_roundtrip")->judged);
	g_assert_false(metric(m, "findings.slot_leak")->worse);
	g_assert_true(metric(m, "findings.slot_leak")->better);
	g_assert_false(metric(m, "stale_slot_seconds")->worse);
	g_assert_true(metric(m, "full_slot_seconds")->worse);
	g_assert_false(metric(m, "race_wait_p99")->worse);
	g_assert_false(metric(m, "race_wait_p99")->judged);
	g_assert_null(metric(m, "write_faults.kept_in_place"));
	/* Rules in name order, then the fixed metrics. */
	g_assert_cmpstr(((DiffMetric *)g_ptr_array_index(m, 0))->name, ==,
			"findings.lazyfree_swapped");
	g_assert_cmpstr(((DiffMetric *)g_ptr_array_index(m, m->len - 1))->name, ==,
			"race_wait_p99");
	g_clear_pointer(&m, g_ptr_array_unref);

	/* The same report against itself is never worse. */
	m = diff_compute(new_report, new_report, &opts, &worse);
	g_assert_false(worse);
	g_clear_pointer(&m, g_ptr_array_unref);

	/* Enough races on both sides: a wait growing by more than a tick is worse. */
	base->race_q.n = new_report->race_q.n = 10;
	/* Enough write faults: the regression's share kept in place is worse, by reason. */
	base->write_faults = new_report->write_faults = 7600;
	fake_keep(base, "lru_batch", 20, 20);
	fake_keep(base, "extra_refs", 22, 22);
	fake_keep(new_report, "extra_refs", 6000, 6000);
	m = diff_compute(base, new_report, &opts, &worse);
	g_assert_true(metric(m, "race_wait_p99")->worse);
	g_assert_true(metric(m, "write_faults.kept_in_place")->worse);
	g_assert_cmpint(metric(m, "write_faults.kept_in_place")->new_value, ==,
			(int64_t)(6099 * 1e6 / 7600 + 0.5));
	g_assert_true(metric(m, "write_faults.kept_in_place.extra_refs")->worse);
	/* lru_batch: 2.6 -> 13.0 per 1000 is over 4x but within the floor of 20 */
	g_assert_false(metric(m, "write_faults.kept_in_place.lru_batch")->worse);

	fake_free(base);
	fake_free(new_report);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/quantiles", test_quantiles);
	g_test_add_func("/report/format", test_format);
	g_test_add_func("/diff/rule", test_diff_rule);
	return g_test_run();
}
