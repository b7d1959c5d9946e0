/*
 * slot_history (schema/views.sql.in) on a database the writer made from
 * hand-made events: for every slot, exactly the events whose range
 * [offset, offset + nr) covers it, in seq order, whichever way they were
 * stored (chained through event_heads, events.prev_seq and event_links, or
 * listed as spans in event_spans), and found without a scan of events.
 * The events are made to hit each case: ranges whose slots have different
 * previous events, ranges across a chain page (256 slots) and a span
 * bucket (512), a state dump's free run and a range over 512 slots (spans),
 * two devices with the same offsets.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "analyzer.h"
#include "db-writer.h"

typedef struct Fixture {
	GArray *events; /* Event */
} Fixture;

static void add(Fixture *f, EventKind kind, uint32_t type, uint64_t offset, uint32_t nr,
		uint64_t pfn, int32_t count)
{
	Event e = {
		.seq = f->events->len,
		.ts_ns = 1000 + 10 * (int64_t)f->events->len,
		.kind = kind,
		.type = type,
		.offset = offset,
		.nr = nr,
		.pfn = pfn,
		.count = count,
		.tid = 7,
		.cpu = 0,
		.procname = "test",
	};

	if (kind == EVENT_DEVICE_ON || kind == EVENT_STATE_BEGIN) {
		e.nr_slots = offset;
		e.cluster_size = nr;
		e.offset = 0;
		e.nr = 0;
	}
	if (kind == EVENT_CACHE_SPLIT)
		e.new_nr = 1;
	g_array_append_val(f->events, e);
}

static void make_events(Fixture *f)
{
	f->events = g_array_new(FALSE, TRUE, sizeof(Event));
	add(f, EVENT_STATE_BEGIN, 0, 4096, 512, 0, 0);
	/* A dump: used runs and free runs (spans), one of 1024 slots across buckets 0 and 1. */
	add(f, EVENT_STATE, 0, 0, 1024, 0, 0);
	add(f, EVENT_STATE, 0, 1024, 16, 0x100, 1);
	add(f, EVENT_STATE, 0, 1040, 4096 - 1040, 0, 0);
	add(f, EVENT_STATE_END, 0, 0, 0, 0, 0);
	add(f, EVENT_DEVICE_ON, 1, 4096, 512, 0, 0);
	/* A large folio, split, its slots then going their own ways. */
	add(f, EVENT_ENTRY_ALLOC, 0, 240, 32, 0x200, 0); /* across the chain page at 256 */
	add(f, EVENT_ENTRY_DUP, 0, 240, 32, 0x200, 1);
	add(f, EVENT_CACHE_SPLIT, 0, 240, 32, 0x200, 0);
	add(f, EVENT_ENTRY_PUT, 0, 250, 1, 0x20a, 0);
	add(f, EVENT_ENTRY_DUP, 0, 256, 4, 0x210, 1);
	add(f, EVENT_ENTRY_PUT, 0, 240, 32, 0, 0); /* slots with three different predecessors */
	add(f, EVENT_CACHE_DEL, 0, 240, 32, 0x200, 0);
	add(f, EVENT_ENTRY_FREE, 0, 240, 32, 0, 0);
	/* The same offsets on another device. */
	add(f, EVENT_ENTRY_ALLOC, 1, 240, 16, 0x300, 0);
	add(f, EVENT_ENTRY_FREE, 1, 244, 4, 0, 0);
	/* Across the span bucket at 512. */
	add(f, EVENT_ENTRY_ALLOC, 0, 504, 16, 0x400, 0);
	add(f, EVENT_ENTRY_DUP, 0, 511, 2, 0, 2);
	add(f, EVENT_ENTRY_FREE, 0, 504, 16, 0, 0);
	/* Over 512 slots (a span), then a chained event inside it. */
	add(f, EVENT_ENTRY_ALLOC, 0, 2048, 1024, 0x800, 0);
	add(f, EVENT_ENTRY_DUP, 0, 2600, 1, 0xa28, 1);
	add(f, EVENT_CACHE_DEL, 0, 2048, 1024, 0x800, 0);
	add(f, EVENT_ENTRY_PUT, 0, 2600, 1, 0, 0);
	add(f, EVENT_ENTRY_FREE, 0, 2048, 1024, 0, 0);
	add(f, EVENT_ENTRY_ALLOC, 0, 2600, 1, 0x900, 0);
}

/* Writes f's events through the analyzer and the writer to path. */
static void write_db(Fixture *f, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(DbWriter) w = db_writer_new(path, true, true, &error);
	AnalyzerOptions opts;
	ReplayOutput out = { 0 };
	Analyzer *a;

	g_assert_no_error(error);
	db_writer_output(w, &out);
	analyzer_options_init(&opts);
	a = analyzer_new(&opts, &out);
	for (guint i = 0; i < f->events->len; i++) {
		const Event *e = &g_array_index(f->events, Event, i);

		analyzer_apply(a, e);
		g_assert_true(db_writer_event(w, e, &error));
		g_assert_no_error(error);
	}
	analyzer_finish(a, 1000000);
	g_assert_true(db_writer_meta_int(w, "first_ts_ns", 1000, &error));
	g_assert_true(db_writer_final_state(w, a, &error));
	g_assert_true(db_writer_commit(w, &error));
	g_assert_no_error(error);
	analyzer_free(a);
}

