/*
 * A sorted array of text symbols; lookup is a binary search for the
 * greatest address <= ip.  Only retention and round-trip records are
 * symbolised, never every event, so this is off the hot path.
 */
#include "kallsyms.h"

#include <string.h>

#include "replay-error.h"
#include "trace-reader.h"

#include "banned.h"

typedef struct Sym {
	uint64_t addr;
	char *name;
	char *module; /* "[ext4]" for a module symbol, else NULL */
} Sym;

struct Kallsyms {
	GArray *syms; /* Sym, sorted by addr, then name */
};

static int compare_syms(gconstpointer a, gconstpointer b)
{
	const Sym *sa = a, *sb = b;

	if (sa->addr != sb->addr)
		return sa->addr < sb->addr ? -1 : 1;
	return strcmp(sa->name, sb->name);
}

static void sym_clear(gpointer p)
{
	g_free(((Sym *)p)->name);
	g_free(((Sym *)p)->module);
}

/* The next blank-separated word of *p, NUL-terminated in place; NULL at the end. */
static char *next_word(char **p)
{
	char *w = *p + strspn(*p, " \t\r");
	char *end;

	if (!*w)
		return NULL;
	end = w + strcspn(w, " \t\r");
	*p = *end ? end + 1 : end;
	*end = '\0';
	return w;
}

/*
 * "ffffffff81234560 T name [module]", of any length: a symbol is never cut
 * short.  False for a line that is not one (a blank line, a header).
 */
static bool parse_line(char *line, Sym *ret_sym, char *ret_type)
{
	char *addr_word = next_word(&line);
	char *type_word = next_word(&line);
	char *name = next_word(&line);
	char *module = next_word(&line);
	char *end;
	uint64_t addr;

	if (!addr_word || !type_word || !name || type_word[1])
		return false;
	addr = g_ascii_strtoull(addr_word, &end, 16);
	if (*end)
		return false;
	*ret_type = type_word[0];
	*ret_sym = (Sym){ addr, g_strdup(name), g_strdup(module) };
	return true;
}

Kallsyms *kallsyms_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	char *line, *next;
	GError *local = NULL;
	Kallsyms *k;

	if (!g_file_get_contents(path, &text, NULL, &local)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read '%s': %s", path,
			    local->message);
		g_error_free(local);
		return NULL;
	}
	k = g_new0(Kallsyms, 1);
	k->syms = g_array_new(FALSE, FALSE, sizeof(Sym));
	g_array_set_clear_func(k->syms, sym_clear);
	/*
	 * Lines cut in place, not g_strsplit(): it searches the rest of the
	 * text with strstr() for every line, which sanitizer builds turn into
	 * a strlen() of the rest: quadratic on a device's full kallsyms (3 MB,
	 * 180 s per replay under ASan).
	 */
	for (line = text; line; line = next) {
		char type;
		Sym s;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!parse_line(line, &s, &type))
			continue;
		/* Text symbols only: call sites are code. */
		if (s.addr == 0 || !strchr("tTwW", type)) {
			sym_clear(&s);
			continue;
		}
		g_array_append_val(k->syms, s);
	}
	g_array_sort(k->syms, compare_syms);
	g_debug("'%s': %u text symbols", path, k->syms->len);
	return k;
}

Kallsyms *kallsyms_free(Kallsyms *k)
{
	if (!k)
		return NULL;
	g_array_unref(k->syms);
	g_free(k);
	return NULL;
}

char *kallsyms_site(const Kallsyms *k, uint64_t ip)
{
	guint lo = 0, hi;
	const Sym *s;

	if (!k || ip == 0 || k->syms->len == 0)
		return NULL;
	hi = k->syms->len;
	/* Invariant: every symbol below lo has addr <= ip; none from hi on. */
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(k->syms, Sym, mid).addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	/* The first of equal-address aliases, for a stable name. */
	while (lo > 1 &&
	       g_array_index(k->syms, Sym, lo - 2).addr == g_array_index(k->syms, Sym, lo - 1).addr)
		lo--;
	s = &g_array_index(k->syms, Sym, lo - 1);
	return g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x%s%s", s->name, ip - s->addr,
			       s->module ? " " : "", s->module ? s->module : "");
}

/*
 * In the trace directory or any directory above it up to the input the
 * user named and that input's parent: the recording scripts keep
 * NAME/kallsyms beside NAME/trace/, and LTTng nests the CTF in
 * NAME/trace/ust/uid/0/64-bit/.
 */
Kallsyms *kallsyms_find(const TraceReader *reader, GError **error)
{
	for (unsigned i = 0; i < trace_reader_n_traces(reader); i++) {
		g_autofree char *stop = g_path_get_dirname(trace_reader_trace_input(reader, i));
		g_autofree char *dir = g_strdup(trace_reader_trace_dir(reader, i));

		for (;;) {
			g_autofree char *path = g_build_filename(dir, "kallsyms", NULL);
			char *up;

			if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
				return kallsyms_load(path, error);
			if (strcmp(dir, stop) == 0 || strcmp(dir, "/") == 0)
				break;
			up = g_path_get_dirname(dir);
			g_free(dir);
			dir = up;
		}
	}
	g_debug("no kallsyms file beside the traces: call sites stay unsymbolised");
	return NULL;
}
