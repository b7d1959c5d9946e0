/*
 * The parent side of trace reading: finds the traces below the inputs,
 * starts the decoder child (decoder.c) on them and turns what it streams
 * back (decoder-wire.h) into sink calls, in the order it sent them.
 *
 * The child runs libbabeltrace2 under an address-space and a CPU-time
 * limit, and a watchdog here stops it when it sends nothing for
 * opts->timeout_ns.  However it ends, the replay learns why in words: an
 * error record, or the signal that ended it and the last lines it wrote
 * on stderr (babeltrace2's assertion or log message).  When several traces
 * are read together and the child dies, each is decoded again alone to
 * name the one at fault.
 */
#include "trace-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "decoder-wire.h"
#include "decoder.h"
#include "replay-error.h"
#include "wire-ring.h"

#include "banned.h"

/* Bytes of the child's stderr kept for the error message (its end). */
#define STDERR_KEEP 16384
/* Lines of it quoted in an error. */
#define STDERR_LINES 12
/* CPU time the decoder may use: a base, and one second per MiB of input. */
#define CPU_BASE_S 60
#define CPU_PER_MIB_S 1
/* How long a decoder that said END may take to exit. */
#define EXIT_GRACE_US (5 * G_USEC_PER_SEC)
/* How long a live decoder asked to stop may take to send what it has. */
#define STOP_GRACE_US (5 * G_USEC_PER_SEC)

typedef struct TraceInfo {
	char *display;	/* as the user can name it: input path [/ relative dir] */
	char *name;	/* input basename [/ relative dir]: what the database stores */
	char *abs;	/* canonical path, as handed to source.ctf.fs */
	char *input;	/* canonical path of the input it was found in */
	GPtrArray *env; /* TraceEnvEntry*, sorted by key */
	bool env_read;
	char *clock_uuid; /* of its clock class, NULL if it has none */
} TraceInfo;

/* One decoder child and what it sent so far. */
typedef struct Child {
	GPid pid;
	int data_fd;
	int err_fd;
	WireReader wire;
	WireRing *ring;	    /* the records' way; data_fd only wakes us */
	GString *err_tail;  /* the end of its stderr */
	GPtrArray *strings; /* id - 1 -> string (owned; shared with the reader) */
	bool hello, ready, ended;
	int opening;	/* trace index babeltrace2 was opening, -1 */
	int decoder;	/* which runs (WIRE_DECODER): 0 babeltrace2, 1 fast, -1 not said */
	GError *error;	/* from its error record, or why it was stopped */
	bool timed_out; /* stopped by the watchdog */
	bool garbage;	/* it broke the protocol */
	int wait_status;
	bool reaped;
	int64_t last_data_us;
	const int *trace_map; /* child's trace index -> TraceReader index */
	unsigned n_traces;
	/* Live: asked to end (SIGTERM) at opts.stop, killed if not by the deadline. */
	bool stopping, stop_ignored;
	int64_t stop_deadline_us;
} Child;

struct TraceReader {
	GPtrArray *traces; /* TraceInfo*, sorted by name */
	TraceReaderOptions opts;
	uint64_t input_bytes; /* of every file of every trace, for the CPU limit */
	Child *child;
	/*
	 * The strings the decoder sent: procnames and stream names that Events
	 * and Gaps point to, which must outlive the replay (the analyzer's
	 * records at analyzer_finish() still name them).
	 */
	GPtrArray *strings;
	int *all; /* 0 .. traces->len - 1: the trace map of the decoder of them all */
	bool have_range;
	int64_t range[2];
	TraceReaderStats stats;
	bool live;	  /* one lttng-live URL */
	bool interrupted; /* live, ended at opts.stop */
};

static void env_entry_free(gpointer p)
{
	TraceEnvEntry *e = p;

	g_free(e->key);
	g_free(e->s);
	g_free(e);
}

static void trace_info_free(gpointer p)
{
	TraceInfo *t = p;

	g_free(t->display);
	g_free(t->name);
	g_free(t->abs);
	g_free(t->input);
	g_free(t->clock_uuid);
	g_ptr_array_unref(t->env);
	g_free(t);
}

static int compare_traces(gconstpointer a, gconstpointer b)
{
	const TraceInfo *ta = *(TraceInfo *const *)a;
	const TraceInfo *tb = *(TraceInfo *const *)b;

	return strcmp(ta->name, tb->name);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *const decoder_names[] = {
	[DECODER_AUTO] = "auto",
	[DECODER_BABELTRACE2] = "babeltrace2",
	[DECODER_FAST] = "fast",
};

bool decoder_choice_from_name(const char *name, DecoderChoice *ret)
{
	for (size_t i = 0; i < G_N_ELEMENTS(decoder_names); i++)
		if (strcmp(name, decoder_names[i]) == 0) {
			*ret = (DecoderChoice)i;
			return true;
		}
	return false;
}

const char *decoder_choice_name(DecoderChoice c)
{
	return (size_t)c < G_N_ELEMENTS(decoder_names) ? decoder_names[c] : "auto";
}

void trace_reader_options_init(TraceReaderOptions *opts)
{
	*opts = (TraceReaderOptions){
		.timeout_ns = TRACE_READER_DEFAULT_TIMEOUT_NS,
		.memory_bytes = TRACE_READER_DEFAULT_MEMORY,
	};
}

/* ---- finding the traces ---- */

typedef struct DirId {
	dev_t dev;
	ino_t ino;
} DirId;

/* The walk below one input: directories on the way down, and every one seen. */
typedef struct Walk {
	TraceReader *r;
	const char *input;
	GArray *path;	  /* DirId of the directories from the input down */
	GHashTable *seen; /* "dev:ino" of every directory visited */
	unsigned n_dirs;
} Walk;

static uint64_t dir_bytes(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *entry;
	uint64_t sum = 0;

	while (d && (entry = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, entry, NULL);
		struct stat st;

		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			sum += (uint64_t)st.st_size;
	}
	return sum;
}

static bool add_trace(Walk *w, const char *display, const char *name, const char *dir,
		      GError **error)
{
	TraceInfo *t;
	char *abs = realpath(dir, NULL);

	if (!abs) {
		int errsv = errno;

		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    display, g_strerror(errsv));
		return false;
	}
	t = g_new0(TraceInfo, 1);
	t->abs = g_strdup(abs);
	free(abs);
	t->display = g_strdup(display);
	t->input = g_strdup(w->input);
	t->name = g_strdup(name);
	t->env = g_ptr_array_new_with_free_func(env_entry_free);
	g_ptr_array_add(w->r->traces, t);
	w->r->input_bytes += dir_bytes(t->abs);
	return true;
}

