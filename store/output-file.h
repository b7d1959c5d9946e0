/*
 * How swaptrace writes a file the user named (the replay database, the
 * HTML report, the exported trace), following git's lockfile.h: everything goes to a temporary
 * file beside it, PATH.tmp-PID-XXXXXX, which is synced and renamed into
 * place only when complete, then the directory is synced; a reader sees the
 * old file or the new one, never half.  On failure, output_file_free() or
 * SIGINT, SIGTERM or SIGHUP (unless the signal was ignored when swaptrace
 * started) the temporary file is removed; one left by a run that was
 * killed outright names a dead process and is removed by the next run
 * writing the same PATH.
 *
 * An existing PATH is replaced only with force, and only if it is a
 * regular file (never a device node, a FIFO, a directory or a symbolic
 * link); the new file keeps the old one's permission bits.
 */
#ifndef SWAPTRACE_OUTPUT_FILE_H
#define SWAPTRACE_OUTPUT_FILE_H

#include <glib.h>
#include <stdbool.h>

/* User-caused failures: the command prints the message once and exits 1. */
#define OUTPUT_FILE_ERROR (output_file_error_quark())

typedef enum OutputFileErrorCode {
	OUTPUT_FILE_ERROR_WRITE,       /* cannot be written */
	OUTPUT_FILE_ERROR_EXISTS,      /* exists and force was not given */
	OUTPUT_FILE_ERROR_NOT_REGULAR, /* exists and is not a regular file */
} OutputFileErrorCode;

GQuark output_file_error_quark(void);

typedef struct OutputFile OutputFile;

/*
 * Checks path, removes stale temporary files of dead runs and creates the
 * temporary file.  Fails with OUTPUT_FILE_ERROR_EXISTS,
 * OUTPUT_FILE_ERROR_NOT_REGULAR or OUTPUT_FILE_ERROR_WRITE.
 */
OutputFile *output_file_new(const char *path, bool force, GError **error);
/* Removes the temporary file unless committed; NULL-safe, returns NULL. */
OutputFile *output_file_free(OutputFile *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OutputFile, output_file_free)

const char *output_file_path(const OutputFile *f);
/* Where to write (open it, or hand it to SQLite). */
const char *output_file_temp_path(const OutputFile *f);

/*
 * Syncs the temporary file, renames it over path (never over a file that
 * appeared meanwhile unless force), syncs the directory.
 */
bool output_file_commit(OutputFile *f, GError **error);

/* Writes all of data to a new output (output_file_new() .. commit()). */
bool output_file_write(const char *path, const void *data, size_t len, bool force, GError **error);

/*
 * Would output_file_new() accept path?  For commands that check before a
 * long computation; output_file_new() checks again.
 */
bool output_file_check(const char *path, bool force, GError **error);

/*
 * Removes the temporary file on SIGINT, SIGTERM and SIGHUP; a signal
 * ignored when this is first called stays ignored.  Once per process.
 */
void output_file_install_signal_cleanup(void);

#endif
