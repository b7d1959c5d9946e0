/*
 * Load a Report from a replay database: what the terminal report, the HTML
 * page and `swaptrace diff` show, read once.  A number people compare is
 * read from the table or view that defines it (schema/views.sql.in), never
 * recomputed here; the only arithmetic is the quantiles
 * (report_quantiles_from_sorted()) and the merging of raw call-site
 * addresses that symbolise to one name.
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "event-schema.h"
#include "report-db.h"

#include "banned.h"

static void report_rule_free(gpointer p)
{
	ReportRule *r = p;

	g_free(r->rule);
	g_free(r->severity);
	g_ptr_array_unref(r->examples);
	g_clear_pointer(&r->stamps, g_array_unref);
	g_free(r);
}

static void report_cause_free(gpointer p)
{
	ReportCause *c = p;

	g_free(c->name);
	g_free(c);
}

static void report_site_free(gpointer p)
{
	ReportSite *s = p;

	g_free(s->name);
	g_free(s);
}

static void report_count_free(gpointer p)
{
	ReportCount *c = p;

	g_free(c->name);
	g_free(c);
}

static void report_fact_free(gpointer p)
{
	ReportFact *f = p;

	g_free(f->value);
	g_free(f);
}

static void report_gap_free(gpointer p)
{
	ReportGap *g = p;

	g_free(g->kind);
	g_free(g->stream);
	g_free(g);
}

Report *report_free(Report *r)
{
	if (!r)
		return NULL;
	g_free(r->path);
	g_clear_pointer(&r->env, g_ptr_array_unref);
	g_clear_pointer(&r->events, g_ptr_array_unref);
	g_clear_pointer(&r->devices, g_ptr_array_unref);
	g_clear_pointer(&r->rules, g_ptr_array_unref);
	g_clear_pointer(&r->by_site, g_ptr_array_unref);
	g_clear_pointer(&r->by_process, g_ptr_array_unref);
	g_clear_pointer(&r->by_device, g_ptr_array_unref);
	g_clear_pointer(&r->roundtrip_sites, g_ptr_array_unref);
	g_clear_pointer(&r->gaps, g_ptr_array_unref);
	g_clear_pointer(&r->keeps, g_ptr_array_unref);
	g_clear_pointer(&r->lifetime_spans, g_array_unref);
	report_slots_free(r);
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++) {
		g_clear_pointer(&r->retention_durations[v], g_array_unref);
		g_clear_pointer(&r->retention_spans[v], g_array_unref);
	}
	g_free(r);
	return NULL;
}

/*
 * Nearest-rank quantile (the smallest value with at least q of the set at
 * or below it): always a value that occurred, and exact for small sets,
 * where interpolation would invent delays nobody measured.
 */