/*
 * Adds dir if it is a CTF trace (holds `metadata`), else every trace below
 * it, visiting subdirectories in name order.  A trace directory is not
 * searched further: LTTng keeps nothing but streams and index/ there.
 * Symbolic links are followed; one that leads back to a directory on the
 * way down is a cycle, and a directory reached twice is visited once.
 */
static bool find_traces(Walk *w, const char *display, const char *name, const char *dir,
			unsigned depth, GError **error)
{
	g_autofree char *metadata = g_build_filename(dir, "metadata", NULL);
	g_autoptr(GPtrArray) subdirs = NULL;
	g_autoptr(GDir) d = NULL;
	g_autofree char *key = NULL;
	GError *local = NULL;
	const char *entry;
	struct stat st;
	DirId id;
	bool ok = true;

	if (stat(dir, &st) < 0) {
		int errsv = errno;

		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    display, g_strerror(errsv));
		return false;
	}
	id = (DirId){ st.st_dev, st.st_ino };
	for (guint i = 0; i < w->path->len; i++) {
		const DirId *up = &g_array_index(w->path, DirId, i);

		if (up->dev == id.dev && up->ino == id.ino) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': symbolic link cycle (it leads back to "
				    "a directory above it)",
				    display);
			return false;
		}
	}
	key = g_strdup_printf("%ju:%ju", (uintmax_t)id.dev, (uintmax_t)id.ino);
	if (g_hash_table_contains(w->seen, key))
		return true; /* reached before by another way: read once */
	g_hash_table_add(w->seen, g_steal_pointer(&key));
	if (++w->n_dirs > TRACE_READER_MAX_DIRS) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': more than %u directories below it; is it a "
			    "trace?",
			    w->input, TRACE_READER_MAX_DIRS);
		return false;
	}
	if (lstat(metadata, &st) == 0)
		return add_trace(w, display, name, dir, error);
	if (depth >= TRACE_READER_MAX_DEPTH) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': directories nested deeper than %u levels",
			    display, TRACE_READER_MAX_DEPTH);
		return false;
	}

	d = g_dir_open(dir, 0, &local);
	if (!d) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    display, local->message);
		g_error_free(local);
		return false;
	}
	subdirs = g_ptr_array_new_with_free_func(g_free);
	while ((entry = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, entry, NULL);

		/* stat(), not open(): a FIFO here must not block the search. */
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			g_ptr_array_add(subdirs, g_strdup(entry));
	}
	g_ptr_array_sort(subdirs, compare_strings);
	g_array_append_val(w->path, id);
	for (guint i = 0; ok && i < subdirs->len; i++) {
		const char *sub = subdirs->pdata[i];
		g_autofree char *sub_dir = g_build_filename(dir, sub, NULL);
		g_autofree char *sub_display = g_build_filename(display, sub, NULL);
		g_autofree char *sub_name = g_strconcat(name, "/", sub, NULL);

		ok = find_traces(w, sub_display, sub_name, sub_dir, depth + 1, error);
	}
	g_array_set_size(w->path, w->path->len - 1);
	return ok;
}

/*
 * One trace named twice (an input and its parent, or the same path twice)
 * is read once; two traces with the same name (x/trace and y/trace) get a
 * "#2" suffix so their streams stay apart in the database.
 */
static void dedup_traces(TraceReader *r)
{
	for (guint i = 0; i < r->traces->len; i++) {
		TraceInfo *t = r->traces->pdata[i];
		bool dup = false;

		for (guint j = 0; j < i && !dup; j++)
			dup = strcmp(((TraceInfo *)r->traces->pdata[j])->abs, t->abs) == 0;
		if (dup) {
			g_ptr_array_remove_index(r->traces, i--);
			continue;
		}
		for (guint j = 0, n = 1; j < i; j++) {
			if (strcmp(((TraceInfo *)r->traces->pdata[j])->name, t->name) == 0) {
				char *name = g_strdup_printf("%s#%u", t->name, ++n);

				g_free(t->name);
				t->name = name;
				j = (guint)-1; /* the new name may collide too: start over */
			}
		}
	}
}

bool trace_reader_input_is_live(const char *input)
{
	return g_str_has_prefix(input, "net://") || g_str_has_prefix(input, "net4://") ||
	       g_str_has_prefix(input, "net6://");
}

/*
 * An lttng-live URL, the only input: one trace named HOSTNAME/SESSION.
 * babeltrace2 checks the rest (host, port) when it connects.
 */
static bool add_live(TraceReader *r, const char *url, size_t n_inputs, GError **error)
{
	const char *host = strstr(url, "://") + 3;
	const char *path = strchr(host, '/');
	g_auto(GStrv) parts = path ? g_strsplit(path + 1, "/", -1) : NULL;
	TraceInfo *t;

	if (n_inputs != 1) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': a live session is replayed alone, without "
			    "other inputs",
			    url);
		return false;
	}
	if (path == host || !parts || g_strv_length(parts) != 3 || strcmp(parts[0], "host") != 0 ||
	    !*parts[1] || !*parts[2]) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': not an lttng-live session URL "
			    "(" TRACE_READER_LIVE_USAGE ")",
			    url);
		return false;
	}
	t = g_new0(TraceInfo, 1);
	t->abs = g_strdup(url);
	t->display = g_strdup(url);
	t->input = g_strdup(url);
	t->name = g_strdup_printf("%s/%s", parts[1], parts[2]);
	t->env = g_ptr_array_new_with_free_func(env_entry_free);
	g_ptr_array_add(r->traces, t);
	r->live = true;
	return true;
}

