/*
 * Trace directory inventory (stream-check.h).  What babeltrace2 2.0.4's
 * source.ctf.fs does with the same directory, which this mirrors: every
 * regular, non-hidden file but `metadata` is a stream file; a non-regular
 * one, and an empty one, is skipped without a word; index/NAME.idx is used
 * when its packets add up to NAME's size, and otherwise NAME is scanned
 * packet by packet, so a file cut at a packet boundary reads as a shorter
 * stream.
 */
#include "stream-check.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replay-error.h"

#include "banned.h"

#define INDEX_MAGIC 0xC1F1DCC1u
#define INDEX_HEADER 16
#define INDEX_ENTRY_1_0 56 /* seven u64: up to stream_id */
#define INDEX_ENTRY_1_1 72 /* and stream_instance_id, packet_seq_num */
#define INDEX_ENTRY_MAX 4096

#define METADATA_MAGIC 0x75D11D57u
#define METADATA_HEADER 37 /* bytes: magic, uuid, checksum, sizes, schemes, version */
/* A metadata file is a few hundred KiB at most; past this it is not one. */
#define METADATA_MAX (64u << 20)

const char *file_type_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	default:
		return "not a regular file";
	}
}

static void stream_file_free(gpointer p)
{
	StreamFile *f = p;

	g_free(f->name);
	g_free(f->path);
	if (f->index)
		g_array_unref(f->index);
	g_free(f->index_problem);
	g_free(f);
}

TraceFiles *trace_files_free(TraceFiles *t)
{
	if (!t)
		return NULL;
	g_ptr_array_unref(t->files);
	g_free(t);
	return NULL;
}

static uint32_t get_u32(const uint8_t *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Reads a whole regular file of at most max bytes; NULL with errno set otherwise. */
static uint8_t *read_small_file(const char *path, size_t max, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	uint8_t *data = NULL;
	size_t got = 0;
	int errsv;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	data = g_malloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break; /* shrank meanwhile: what is there */
		got += (size_t)n;
	}
	close(fd);
	*ret_len = got;
	return data;

fail:
	errsv = errno;
	g_free(data);
	close(fd);
	errno = errsv;
	return NULL;
}

/*
 * Packetized metadata (LTTng's): each packet's header must be possible.
 * babeltrace2 2.0.4 reads a packet whose content size exceeds its packet
 * size forever.  Plain-text metadata (starting "/ * CTF 1.8") is babeltrace2's to judge.
 */
static bool check_metadata(const char *dir, const char *display, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "metadata", NULL);
	g_autofree uint8_t *data = NULL;
	struct stat st;
	size_t len = 0, off = 0;
	bool be;
	unsigned n = 0;

	if (stat(path, &st) < 0) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': cannot read 'metadata': %s", display,
			    g_strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': 'metadata' is %s, not a regular file", display,
			    file_type_name(st.st_mode));
		return false;
	}
	data = read_small_file(path, METADATA_MAX, &len);
	if (!data) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': cannot read 'metadata': %s", display,
			    errno == EFBIG ? "larger than 64 MiB" : g_strerror(errno));
		return false;
	}
	if (len < 4 ||
	    (get_u32(data, true) != METADATA_MAGIC && get_u32(data, false) != METADATA_MAGIC))
		return true;
	be = get_u32(data, true) == METADATA_MAGIC;
	while (off < len) {
		const uint8_t *h = data + off;
		uint32_t content, packet;
		const char *bad = NULL;

		if (len - off < METADATA_HEADER)
			bad = "header cut short";
		else if (get_u32(h, be) != METADATA_MAGIC)
			bad = "bad magic number";
		else if ((content = get_u32(h + 24, be)) < METADATA_HEADER * 8)
			bad = "content size smaller than its header";
		else if ((packet = get_u32(h + 28, be)) < content)
			bad = "content size larger than the packet size";
		else if (packet % 8 || content % 8)
			bad = "size not a whole number of bytes";
		else if (content / 8 > len - off)
			bad = "content past the end of the file";
		else if (h[32] || h[33] || h[34])
			bad = "compressed, encrypted or checksummed (unsupported)";
		if (bad) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': metadata packet %u (byte %zu): %s",
				    display, n, off, bad);
			return false;
		}
		off += packet / 8 < len - off ? packet / 8 : len - off;
		n++;
	}
	return true;
}

