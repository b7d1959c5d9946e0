/*
 * See report-db.h.
 */
#include "report-db.h"

#include <string.h>
#include <sys/stat.h>

#include "schema-sql.h"

#include "banned.h"

static void set_sqlite_error(GError **error, sqlite3 *db, const char *what)
{
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", what,
		    db ? sqlite3_errmsg(db) : "out of memory");
}

/* The view a "CREATE VIEW name AS ..." statement creates, as a new string. */
static char *view_name(const char *statement)
{
	const char *p = strstr(statement, "CREATE VIEW ");
	size_t n;

	if (!p)
		return NULL;
	p += strlen("CREATE VIEW ");
	n = strcspn(p, " \n(");
	return g_strndup(p, n);
}

static bool has_view(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* Creates the statement's view as a TEMP view unless the database has it. */
static bool add_view_unless_present(sqlite3 *db, const char *statement)
{
	g_autofree char *name = view_name(statement);
	g_auto(GStrv) parts = NULL;
	g_autofree char *temp = NULL;

	if (!name || has_view(db, name))
		return true;
	parts = g_strsplit(statement, "CREATE VIEW ", 2);
	temp = g_strjoinv("CREATE TEMP VIEW ", parts);
	g_debug("view %s is not in the database: created for this report", name);
	return sqlite3_exec(db, temp, NULL, NULL, NULL) == SQLITE_OK;
}

/*
 * A database written before a view of schema/views.sql.in existed lacks it
 * (views hold no data, so adding one bumps no version): create it as a
 * TEMP view, in this read-only connection's memory, from the text the
 * writer would have used.  The database itself is never changed.
 */
static bool add_missing_views(sqlite3 *db, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(schema_sql_views, "\n", -1);
	g_autoptr(GString) statement = g_string_new(NULL);

	for (char **l = lines; *l; l++) {
		g_string_append_printf(statement, "%s\n", *l);
		if (!sqlite3_complete(statement->str))
			continue;
		if (!add_view_unless_present(db, statement->str)) {
			set_sqlite_error(error, db, "cannot read database");
			return false;
		}
		g_string_truncate(statement, 0);
	}
	return true;
}

sqlite3 *report_db_open(const char *path, GError **error)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int user_version = -1;
	int rc;

	struct stat st_file;

	/*
	 * A regular file only: SQLite would block forever opening a FIFO, and
	 * a device is no database.
	 */
	if (stat(path, &st_file) == 0 && !S_ISREG(st_file.st_mode)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s, not a regular file",
			    S_ISDIR(st_file.st_mode)	? "a directory"
			    : S_ISFIFO(st_file.st_mode) ? "a FIFO"
			    : S_ISCHR(st_file.st_mode)	? "a character device"
			    : S_ISBLK(st_file.st_mode)	? "a block device"
			    : S_ISSOCK(st_file.st_mode) ? "a socket"
							: "something else");
		return NULL;
	}
	/*
	 * Read-only, and without creating: a mistyped path must be an error,
	 * not a new empty database.
	 */
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s",
			    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto error;
	}
	/* A non-SQLite file fails here ("file is not a database"). */
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s", sqlite3_errmsg(db));
		goto error;
	}
	user_version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (user_version < REPORT_SCHEMA_VERSION_MIN || user_version > REPORT_SCHEMA_VERSION) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			    "not a swaptrace database of schema version %d to %d (user_version %d)",
			    REPORT_SCHEMA_VERSION_MIN, REPORT_SCHEMA_VERSION, user_version);
		goto error;
	}
	/* user_version alone is too common a number to trust. */
	if (sqlite3_prepare_v2(
		    db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'", -1,
		    &st, NULL) != SQLITE_OK) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			    "not a swaptrace database: %s", sqlite3_errmsg(db));
		goto error;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			    "not a swaptrace database: no meta.schema_version");
		goto error;
	}
	if (sqlite3_column_int(st, 0) != user_version) {
		g_set_error(
			error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			"unsupported schema_version %d (user_version %d; this swaptrace reads %d "
			"to %d)",
			sqlite3_column_int(st, 0), user_version, REPORT_SCHEMA_VERSION_MIN,
			REPORT_SCHEMA_VERSION);
		goto error;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!add_missing_views(db, error))
		goto error;
	return db;

error:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

sqlite3_stmt *report_db_prepare(sqlite3 *db, const char *sql, GError **error)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		set_sqlite_error(error, db, "cannot read database");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

bool report_db_done(sqlite3 *db, int rc, GError **error)
{
	if (rc == SQLITE_DONE)
		return true;
	set_sqlite_error(error, db, "cannot read database");
	return false;
}

char *report_db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? g_strdup((const char *)s) : NULL;
}

int64_t report_db_int(sqlite3_stmt *st, int col, int64_t if_null)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? if_null
							   : sqlite3_column_int64(st, col);
}