static bool find_input(TraceReader *r, const char *in, GError **error)
{
	g_autofree char *base = NULL;
	struct stat st;
	char *abs;
	guint before = r->traces->len;
	Walk w = { .r = r };
	bool ok;

	if (stat(in, &st) < 0) {
		int errsv = errno;

		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    in, g_strerror(errsv));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': %s, not a directory", in,
			    S_ISREG(st.st_mode)	   ? "a regular file"
			    : S_ISFIFO(st.st_mode) ? "a FIFO"
			    : S_ISCHR(st.st_mode)  ? "a character device"
			    : S_ISBLK(st.st_mode)  ? "a block device"
			    : S_ISSOCK(st.st_mode) ? "a socket"
						   : "not a regular file");
		return false;
	}
	/* The basename of the canonical path: "." and "x/" name x too. */
	abs = realpath(in, NULL);
	if (!abs) {
		int errsv = errno;

		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    in, g_strerror(errsv));
		return false;
	}
	base = g_path_get_basename(abs);
	w.input = abs;
	w.path = g_array_new(FALSE, FALSE, sizeof(DirId));
	w.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ok = find_traces(&w, in, base, in, 0, error);
	g_array_unref(w.path);
	g_hash_table_unref(w.seen);
	free(abs);
	if (ok && r->traces->len == before) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': no CTF trace (directory with a "
			    "'metadata' file) in it",
			    in);
		ok = false;
	}
	return ok;
}

TraceReader *trace_reader_new(char *const *inputs, size_t n_inputs, GError **error)
{
	g_autoptr(TraceReader) r = g_new0(TraceReader, 1);

	r->traces = g_ptr_array_new_with_free_func(trace_info_free);
	trace_reader_options_init(&r->opts);
	for (size_t i = 0; i < n_inputs; i++) {
		if (trace_reader_input_is_live(inputs[i]) ? !add_live(r, inputs[i], n_inputs, error)
							  : !find_input(r, inputs[i], error))
			return NULL;
	}
	g_ptr_array_sort(r->traces, compare_traces);
	dedup_traces(r);
	for (guint i = 0; i < r->traces->len; i++) {
		const TraceInfo *t = g_ptr_array_index(r->traces, i);

		g_debug("trace %u: '%s' in '%s'", i, t->name, t->display);
	}
	return g_steal_pointer(&r);
}

/* ---- the decoder child ---- */

static Child *child_free(Child *c)
{
	if (!c)
		return NULL;
	if (!c->reaped && c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &c->wait_status, 0);
	}
	if (c->data_fd >= 0)
		close(c->data_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	wire_reader_release(&c->wire);
	wire_ring_free(c->ring);
	g_string_free(c->err_tail, TRUE);
	g_ptr_array_unref(c->strings);
	g_clear_error(&c->error);
	g_free(c);
	return NULL;
}

TraceReader *trace_reader_free(TraceReader *r)
{
	if (!r)
		return NULL;
	r->child = child_free(r->child);
	g_clear_pointer(&r->traces, g_ptr_array_unref);
	g_clear_pointer(&r->strings, g_ptr_array_unref);
	g_free(r->all);
	g_free(r);
	return NULL;
}

#if defined(__SANITIZE_ADDRESS__)
#define READER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define READER_ASAN 1
#endif
#endif

/*
 * The child's environment.  Under AddressSanitizer RLIMIT_AS cannot apply
 * (decoder.c); its allocator enforces the memory limit instead.
 */
static char **child_environ(const TraceReaderOptions *opts)
{
	char **env = g_get_environ();

#ifdef READER_ASAN
	if (opts->memory_bytes) {
		const char *old = g_environ_getenv(env, "ASAN_OPTIONS");
		uint64_t mb = MAX(opts->memory_bytes >> 20, 1);
		g_autofree char *v = g_strdup_printf(
			"%s%smax_allocation_size_mb=%" PRIu64 ":hard_rss_limit_mb=%" PRIu64
			":allocator_may_return_null=0",
			old ? old : "", old && *old ? ":" : "", mb, mb);

		env = g_environ_setenv(env, "ASAN_OPTIONS", v, TRUE);
	}
#else
	(void)opts;
#endif
	return env;
}

/*
 * The running image itself, not the path it was started from: a rebuild
 * or a package upgrade that replaces the binary mid-replay would otherwise
 * start a different decoder, or none.  Its path while it is still there,
 * so that tools that follow exec by path (valgrind --trace-children) see
 * swaptrace, not themselves; /proc/self/exe once it has been replaced.
 */
static char *running_image(void)
{
	g_autofree char *path = g_file_read_link("/proc/self/exe", NULL);

	if (path && g_path_is_absolute(path) && !g_str_has_suffix(path, " (deleted)"))
		return g_steal_pointer(&path);
	return g_strdup("/proc/self/exe");
}