/* index/NAME.idx of f, if there is one and it is sound (else f->index_problem). */
static void read_index(StreamFile *f, const char *dir)
{
	g_autofree char *path = NULL;
	g_autofree uint8_t *data = NULL;
	g_autoptr(GArray) packets = NULL;
	size_t len = 0, entry, n;
	uint64_t next = 0;
	struct stat st;

	path = g_strdup_printf("%s/index/%s.idx", dir, f->name);
	if (lstat(path, &st) < 0)
		return; /* no index: nothing to check against */
	data = read_small_file(path, (size_t)INDEX_HEADER + (size_t)STREAM_CHECK_MAX_PACKETS * 128,
			       &len);
	if (!data) {
		f->index_problem = g_strdup_printf("cannot read it: %s", g_strerror(errno));
		return;
	}
	if (len < INDEX_HEADER || get_be64(data) >> 32 != INDEX_MAGIC ||
	    get_u32(data + 4, true) != 1) {
		f->index_problem = g_strdup("not a CTF index 1.x");
		return;
	}
	entry = get_u32(data + 12, true);
	if (entry < INDEX_ENTRY_1_0 || entry > INDEX_ENTRY_MAX || entry % 8 ||
	    (len - INDEX_HEADER) % entry) {
		f->index_problem = g_strdup_printf("entry size %zu does not divide its %zu bytes",
						   entry, len - INDEX_HEADER);
		return;
	}
	n = (len - INDEX_HEADER) / entry;
	packets = g_array_sized_new(FALSE, FALSE, sizeof(IndexPacket), (guint)n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = data + INDEX_HEADER + i * entry;
		IndexPacket p = {
			.offset = get_be64(e),
			.packet_bits = get_be64(e + 8),
			.content_bits = get_be64(e + 16),
			.ts_begin = get_be64(e + 24),
			.ts_end = get_be64(e + 32),
			.discarded = get_be64(e + 40),
			.stream_id = get_be64(e + 48),
			.instance_id = entry >= INDEX_ENTRY_1_1 ? get_be64(e + 56) : UINT64_MAX,
			.seq = entry >= INDEX_ENTRY_1_1 ? get_be64(e + 64) : UINT64_MAX,
		};

		if (p.offset != next || p.packet_bits == 0 || p.packet_bits % 8 ||
		    p.content_bits > p.packet_bits || p.packet_bits / 8 > UINT64_MAX - next) {
			f->index_problem = g_strdup_printf("entry %zu does not follow the one "
							   "before it",
							   i);
			return;
		}
		next = p.offset + p.packet_bits / 8;
		g_array_append_val(packets, p);
	}
	f->index = g_steal_pointer(&packets);
}

/* What the index says babeltrace2 will read of f, and what it will miss. */
static void judge(StreamFile *f)
{
	uint64_t end = 0;

	f->packets_expected = UINT64_MAX;
	if (!f->index) {
		/*
		 * No index: an empty file, or a link to nothing, may be all
		 * that is left of a stream.
		 */
		f->lost_unknown = !f->present || f->size == 0;
		return;
	}
	f->packets_expected = 0;
	for (guint i = 0; i < f->index->len; i++) {
		const IndexPacket *p = &g_array_index(f->index, IndexPacket, i);

		end = p->offset + p->packet_bits / 8;
		if (f->present && end <= f->size) {
			f->packets_expected++;
			continue;
		}
		if (!f->lost_packets)
			f->lost_begin = p->ts_begin;
		f->lost_end = p->ts_end;
		f->lost_packets++;
	}
	/*
	 * More bytes than the index covers: babeltrace2 ignores the index and
	 * scans the file, so the count of packets is not known in advance.
	 */
	if (f->present && f->size > end)
		f->packets_expected = UINT64_MAX;
}

static int compare_files(gconstpointer a, gconstpointer b)
{
	return strcmp((*(StreamFile *const *)a)->name, (*(StreamFile *const *)b)->name);
}

static StreamFile *add_file(TraceFiles *t, const char *dir, const char *name)
{
	StreamFile *f = g_new0(StreamFile, 1);

	f->name = g_strdup(name);
	f->path = g_build_filename(dir, name, NULL);
	f->group = -1;
	g_ptr_array_add(t->files, f);
	return f;
}

/* Whether f can be read: a regular file that opens (as babeltrace2 will). */
static void probe(StreamFile *f)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd < 0) {
		f->why_absent = errno == ENOENT ? "missing" : "unreadable";
		return;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		f->present = true;
		f->size = (uint64_t)st.st_size;
	} else {
		f->why_absent = "not a regular file";
	}
	close(fd);
}

/* Files of one LTTng stream (tracefile rotation) share stream id and instance id. */
static void assign_groups(TraceFiles *t)
{
	for (guint i = 0; i < t->files->len; i++) {
		StreamFile *f = t->files->pdata[i];
		const IndexPacket *p;

		if (f->group >= 0)
			continue;
		f->group = t->n_groups++;
		if (!f->index || !f->index->len ||
		    (p = &g_array_index(f->index, IndexPacket, 0))->instance_id == UINT64_MAX)
			continue;
		for (guint j = i + 1; j < t->files->len; j++) {
			StreamFile *g = t->files->pdata[j];
			const IndexPacket *q;

			if (g->group >= 0 || !g->index || !g->index->len)
				continue;
			q = &g_array_index(g->index, IndexPacket, 0);
			if (q->stream_id == p->stream_id && q->instance_id == p->instance_id)
				g->group = f->group;
		}
	}
}

