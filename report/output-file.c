/*
 * See output-file.h.
 */
#include "output-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "banned.h"

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
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

static bool fail_errno(GError **error, int errsv)
{
	if (errsv == EEXIST)
		g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
				    "it already exists (use --force to overwrite it)");
	else
		g_set_error_literal(error, G_FILE_ERROR, g_file_error_from_errno(errsv),
				    g_strerror(errsv));
	return false;
}

bool output_file_write(const char *path, const char *data, size_t len, bool force, GError **error)
{
	g_autofree char *tmp = g_strconcat(path, ".tmp-XXXXXX", NULL);
	int fd, errsv;

	/* Checked first so that nothing is written for nothing. */
	if (!force && g_file_test(path, G_FILE_TEST_EXISTS))
		return fail_errno(error, EEXIST);
	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail_errno(error, errno);
	if (!write_all(fd, data, len) || fsync(fd) != 0) {
		errsv = errno ? errno : EIO;
		close(fd);
		goto error;
	}
	if (close(fd) != 0 || rename_into_place(tmp, path, force) < 0) {
		errsv = errno;
		goto error;
	}
	return true;

error:
	unlink(tmp);
	return fail_errno(error, errsv);
}