/* Starts a decoder on traces idx[0..n); NULL with *error set if it cannot start. */
static Child *child_start(TraceReader *r, const int *idx, unsigned n, bool want_range,
			  GPtrArray *strings, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) envp = child_environ(&r->opts);
	g_autofree char *exe = running_image();
	uint64_t cpu_s = CPU_BASE_S + CPU_PER_MIB_S * (r->input_bytes >> 20);
	int pipe_fds[2];
	int source_fds[2], target_fds[2] = { DECODER_FD, DECODER_RING_FD };
	Child *c;
	GError *local = NULL;
	WireRing *ring = wire_ring_new(&local);

	g_ptr_array_add(argv, g_strdup(exe));
	g_ptr_array_add(argv, g_strdup(DECODER_ARG));
	if (!ring) {
		g_propagate_error(error, local);
		return NULL;
	}
	if (want_range)
		g_ptr_array_add(argv, g_strdup("--range"));
	if (r->live)
		g_ptr_array_add(argv, g_strdup("--live"));
	g_ptr_array_add(argv, g_strdup("--memory"));
	g_ptr_array_add(argv, g_strdup_printf("%" PRIu64, r->opts.memory_bytes));
	/* A live session lasts as long as it lasts: the watchdog and memory limit still apply. */
	g_ptr_array_add(argv, g_strdup("--cpu"));
	g_ptr_array_add(argv, g_strdup_printf("%" PRIu64, r->live ? 0 : cpu_s));
	g_ptr_array_add(argv, g_strdup("--decoder"));
	g_ptr_array_add(argv, g_strdup(decoder_choice_name(r->opts.decoder)));
	g_ptr_array_add(argv, g_strdup("--ppid"));
	g_ptr_array_add(argv, g_strdup_printf("%ld", (long)getpid()));
	g_ptr_array_add(argv, g_strdup("--"));
	for (unsigned i = 0; i < n; i++) {
		const TraceInfo *t = r->traces->pdata[idx[i]];

		g_ptr_array_add(argv, g_strdup(t->abs));
		g_ptr_array_add(argv, g_strdup(t->name));
		g_ptr_array_add(argv, g_strdup(t->display));
	}
	g_ptr_array_add(argv, NULL);

	if (!g_unix_open_pipe(pipe_fds, FD_CLOEXEC, &local)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot start the trace decoder: %s", local->message);
		g_error_free(local);
		wire_ring_free(ring);
		return NULL;
	}
	c = g_new0(Child, 1);
	c->data_fd = pipe_fds[0];
	c->ring = ring;
	c->err_fd = -1;
	c->opening = -1;
	c->decoder = -1;
	c->err_tail = g_string_new(NULL);
	c->strings = strings ? g_ptr_array_ref(strings) : g_ptr_array_new_with_free_func(g_free);
	wire_reader_init(&c->wire);
	source_fds[0] = pipe_fds[1];
	source_fds[1] = wire_ring_fd(ring);
	if (!g_spawn_async_with_pipes_and_fds(
		    NULL, (const char *const *)argv->pdata, (const char *const *)envp,
		    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL |
			    G_SPAWN_STDOUT_TO_DEV_NULL,
		    NULL, NULL, -1, -1, -1, source_fds, target_fds, 2, &c->pid, NULL, NULL,
		    &c->err_fd, &local)) {
		close(pipe_fds[1]);
		c->reaped = true;
		child_free(c);
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot start the trace decoder '%s': %s", exe, local->message);
		g_error_free(local);
		return NULL;
	}
	close(pipe_fds[1]);
	g_unix_set_fd_nonblocking(c->data_fd, TRUE, NULL);
	g_unix_set_fd_nonblocking(c->err_fd, TRUE, NULL);
	c->last_data_us = g_get_monotonic_time();
	c->trace_map = idx;
	c->n_traces = n;
	g_debug("decoder %ld started on %u trace%s from '%s'", (long)c->pid, n, n == 1 ? "" : "s",
		exe);
	return c;
}

static void stop(Child *c)
{
	if (!c->reaped && c->pid > 0)
		kill(c->pid, SIGKILL);
}

/* ---- records ---- */

static const char *string_of(void *user, const char *value)
{
	Child *c = user;
	uintptr_t id = (uintptr_t)value;

	if (id == 0)
		return NULL;
	if (id > c->strings->len) {
		c->garbage = true;
		return NULL;
	}
	return c->strings->pdata[id - 1];
}

static const char *find_string(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, '\0', (size_t)(end - *p));
	const char *s = (const char *)*p;

	if (!nul)
		return NULL;
	*p = nul + 1;
	return s;
}

static int compare_env(gconstpointer a, gconstpointer b)
{
	const TraceEnvEntry *ea = *(TraceEnvEntry *const *)a;
	const TraceEnvEntry *eb = *(TraceEnvEntry *const *)b;

	return strcmp(ea->key, eb->key);
}

static const char *env_string(const TraceInfo *t, const char *key)
{
	for (guint i = 0; i < t->env->len; i++) {
		const TraceEnvEntry *e = t->env->pdata[i];

		if (strcmp(e->key, key) == 0)
			return e->is_int ? NULL : e->s;
	}
	return NULL;
}

/* "trace_name@trace_creation_datetime": one LTTng session's recording, or NULL. */
static char *session_of(const TraceInfo *t)
{
	const char *name = env_string(t, "trace_name");
	const char *when = env_string(t, "trace_creation_datetime");

	if (!name || !*name || !when || !*when)
		return NULL;
	return g_strdup_printf("%s@%s", name, when);
}

/*
 * Do t and u belong on one timeline?  Not when the traces themselves say
 * they were recorded on different hosts, by different LTTng sessions, or
 * against clocks with different UUIDs (timestamps then do not compare).
 */
static bool check_merge(const TraceReader *r, const TraceInfo *t, GError **error)
{
	for (guint i = 0; i < r->traces->len; i++) {
		const TraceInfo *u = r->traces->pdata[i];
		const char *a = env_string(t, "hostname"), *b = env_string(u, "hostname");
		g_autofree char *sa = session_of(t);
		g_autofree char *sb = session_of(u);
		g_autofree char *why = NULL;

		if (u == t || !u->env_read)
			continue;
		if (a && b && strcmp(a, b) != 0)
			why = g_strdup_printf("recorded on different hosts ('%s' and '%s')", a, b);
		else if (sa && sb && strcmp(sa, sb) != 0)
			why = g_strdup_printf("recorded by different sessions ('%s' and '%s')", sa,
					      sb);
		else if (t->clock_uuid && u->clock_uuid && strcmp(t->clock_uuid, u->clock_uuid))
			why = g_strdup_printf("timed by different clocks (UUIDs %s and %s)",
					      t->clock_uuid, u->clock_uuid);
		if (why) {
			const TraceInfo *first = u, *second = t;

			if (strcmp(first->name, second->name) > 0)
				first = t, second = u;
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_MERGE,
				    "cannot replay traces '%s' and '%s' on one timeline: %s; "
				    "replay them one at a time, or use --merge",
				    first->display, second->display, why);
			return false;
		}
	}
	return true;
}

