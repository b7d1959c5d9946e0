/*
 * The SQLite writer (schema/001-core.sql, schema/views.sql.in).  Everything
 * goes to a temporary file beside the target in one transaction and is
 * renamed into place by db_writer_commit() only, following the rules of
 * output-file.h (regular files only, mode kept, stale temporaries of
 * killed runs removed); any failure, a db_writer_free() before commit,
 * SIGINT, SIGTERM or SIGHUP removes the temporary file.  Rows are written
 * in the order they are handed in, which the replay keeps deterministic,
 * so the same trace gives the same bytes.
 */
#ifndef SWAPTRACE_DB_WRITER_H
#define SWAPTRACE_DB_WRITER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "analyzer.h"
#include "output-file.h"
#include "records.h"

/* PRAGMA user_version of schema/001-core.sql. */
#define DB_SCHEMA_VERSION 3

typedef struct DbWriter DbWriter;

/*
 * Fails with OUTPUT_FILE_ERROR (output-file.h): path exists and !force,
 * is not a regular file, or the temporary database cannot be set up.
 */
DbWriter *db_writer_new(const char *path, bool force, bool with_events, GError **error);
/* Removes the temporary file unless committed; NULL-safe, returns NULL. */
DbWriter *db_writer_free(DbWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DbWriter, db_writer_free)

/*
 * "symbol+0xoff" of a call site, in a new string, or NULL when it cannot
 * say (replay/kallsyms.c's kallsyms_site() behind a kallsyms file).
 */
typedef char *(*DbWriterSiteFn)(const void *user, uint64_t ip);

/*
 * Symbolises retention and round-trip call sites with fn(user, ip), each
 * address once; user is borrowed.  Without it, *_site columns are NULL.
 */
void db_writer_set_sites(DbWriter *w, DbWriterSiteFn fn, const void *user);

/*
 * The analyzer's records go straight to their tables.  A write error is
 * kept and returned by the next db_writer_event/gap/commit call.
 */
void db_writer_output(DbWriter *w, ReplayOutput *ret_out);

/* One `events` row; a no-op unless created with_events. */
bool db_writer_event(DbWriter *w, const Event *ev, GError **error);
bool db_writer_gap(DbWriter *w, const Gap *gap, GError **error);

/* meta rows, in the order written. */
bool db_writer_meta_int(DbWriter *w, const char *key, int64_t value, GError **error);
bool db_writer_meta_text(DbWriter *w, const char *key, const char *value, GError **error);
bool db_writer_meta_null(DbWriter *w, const char *key, GError **error);

/* The most slots one stored event covers (meta events.max_nr); 0 without events. */
uint32_t db_writer_events_max_nr(const DbWriter *w);

/* devices, slots and rule_stats from the analyzer's final state. */
bool db_writer_final_state(DbWriter *w, Analyzer *a, GError **error);

/* Builds the indexes (schema/indexes.sql), commits, syncs and renames into place. */
bool db_writer_commit(DbWriter *w, GError **error);

#endif
