/*
 * The series the HTML page plots over time (Report.lifetime_spans,
 * .retention_spans, ReportRule.stamps), read with the rest of the Report
 * when the page is asked for: the page itself never reads the database.
 */
#include "report.h"

#include "report-db.h"

#include "banned.h"

/* [begin, end) of every row of sql (two columns; NULL: INT64_MIN). */
static bool load_spans(sqlite3 *db, const char *sql, GArray *spans, GError **error)
{
	sqlite3_stmt *st = report_db_prepare(db, sql, error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const ReportSpan s = { report_db_int(st, 0, INT64_MIN),
				       report_db_int(st, 1, INT64_MIN) };

		g_array_append_val(spans, s);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

static bool load_retention_spans(Report *r, sqlite3 *db, GError **error)
{
	sqlite3_stmt *st = report_db_prepare(
		db, "SELECT verdict, start_ts_ns, end_ts_ns FROM retention ORDER BY id", error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		RetentionVerdict v =
			retention_verdict_from_name((const char *)sqlite3_column_text(st, 0));
		const ReportSpan s = { report_db_int(st, 1, INT64_MIN),
				       report_db_int(st, 2, INT64_MIN) };

		/* A verdict this version does not know is still retention: plotted as lazy. */
		g_array_append_val(r->retention_spans[v < 0 ? RETENTION_LAZY : v], s);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* Findings per rule and timestamp, onto the ReportRule of that name. */
static bool load_stamps(Report *r, sqlite3 *db, GError **error)
{
	g_autoptr(GHashTable) by_name = g_hash_table_new(g_str_hash, g_str_equal);
	sqlite3_stmt *st;
	int rc;

	for (guint i = 0; i < r->rules->len; i++) {
		ReportRule *rule = g_ptr_array_index(r->rules, i);

		rule->stamps = g_array_new(FALSE, FALSE, sizeof(ReportStamp));
		g_hash_table_insert(by_name, rule->rule, rule);
	}
	st = report_db_prepare(db,
			       "SELECT rule, ts_ns, count(*) FROM findings"
			       " GROUP BY rule, ts_ns ORDER BY rule, ts_ns",
			       error);
	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportRule *rule =
			g_hash_table_lookup(by_name, (const char *)sqlite3_column_text(st, 0));
		const ReportStamp stamp = { sqlite3_column_int64(st, 1),
					    sqlite3_column_int64(st, 2) };

		if (rule)
			g_array_append_val(rule->stamps, stamp);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

bool report_load_series(Report *r, sqlite3 *db, GError **error)
{
	r->lifetime_spans = g_array_new(FALSE, FALSE, sizeof(ReportSpan));
	for (int v = 0; v < _RETENTION_VERDICT_MAX; v++)
		r->retention_spans[v] = g_array_new(FALSE, FALSE, sizeof(ReportSpan));
	return load_spans(db, "SELECT alloc_ts_ns, free_ts_ns FROM lifetimes ORDER BY rowid",
			  r->lifetime_spans, error) &&
	       load_retention_spans(r, db, error) && load_stamps(r, db, error);
}