static bool read_env(TraceReader *r, Child *c, const uint8_t *p, uint32_t len, GError **error)
{
	const uint8_t *end = p + len;
	uint32_t idx;
	TraceInfo *t;

	if (len < sizeof(idx))
		goto garbage;
	memcpy(&idx, p, sizeof(idx));
	p += sizeof(idx);
	if (idx >= c->n_traces)
		goto garbage;
	t = r->traces->pdata[c->trace_map[idx]];
	g_ptr_array_set_size(t->env, 0);
	g_clear_pointer(&t->clock_uuid, g_free);
	while (p < end) {
		uint8_t tag = *p++;
		const char *key = find_string(&p, end);
		TraceEnvEntry *e;

		if (!key)
			goto garbage;
		if (tag == 'c') {
			t->clock_uuid = *key ? g_strdup(key) : NULL;
			continue;
		}
		e = g_new0(TraceEnvEntry, 1);
		e->key = g_strdup(key);
		g_ptr_array_add(t->env, e);
		if (tag == 'i' && end - p >= (ptrdiff_t)sizeof(e->i)) {
			e->is_int = true;
			memcpy(&e->i, p, sizeof(e->i));
			p += sizeof(e->i);
		} else if (tag == 's' && (e->s = g_strdup(find_string(&p, end)))) {
			continue;
		} else if (tag != 'i' || !e->is_int) {
			goto garbage;
		}
	}
	g_ptr_array_sort(t->env, compare_env);
	t->env_read = true;
	return r->opts.merge || check_merge(r, t, error);

garbage:
	c->garbage = true;
	return false;
}

static bool read_events(Child *c, const uint8_t *p, uint32_t len, const TraceReaderSink *sink,
			GError **error)
{
	Event ev;

	if (len % sizeof(ev)) {
		c->garbage = true;
		return false;
	}
	for (uint32_t off = 0; off < len; off += sizeof(ev)) {
		memcpy(&ev, p + off, sizeof(ev));
		wire_map_strings(&ev, wire_event_strings, wire_n_event_strings, string_of, c);
		if (c->garbage || (unsigned)ev.kind >= _EVENT_KIND_MAX) {
			c->garbage = true;
			return false;
		}
		if (sink && !sink->event(sink->user, &ev, error))
			return false;
	}
	return true;
}

static bool read_gap(Child *c, const uint8_t *p, uint32_t len, const TraceReaderSink *sink,
		     GError **error)
{
	Gap g;

	if (len != sizeof(g)) {
		c->garbage = true;
		return false;
	}
	memcpy(&g, p, sizeof(g));
	wire_map_strings(&g, wire_gap_strings, wire_n_gap_strings, string_of, c);
	if (c->garbage || (unsigned)g.kind >= _GAP_KIND_MAX || !g.stream) {
		c->garbage = true;
		return false;
	}
	g_debug("%s: %" PRIu64 " %s lost after seq %" PRId64, g.stream, g.count,
		g.kind == GAP_DISCARDED_EVENTS ? "events" : "packets",
		g.after_seq == SEQ_NONE ? (int64_t)-1 : (int64_t)g.after_seq);
	return !sink || sink->gap(sink->user, &g, error);
}

/* Text after a u32 code: must end with its NUL. */
static const char *record_text(Child *c, const uint8_t *p, uint32_t len, uint32_t *ret_code)
{
	if (len < sizeof(uint32_t) + 1 || p[len - 1] != '\0') {
		c->garbage = true;
		return NULL;
	}
	memcpy(ret_code, p, sizeof(uint32_t));
	return (const char *)p + sizeof(uint32_t);
}

/*
 * One record.  False stops the child: a sink failure or a refused merge
 * (*error set), or garbage (c->garbage).
 */
static bool dispatch(TraceReader *r, Child *c, const WireHeader *h, const uint8_t *p,
		     const TraceReaderSink *sink, GError **error)
{
	uint32_t code = 0;
	const char *text;

	if (!c->hello && h->type != WIRE_HELLO)
		goto garbage;
	switch ((WireType)h->type) {
	case WIRE_HELLO: {
		WireHello hello;

		if (h->len != sizeof(hello))
			goto garbage;
		memcpy(&hello, p, sizeof(hello));
		if (hello.version != WIRE_VERSION || hello.event_size != sizeof(Event) ||
		    hello.gap_size != sizeof(Gap) || hello.stats_size != sizeof(TraceReaderStats))
			goto garbage;
		c->hello = true;
		return true;
	}
	case WIRE_OPENING: {
		uint32_t idx;

		if (h->len != sizeof(idx))
			goto garbage;
		memcpy(&idx, p, sizeof(idx));
		if (idx >= c->n_traces)
			goto garbage;
		c->opening = (int)idx;
		return true;
	}
	case WIRE_DECODER:
		if (h->len != 1 || p[0] > 1)
			goto garbage;
		c->decoder = p[0];
		return true;
	case WIRE_RANGE:
		if (h->len != sizeof(r->range))
			goto garbage;
		memcpy(r->range, p, sizeof(r->range));
		r->have_range = true;
		return true;
	case WIRE_READY:
		c->ready = true;
		c->opening = -1;
		return true;
	case WIRE_STRING: {
		uint32_t id;

		if (h->len < sizeof(id) + 1 || p[h->len - 1] != '\0')
			goto garbage;
		memcpy(&id, p, sizeof(id));
		if (id != c->strings->len + 1)
			goto garbage;
		g_ptr_array_add(c->strings, g_strdup((const char *)p + sizeof(id)));
		return true;
	}
	case WIRE_EVENTS:
		return read_events(c, p, h->len, sink, error);
	case WIRE_GAP:
		return read_gap(c, p, h->len, sink, error);
	case WIRE_ENV:
		return read_env(r, c, p, h->len, error);
	case WIRE_WARNING:
		if (!(text = record_text(c, p, h->len, &code)))
			return false;
		g_warning("%s", text);
		return true;
	case WIRE_PROGRESS: {
		struct {
			int64_t ts_ns;
			uint64_t events;
		} prog;

		if (h->len != sizeof(prog))
			goto garbage;
		memcpy(&prog, p, sizeof(prog));
		if (sink && sink->progress)
			sink->progress(sink->user, prog.ts_ns, prog.events);
		return true;
	}
	case WIRE_STATS:
		if (h->len != sizeof(r->stats))
			goto garbage;
		memcpy(&r->stats, p, sizeof(r->stats));
		return true;
	case WIRE_ERROR:
		if (!(text = record_text(c, p, h->len, &code)))
			return false;
		g_clear_error(&c->error);
		c->error = g_error_new_literal(REPLAY_ERROR,
					       code == REPLAY_ERROR_SCHEMA ? REPLAY_ERROR_SCHEMA
									   : REPLAY_ERROR_INPUT,
					       text);
		return true;
	case WIRE_END:
		c->ended = true;
		return true;
	default:
		break;
	}

garbage:
	c->garbage = true;
	return false;
}

