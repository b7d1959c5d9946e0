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
	 * Two recordings of one workload on one kernel differ by reclaim
	 * timing; the regressions worth catching (a write fault that stops
	 * freeing the cache, a swap-in that sleeps a tick) move these
	 * metrics by orders of magnitude, not by a quarter.
	 */
	opts->tolerance = 0.25;
	opts->min_count = 5;
	opts->min_slot_ns = 10000000; /* 0.01 slot-seconds */
	opts->min_wait_ns = 1000000;  /* one tick at HZ=1000: "sleep a tick and retry" */
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

static void add_metric(GPtrArray *out, char *name, DiffUnit unit, int64_t base, int64_t new_value,
		       int64_t floor, double tolerance)
{
	DiffMetric *m = g_new0(DiffMetric, 1);

	m->name = name;
	m->unit = unit;
	m->base = base;
	m->new_value = new_value;
	m->floor = floor;
	m->worse = exceeds(base, new_value, tolerance, floor);
	m->better = exceeds(new_value, base, tolerance, floor);
	g_ptr_array_add(out, m);
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

static gint str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *diff_compute(const Report *base, const Report *new_report, const DiffOptions *opts,
			bool *ret_worse)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GPtrArray *out = g_ptr_array_new_with_free_func(diff_metric_free);
	const Report *sides[2] = { base, new_report };
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
		int64_t base_n, floor;

		if (i > 0 && strcmp(name, g_ptr_array_index(names, i - 1)) == 0)
			continue;
		b = find_rule(base, name);
		n = find_rule(new_report, name);
		severity = n ? n->severity : b->severity;
		base_n = b ? b->findings : 0;
		/*
		 * An error or warning rule firing where BASE had none is new
		 * behaviour, however rare: floor 0.  Info rules measure
		 * timing-dependent patterns (races, round trips) that two
		 * recordings of one workload never repeat exactly.
		 */
		floor = opts->min_count;
		if (severity_from_name(severity) == SEVERITY_ERROR ||
		    (severity_from_name(severity) == SEVERITY_WARNING && base_n == 0))
			floor = 0;
		add_metric(out, g_strdup_printf("findings.%s", name), DIFF_UNIT_COUNT, base_n,
			   n ? n->findings : 0, floor, opts->tolerance);
	}
	add_metric(out, g_strdup("stale_slot_seconds"), DIFF_UNIT_SLOT_NS,
		   base->retention_ns[RETENTION_STALE], new_report->retention_ns[RETENTION_STALE],
		   opts->min_slot_ns, opts->tolerance);
	add_metric(out, g_strdup("full_slot_seconds"), DIFF_UNIT_SLOT_NS,
		   base->retention_ns[RETENTION_FULL], new_report->retention_ns[RETENTION_FULL],
		   opts->min_slot_ns, opts->tolerance);
	add_metric(out, g_strdup("wp_roundtrips"), DIFF_UNIT_COUNT, (int64_t)base->roundtrip_q.n,
		   (int64_t)new_report->roundtrip_q.n, opts->min_count, opts->tolerance);
	add_metric(out, g_strdup("race_wait_p99"), DIFF_UNIT_NS, base->race_q.p99,
		   new_report->race_q.p99, opts->min_wait_ns, opts->tolerance);

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
	g_string_append(out, "  metric                                  base           new"
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
		g_string_append_printf(out, "  %-32s  %12s  %12s  %8s", m->name, b->str, n->str,
				       ratio->str);
		if (m->worse || m->better)
			g_string_append(out, m->worse ? "  WORSE" : "  better");
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
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_write(out, root);
}
