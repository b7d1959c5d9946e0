/*
 * Slot timelines, read with the rest of the Report when the export or the
 * HTML page's slot sections ask for them (report_load_with() slots): the
 * findings, the slots worth a timeline with everything the database says
 * about each (lifetimes, retention, findings and, with `replay --events`,
 * its events and the folio bindings they show), and per device the spans
 * the export's counter tracks sweep.  Formatting code reads these only.
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "event-schema.h"
#include "report-db.h"

#include "banned.h"

static void slot_retention_free(gpointer p)
{
	ReportSlotRetention *x = p;

	g_free(x->verdict);
	g_free(x->start_site);
	g_free(x->end_site);
	g_free(x->procname);
	g_free(x);
}

static void finding_free(gpointer p)
{
	ReportFinding *f = p;

	g_free(f->rule);
	g_free(f->severity);
	g_free(f->message);
	g_free(f->site);
	g_free(f->procname);
	g_free(f);
}

static void slot_event_free(gpointer p)
{
	ReportSlotEvent *e = p;

	g_free(e->kind);
	g_free(e->procname);
	g_free(e);
}

static void slot_free(gpointer p)
{
	ReportSlot *s = p;

	g_array_unref(s->lives);
	g_ptr_array_unref(s->retention);
	g_ptr_array_unref(s->findings_list);
	g_clear_pointer(&s->events, g_ptr_array_unref);
	g_array_unref(s->bindings);
	g_free(s);
}

static void device_spans_free(gpointer p)
{
	ReportDeviceSpans *d = p;

	g_array_unref(d->in_use);
	g_array_unref(d->cached_zero);
	g_free(d);
}

void report_slots_free(Report *r)
{
	g_clear_pointer(&r->slot_tracks, g_ptr_array_unref);
	g_clear_pointer(&r->slot_by_key, g_hash_table_unref);
	g_clear_pointer(&r->findings, g_ptr_array_unref);
	g_clear_pointer(&r->device_spans, g_ptr_array_unref);
}

const ReportSlot *report_slot(const Report *r, int64_t type, int64_t offset)
{
	g_autofree char *key = NULL;

	if (!r->slot_by_key)
		return NULL;
	key = g_strdup_printf("%" PRId64 ":%" PRId64, type, offset);
	return g_hash_table_lookup(r->slot_by_key, key);
}

/* ---- which slots ---- */

static ReportSlot *slot_new(int64_t type, int64_t offset)
{
	ReportSlot *s = g_new0(ReportSlot, 1);

	s->type = type;
	s->offset = offset;
	s->lives = g_array_new(FALSE, FALSE, sizeof(ReportSlotLife));
	s->retention = g_ptr_array_new_with_free_func(slot_retention_free);
	s->findings_list = g_ptr_array_new();
	s->bindings = g_array_new(FALSE, FALSE, sizeof(ReportBinding));
	return s;
}

/*
 * The slots with a finding or with stale or full slot-time
 * (retention_waste, the one definition of waste), most telling first:
 * by their worst finding's severity, then their first finding, then the
 * slot-time they wasted; (type, offset) breaks every tie.
 */