static void read_stderr(Child *c)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(c->err_fd, buf, sizeof(buf))) > 0) {
		g_string_append_len(c->err_tail, buf, n);
		if (c->err_tail->len > 2 * STDERR_KEEP)
			g_string_erase(c->err_tail, 0, (gssize)(c->err_tail->len - STDERR_KEEP));
	}
	if (n == 0) {
		close(c->err_fd);
		c->err_fd = -1;
	}
}

/*
 * Dispatches the whole records buffered, stopping after READY when
 * until_ready; false when the child must be stopped (a dispatch failure
 * or garbage).
 */
static bool drain(TraceReader *r, Child *c, const TraceReaderSink *sink, bool until_ready,
		  GError **error)
{
	WireHeader h;
	const uint8_t *payload;
	bool bad;

	while (!(until_ready && c->ready) && wire_reader_next(&c->wire, &h, &payload, &bad))
		if (!dispatch(r, c, &h, payload, sink, error))
			return false;
	if (bad)
		c->garbage = true;
	return !bad;
}

/*
 * Takes what the ring holds and dispatches it; false when the child must
 * be stopped.  The pipe carries only bells, and its EOF (then it is
 * closed: data_fd -1).
 */
static bool read_data(TraceReader *r, Child *c, const TraceReaderSink *sink, bool until_ready,
		      GError **error)
{
	uint8_t bells[4096];
	ssize_t n;
	gssize got;
	bool eof;

	wire_ring_awake(c->ring);
	/* EOF first: whatever the child put in the ring before it closed the pipe is there now. */
	while ((n = read(c->data_fd, bells, sizeof(bells))) > 0)
		;
	eof = n == 0;
	while (!(until_ready && c->ready)) {
		if ((got = wire_ring_take(c->ring, &c->wire)) < 0) {
			c->garbage = true;
			return false;
		}
		if (got == 0)
			break;
		if (!drain(r, c, sink, until_ready, error))
			return false;
		c->last_data_us = g_get_monotonic_time();
	}
	if (eof && !(until_ready && c->ready)) {
		close(c->data_fd);
		c->data_fd = -1;
	}
	return true;
}

static void reap(Child *c, int64_t grace_us)
{
	int64_t until = g_get_monotonic_time() + grace_us;

	while (!c->reaped) {
		pid_t got = waitpid(c->pid, &c->wait_status, WNOHANG);

		if (got == c->pid || (got < 0 && errno != EINTR)) {
			c->reaped = true;
			break;
		}
		if (g_get_monotonic_time() >= until) {
			kill(c->pid, SIGKILL);
			grace_us = G_MAXINT64 / 2;
			until = g_get_monotonic_time() + grace_us;
		}
		if (c->err_fd >= 0)
			read_stderr(c);
		g_usleep(2000);
	}
	/* Whatever it still had to say on stderr. */
	while (c->err_fd >= 0) {
		struct pollfd pfd = { .fd = c->err_fd, .events = POLLIN };

		if (poll(&pfd, 1, 200) <= 0)
			break;
		read_stderr(c);
	}
}

/*
 * Feeds records to the sink until READY (until_ready) or the child's end.
 * Returns false when the replay must stop; *error is then set only for a
 * failure of ours (sink, merge); the child's own end is judged by the
 * caller from c.
 */
