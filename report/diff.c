/*
 * Compare two Reports metric by metric (diff.h has the regression rule).
 * Both sides come from report_load(), so a metric means the same thing in
 * `swaptrace report` and here.
 */
#include "diff.h"

#include "json-writer.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "banned.h"

void diff_options_init(DiffOptions *opts)
{
	/*
	 * Measured (tests/kernel/noise.sh, five recordings each of the
	 * exerciser, randwrite, stress-ng and thp on the correct 6.1 kernel
	 * under QEMU): between two recordings of one workload, stale slot-time
	 * varies up to 2.6x (100 to 260 slot-s), retention_stale findings up
	 * to 1.8x (25 to 44), the share of write faults kept in place by 2.5
	 * per 1000 (3.3 to 5.8), and stress-ng's stale slot-time from 0 to
	 * 9.5 slot-s.  The regression of kernel/patches/linux-6.1-regression
	 * moves them by 60x to 150x (870 per 1000 write faults kept in place).
	 * So: worse means more than 4x base and more than the floor.
	 */
	opts->tolerance = 3.0;
	opts->min_count = 10;
	opts->min_slot_ns = 30000000000; /* 30 slot-seconds */
	opts->min_wait_ns = 1000000;	 /* one tick at HZ=1000: "sleep a tick and retry" */
	opts->min_rate_ppm = 20000;	 /* 20 per 1000 write faults */
	opts->min_write_faults = 100;
}

static void diff_metric_free(gpointer p)
{
	DiffMetric *m = p;

	g_free(m->name);
	g_free(m);
}

static bool exceeds(int64_t from, int64_t to, double tolerance, int64_t floor)
{
	return (double)to > (double)from * (1.0 + tolerance) && to - from > floor;
}

static DiffMetric *add_metric(GPtrArray *out, char *name, DiffUnit unit, int64_t base,
			      int64_t new_value, int64_t floor, double tolerance)
{
	DiffMetric *m = g_new0(DiffMetric, 1);

	m->name = name;
	m->unit = unit;
	m->base = base;
	m->new_value = new_value;
	m->floor = floor;
	m->judged = true;
	m->worse = exceeds(base, new_value, tolerance, floor);
	m->better = exceeds(new_value, base, tolerance, floor);
	g_ptr_array_add(out, m);
	return m;
}

/* Shown for what it says, never a regression: timing patterns, too few samples. */
static void not_judged(DiffMetric *m)
{
	m->judged = false;
	m->worse = m->better = false;
}

static gint str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Write faults kept in place for `reason` (NULL: every reason), per 10^6 write faults. */
static int64_t in_place_ppm(const Report *r, const char *reason)
{
	int64_t n = 0;

	for (guint i = 0; i < r->keeps->len; i++) {
		const ReportKeep *k = g_ptr_array_index(r->keeps, i);

		if (!reason || strcmp(k->reason, reason) == 0)
			n += k->in_place;
	}
	return (int64_t)((double)n * 1e6 / (double)r->write_faults + 0.5);
}

/*
 * The share of write faults that wrote a folio in place and kept it cached,
 * in all and by reason: a rate, so that two recordings of one workload
 * compare whatever their length.  Only when both sides replayed enough
 * write faults to give one.
 */
static void add_rates(GPtrArray *out, const Report *base, const Report *new_report,
		      const DiffOptions *opts)
{
	g_autoptr(GPtrArray) reasons = g_ptr_array_new();
	const Report *sides[2] = { base, new_report };

	if (base->write_faults < opts->min_write_faults ||
	    new_report->write_faults < opts->min_write_faults)
		return;
	add_metric(out, g_strdup("write_faults.kept_in_place"), DIFF_UNIT_PPM,
		   in_place_ppm(base, NULL), in_place_ppm(new_report, NULL), opts->min_rate_ppm,
		   opts->tolerance);
	for (int s = 0; s < 2; s++)
		for (guint i = 0; i < sides[s]->keeps->len; i++) {
			const ReportKeep *k = g_ptr_array_index(sides[s]->keeps, i);

			if (k->in_place)
				g_ptr_array_add(reasons, k->reason);
		}
	g_ptr_array_sort(reasons, str_cmp);
	for (guint i = 0; i < reasons->len; i++) {
		const char *reason = g_ptr_array_index(reasons, i);

		if (i > 0 && strcmp(reason, g_ptr_array_index(reasons, i - 1)) == 0)
			continue;
		add_metric(out, g_strdup_printf("write_faults.kept_in_place.%s", reason),
			   DIFF_UNIT_PPM, in_place_ppm(base, reason),
			   in_place_ppm(new_report, reason), opts->min_rate_ppm, opts->tolerance);
	}
}

