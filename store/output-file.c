/*
 * Writing a file the user named, atomically and only where allowed
 * (output-file.h).
 */
#include "output-file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

struct OutputFile {
	char *path;
	char *tmp_path;
	bool force;
	bool committed;
};

GQuark output_file_error_quark(void)
{
	return g_quark_from_static_string("swaptrace-output-file-error-quark");
}

/* ---- signal cleanup: the only state a handler may touch ---- */

static char signal_tmp_path[PATH_MAX];
static volatile sig_atomic_t signal_tmp_armed;

static void on_fatal_signal(int sig)
{
	if (signal_tmp_armed)
		unlink(signal_tmp_path); /* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

void output_file_install_signal_cleanup(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static bool installed;
	struct sigaction sa, old;

	if (installed)
		return;
	installed = true;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
		/* nohup, or a shell's trap '' SIG: the caller wants it ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

static void arm_signal_cleanup(const char *tmp)
{
	if (strlen(tmp) >= sizeof(signal_tmp_path))
		return;
	signal_tmp_armed = 0;
	memcpy(signal_tmp_path, tmp, strlen(tmp) + 1);
	signal_tmp_armed = 1;
}

static void disarm_signal_cleanup(void)
{
	signal_tmp_armed = 0;
}

/* ---- stale temporary files ---- */

/*
 * NAME.tmp-PID-XXXXXX of a process that no longer exists: a run killed
 * before it could clean up (SIGKILL, a crash, a power cut).
 */
static void remove_stale(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *prefix = g_strconcat(base, ".tmp-", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		const char *p = name + strlen(prefix);
		g_autofree char *full = NULL;
		char *end;
		unsigned long pid;
		struct stat st;

		if (!g_str_has_prefix(name, prefix) || !g_ascii_isdigit(*p))
			continue;
		errno = 0;
		pid = strtoul(p, &end, 10);
		if (errno || *end != '-' || strlen(end + 1) != 6 || pid == 0 || pid > INT_MAX ||
		    (pid_t)pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* alive, or not ours to judge */
		full = g_build_filename(dir, name, NULL);
		if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) && unlink(full) == 0)
			g_debug("removed '%s', left by process %lu", full, pid);
	}
}

/* ---- lifecycle ---- */

/* May path be replaced? Sets *ret_mode to the permission bits to keep (or 0). */
static bool check_target(const char *path, bool force, mode_t *ret_mode, GError **error)
{
	struct stat st;

	*ret_mode = 0;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return true;
		g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_WRITE,
			    "cannot write '%s': %s", path, g_strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_NOT_REGULAR,
			    "output '%s' exists and is %s, not a regular file; refusing to "
			    "replace it",
			    path,
			    S_ISLNK(st.st_mode)	   ? "a symbolic link"
			    : S_ISDIR(st.st_mode)  ? "a directory"
			    : S_ISFIFO(st.st_mode) ? "a FIFO"
			    : S_ISCHR(st.st_mode)  ? "a character device"
			    : S_ISBLK(st.st_mode)  ? "a block device"
			    : S_ISSOCK(st.st_mode) ? "a socket"
						   : "something else");
		return false;
	}
	if (!force) {
		g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_EXISTS,
			    "output '%s' already exists (use --force to overwrite it)", path);
		return false;
	}
	*ret_mode = st.st_mode & 07777;
	return true;
}

OutputFile *output_file_new(const char *path, bool force, GError **error)
{
	g_autoptr(OutputFile) f = g_new0(OutputFile, 1);
	mode_t mode;
	int fd;

	if (!*path) {
		g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_WRITE,
			    "cannot write '': empty file name");
		return NULL;
	}
	f->path = g_strdup(path);
	f->force = force;
	if (!check_target(path, force, &mode, error))
		return NULL;
	remove_stale(path);
	f->tmp_path = g_strdup_printf("%s.tmp-%ld-XXXXXX", path, (long)getpid());
	fd = g_mkstemp_full(f->tmp_path, O_RDWR | O_CLOEXEC, 0666);
	if (fd < 0) {
		int errsv = errno;

		g_clear_pointer(&f->tmp_path, g_free);
		g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_WRITE,
			    "cannot write '%s': %s", path, g_strerror(errsv));
		return NULL;
	}
	arm_signal_cleanup(f->tmp_path);
	/* A replaced 0600 file stays 0600. */
	if (mode && fchmod(fd, mode) < 0)
		g_debug("cannot keep the mode of '%s': %s", path, g_strerror(errno));
	close(fd);
	g_debug("writing '%s' through '%s'", path, f->tmp_path);
	return g_steal_pointer(&f);
}

OutputFile *output_file_free(OutputFile *f)
{
	if (!f)
		return NULL;
	if (f->tmp_path && !f->committed) {
		unlink(f->tmp_path);
		disarm_signal_cleanup();
	}
	g_free(f->tmp_path);
	g_free(f->path);
	g_free(f);
	return NULL;
}

const char *output_file_path(const OutputFile *f)
{
	return f->path;
}

const char *output_file_temp_path(const OutputFile *f)
{
	return f->tmp_path;
}

static bool sync_path(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	bool ok;

	if (fd < 0)
		return false;
	ok = fsync(fd) == 0 || errno == EINVAL; /* some file systems cannot sync a directory */
	close(fd);
	return ok;
}

/* rename(), but never over an existing file unless force. */
static int rename_into_place(const char *from, const char *to, bool force)
{
	if (force)
		return rename(from, to);
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* Filesystems without RENAME_NOREPLACE: link() fails on EEXIST too. */
	if (link(from, to) < 0)
		return -1;
	unlink(from);
	return 0;
}

bool output_file_commit(OutputFile *f, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(f->path);
	mode_t mode;

	/* Something else may have appeared at path meanwhile (a FIFO, a link). */
	if (!check_target(f->path, f->force, &mode, error))
		return false;
	if (!sync_path(f->tmp_path, 0) || rename_into_place(f->tmp_path, f->path, f->force) < 0) {
		int errsv = errno;

		if (errsv == EEXIST)
			g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_EXISTS,
				    "output '%s' already exists (use --force to overwrite it)",
				    f->path);
		else
			g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_WRITE,
				    "cannot write '%s': %s", f->path, g_strerror(errsv));
		return false;
	}
	f->committed = true;
	disarm_signal_cleanup();
	/* The rename itself survives a power cut only once the directory is synced. */
	if (!sync_path(dir, O_DIRECTORY))
		g_debug("cannot sync directory '%s': %s", dir, g_strerror(errno));
	g_debug("'%s' written", f->path);
	return true;
}

bool output_file_check(const char *path, bool force, GError **error)
{
	mode_t mode;

	if (!*path) {
		g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_WRITE,
			    "cannot write '': empty file name");
		return false;
	}
	return check_target(path, force, &mode, error);
}

bool output_file_write(const char *path, const void *data, size_t len, bool force, GError **error)
{
	g_autoptr(OutputFile) f = output_file_new(path, force, error);
	const char *p = data;
	int fd;

	if (!f)
		return false;
	fd = open(f->tmp_path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int errsv = n < 0 ? errno : EIO;

			close(fd);
			errno = errsv;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		goto fail;
	return output_file_commit(f, error);

fail:
	g_set_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_WRITE, "cannot write '%s': %s",
		    path, g_strerror(errno));
	return false;
}