static bool select_slots(Report *r, sqlite3 *db, unsigned max_slots, GError **error)
{
	g_autofree char *sql = g_strdup_printf(
		"WITH f AS (SELECT type, offset, count(*) AS n, min(seq) AS first_seq,"
		"  min(CASE severity WHEN '%s' THEN 0 WHEN '%s' THEN 1 ELSE 2 END) AS rank"
		"  FROM findings GROUP BY type, offset),"
		" w AS (SELECT r.type, r.offset, sum(w.stale_ns + w.full_ns) AS wasted"
		"  FROM retention_waste AS w JOIN retention AS r USING (id)"
		"  GROUP BY r.type, r.offset),"
		" s AS (SELECT type, offset FROM f UNION SELECT type, offset FROM w)"
		" SELECT s.type, s.offset, coalesce(f.n, 0), coalesce(w.wasted, 0)"
		" FROM s LEFT JOIN f USING (type, offset) LEFT JOIN w USING (type, offset)"
		" ORDER BY f.rank IS NULL, f.rank, f.first_seq, w.wasted DESC, s.type, s.offset",
		severity_name(SEVERITY_ERROR), severity_name(SEVERITY_WARNING));
	sqlite3_stmt *st = report_db_prepare(db, sql, error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportSlot *s;

		r->slot_tracks_total++;
		if (max_slots && r->slot_tracks->len >= max_slots)
			continue;
		s = slot_new(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
		s->findings = sqlite3_column_int64(st, 2);
		s->wasted_ns = sqlite3_column_int64(st, 3);
		g_ptr_array_add(r->slot_tracks, s);
		g_hash_table_insert(r->slot_by_key,
				    g_strdup_printf("%" PRId64 ":%" PRId64, s->type, s->offset), s);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* ---- findings ---- */

/* Does the table have the column?  (Databases of older replays lack some.) */
static bool has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* "symbol+0xoff" from a site column, else the raw address in hex, else NULL. */
static char *site_or_address(sqlite3_stmt *st, int site_col, int ip_col)
{
	const unsigned char *site = site_col >= 0 ? sqlite3_column_text(st, site_col) : NULL;

	if (site && *site)
		return g_strdup((const char *)site);
	if (sqlite3_column_type(st, ip_col) != SQLITE_NULL && sqlite3_column_int64(st, ip_col))
		return g_strdup_printf("0x%" PRIx64, (uint64_t)sqlite3_column_int64(st, ip_col));
	return NULL;
}

/*
 * Every finding in id order (as the replay reported it): the first max_findings are
 * the listing, later ones are kept only for a slot track.  Who broke the
 * rule comes from findings' own site, tid and procname columns when the
 * replay wrote them, else from the proving event in `events`.
 */
static bool load_findings(Report *r, sqlite3 *db, unsigned max_findings, GError **error)
{
	/* Schema version 2 findings name their proving event's ip, site, tid, procname. */
	bool own = has_column(db, "findings", "site") && has_column(db, "findings", "ip");
	g_autofree char *sql = g_strdup_printf(
		"SELECT f.id, f.rule, f.severity, f.message, f.type, f.offset, f.nr, f.seq,"
		" f.ts_ns, f.setup_seq, %s, %s, %s, %s"
		" FROM findings AS f LEFT JOIN events AS e ON e.seq = f.seq ORDER BY f.id",
		own ? "f.site" : "NULL", own ? "coalesce(f.ip, e.ip)" : "e.ip",
		own ? "coalesce(f.tid, e.tid)" : "e.tid",
		own ? "coalesce(f.procname, e.procname)" : "e.procname");
	sqlite3_stmt *st = report_db_prepare(db, sql, error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bool listed = !max_findings || r->findings_total < (int64_t)max_findings;
		ReportSlot *slot = (ReportSlot *)report_slot(r, sqlite3_column_int64(st, 4),
							     sqlite3_column_int64(st, 5));
		ReportFinding *f;

		r->findings_total++;
		if (!listed && !slot)
			continue;
		f = g_new0(ReportFinding, 1);
		f->id = sqlite3_column_int64(st, 0);
		f->rule = report_db_text(st, 1);
		f->severity = report_db_text(st, 2);
		f->message = report_db_text(st, 3);
		f->type = sqlite3_column_int64(st, 4);
		f->offset = sqlite3_column_int64(st, 5);
		f->nr = sqlite3_column_int64(st, 6);
		f->seq = sqlite3_column_int64(st, 7);
		f->ts_ns = sqlite3_column_int64(st, 8);
		f->setup_seq = report_db_int(st, 9, -1);
		f->site = site_or_address(st, 10, 11);
		f->tid = report_db_int(st, 12, -1);
		f->procname = report_db_text(st, 13);
		g_ptr_array_add(r->findings, f);
		if (listed)
			r->findings_listed++;
		if (slot)
			g_ptr_array_add(slot->findings_list, f);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

/* ---- one slot's lifetimes, retention and events ---- */

typedef struct SlotQueries {
	sqlite3_stmt *lives, *retention, *events;
} SlotQueries;

static void slot_queries_clear(SlotQueries *q)
{
	g_clear_pointer(&q->lives, sqlite3_finalize);
	g_clear_pointer(&q->retention, sqlite3_finalize);
	g_clear_pointer(&q->events, sqlite3_finalize);
}

static bool slot_queries_init(SlotQueries *q, sqlite3 *db, bool events, GError **error)
{
	/* Databases of schema version 1 have no cache_move or cache_split. */
	bool v2 = events && has_column(db, "slot_history", "new_pfn");
	g_autofree char *events_sql =
		g_strdup_printf("SELECT seq, ts_ns, kind, range_offset, nr, pfn, count, ret, flags,"
				" cpu, tid, procname, ip, %s FROM slot_history"
				" WHERE type = ?1 AND slot = ?2 ORDER BY seq",
				v2 ? "new_pfn, new_nr" : "NULL, NULL");

	memset(q, 0, sizeof(*q));
	q->lives = report_db_prepare(db,
				     "SELECT alloc_ts_ns, free_ts_ns, alloc_seq, free_seq,"
				     " max_count, swapins FROM lifetimes"
				     " WHERE type = ?1 AND offset = ?2 ORDER BY rowid",
				     error);
	if (q->lives)
		q->retention = report_db_prepare(
			db,
			"SELECT start_ts_ns, end_ts_ns, start_seq, end_seq, verdict, pfn,"
			" written, truncated, start_site, start_ip, end_site, end_ip, procname, tid"
			" FROM retention WHERE type = ?1 AND offset = ?2 ORDER BY id",
			error);
	if (q->retention && events)
		q->events = report_db_prepare(db, events_sql, error);
	if (!q->lives || !q->retention || (events && !q->events)) {
		slot_queries_clear(q);
		return false;
	}
	return true;
}

static void bind_slot(sqlite3_stmt *st, const ReportSlot *s)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, s->type);
	sqlite3_bind_int64(st, 2, s->offset);
}

static bool load_lives(ReportSlot *s, sqlite3 *db, sqlite3_stmt *st, GError **error)
{
	int rc;

	bind_slot(st, s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const ReportSlotLife l = {
			.alloc_ts_ns = report_db_int(st, 0, INT64_MIN),
			.free_ts_ns = report_db_int(st, 1, INT64_MIN),
			.alloc_seq = report_db_int(st, 2, -1),
			.free_seq = report_db_int(st, 3, -1),
			.max_count = sqlite3_column_int64(st, 4),
			.swapins = sqlite3_column_int64(st, 5),
		};

		g_array_append_val(s->lives, l);
	}
	return report_db_done(db, rc, error);
}

static bool load_slot_retention(ReportSlot *s, sqlite3 *db, sqlite3_stmt *st, GError **error)
{
	int rc;

	bind_slot(st, s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportSlotRetention *x = g_new0(ReportSlotRetention, 1);

		x->start_ts_ns = sqlite3_column_int64(st, 0);
		x->end_ts_ns = sqlite3_column_int64(st, 1);
		x->start_seq = sqlite3_column_int64(st, 2);
		x->end_seq = report_db_int(st, 3, -1);
		x->verdict = report_db_text(st, 4);
		x->pfn = sqlite3_column_int64(st, 5);
		x->written = sqlite3_column_int(st, 6) != 0;
		x->truncated = sqlite3_column_int(st, 7) != 0;
		x->start_site = site_or_address(st, 8, 9);
		x->end_site = site_or_address(st, 10, 11);
		x->procname = report_db_text(st, 12);
		x->tid = report_db_int(st, 13, -1);
		g_ptr_array_add(s->retention, x);
	}
	return report_db_done(db, rc, error);
}

static bool load_slot_events(ReportSlot *s, sqlite3 *db, sqlite3_stmt *st, GError **error)
{
	int rc;

	s->events = g_ptr_array_new_with_free_func(slot_event_free);
	bind_slot(st, s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportSlotEvent *e = g_new0(ReportSlotEvent, 1);

		e->seq = sqlite3_column_int64(st, 0);
		e->ts_ns = sqlite3_column_int64(st, 1);
		e->kind = report_db_text(st, 2);
		e->range_offset = sqlite3_column_int64(st, 3);
		e->nr = sqlite3_column_int64(st, 4);
		e->pfn = report_db_int(st, 5, -1);
		e->count = report_db_int(st, 6, INT64_MIN);
		e->ret = report_db_int(st, 7, INT64_MIN);
		e->flags = report_db_int(st, 8, -1);
		e->cpu = report_db_int(st, 9, -1);
		e->tid = report_db_int(st, 10, -1);
		e->procname = report_db_text(st, 11);
		e->ip = report_db_int(st, 12, 0);
		e->new_pfn = report_db_int(st, 13, -1);
		e->new_nr = report_db_int(st, 14, -1);
		g_ptr_array_add(s->events, e);
	}
	return report_db_done(db, rc, error);
}

/* ---- folio bindings, as the slot's events show them ---- */

/*
 * The folio caching the slot after event e, given the one before (0:
 * none), as DESIGN.md §3 and event schema v2 define them: entry_alloc
 * binds the folio it allocated for, a successful swap-in cache_add binds
 * its folio, cache_del, entry_free and device_off end the binding,
 * cache_move passes it to new_pfn, cache_split to the new folio holding
 * this slot's page, and a state dump line says which folio caches it.
 * NEEDSWORK: a state line pinned by a folio the dump cannot see (pfn 0,
 * pinned) is drawn as not cached.
 */
static int64_t binding_after(const ReportSlot *s, const ReportSlotEvent *e, int64_t before)
{
	int64_t i = s->offset - e->range_offset;

	switch (event_kind_from_name(e->kind)) {
	case EVENT_ENTRY_ALLOC:
		return e->pfn > 0 ? e->pfn : before;
	case EVENT_CACHE_ADD:
		return e->ret == 0 && e->pfn > 0 ? e->pfn : before;
	case EVENT_CACHE_DEL:
	case EVENT_ENTRY_FREE:
	case EVENT_DEVICE_OFF:
		return 0;
	case EVENT_STATE:
		return e->nr > 0 ? MAX(e->pfn, 0) : before;
	case EVENT_CACHE_MOVE:
		return e->new_pfn > 0 ? e->new_pfn : before;
	case EVENT_CACHE_SPLIT:
		return e->new_nr > 0 && e->pfn > 0 ? e->pfn + i - i % e->new_nr : before;
	default:
		return before;
	}
}

static void close_binding(ReportSlot *s, ReportBinding *open, int64_t ts, int64_t seq)
{
	if (open->pfn <= 0)
		return;
	open->end_ts_ns = ts;
	open->end_seq = seq;
	g_array_append_val(s->bindings, *open);
	open->pfn = 0;
}

static void derive_bindings(ReportSlot *s, int64_t end_ts_ns)
{
	ReportBinding open = { 0 };

	for (guint i = 0; i < s->events->len; i++) {
		const ReportSlotEvent *e = g_ptr_array_index(s->events, i);
		int64_t pfn = binding_after(s, e, open.pfn);

		if (pfn == open.pfn)
			continue;
		close_binding(s, &open, e->ts_ns, e->seq);
		if (pfn > 0)
			open = (ReportBinding){ .begin_ts_ns = e->ts_ns,
						.begin_seq = e->seq,
						.pfn = pfn };
	}
	close_binding(s, &open, MAX(end_ts_ns, open.begin_ts_ns), -1);
}

static bool load_slot_tracks(Report *r, sqlite3 *db, GError **error)
{
	SlotQueries q;
	bool ok = true;

	if (!slot_queries_init(&q, db, r->events_stored, error))
		return false;
	for (guint i = 0; ok && i < r->slot_tracks->len; i++) {
		ReportSlot *s = g_ptr_array_index(r->slot_tracks, i);

		ok = load_lives(s, db, q.lives, error) &&
		     load_slot_retention(s, db, q.retention, error) &&
		     (!q.events || load_slot_events(s, db, q.events, error));
		if (ok && s->events)
			derive_bindings(s, r->end_ts_ns);
	}
	slot_queries_clear(&q);
	return ok;
}

/* ---- per device: what the counter tracks sweep ---- */

static ReportDeviceSpans *device_spans(Report *r, int64_t type)
{
	ReportDeviceSpans *d;

	for (guint i = 0; i < r->device_spans->len; i++) {
		d = g_ptr_array_index(r->device_spans, i);
		if (d->type == type)
			return d;
	}
	d = g_new0(ReportDeviceSpans, 1);
	d->type = type;
	d->in_use = g_array_new(FALSE, FALSE, sizeof(ReportSpan));
	d->cached_zero = g_array_new(FALSE, FALSE, sizeof(ReportSpan));
	g_ptr_array_add(r->device_spans, d);
	return d;
}

/* Rows (type, begin, end) of sql, onto each device's in_use or cached_zero. */
static bool load_device_spans(Report *r, sqlite3 *db, const char *sql, bool in_use, GError **error)
{
	sqlite3_stmt *st = report_db_prepare(db, sql, error);
	int rc;

	if (!st)
		return false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportDeviceSpans *d = device_spans(r, sqlite3_column_int64(st, 0));
		const ReportSpan sp = { report_db_int(st, 1, INT64_MIN),
					report_db_int(st, 2, INT64_MIN) };

		g_array_append_val(in_use ? d->in_use : d->cached_zero, sp);
	}
	sqlite3_finalize(st);
	return report_db_done(db, rc, error);
}

bool report_load_slots(Report *r, sqlite3 *db, const ReportLoadOptions *opts, GError **error)
{
	r->findings = g_ptr_array_new_with_free_func(finding_free);
	r->slot_tracks = g_ptr_array_new_with_free_func(slot_free);
	r->slot_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->device_spans = g_ptr_array_new_with_free_func(device_spans_free);
	/* Devices in type order, each present even without a lifetime. */
	for (guint i = 0; i < r->devices->len; i++)
		device_spans(r, ((const ReportDevice *)g_ptr_array_index(r->devices, i))->type);
	return select_slots(r, db, opts->max_slots, error) &&
	       load_findings(r, db, opts->max_findings, error) && load_slot_tracks(r, db, error) &&
	       load_device_spans(r, db,
				 "SELECT type, alloc_ts_ns, free_ts_ns FROM lifetimes"
				 " ORDER BY type, rowid",
				 true, error) &&
	       load_device_spans(r, db,
				 "SELECT type, start_ts_ns, CASE WHEN end_seq IS NULL AND NOT"
				 " truncated THEN NULL ELSE end_ts_ns END FROM retention"
				 " ORDER BY type, id",
				 false, error);
}