static int64_t nearest_rank(const int64_t *v, size_t n, unsigned percent)
{
	/* ceil(percent * n / 100) in integers: 0.99 * n in floating point can land above. */
	size_t rank = (percent * n + 99) / 100;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

void report_quantiles_from_sorted(ReportQuantiles *q, const int64_t *v, size_t n)
{
	memset(q, 0, sizeof(*q));
	q->n = n;
	if (n == 0)
		return;
	q->p50 = nearest_rank(v, n, 50);
	q->p99 = nearest_rank(v, n, 99);
	q->max = v[n - 1];
	for (size_t i = 0; i < n; i++)
		q->sum_ns += (double)v[i];
}

static void quantiles_of(ReportQuantiles *q, const GArray *sorted)
{
	report_quantiles_from_sorted(q, (const int64_t *)(const void *)sorted->data, sorted->len);
}

/* "func+0x1a" when symbolised, the raw address otherwise. */
static char *site_label(sqlite3_stmt *st, int site_col, int ip_col)
{
	const unsigned char *site = sqlite3_column_text(st, site_col);

	if (site && *site)
		return g_strdup((const char *)site);
	if (sqlite3_column_type(st, ip_col) != SQLITE_NULL && sqlite3_column_int64(st, ip_col))
		/* ip is a u64 stored in SQLite's signed 64-bit integer. */
		return g_strdup_printf("0x%" PRIx64, (uint64_t)sqlite3_column_int64(st, ip_col));
	return g_strdup("(unknown site)");
}

/* ---- meta: the trace's span, environment and event counts ---- */

/* How a fact's meta value reads in a report. */
typedef enum FactFormat {
	FACT_TEXT,
	FACT_DURATION, /* ns -> "1.0 ms" */
	FACT_PERMILLE, /* 500 -> "50.0%" */
	FACT_YES_NO,   /* 0/1 */
} FactFormat;

/*
 * Trace facts worth a line in the summary, in display order (meta keys of
 * cli/replay-meta.c; env.* comes from the CTF metadata).
 */
static const struct {
	const char *key;
	const char *label;
	FactFormat format;
} env_keys[] = {
	{ "env.hostname", "host", FACT_TEXT },
	{ "env.kernel_release", "kernel", FACT_TEXT },
	{ "env.domain", "domain", FACT_TEXT },
	{ "env.tracer_name", "tracer", FACT_TEXT },
	{ "env.procname", "process", FACT_TEXT },
	{ "trace.0.name", "trace", FACT_TEXT },
	{ "traces", "traces", FACT_TEXT },
	{ "symbolised", "symbolised", FACT_YES_NO },
	{ "options.stale_threshold_ns", "stale after", FACT_DURATION },
	{ "options.full_threshold_ns", "full after", FACT_DURATION },
	{ "options.full_permille", "full above", FACT_PERMILLE },
};

static char *fact_value(FactFormat format, const char *v)
{
	g_autoptr(GString) out = NULL;

	switch (format) {
	case FACT_DURATION:
		out = g_string_new(NULL);
		report_append_duration(out, g_ascii_strtoll(v, NULL, 10));
		return g_string_free(g_steal_pointer(&out), FALSE);
	case FACT_PERMILLE:
		return g_strdup_printf("%.1f%% of the device",
				       (double)g_ascii_strtoll(v, NULL, 10) / 10.0);
	case FACT_YES_NO:
		return g_strdup(g_ascii_strtoll(v, NULL, 10) ? "yes" : "no");
	case FACT_TEXT:
		break;
	}
	return g_strdup(v);
}

/* Every meta row with a value, key -> value. */
static GHashTable *read_meta(sqlite3 *db, GError **error)
{
	g_autoptr(GHashTable) meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	sqlite3_stmt *st = report_db_prepare(db, "SELECT key, value FROM meta ORDER BY key", error);
	int rc;

	if (!st)
		return NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL ||
		    sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue; /* NULL means "not known": as good as absent */
		g_hash_table_insert(meta, report_db_text(st, 0), report_db_text(st, 1));
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return NULL;
	return g_steal_pointer(&meta);
}

static void env_from_meta(Report *r, GHashTable *meta)
{
	for (size_t i = 0; i < G_N_ELEMENTS(env_keys); i++) {
		const char *v = g_hash_table_lookup(meta, env_keys[i].key);
		ReportFact *f;

		if (!v)
			continue;
		f = g_new0(ReportFact, 1);
		f->label = env_keys[i].label;
		f->key = env_keys[i].key;
		f->value = fact_value(env_keys[i].format, v);
		g_ptr_array_add(r->env, f);
	}
}

static void add_event_count(Report *r, char *name, int64_t n)
{
	ReportCount *c = g_new0(ReportCount, 1);

	c->name = name;
	c->n = n;
	r->events_total += n;
	g_ptr_array_add(r->events, c);
}

/* Events per kind from meta, or from the events table when meta has none. */
static bool load_event_counts(Report *r, sqlite3 *db, GHashTable *meta, GError **error)
{
	sqlite3_stmt *st;
	const char *v;
	int rc;

	/* Event kinds in schema order, so the summary reads like DESIGN.md §3. */
	for (int k = 0; k < _EVENT_KIND_MAX; k++) {
		g_autofree char *key = g_strconcat("events.", event_kind_name((EventKind)k), NULL);

		v = g_hash_table_lookup(meta, key);
		if (v)
			add_event_count(r, g_strdup(event_kind_name((EventKind)k)),
					g_ascii_strtoll(v, NULL, 10));
	}
	v = g_hash_table_lookup(meta, "events.swap");
	if (v)
		r->events_total = g_ascii_strtoll(v, NULL, 10);
	if (r->events->len)
		return true;
	st = report_db_prepare(db, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind",
			       error);
	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_event_count(r, report_db_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* The trace's span from meta or, for a trace without timestamps, from the records. */
static bool load_span(Report *r, sqlite3 *db, GHashTable *meta, GError **error)
{
	const char *first = g_hash_table_lookup(meta, "first_ts_ns");
	const char *last = g_hash_table_lookup(meta, "last_ts_ns");
	sqlite3_stmt *st;
	int rc;

	if (first && last) {
		r->begin_ts_ns = g_ascii_strtoll(first, NULL, 10);
		r->end_ts_ns = g_ascii_strtoll(last, NULL, 10);
		return true;
	}
	st = report_db_prepare(db,
			       "SELECT min(b), max(e) FROM ("
			       " SELECT min(alloc_ts_ns) AS b, max(max(coalesce(free_ts_ns, 0),"
			       "  coalesce(alloc_ts_ns, 0))) AS e FROM lifetimes"
			       " UNION ALL SELECT min(start_ts_ns), max(end_ts_ns) FROM retention"
			       " UNION ALL SELECT min(ts_ns), max(ts_ns) FROM findings"
			       " UNION ALL SELECT min(ts_ns), max(ts_ns) FROM races)",
			       error);
	if (!st)
		return false;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->begin_ts_ns = report_db_int(st, 0, 0);
		r->end_ts_ns = report_db_int(st, 1, r->begin_ts_ns);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* Was the replay run with --events (meta options.events, else: has the table rows)? */
static bool load_events_stored(Report *r, sqlite3 *db, GHashTable *meta, GError **error)
{
	const char *v = g_hash_table_lookup(meta, "options.events");
	sqlite3_stmt *st;
	int rc;

	if (v) {
		r->events_stored = g_ascii_strtoll(v, NULL, 10) != 0;
		return true;
	}
	st = report_db_prepare(db, "SELECT EXISTS (SELECT 1 FROM events)", error);
	if (!st)
		return false;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->events_stored = sqlite3_column_int(st, 0) != 0;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

static bool load_keeps(Report *r, sqlite3 *db, GHashTable *meta, GError **error);

static bool load_meta(Report *r, sqlite3 *db, GError **error)
{
	g_autoptr(GHashTable) meta = read_meta(db, error);

	if (!meta)
		return false;
	env_from_meta(r, meta);
	return load_events_stored(r, db, meta, error) && load_event_counts(r, db, meta, error) &&
	       load_span(r, db, meta, error) && load_keeps(r, db, meta, error);
}

/* ---- devices and slots ---- */

static bool load_devices(Report *r, sqlite3 *db, GError **error)
{
	sqlite3_stmt *st;
	int rc;

	st = report_db_prepare(
		db,
		"SELECT d.type, d.nr_slots, d.slots_touched, d.max_in_use,"
		" (SELECT count(*) FROM slots s WHERE s.type = d.type AND s.allocated)"
		" FROM devices d ORDER BY d.type",
		error);
	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportDevice *d = g_new0(ReportDevice, 1);

		d->type = sqlite3_column_int64(st, 0);
		d->nr_slots = report_db_int(st, 1, -1);
		d->slots_touched = sqlite3_column_int64(st, 2);
		d->max_in_use = sqlite3_column_int64(st, 3);
		d->in_use_end = sqlite3_column_int64(st, 4);
		g_ptr_array_add(r->devices, d);
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return false;

	st = report_db_prepare(
		db,
		"SELECT count(*), coalesce(sum(known), 0), coalesce(sum(allocated), 0),"
		" coalesce(sum(cache_pfn IS NOT NULL), 0), (SELECT count(*) FROM lifetimes)"
		" FROM slots",
		error);
	if (!st)
		return false;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->slots = sqlite3_column_int64(st, 0);
		r->slots_known = sqlite3_column_int64(st, 1);
		r->slots_allocated = sqlite3_column_int64(st, 2);
		r->slots_cached = sqlite3_column_int64(st, 3);
		r->lifetimes = sqlite3_column_int64(st, 4);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* ---- rules ---- */

/* Severity order (error first); a severity this version does not know comes last. */
static int severity_rank(const char *name)
{
	Severity s = severity_from_name(name);

	return s < 0 ? _SEVERITY_MAX : (int)s;
}

static bool load_rules(Report *r, sqlite3 *db, GError **error)
{
	sqlite3_stmt *st, *ex;
	int rc;

	/*
	 * rule_stats has every rule that was checked, findings has every
	 * finding; a rule in findings but not in rule_stats still counts.
	 */
	st = report_db_prepare(
		db,
		"WITH f AS (SELECT rule, min(severity) AS severity, count(*) AS n,"
		"  min(ts_ns) AS first FROM findings GROUP BY rule)"
		" SELECT s.rule, s.severity, max(s.findings, coalesce(f.n, 0)), s.unverified,"
		"  f.first FROM rule_stats s LEFT JOIN f ON f.rule = s.rule"
		" UNION ALL"
		" SELECT f.rule, f.severity, f.n, 0, f.first FROM f"
		"  WHERE f.rule NOT IN (SELECT rule FROM rule_stats)"
		" ORDER BY 1",
		error);
	if (!st)
		return false;
	ex = report_db_prepare(
		db, "SELECT message FROM findings WHERE rule = ? ORDER BY id LIMIT 3", error);
	if (!ex) {
		sqlite3_finalize(st);
		return false;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportRule *rule = g_new0(ReportRule, 1);
		int rank;

		rule->rule = report_db_text(st, 0);
		rule->severity = report_db_text(st, 1);
		rule->findings = sqlite3_column_int64(st, 2);
		rule->unverified = sqlite3_column_int64(st, 3);
		rule->first_ts_ns = report_db_int(st, 4, 0);
		rule->examples = g_ptr_array_new_with_free_func(g_free);
		rank = severity_rank(rule->severity);
		if (rank < _SEVERITY_MAX)
			r->findings_by_severity[rank] += rule->findings;
		r->unverified_total += rule->unverified;
		sqlite3_bind_text(ex, 1, rule->rule, -1, SQLITE_STATIC);
		while (sqlite3_step(ex) == SQLITE_ROW)
			g_ptr_array_add(rule->examples, report_db_text(ex, 0));
		sqlite3_reset(ex);
		g_ptr_array_add(r->rules, rule);
	}
	sqlite3_finalize(ex);
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

static gint rule_cmp(gconstpointer a, gconstpointer b)
{
	const ReportRule *x = *(ReportRule *const *)a, *y = *(ReportRule *const *)b;
	int d = severity_rank(x->severity) - severity_rank(y->severity);

	return d ? d : strcmp(x->rule, y->rule);
}

/* ---- retention ---- */

/* retention_by_verdict: intervals, slot-time, still open and truncated per verdict. */
static bool load_retention_totals(Report *r, sqlite3 *db, GError **error)
{
	sqlite3_stmt *st =
		report_db_prepare(db,
				  "SELECT verdict, intervals, slot_ns, still_open, truncated"
				  " FROM retention_by_verdict ORDER BY verdict",
				  error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		RetentionVerdict v =
			retention_verdict_from_name((const char *)sqlite3_column_text(st, 0));

		if (v < 0)
			continue; /* a verdict this version does not know: not counted */
		r->retention_n[v] = sqlite3_column_int64(st, 1);
		r->retention_ns[v] = sqlite3_column_int64(st, 2);
		r->retention_open += sqlite3_column_int64(st, 3);
		r->retention_truncated += sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* Every interval's duration per verdict, ascending: quantiles and the HTML histogram. */
static bool load_retention_durations(Report *r, sqlite3 *db, GError **error)
{
	sqlite3_stmt *st = report_db_prepare(
		db, "SELECT verdict, duration_ns FROM retention ORDER BY verdict, duration_ns",
		error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		RetentionVerdict v =
			retention_verdict_from_name((const char *)sqlite3_column_text(st, 0));
		int64_t d = sqlite3_column_int64(st, 1);

		if (v >= 0)
			g_array_append_val(r->retention_durations[v], d);
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return false;
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
		quantiles_of(&r->retention_q[v], r->retention_durations[v]);
	return true;
}

/* Most wasted first; the name breaks ties so the order never depends on hashing. */
static gint cause_cmp(gconstpointer a, gconstpointer b)
{
	const ReportCause *x = *(ReportCause *const *)a, *y = *(ReportCause *const *)b;
	int64_t wx = report_add(x->stale_ns, x->full_ns), wy = report_add(y->stale_ns, y->full_ns);

	if (wx != wy)
		return wx > wy ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * retention_waste summed per label: the query yields (label parts...,
 * stale_ns, full_ns, intervals); label() turns a row into the name, and
 * rows with the same name (two raw addresses of one symbol) merge.
 */
static bool load_causes(sqlite3 *db, const char *sql, char *(*label)(sqlite3_stmt *st),
			GPtrArray *out, GError **error)
{
	g_autoptr(GHashTable) by_name = g_hash_table_new(g_str_hash, g_str_equal);
	sqlite3_stmt *st = report_db_prepare(db, sql, error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int ncol = sqlite3_column_count(st);
		g_autofree char *name = label(st);
		ReportCause *c = g_hash_table_lookup(by_name, name);

		if (!c) {
			c = g_new0(ReportCause, 1);
			c->name = g_steal_pointer(&name);
			g_hash_table_insert(by_name, c->name, c);
			g_ptr_array_add(out, c);
		}
		c->stale_ns = report_add(c->stale_ns, sqlite3_column_int64(st, ncol - 3));
		c->full_ns = report_add(c->full_ns, sqlite3_column_int64(st, ncol - 2));
		c->intervals = report_add(c->intervals, sqlite3_column_int64(st, ncol - 1));
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return false;
	g_ptr_array_sort(out, cause_cmp);
	return true;
}

static char *site_cause_label(sqlite3_stmt *st)
{
	return site_label(st, 0, 1);
}

static char *process_cause_label(sqlite3_stmt *st)
{
	const unsigned char *comm = sqlite3_column_text(st, 0);

	return g_strdup(comm && *comm ? (const char *)comm : "(procname not recorded)");
}

static char *device_cause_label(sqlite3_stmt *st)
{
	return g_strdup_printf("swap device %" PRId64, (int64_t)sqlite3_column_int64(st, 0));
}

/*
 * Saturating sums (views.sql.in): SQLite's sum() fails on int64 overflow,
 * which durations from a trace with absurd timestamps reach.
 */
#define WASTE_SUMS                                                                                 \
	" CAST(total(stale_ns) AS INTEGER), CAST(total(full_ns) AS INTEGER), count(*)"             \
	" FROM retention_waste"

static bool load_retention(Report *r, sqlite3 *db, GError **error)
{
	return load_retention_totals(r, db, error) && load_retention_durations(r, db, error) &&
	       load_causes(db,
			   "SELECT start_site, start_ip," WASTE_SUMS
			   " GROUP BY start_site, start_ip ORDER BY 1, 2",
			   site_cause_label, r->by_site, error) &&
	       load_causes(db, "SELECT procname," WASTE_SUMS " GROUP BY procname ORDER BY 1",
			   process_cause_label, r->by_process, error) &&
	       load_causes(db, "SELECT type," WASTE_SUMS " GROUP BY type ORDER BY 1",
			   device_cause_label, r->by_device, error);
}

/* ---- round trips and races ---- */

static gint site_cmp(gconstpointer a, gconstpointer b)
{
	const ReportSite *x = *(ReportSite *const *)a, *y = *(ReportSite *const *)b;

	if (x->q.n != y->q.n)
		return x->q.n > y->q.n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static gint int64_cmp(gconstpointer a, gconstpointer b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void garray_unref(gpointer p)
{
	g_array_unref(p);
}

static bool load_roundtrips(Report *r, sqlite3 *db, GError **error)
{
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(int64_t));
	/* label -> GArray of delays; one symbol may have several raw addresses */
	g_autoptr(GHashTable) by_site =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, garray_unref);
	GHashTableIter it;
	gpointer key, value;
	sqlite3_stmt *st;
	int rc;

	st = report_db_prepare(db, "SELECT site, ip, delay_ns FROM roundtrips ORDER BY id", error);
	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *name = site_label(st, 0, 1);
		GArray *delays = g_hash_table_lookup(by_site, name);
		int64_t d = sqlite3_column_int64(st, 2);

		if (!delays) {
			delays = g_array_new(FALSE, FALSE, sizeof(int64_t));
			g_hash_table_insert(by_site, name, delays);
		} else {
			g_free(name);
		}
		g_array_append_val(delays, d);
		g_array_append_val(all, d);
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return false;

	g_hash_table_iter_init(&it, by_site);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		ReportSite *s = g_new0(ReportSite, 1);
		GArray *delays = value;

		g_array_sort(delays, int64_cmp);
		s->name = g_strdup(key);
		quantiles_of(&s->q, delays);
		g_ptr_array_add(r->roundtrip_sites, s);
	}
	/* Hash order is arbitrary: the sort (count, then name) makes it stable. */
	g_ptr_array_sort(r->roundtrip_sites, site_cmp);
	g_array_sort(all, int64_cmp);
	quantiles_of(&r->roundtrip_q, all);
	return true;
}

static bool load_races(Report *r, sqlite3 *db, GError **error)
{
	g_autoptr(GArray) waits = g_array_new(FALSE, FALSE, sizeof(int64_t));
	sqlite3_stmt *st;
	int rc;

	st = report_db_prepare(db,
			       "SELECT count(*), coalesce(sum(winner_seq IS NULL), 0),"
			       " (SELECT count(*) FROM race_hotspots),"
			       " (SELECT coalesce(max(races), 0) FROM race_hotspots)"
			       " FROM races",
			       error);
	if (!st)
		return false;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->races = sqlite3_column_int64(st, 0);
		r->races_unmatched = sqlite3_column_int64(st, 1);
		r->race_slots = sqlite3_column_int64(st, 2);
		r->race_max_per_slot = sqlite3_column_int64(st, 3);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return false;

	st = report_db_prepare(db, "SELECT wait_ns FROM race_episodes ORDER BY wait_ns", error);
	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t w = sqlite3_column_int64(st, 0);

		g_array_append_val(waits, w);
	}
	sqlite3_finalize(st);
	if (!report_db_done(db, rc, error))
		return false;
	quantiles_of(&r->race_q, waits);
	return true;
}

/* ---- gaps ---- */

static bool load_gaps(Report *r, sqlite3 *db, GError **error)
{
	sqlite3_stmt *st = report_db_prepare(db,
					     "SELECT kind, stream, begin_ts_ns, end_ts_ns, count, "
					     "after_seq FROM gaps ORDER BY id",
					     error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportGap *g = g_new0(ReportGap, 1);

		g->kind = report_db_text(st, 0);
		g->stream = report_db_text(st, 1);
		g->begin_ts_ns = report_db_int(st, 2, INT64_MIN);
		g->end_ts_ns = report_db_int(st, 3, INT64_MIN);
		g->count = report_db_int(st, 4, -1);
		g->after_seq = report_db_int(st, 5, -1);
		if (g->count > 0 && gap_kind_from_name(g->kind) == GAP_DISCARDED_EVENTS)
			r->gap_events_lost += g->count;
		g_ptr_array_add(r->gaps, g);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* ---- write faults that kept the cache ---- */

static void report_keep_free(gpointer p)
{
	ReportKeep *k = p;

	g_free(k->reason);
	g_free(k->description);
	g_free(k);
}

static bool has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* write_fault_keeps; a database written before write_faults has none. */
static bool load_keeps(Report *r, sqlite3 *db, GHashTable *meta, GError **error)
{
	const char *total = meta ? g_hash_table_lookup(meta, "write_faults") : NULL;
	sqlite3_stmt *st;
	int rc;

	r->write_faults = total ? g_ascii_strtoll(total, NULL, 10) : -1;
	if (!has_table(db, "write_faults"))
		return true;
	st = report_db_prepare(db,
			       "SELECT reason, description, faults, in_place, in_place_per_mille,"
			       " intervals, slot_ns, stale_ns FROM write_fault_keeps"
			       " WHERE faults > 0 ORDER BY faults DESC, reason",
			       error);
	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportKeep *k = g_new0(ReportKeep, 1);

		k->reason = g_strdup((const char *)sqlite3_column_text(st, 0));
		k->description = g_strdup((const char *)sqlite3_column_text(st, 1));
		k->faults = sqlite3_column_int64(st, 2);
		k->in_place = sqlite3_column_int64(st, 3);
		k->in_place_per_mille = sqlite3_column_type(st, 4) == SQLITE_NULL
						? -1
						: sqlite3_column_double(st, 4);
		k->intervals = sqlite3_column_int64(st, 5);
		k->slot_ns = sqlite3_column_int64(st, 6);
		k->stale_ns = sqlite3_column_int64(st, 7);
		g_ptr_array_add(r->keeps, k);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

static Report *report_new(const char *path)
{
	Report *r = g_new0(Report, 1);

	r->path = g_strdup(path);
	r->env = g_ptr_array_new_with_free_func(report_fact_free);
	r->events = g_ptr_array_new_with_free_func(report_count_free);
	r->devices = g_ptr_array_new_with_free_func(g_free);
	r->rules = g_ptr_array_new_with_free_func(report_rule_free);
	r->by_site = g_ptr_array_new_with_free_func(report_cause_free);
	r->by_process = g_ptr_array_new_with_free_func(report_cause_free);
	r->by_device = g_ptr_array_new_with_free_func(report_cause_free);
	r->roundtrip_sites = g_ptr_array_new_with_free_func(report_site_free);
	r->gaps = g_ptr_array_new_with_free_func(report_gap_free);
	r->keeps = g_ptr_array_new_with_free_func(report_keep_free);
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
		r->retention_durations[v] = g_array_new(FALSE, FALSE, sizeof(int64_t));
	return r;
}

Report *report_load(const char *path, bool with_series, GError **error)
{
	ReportLoadOptions opts = { .series = with_series };

	return report_load_with(path, &opts, error);
}

Report *report_load_with(const char *path, const ReportLoadOptions *opts, GError **error)
{
	g_autoptr(Report) r = report_new(path);
	sqlite3 *db = report_db_open(path, error);
	bool ok;

	if (!db)
		return NULL;
	ok = load_meta(r, db, error) && load_devices(r, db, error) && load_rules(r, db, error) &&
	     load_retention(r, db, error) && load_roundtrips(r, db, error) &&
	     load_races(r, db, error) && load_gaps(r, db, error) &&
	     (!opts->series || report_load_series(r, db, error)) &&
	     (!opts->slots || report_load_slots(r, db, opts, error));
	sqlite3_close(db);
	if (!ok)
		return NULL;
	g_ptr_array_sort(r->rules, rule_cmp);
	g_debug("'%s': %u rules, %" PRId64 " slots, %" PRId64 " races, %u gaps", path,
		r->rules->len, r->slots, r->races, r->gaps->len);
	return g_steal_pointer(&r);
}