static const ReportRule *find_rule(const Report *r, const char *name)
{
	for (guint i = 0; i < r->rules->len; i++) {
		const ReportRule *rule = g_ptr_array_index(r->rules, i);

		if (strcmp(rule->rule, name) == 0)
			return rule;
	}
	return NULL;
}

GPtrArray *diff_compute(const Report *base, const Report *new_report, const DiffOptions *opts,
			bool *ret_worse)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GPtrArray *out = g_ptr_array_new_with_free_func(diff_metric_free);
	const Report *sides[2] = { base, new_report };
	DiffMetric *m;
	bool worse = false;

	for (int s = 0; s < 2; s++)
		for (guint i = 0; i < sides[s]->rules->len; i++) {
			const ReportRule *rule = g_ptr_array_index(sides[s]->rules, i);

			g_ptr_array_add(names, rule->rule);
		}
	g_ptr_array_sort(names, str_cmp);
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		const ReportRule *b, *n;
		const char *severity;
		int64_t base_n;

		if (i > 0 && strcmp(name, g_ptr_array_index(names, i - 1)) == 0)
			continue;
		b = find_rule(base, name);
		n = find_rule(new_report, name);
		severity = n ? n->severity : b->severity;
		base_n = b ? b->findings : 0;
		/*
		 * An error rule firing where BASE had none is a kernel bug,
		 * however rare: floor 0.  Warnings come and go with reclaim
		 * timing (a correct kernel keeps a few written folios cached
		 * for another CPU's LRU batch), so they are judged like the
		 * slot-time they waste.  Info rules measure timing patterns
		 * (races, round trips) that two recordings of one workload
		 * never repeat: shown, not judged.
		 */
		m = add_metric(out, g_strdup_printf("findings.%s", name), DIFF_UNIT_COUNT, base_n,
			       n ? n->findings : 0,
			       severity_from_name(severity) == SEVERITY_ERROR ? 0 : opts->min_count,
			       opts->tolerance);
		if (severity_from_name(severity) == SEVERITY_INFO)
			not_judged(m);
	}
	add_metric(out, g_strdup("stale_slot_seconds"), DIFF_UNIT_SLOT_NS,
		   base->retention_ns[RETENTION_STALE], new_report->retention_ns[RETENTION_STALE],
		   opts->min_slot_ns, opts->tolerance);
	add_metric(out, g_strdup("full_slot_seconds"), DIFF_UNIT_SLOT_NS,
		   base->retention_ns[RETENTION_FULL], new_report->retention_ns[RETENTION_FULL],
		   opts->min_slot_ns, opts->tolerance);
	add_rates(out, base, new_report, opts);
	not_judged(add_metric(out, g_strdup("wp_roundtrips"), DIFF_UNIT_COUNT,
			      (int64_t)base->roundtrip_q.n, (int64_t)new_report->roundtrip_q.n,
			      opts->min_count, opts->tolerance));
	/* A p99 of a handful of races is the slowest of them: not comparable. */
	m = add_metric(out, g_strdup("race_wait_p99"), DIFF_UNIT_NS, base->race_q.p99,
		       new_report->race_q.p99, opts->min_wait_ns, opts->tolerance);
	if ((int64_t)base->race_q.n < opts->min_count ||
	    (int64_t)new_report->race_q.n < opts->min_count)
		not_judged(m);

	for (guint i = 0; i < out->len; i++)
		worse |= ((DiffMetric *)g_ptr_array_index(out, i))->worse;
	*ret_worse = worse;
	return out;
}

static void append_value(GString *out, DiffUnit unit, int64_t v)
{
	switch (unit) {
	case DIFF_UNIT_COUNT:
		g_string_append_printf(out, "%" PRId64, v);
		break;
	case DIFF_UNIT_SLOT_NS:
		report_append_slot_seconds(out, v);
		break;
	case DIFF_UNIT_PPM:
		g_string_append_printf(out, "%.1f/1000", (double)v / 1000.0);
		break;
	case DIFF_UNIT_NS:
	default:
		report_append_duration(out, v);
		break;
	}
}

static void append_ratio(GString *out, int64_t base, int64_t new_value)
{
	if (base == 0)
		g_string_append(out, new_value == 0 ? "-" : "new");
	else
		g_string_append_printf(out, "%.2f", (double)new_value / (double)base);
}