static bool covers(const Event *e, uint32_t type, uint64_t slot)
{
	bool range = e->kind != EVENT_DEVICE_ON && e->kind != EVENT_DEVICE_OFF &&
		     e->kind != EVENT_STATE_BEGIN && e->kind != EVENT_STATE_END &&
		     e->kind != EVENT_LAZYFREE;

	return range && e->type == type && e->offset <= slot && slot < e->offset + e->nr;
}

static void test_slot_history(void)
{
	Fixture f;
	g_autofree char *dir = g_dir_make_tmp("slot-history-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "out.db", NULL);
	sqlite3 *db;
	sqlite3_stmt *slots, *hist, *plan;
	unsigned n_slots = 0, n_rows = 0, n_wide = 0;
	bool scans = false;

	make_events(&f);
	write_db(&f, path);
	g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

	/* Both ways of storing an event are used, and links where slots differ. */
	{
		sqlite3_stmt *st;

		g_assert_cmpint(sqlite3_prepare_v2(db,
						   "SELECT (SELECT count(*) FROM event_spans),"
						   " (SELECT count(*) FROM event_links),"
						   " (SELECT count(*) FROM event_heads)",
						   -1, &st, NULL),
				==, SQLITE_OK);
		g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
		g_assert_cmpint(sqlite3_column_int(st, 0), >, 0);
		g_assert_cmpint(sqlite3_column_int(st, 1), >, 0);
		g_assert_cmpint(sqlite3_column_int(st, 2), >, 0);
		sqlite3_finalize(st);
	}

	g_assert_cmpint(sqlite3_prepare_v2(db,
					   "SELECT type, offset FROM slots ORDER BY type, offset",
					   -1, &slots, NULL),
			==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db,
					   "SELECT seq, range_offset, nr FROM slot_history"
					   " WHERE type = ? AND slot = ?",
					   -1, &hist, NULL),
			==, SQLITE_OK);
	while (sqlite3_step(slots) == SQLITE_ROW) {
		uint32_t type = (uint32_t)sqlite3_column_int(slots, 0);
		uint64_t slot = (uint64_t)sqlite3_column_int64(slots, 1);
		guint next = 0;

		n_slots++;
		sqlite3_bind_int(hist, 1, (int)type);
		sqlite3_bind_int64(hist, 2, (sqlite3_int64)slot);
		while (sqlite3_step(hist) == SQLITE_ROW) {
			uint64_t seq = (uint64_t)sqlite3_column_int64(hist, 0);

			/* The next event covering the slot, and none skipped. */
			while (next < f.events->len &&
			       !covers(&g_array_index(f.events, Event, next), type, slot))
				next++;
			if (next >= f.events->len || seq != next)
				g_error("slot %u:%" G_GUINT64_FORMAT
					": slot_history gave seq %" G_GUINT64_FORMAT ", want %d",
					type, slot, seq, next < f.events->len ? (int)next : -1);
			g_assert_cmpint(sqlite3_column_int64(hist, 1), ==,
					(int64_t)g_array_index(f.events, Event, next).offset);
			if (sqlite3_column_int(hist, 2) > 1)
				n_wide++;
			n_rows++;
			next++;
		}
		while (next < f.events->len &&
		       !covers(&g_array_index(f.events, Event, next), type, slot))
			next++;
		if (next < f.events->len)
			g_error("slot %u:%" G_GUINT64_FORMAT ": slot_history misses seq %u", type,
				slot, next);
		sqlite3_reset(hist);
	}
	g_assert_cmpuint(n_slots, >, 100);
	g_assert_cmpuint(n_wide, >, n_slots);

	/* One slot's history reads no table whole. */
	g_assert_cmpint(sqlite3_prepare_v2(db,
					   "EXPLAIN QUERY PLAN SELECT * FROM slot_history"
					   " WHERE type = 0 AND slot = 250",
					   -1, &plan, NULL),
			==, SQLITE_OK);
	while (sqlite3_step(plan) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(plan, 3);

		if (g_str_has_prefix(detail, "SCAN ") && !g_str_has_prefix(detail, "SCAN c") &&
		    !g_str_has_prefix(detail, "SCAN CONSTANT ROW"))
			scans = true, g_printerr("# plan: %s\n", detail);
	}
	g_assert_false(scans);
	sqlite3_finalize(plan);
	sqlite3_finalize(hist);
	sqlite3_finalize(slots);
	sqlite3_close(db);
	g_test_message("%u slots, %u rows", n_slots, n_rows);
	g_unlink(path);
	g_rmdir(dir);
	g_array_unref(f.events);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/slot-history/range-events", test_slot_history);
	return g_test_run();
}
