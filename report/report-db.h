/*
 * Reading a replay database (private to report/): opening it read-only and
 * checking that it is one, and the few helpers every loader shares.  Every
 * query a loader runs has an ORDER BY that breaks every tie, so a database
 * always gives the same report, byte for byte.
 */
#ifndef SWAPTRACE_REPORT_DB_H
#define SWAPTRACE_REPORT_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <sqlite3.h>

/* Content schema version this code reads (PRAGMA user_version, meta.schema_version). */
#define REPORT_SCHEMA_VERSION 3
/* The oldest database schema it still reads: version 1 lacks what 2 added. */
#define REPORT_SCHEMA_VERSION_MIN 1

/*
 * Open a replay database read-only and check it is one: PRAGMA user_version
 * and meta.schema_version must agree, between REPORT_SCHEMA_VERSION_MIN and REPORT_SCHEMA_VERSION.  The error
 * message names the problem, not the file (the caller quotes the path).
 */
sqlite3 *report_db_open(const char *path, GError **error);

/* A prepared statement, or NULL with "cannot read database: ..." */
sqlite3_stmt *report_db_prepare(sqlite3 *db, const char *sql, GError **error);
/* rc is the last sqlite3_step(): true at SQLITE_DONE, else the error. */
bool report_db_done(sqlite3 *db, int rc, GError **error);
/* Column col as a new string, NULL for SQL NULL. */
char *report_db_text(sqlite3_stmt *st, int col);
/* Column col as an integer, if_null for SQL NULL. */
int64_t report_db_int(sqlite3_stmt *st, int col, int64_t if_null);

typedef struct Report Report;
/* report-series.c: the series of the HTML page, into r. */
bool report_load_series(Report *r, sqlite3 *db, GError **error);
typedef struct ReportLoadOptions ReportLoadOptions;
/* report-slots.c: findings, slot timelines and device spans, into r. */
bool report_load_slots(Report *r, sqlite3 *db, const ReportLoadOptions *opts, GError **error);
void report_slots_free(Report *r);

#endif