static bool pump(TraceReader *r, Child *c, const TraceReaderSink *sink, bool until_ready,
		 GError **error)
{
	int64_t timeout_us = r->opts.timeout_ns > 0 ? r->opts.timeout_ns / 1000 : 0;

	/* What an earlier call left buffered (the records after READY). */
	if (!drain(r, c, sink, until_ready, error)) {
		stop(c);
		reap(c, EXIT_GRACE_US);
		return false;
	}
	while (c->data_fd >= 0 && !c->ended) {
		struct pollfd pfd[2] = {
			{ .fd = c->data_fd, .events = POLLIN },
			{ .fd = c->err_fd, .events = POLLIN },
		};
		int64_t now = g_get_monotonic_time();
		int wait_ms = 1000;

		if (until_ready && c->ready)
			return true;
		if (r->opts.stop && *r->opts.stop && !c->stopping) {
			/* The decoder ends its graph and sends its statistics and END. */
			c->stopping = true;
			r->interrupted = true;
			c->stop_deadline_us = now + STOP_GRACE_US;
			if (!c->reaped && c->pid > 0)
				kill(c->pid, SIGTERM);
		}
		if (c->stopping && now >= c->stop_deadline_us) {
			c->stop_ignored = true;
			stop(c);
			break;
		}
		if (c->stopping)
			wait_ms = (int)MIN(wait_ms, (c->stop_deadline_us - now) / 1000 + 1);
		if (timeout_us && now - c->last_data_us >= timeout_us) {
			c->timed_out = true;
			stop(c);
			break;
		}
		if (timeout_us)
			wait_ms = (int)MIN(wait_ms,
					   (timeout_us - (now - c->last_data_us)) / 1000 + 1);
		/* Records the ring got since the last look are a reason not to sleep. */
		if (!wire_ring_sleep(c->ring))
			wait_ms = 0;
		if (poll(pfd, c->err_fd >= 0 ? 2 : 1, wait_ms) < 0 && errno != EINTR)
			break;
		if (c->err_fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			read_stderr(c);
		if (!read_data(r, c, sink, until_ready, error)) {
			stop(c);
			reap(c, EXIT_GRACE_US);
			return false;
		}
		if (until_ready && c->ready)
			return true;
	}
	/* At END, EOF or the watchdog: the decoder is done either way. */
	if (!c->ended)
		stop(c);
	reap(c, EXIT_GRACE_US);
	return c->ended && !c->error && !c->garbage && WIFEXITED(c->wait_status) &&
	       WEXITSTATUS(c->wait_status) == 0 && wire_reader_pending(&c->wire) == 0;
}

/* ---- why a decoder failed, in words ---- */

/*
 * A babeltrace2 log line without what only its developers need:
 * "MM-DD HH:MM:SS.mmm PID TID E TAG func@file.c:123 [comp] text" becomes
 * "[comp] text".  *ret_level is its level letter, or 0 for another line
 * (an assertion message, a sanitizer report).
 */
static const char *skip_log_prefix(const char *line, char *ret_level)
{
	const char *p = line;

	*ret_level = 0;
	if (!(g_ascii_isdigit(p[0]) && g_ascii_isdigit(p[1]) && p[2] == '-'))
		return line;
	for (int fields = 0; fields < 4 && *p; fields++) {
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	if (!*p || p[1] != ' ')
		return line;
	*ret_level = *p;
	p += 2;
	/* The tag, and the function@file:line after it. */
	for (int fields = 0; fields < 2; fields++) {
		const char *q = p;

		while (*q && *q != ' ')
			q++;
		if (fields == 1 && !memchr(p, '@', (size_t)(q - p)))
			break;
		while (*q == ' ')
			q++;
		p = q;
	}
	return *p ? p : line;
}

/*
 * What the child wrote on stderr, one indented line each: for a crash its
 * last lines (the assertion or the sanitizer report ends it), for an error
 * its first error lines (the deepest, such as the metadata line at fault),
 * leaving out what `already` says.
 */
static void append_stderr(GString *out, const Child *c, bool crash, const char *already)
{
	g_auto(GStrv) lines = g_strsplit(c->err_tail->str, "\n", -1);
	guint n = g_strv_length(lines), shown = 0, first = 0;

	if (crash) {
		first = n;
		while (first > 0 && shown < STDERR_LINES) {
			first--;
			if (*g_strstrip(lines[first]))
				shown++;
		}
		shown = 0;
	}
	for (guint i = first; i < n && shown < STDERR_LINES; i++) {
		char level;
		const char *text = skip_log_prefix(g_strstrip(lines[i]), &level);

		const char *bare = text;

		if (text[0] == '[' && strstr(text, "] "))
			bare = strstr(text, "] ") + 2;
		if (!*text || (!crash && level != 'E' && level != 'F') ||
		    (already && strstr(already, bare)))
			continue;
		g_string_append_printf(out, "\n  %s: %s",
				       c->decoder == 1 ? "fast decoder" : "babeltrace2", text);
		shown++;
	}
}

static bool stderr_says_oom(const Child *c)
{
	static const char *const marks[] = {
		"failed to allocate",
		"out of memory",
		"Out of memory",
		"Cannot allocate memory",
		"allocation-size-too-big",
		"allocation size",
		"rss limit",
		"std::bad_alloc",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(marks); i++)
		if (strstr(c->err_tail->str, marks[i]))
			return true;
	return false;
}

/* What ended c, as "babeltrace2 crashed (SIGSEGV)"; NULL if it ended well. */
static char *describe_end(const TraceReader *r, const Child *c)
{
	g_autoptr(GString) s = g_string_new(NULL);
	/* Which one ran: babeltrace2's messages and crashes are not the fast decoder's. */
	int which = c->decoder >= 0			     ? c->decoder
		    : r->opts.decoder == DECODER_FAST	     ? 1
		    : r->opts.decoder == DECODER_BABELTRACE2 ? 0
							     : -1;
	const char *who = which == 1   ? "the fast decoder"
			  : which == 0 ? "babeltrace2"
				       : "the decoder";

	if (c->garbage) {
		g_string_append_printf(s, "%s sent garbage (memory corruption?)",
				       which == 0 ? "the babeltrace2 decoder" : who);
	} else if (c->stop_ignored) {
		g_string_append_printf(s, "%s did not stop within %d s of the interrupt", who,
				       (int)(STOP_GRACE_US / G_USEC_PER_SEC));
	} else if (c->timed_out) {
		g_string_append_printf(s,
				       "%s made no progress for %g s and was stopped (see "
				       "--decoder-timeout)",
				       who, (double)r->opts.timeout_ns / 1e9);
	} else if (WIFSIGNALED(c->wait_status)) {
		int sig = WTERMSIG(c->wait_status);
		const char *abbrev = sigabbrev_np(sig);

		if (sig == SIGXCPU || (sig == SIGKILL && strstr(c->err_tail->str, "CPU")))
			g_string_append_printf(s, "%s used more CPU time than its limit", who);
		else if (sig == SIGBUS)
			/* babeltrace2 maps the stream files: a page past a file's end faults. */
			g_string_append_printf(s, "a stream file shrank while %s read it (SIGBUS)",
					       who);
		else if (stderr_says_oom(c) || sig == SIGKILL)
			g_string_append_printf(s,
					       "%s ran out of memory (limit %" PRIu64
					       " MiB, see --decoder-memory; SIG%s)",
					       who, r->opts.memory_bytes >> 20,
					       abbrev ? abbrev : "?");
		else
			g_string_append_printf(s, "%s crashed (SIG%s, signal %d)", who,
					       abbrev ? abbrev : "?", sig);
	} else if (WIFEXITED(c->wait_status) && WEXITSTATUS(c->wait_status) != 0) {
		if (stderr_says_oom(c))
			g_string_append_printf(s,
					       "%s ran out of memory (limit %" PRIu64
					       " MiB, see --decoder-memory)",
					       who, r->opts.memory_bytes >> 20);
		else
			g_string_append_printf(s, "%s exited with status %d",
					       which == 0 ? "the babeltrace2 decoder" : who,
					       WEXITSTATUS(c->wait_status));
	} else if (!c->ended) {
		g_string_append(s, "the babeltrace2 decoder stopped without a word");
	} else {
		return NULL;
	}
	append_stderr(s, c, true, NULL);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static const char *names_of(const TraceReader *r, const Child *c, GString *out)
{
	for (unsigned i = 0; i < c->n_traces; i++)
		g_string_append_printf(out, "%s%s", i ? "', '" : "",
				       ((TraceInfo *)r->traces->pdata[c->trace_map[i]])->display);
	return out->str;
}

/* A decoder on one trace alone, to the end; its failure or NULL. */
static GError *try_alone(TraceReader *r, const int *idx)
{
	GError *error = NULL;
	Child *c = child_start(r, idx, 1, false, NULL, &error);
	g_autofree char *why = NULL;

	if (!c)
		return error;
	if (!pump(r, c, NULL, false, &error) && !error) {
		if (c->error)
			error = g_error_copy(c->error);
		else if ((why = describe_end(r, c)))
			error = g_error_new(REPLAY_ERROR, REPLAY_ERROR_INPUT,
					    "cannot read trace '%s': %s",
					    ((TraceInfo *)r->traces->pdata[*idx])->display, why);
	}
	child_free(c);
	return error;
}

/*
 * The child ended badly: its error record, or the signal and stderr.
 * With several traces and no record naming one, each is decoded alone to
 * find the one babeltrace2 cannot read.
 */
static void child_error(TraceReader *r, Child *c, GError **error)
{
	g_autofree char *why = NULL;
	g_autoptr(GString) names = g_string_new(NULL);
	int which = -1;

	if (c->error && !c->garbage) {
		g_autoptr(GString) msg = g_string_new(c->error->message);

		/* babeltrace2 logs more than its causes say (the metadata line at fault). */
		append_stderr(msg, c, false, c->error->message);
		/*
		 * babeltrace2's muxer refuses clocks with different UUIDs before
		 * any stream reaches the decoder, so check_merge() never sees the
		 * traces' hosts and sessions (every perf recording has a clock of
		 * its own): say what it means.  --merge cannot help, the muxer is
		 * babeltrace2's.
		 */
		if (c->n_traces > 1 && strstr(msg->str, "but got one with different UUID")) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_MERGE,
				    "cannot replay traces '%s' on one timeline: timed by different "
				    "clocks (babeltrace2 orders no events of clocks with different "
				    "UUIDs); replay them one at a time\n%s",
				    names_of(r, c, names), msg->str);
			return;
		}
		g_set_error_literal(error, REPLAY_ERROR, c->error->code, msg->str);
		return;
	}
	why = describe_end(r, c);
	if (!why)
		why = g_strdup("the babeltrace2 decoder ended before the traces did");
	if (c->opening >= 0)
		which = c->trace_map[c->opening];
	else if (c->n_traces == 1)
		which = c->trace_map[0];
	if (which < 0) {
		for (unsigned i = 0; i < c->n_traces; i++) {
			GError *alone = try_alone(r, &c->trace_map[i]);

			if (alone) {
				g_debug("decoded alone, '%s' fails too",
					((TraceInfo *)r->traces->pdata[c->trace_map[i]])->display);
				g_propagate_error(error, alone);
				return;
			}
		}
	}
	g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
		    which >= 0 ? ((TraceInfo *)r->traces->pdata[which])->display
			       : names_of(r, c, names),
		    why);
}