void diff_format_text(const Report *base, const Report *new_report, const DiffOptions *opts,
		      const GPtrArray *metrics, bool worse, GString *out)
{
	unsigned n_worse = 0;

	g_string_append_printf(out, "swaptrace diff: %s -> %s (tolerance %.0f%%)\n", base->path,
			       new_report->path, opts->tolerance * 100);
	g_string_append(out, "  metric                                          base           new"
			     "     ratio  verdict\n");
	for (guint i = 0; i < metrics->len; i++) {
		const DiffMetric *m = g_ptr_array_index(metrics, i);
		g_autoptr(GString) b = g_string_new(NULL);
		g_autoptr(GString) n = g_string_new(NULL);
		g_autoptr(GString) ratio = g_string_new(NULL);

		/* A rule silent on both sides is noise in a diff. */
		if (m->unit == DIFF_UNIT_COUNT && m->base == 0 && m->new_value == 0 &&
		    g_str_has_prefix(m->name, "findings."))
			continue;
		append_value(b, m->unit, m->base);
		append_value(n, m->unit, m->new_value);
		append_ratio(ratio, m->base, m->new_value);
		g_string_append_printf(out, "  %-40s  %12s  %12s  %8s", m->name, b->str, n->str,
				       ratio->str);
		if (m->worse || m->better)
			g_string_append(out, m->worse ? "  WORSE" : "  better");
		else if (!m->judged)
			g_string_append(out, "  (not judged)");
		g_string_append_c(out, '\n');
		n_worse += m->worse;
	}
	if (worse)
		g_string_append_printf(out, "regression: %u metric%s worse beyond tolerance\n",
				       n_worse, n_worse == 1 ? "" : "s");
	else
		g_string_append(out, "no regression\n");
}

/* Slot-time in slot-seconds, durations in ns, counts as they are. */
static void add_json_number(JsonBuilder *b, DiffUnit unit, int64_t v)
{
	if (unit == DIFF_UNIT_SLOT_NS)
		json_builder_add_double_value(b, (double)v / 1e9);
	else if (unit == DIFF_UNIT_PPM)
		json_builder_add_double_value(b, (double)v / 1000.0);
	else
		json_builder_add_int_value(b, v);
}

/* new / base to six significant digits, enough to read a trend. */
static double ratio6(int64_t base, int64_t new_value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(buf, sizeof(buf), "%.6g", (double)new_value / (double)base);
	return g_ascii_strtod(buf, NULL);
}

void diff_format_json(const Report *base, const Report *new_report, const DiffOptions *opts,
		      const GPtrArray *metrics, bool worse, GString *out)
{
	static const char *const units[_DIFF_UNIT_MAX] = {
		[DIFF_UNIT_COUNT] = "count",
		[DIFF_UNIT_SLOT_NS] = "slot-seconds",
		[DIFF_UNIT_NS] = "ns",
		[DIFF_UNIT_PPM] = "per-1000-write-faults",
	};
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "base");
	json_builder_add_string_value(b, base->path);
	json_builder_set_member_name(b, "new");
	json_builder_add_string_value(b, new_report->path);
	json_builder_set_member_name(b, "tolerance");
	json_builder_add_double_value(b, opts->tolerance);
	json_builder_set_member_name(b, "worse");
	json_builder_add_boolean_value(b, worse);
	json_builder_set_member_name(b, "metrics");
	json_builder_begin_array(b);
	for (guint i = 0; i < metrics->len; i++) {
		const DiffMetric *m = g_ptr_array_index(metrics, i);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "metric");
		json_builder_add_string_value(b, m->name);
		json_builder_set_member_name(b, "unit");
		json_builder_add_string_value(b, units[m->unit]);
		json_builder_set_member_name(b, "base");
		add_json_number(b, m->unit, m->base);
		json_builder_set_member_name(b, "new");
		add_json_number(b, m->unit, m->new_value);
		json_builder_set_member_name(b, "floor");
		add_json_number(b, m->unit, m->floor);
		json_builder_set_member_name(b, "ratio");
		if (m->base == 0)
			json_builder_add_null_value(b);
		else
			json_builder_add_double_value(b, ratio6(m->base, m->new_value));
		json_builder_set_member_name(b, "worse");
		json_builder_add_boolean_value(b, m->worse);
		json_builder_set_member_name(b, "better");
		json_builder_add_boolean_value(b, m->better);
		json_builder_set_member_name(b, "judged");
		json_builder_add_boolean_value(b, m->judged);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_write(out, root);
}