static bool scan_entries(TraceFiles *t, const char *dir, const char *display, GError **error)
{
	g_autoptr(GDir) d = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *index_dir = g_build_filename(dir, "index", NULL);
	GError *local = NULL;
	const char *name;

	d = g_dir_open(dir, 0, &local);
	if (!d) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    display, local->message);
		g_error_free(local);
		return false;
	}
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		struct stat st;

		if (name[0] == '.' || strcmp(name, "metadata") == 0)
			continue;
		if (stat(path, &st) < 0) {
			/* A dangling link: babeltrace2 would skip it. */
			g_hash_table_add(seen, add_file(t, dir, name)->name);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			continue; /* index/, or something that is no stream */
		if (!S_ISREG(st.st_mode)) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': '%s' is %s, not a regular file",
				    display, name, file_type_name(st.st_mode));
			return false;
		}
		if (t->files->len >= STREAM_CHECK_MAX_FILES) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': more than %u stream files", display,
				    STREAM_CHECK_MAX_FILES);
			return false;
		}
		g_hash_table_add(seen, add_file(t, dir, name)->name);
	}
	/* Indexes of streams that are not there (or not files). */
	g_clear_pointer(&d, g_dir_close);
	d = g_dir_open(index_dir, 0, NULL);
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *stream = NULL;

		if (name[0] == '.' || !g_str_has_suffix(name, ".idx"))
			continue;
		stream = g_strndup(name, strlen(name) - 4);
		if (*stream && !g_hash_table_contains(seen, stream) &&
		    t->files->len < STREAM_CHECK_MAX_FILES)
			add_file(t, dir, stream);
	}
	return true;
}

/*
 * "swap_12" -> 12 and the length of "swap"; -1 when the name is not
 * CHANNEL_CPU or CHANNEL itself ends in _N (LTTng's tracefile rotation,
 * CHANNEL_CPU_PART).
 */
static int64_t cpu_of(const char *name, size_t *ret_len)
{
	const char *u = strrchr(name, '_');
	const char *v;
	int64_t n = 0;

	if (!u || u == name || !u[1] || strlen(u + 1) > 6)
		return -1;
	for (const char *c = u + 1; *c; c++) {
		if (!g_ascii_isdigit(*c))
			return -1;
		n = n * 10 + (*c - '0');
	}
	for (v = u - 1; v > name && g_ascii_isdigit(*v); v--)
		;
	if (v < u - 1 && *v == '_')
		return -1;
	*ret_len = (size_t)(u - name);
	return n;
}

/*
 * Per channel, the streams below its highest number that are not there at
 * all, not even as an index: deleted with their index, which leaves no
 * other trace.  Added as missing files (StreamFile.inferred).  Skipped when
 * any name has LTTng's rotation form, whose parts are not one per CPU.
 */
static void add_missing_cpus(TraceFiles *t, const char *dir)
{
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	guint n = t->files->len;

	for (guint i = 0; i < n; i++) {
		const StreamFile *f = t->files->pdata[i];
		size_t len;

		if (cpu_of(f->name, &len) < 0 && strchr(f->name, '_'))
			return;
		g_hash_table_add(names, f->name);
	}
	for (guint i = 0; i < n; i++) {
		const StreamFile *f = t->files->pdata[i];
		size_t len = 0;
		int64_t top = cpu_of(f->name, &len);

		for (int64_t k = 0; k < top && t->files->len < STREAM_CHECK_MAX_FILES; k++) {
			g_autofree char *name =
				g_strdup_printf("%.*s_%" G_GINT64_FORMAT, (int)len, f->name, k);
			StreamFile *m;

			if (g_hash_table_contains(names, name))
				continue;
			m = add_file(t, dir, name);
			m->inferred = true;
			g_hash_table_add(names, m->name);
		}
	}
}

TraceFiles *trace_files_scan(const char *dir, const char *display, GError **error)
{
	g_autoptr(TraceFiles) t = g_new0(TraceFiles, 1);

	t->files = g_ptr_array_new_with_free_func(stream_file_free);
	if (!check_metadata(dir, display, error) || !scan_entries(t, dir, display, error))
		return NULL;
	add_missing_cpus(t, dir);
	g_ptr_array_sort(t->files, compare_files);
	for (guint i = 0; i < t->files->len; i++) {
		StreamFile *f = t->files->pdata[i];

		probe(f);
		read_index(f, dir);
		judge(f);
		if (f->index_problem)
			g_debug("'%s': index/%s.idx not used: %s", display, f->name,
				f->index_problem);
	}
	assign_groups(t);
	return g_steal_pointer(&t);
}

StreamFile *trace_files_lookup(const TraceFiles *t, const char *path)
{
	for (guint i = 0; path && i < t->files->len; i++) {
		StreamFile *f = t->files->pdata[i];

		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

uint64_t trace_files_group_expected(const TraceFiles *t, int group)
{
	uint64_t sum = 0;

	for (guint i = 0; i < t->files->len; i++) {
		const StreamFile *f = t->files->pdata[i];

		if (f->group != group || !f->present)
			continue;
		if (f->packets_expected == UINT64_MAX)
			return UINT64_MAX;
		sum += f->packets_expected;
	}
	return sum;
}