/* ---- the API ---- */

bool trace_reader_open(TraceReader *r, const TraceReaderOptions *opts, GError **error)
{
	GError *local = NULL;

	g_return_val_if_fail(!r->child, false);
	r->opts = *opts;
	r->all = g_new(int, MAX(r->traces->len, 1));
	for (guint i = 0; i < r->traces->len; i++)
		r->all[i] = (int)i;
	r->strings = g_ptr_array_new_with_free_func(g_free);
	r->child = child_start(r, r->all, r->traces->len, opts->want_range, r->strings, error);
	if (!r->child)
		return false;
	if (pump(r, r->child, NULL, true, &local) && r->child->ready)
		return true;
	if (local)
		g_propagate_error(error, local);
	else
		child_error(r, r->child, error);
	r->child = child_free(r->child);
	return false;
}

bool trace_reader_run(TraceReader *r, const TraceReaderSink *sink, GError **error)
{
	GError *local = NULL;
	bool ok;

	g_return_val_if_fail(r->child && r->child->ready, false);
	ok = pump(r, r->child, sink, false, &local);
	if (!ok) {
		if (local)
			g_propagate_error(error, local);
		else
			child_error(r, r->child, error);
	}
	r->child = child_free(r->child);
	return ok;
}

bool trace_reader_time_range(TraceReader *r, int64_t *ret_begin_ns, int64_t *ret_end_ns)
{
	if (!r->have_range)
		return false;
	*ret_begin_ns = r->range[0];
	*ret_end_ns = r->range[1];
	return true;
}

const TraceReaderStats *trace_reader_stats(const TraceReader *r)
{
	return &r->stats;
}

bool trace_reader_is_live(const TraceReader *r)
{
	return r->live;
}

bool trace_reader_interrupted(const TraceReader *r)
{
	return r->interrupted;
}

unsigned trace_reader_n_traces(const TraceReader *r)
{
	return r->traces->len;
}

static const TraceInfo *trace_at(const TraceReader *r, unsigned i)
{
	g_assert(i < r->traces->len);
	return r->traces->pdata[i];
}

const char *trace_reader_trace_name(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->name;
}

const char *trace_reader_trace_dir(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->abs;
}

const char *trace_reader_trace_input(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->input;
}

const char *trace_reader_trace_display(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->display;
}

const GPtrArray *trace_reader_trace_env(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->env;
}
