/*
 * How report/ writes a file (the HTML page, the exported trace): to a
 * temporary file beside it, synced, then renamed into place, so a reader
 * sees the old file or the new one, never half (git's lockfile.h, as
 * store/db-writer.c does for the database).  Without force an existing
 * file is kept and the write fails, as `swaptrace replay -o` does.
 */
#ifndef SWAPTRACE_OUTPUT_FILE_H
#define SWAPTRACE_OUTPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

/*
 * Writes len bytes of data to path.  Errors are G_FILE_ERROR: the message
 * names the problem, not the file (the caller quotes the path); EEXIST
 * says to use --force.
 */
bool output_file_write(const char *path, const char *data, size_t len, bool force, GError **error);

#endif
