/*
 * The fast decoder (ctf-fast.h): LTTng's CTF 1.8 layout read directly.
 *
 * The metadata is accepted only when every top-level statement is one
 * LTTng 2.13 writes: the type aliases, packet context and event headers
 * token for token (so the packet and event header layouts below are the
 * ones this file decodes), one stream class, a trace block that differs
 * only in its UUID, an environment, a 1 GHz clock, and event classes
 * whose fields are byte-aligned integers, strings and arrays.  Swap event
 * classes are then held to the event schema exactly as normalize.c holds
 * babeltrace2's classes, and each event is turned into an Event exactly
 * as normalize_event() does; where babeltrace2 would fail, this file
 * declines, so that babeltrace2 fails with its own words.
 */
#include "ctf-fast.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "replay-error.h"

#include "banned.h"

#define CTF_MAGIC 0xC1FC1FC1u
#define TSDL_MAGIC 0x75D11D57u
#define MD_HEADER 37u  /* packetized metadata header, bytes */
#define PKT_HEADER 84u /* LTTng packet header + packet context, bytes */
#define PROGRESS_EVERY 65536
#define MAX_CLASS_ID 65535u
#define MAX_ARRAY (1u << 20)
/* Streams decoded at once (one open file each), and their packet buffers together. */
#define MAX_STREAMS 1024u
#define MAX_BUFFERS (256u << 20)
/* Procnames up to this length are compared and looked up without allocating. */
#define PROC_MAX 256

enum {
	DEST_NONE = -1,
	DEST_TID = _FIELD_ID_MAX,
	DEST_PROCNAME,
	_DEST_MAX
};

typedef enum FtKind {
	FT_INT,
	FT_STRING,
	FT_TEXT,
	FT_INT_ARRAY
} FtKind;

typedef struct Op {
	uint8_t kind;  /* FtKind */
	uint8_t bytes; /* integer (element) width */
	uint8_t align; /* bytes, a power of two */
	uint8_t is_signed;
	int16_t dest; /* FieldId, DEST_TID, DEST_PROCNAME or DEST_NONE */
	uint32_t len; /* array elements */
	char *name;   /* without CTF's leading underscore */
} Op;

/* A field the replay needs, at a fixed byte offset of a packed struct. */
typedef struct Pick {
	uint32_t off;
	uint8_t bytes;
	uint8_t is_signed;
	int16_t dest;
	uint32_t len; /* FT_TEXT: bytes */
	uint8_t text;
} Pick;

/*
 * A struct whose fields are all byte-aligned integers and fixed arrays
 * (LTTng's): its size and the fields needed, so that decoding is one
 * bounds check and a few loads.  fixed false: decode_ops() walks it.
 */
typedef struct Packed {
	bool fixed;
	uint32_t size;
	Pick picks[_DEST_MAX];
	unsigned n_picks;
	/* The picks the first pass needs (advance()'s bounds on nr and type). */
	Pick check[2];
	unsigned n_check;
} Packed;

typedef struct Class {
	char *name;
	uint64_t id;
	EventKind kind;
	int version;
	GArray *ops; /* Op */
	uint8_t align;
	int32_t field[_FIELD_ID_MAX]; /* op index per schema field, -1 */
	bool seen;		      /* an event of it was sent */
	Packed packed;
	/* The schema_flag_fields this class has, so an event tests only those. */
	uint32_t flag_field[_FIELD_ID_MAX];
	uint32_t flag_bit[_FIELD_ID_MAX];
	unsigned n_flags;
} Class;

typedef struct Meta {
	bool header_large; /* event_header_large, else compact */
	uint64_t stream_class_id;
	uint8_t uuid[16];
	uint8_t clock_uuid[16];
	bool have_clock_uuid;
	int64_t offset_ns; /* clock offset */
	GArray *ctx;	   /* Op: the stream's event context */
	uint8_t ctx_align;
	Packed ctx_packed;
	int ctx_tid, ctx_procname; /* op index or -1 */
	bool ctx_tid_signed;
	GPtrArray *classes; /* Class*, metadata order */
	Class **by_id;	    /* [n_by_id] */
	uint32_t n_by_id;
	GByteArray *env; /* the WIRE_ENV payload after the trace index */
} Meta;

/* ---- small helpers ---- */

static inline uint64_t rd_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return GUINT32_FROM_LE(v);
}

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return GUINT64_FROM_LE(v);
}

static bool decline(char **why, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool decline(char **why, const char *fmt, ...)
{
	va_list ap;

	if (*why)
		return false;
	va_start(ap, fmt);
	*why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return false;
}

/* ---- metadata: bytes -> text ---- */

static bool read_file_capped(const char *path, size_t cap, GByteArray **ret, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	GByteArray *b;
	size_t got = 0;

	if (fd < 0)
		return decline(why, "cannot open %s", path);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > cap) {
		close(fd);
		return decline(why, "metadata is not a regular file of at most %zu bytes", cap);
	}
	b = g_byte_array_sized_new((guint)st.st_size + 1);
	g_byte_array_set_size(b, (guint)st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b->data + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		g_byte_array_unref(b);
		return decline(why, "cannot read the metadata");
	}
	*ret = b;
	return true;
}

/* Packetized metadata -> its text; plain text as it is. */
static char *metadata_text(const char *dir, char **why)
{
	g_autofree char *path = g_build_filename(dir, "metadata", NULL);
	g_autoptr(GByteArray) raw = NULL;
	g_autoptr(GString) text = NULL;
	size_t pos = 0;

	if (!read_file_capped(path, CTF_FAST_MAX_METADATA, &raw, why))
		return NULL;
	if (raw->len < 4 || rd32(raw->data) != TSDL_MAGIC) {
		if (raw->len >= 10 && memcmp(raw->data, "/* CTF 1.8", 10) == 0)
			return g_strndup((const char *)raw->data, raw->len);
		decline(why, "metadata is neither packetized little-endian nor CTF 1.8 text");
		return NULL;
	}
	text = g_string_sized_new(raw->len);
	while (pos < raw->len) {
		const uint8_t *h = raw->data + pos;
		uint32_t content, packet;

		if (raw->len - pos < MD_HEADER || rd32(h) != TSDL_MAGIC) {
			decline(why, "metadata packet at byte %zu is not one", pos);
			return NULL;
		}
		content = rd32(h + 24);
		packet = rd32(h + 28);
		if (content % 8 || packet % 8 || content / 8 < MD_HEADER || packet < content ||
		    packet / 8 > raw->len - pos || h[32] || h[33] || h[34] || h[35] != 1 ||
		    h[36] != 8) {
			decline(why, "metadata packet at byte %zu has an unusual header", pos);
			return NULL;
		}
		g_string_append_len(text, (const char *)h + MD_HEADER, content / 8 - MD_HEADER);
		pos += packet / 8;
	}
	if (memchr(text->str, '\0', text->len)) {
		decline(why, "metadata text holds a NUL");
		return NULL;
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}

/* ---- metadata: tokens ---- */

typedef struct Parser {
	GPtrArray *tok; /* char*; strings keep their quotes */
	guint i;
	char **why;
} Parser;

static bool tokenize(const char *s, GPtrArray *out, char **why)
{
	while (*s) {
		const char *b = s;

		if (g_ascii_isspace(*s)) {
			s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			if (!e)
				return decline(why, "unterminated comment in the metadata");
			s = e + 2;
		} else if (s[0] == '/' && s[1] == '/') {
			while (*s && *s != '\n')
				s++;
		} else if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' || (unsigned char)*s < 0x20)
					return decline(why, "metadata string with an escape");
			if (!*s)
				return decline(why, "unterminated string in the metadata");
			s++;
			g_ptr_array_add(out, g_strndup(b, (gsize)(s - b)));
		} else if (g_ascii_isalnum(*s) || *s == '_') {
			while (g_ascii_isalnum(*s) || *s == '_')
				s++;
			g_ptr_array_add(out, g_strndup(b, (gsize)(s - b)));
		} else if (s[0] == ':' && s[1] == '=') {
			s += 2;
			g_ptr_array_add(out, g_strdup(":="));
		} else if (s[0] == '.' && s[1] == '.' && s[2] == '.') {
			s += 3;
			g_ptr_array_add(out, g_strdup("..."));
		} else if (strchr("{}[]();=:<>,.+-", *s)) {
			s++;
			g_ptr_array_add(out, g_strndup(b, 1));
		} else {
			return decline(why, "unexpected character in the metadata");
		}
	}
	return true;
}

static const char *peek(const Parser *p, guint ahead)
{
	return p->i + ahead < p->tok->len ? p->tok->pdata[p->i + ahead] : "";
}

static const char *next(Parser *p)
{
	const char *t = peek(p, 0);

	if (p->i < p->tok->len)
		p->i++;
	return t;
}

static bool accept(Parser *p, const char *t)
{
	if (strcmp(peek(p, 0), t) != 0)
		return false;
	p->i++;
	return true;
}

static bool expect(Parser *p, const char *t)
{
	if (accept(p, t))
		return true;
	return decline(p->why, "metadata: '%s' where '%s' was expected", peek(p, 0), t);
}

static bool parse_u64(const char *t, uint64_t *ret)
{
	char *end;
	guint64 v;

	if (!g_ascii_isdigit(t[0]))
		return false;
	errno = 0;
	v = g_ascii_strtoull(t, &end, 0);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

static bool next_u64(Parser *p, uint64_t *ret)
{
	const char *t = next(p);

	if (!parse_u64(t, ret))
		return decline(p->why, "metadata: '%s' is not a number we read", t);
	return true;
}

/* Records key in the block's seen list; false when it was there (babeltrace2 refuses it). */
static bool first_time(GPtrArray *seen, const char *key)
{
	for (guint i = 0; i < seen->len; i++)
		if (strcmp(seen->pdata[i], key) == 0)
			return false;
	g_ptr_array_add(seen, (gpointer)key);
	return true;
}

static bool is_string_tok(const char *t)
{
	return t[0] == '"';
}

/* Tokens of the statement at p->i, up to its ';' at depth 0, joined by spaces. */
static char *statement_canon(Parser *p)
{
	g_autoptr(GString) s = g_string_new(NULL);
	int depth = 0;

	while (p->i < p->tok->len) {
		const char *t = next(p);

		if (s->len)
			g_string_append_c(s, ' ');
		g_string_append(s, t);
		if (strcmp(t, "{") == 0)
			depth++;
		else if (strcmp(t, "}") == 0)
			depth--;
		else if (strcmp(t, ";") == 0 && depth == 0)
			return g_string_free(g_steal_pointer(&s), FALSE);
	}
	decline(p->why, "metadata ends inside a statement");
	return NULL;
}

static char *canon_of(const char *text)
{
	g_autoptr(GPtrArray) tok = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *why = NULL;
	Parser p = { tok, 0, &why };

	if (!tokenize(text, tok, &why))
		return NULL;
	return statement_canon(&p);
}

/* What LTTng 2.13 writes (lttng-ust and lttng-modules alike), one statement each. */
static const char *const lttng_statements[] = {
	"typealias integer { size = 8; align = 8; signed = false; } := uint8_t;",
	"typealias integer { size = 16; align = 8; signed = false; } := uint16_t;",
	"typealias integer { size = 32; align = 8; signed = false; } := uint32_t;",
	"typealias integer { size = 64; align = 8; signed = false; } := uint64_t;",
	"typealias integer { size = 64; align = 8; signed = false; } := unsigned long;",
	"typealias integer { size = 5; align = 1; signed = false; } := uint5_t;",
	"typealias integer { size = 27; align = 1; signed = false; } := uint27_t;",
	"typealias integer { size = 27; align = 1; signed = false; map = clock.monotonic.value; "
	"} := uint27_clock_monotonic_t;",
	"typealias integer { size = 32; align = 8; signed = false; map = clock.monotonic.value; "
	"} := uint32_clock_monotonic_t;",
	"typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; "
	"} := uint64_clock_monotonic_t;",
	"struct packet_context { uint64_clock_monotonic_t timestamp_begin; "
	"uint64_clock_monotonic_t timestamp_end; uint64_t content_size; uint64_t packet_size; "
	"uint64_t packet_seq_num; unsigned long events_discarded; uint32_t cpu_id; };",
	"struct event_header_compact { enum : uint5_t { compact = 0 ... 30, extended = 31 } id; "
	"variant <id> { struct { uint27_clock_monotonic_t timestamp; } compact; struct { "
	"uint32_t id; uint64_clock_monotonic_t timestamp; } extended; } v; } align(8);",
	"struct event_header_large { enum : uint16_t { compact = 0 ... 65534, extended = 65535 } "
	"id; variant <id> { struct { uint32_clock_monotonic_t timestamp; } compact; struct { "
	"uint32_t id; uint64_clock_monotonic_t timestamp; } extended; } v; } align(8);",
};

static const char lttng_trace[] =
	"trace { major = 1; minor = 8; uuid = \"U\"; byte_order = le; packet.header := struct { "
	"uint32_t magic; uint8_t uuid[16]; uint32_t stream_id; uint64_t stream_instance_id; }; "
	"};";

static bool parse_uuid(const char *t, uint8_t out[16])
{
	size_t n = strlen(t);
	unsigned k = 0;

	if (n != 38 || t[0] != '"' || t[37] != '"')
		return false;
	for (size_t i = 1; i < 37; i++) {
		int hi, lo;

		if (i == 9 || i == 14 || i == 19 || i == 24) {
			if (t[i] != '-')
				return false;
			continue;
		}
		hi = g_ascii_xdigit_value(t[i]);
		lo = g_ascii_xdigit_value(t[i + 1]);
		if (hi < 0 || lo < 0 || k >= 16)
			return false;
		out[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return k == 16;
}

/* trace { ... }: LTTng's, but for the UUID. */
static bool parse_trace(Parser *p, Meta *m)
{
	guint start = p->i;
	g_autofree char *canon = NULL;
	g_autofree char *want = canon_of(lttng_trace);
	char *uuid_tok = NULL;

	for (guint i = start; i + 2 < p->tok->len; i++)
		if (strcmp(p->tok->pdata[i], "uuid") == 0 &&
		    strcmp(p->tok->pdata[i + 1], "=") == 0 && is_string_tok(p->tok->pdata[i + 2])) {
			uuid_tok = p->tok->pdata[i + 2];
			if (!parse_uuid(uuid_tok, m->uuid))
				return decline(p->why, "trace UUID '%s' is not one", uuid_tok);
			p->tok->pdata[i + 2] = g_strdup("\"U\"");
			break;
		}
	if (!uuid_tok)
		return decline(p->why, "the trace block has no UUID");
	g_free(uuid_tok);
	canon = statement_canon(p);
	if (!canon || !want || strcmp(canon, want) != 0)
		return decline(p->why, "the trace block is not LTTng's");
	return true;
}

static bool parse_env(Parser *p, Meta *m)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new();

	if (!expect(p, "env") || !expect(p, "{"))
		return false;
	while (!accept(p, "}")) {
		const char *key = next(p);
		const char *v;

		if (!g_ascii_isalpha(key[0]) && key[0] != '_')
			return decline(p->why, "metadata: env entry '%s'", key);
		if (!first_time(seen, key))
			return decline(p->why, "metadata: env entry '%s' twice", key);
		if (!expect(p, "="))
			return false;
		v = next(p);
		if (is_string_tok(v)) {
			g_byte_array_append(m->env, (const guint8 *)"s", 1);
			g_byte_array_append(m->env, (const guint8 *)key, (guint)strlen(key) + 1);
			g_byte_array_append(m->env, (const guint8 *)v + 1, (guint)strlen(v) - 2);
			g_byte_array_append(m->env, (const guint8 *)"", 1);
		} else {
			bool neg = strcmp(v, "-") == 0;
			uint64_t u;
			int64_t x;

			if (neg)
				v = next(p);
			if (!parse_u64(v, &u) || u > (uint64_t)INT64_MAX)
				return decline(p->why, "metadata: env value of '%s'", key);
			x = neg ? -(int64_t)u : (int64_t)u;
			g_byte_array_append(m->env, (const guint8 *)"i", 1);
			g_byte_array_append(m->env, (const guint8 *)key, (guint)strlen(key) + 1);
			g_byte_array_append(m->env, (const guint8 *)&x, sizeof(x));
		}
		if (!expect(p, ";"))
			return false;
	}
	return expect(p, ";");
}

static bool parse_clock(Parser *p, Meta *m)
{
	bool have_name = false, have_freq = false;
	uint64_t offset = 0;
	g_autoptr(GPtrArray) seen = g_ptr_array_new();

	if (!expect(p, "clock") || !expect(p, "{"))
		return false;
	while (!accept(p, "}")) {
		const char *key = next(p);
		const char *v;

		if (!first_time(seen, key))
			return decline(p->why, "clock attribute '%s' twice", key);
		if (!expect(p, "="))
			return false;
		v = next(p);
		if (strcmp(key, "name") == 0) {
			if (strcmp(v, "monotonic") != 0 && strcmp(v, "\"monotonic\"") != 0)
				return decline(p->why, "clock %s is not LTTng's monotonic", v);
			have_name = true;
		} else if (strcmp(key, "uuid") == 0) {
			if (!parse_uuid(v, m->clock_uuid))
				return decline(p->why, "clock UUID '%s' is not one", v);
			m->have_clock_uuid = true;
		} else if (strcmp(key, "description") == 0) {
			if (!is_string_tok(v))
				return decline(p->why, "clock description");
		} else if (strcmp(key, "freq") == 0) {
			uint64_t f;

			if (!parse_u64(v, &f) || f != 1000000000u)
				return decline(p->why, "clock frequency %s is not 1 GHz", v);
			have_freq = true;
		} else if (strcmp(key, "offset") == 0) {
			if (!parse_u64(v, &offset) || offset > (uint64_t)INT64_MAX)
				return decline(p->why, "clock offset %s", v);
		} else if (strcmp(key, "precision") == 0) {
			uint64_t x;

			if (!parse_u64(v, &x))
				return decline(p->why, "clock precision %s", v);
		} else {
			return decline(p->why, "clock attribute '%s'", key);
		}
		if (!expect(p, ";"))
			return false;
	}
	if (!have_name || !have_freq)
		return decline(p->why, "clock without a name or frequency");
	m->offset_ns = (int64_t)offset;
	return expect(p, ";");
}

/* integer { ... } or string [{ encoding = X; }], then NAME [ '[' N ']' ] ';' */
static bool parse_member(Parser *p, GArray *ops)
{
	Op op = { .dest = DEST_NONE, .align = 1 };
	uint64_t size = 0, align = 0;
	bool is_signed = false, text = false, have_size = false, have_align = false;
	const char *name;

	if (accept(p, "integer")) {
		g_autoptr(GPtrArray) seen = g_ptr_array_new();

		if (!expect(p, "{"))
			return false;
		while (!accept(p, "}")) {
			const char *key = next(p);
			const char *v;

			if (!first_time(seen, key))
				return decline(p->why, "integer attribute '%s' twice", key);
			if (!expect(p, "="))
				return false;
			v = next(p);
			if (strcmp(key, "size") == 0) {
				if (!parse_u64(v, &size))
					return decline(p->why, "integer size %s", v);
				have_size = true;
			} else if (strcmp(key, "align") == 0) {
				if (!parse_u64(v, &align) || align == 0)
					return decline(p->why, "integer align %s", v);
				have_align = true;
			} else if (strcmp(key, "signed") == 0) {
				if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ||
				    strcmp(v, "TRUE") == 0)
					is_signed = true;
				else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
					 strcmp(v, "FALSE") == 0)
					is_signed = false;
				else
					return decline(p->why, "integer signed = %s", v);
			} else if (strcmp(key, "encoding") == 0) {
				if (strcmp(v, "none") == 0)
					text = false;
				else if (strcmp(v, "UTF8") == 0 || strcmp(v, "ASCII") == 0)
					text = true;
				else
					return decline(p->why, "integer encoding %s", v);
			} else if (strcmp(key, "base") == 0) {
				/* display only */
			} else if (strcmp(key, "byte_order") == 0) {
				if (strcmp(v, "le") != 0 && strcmp(v, "little") != 0 &&
				    strcmp(v, "native") != 0)
					return decline(p->why, "integer byte order %s", v);
			} else {
				return decline(p->why, "integer attribute '%s'", key);
			}
			if (!expect(p, ";"))
				return false;
		}
		if (!have_size || (size != 8 && size != 16 && size != 32 && size != 64))
			return decline(p->why, "a %" PRIu64 "-bit integer field", size);
		if (!have_align)
			return decline(p->why, "an integer without an alignment");
		if (align % 8 || align > 512 || (align & (align - 1)))
			return decline(p->why, "an integer aligned to %" PRIu64 " bits", align);
		op.kind = FT_INT;
		op.bytes = (uint8_t)(size / 8);
		op.align = (uint8_t)(align / 8);
		op.is_signed = is_signed;
	} else if (accept(p, "string")) {
		if (accept(p, "{")) {
			if (!expect(p, "encoding") || !expect(p, "="))
				return false;
			next(p);
			if (!expect(p, ";") || !expect(p, "}"))
				return false;
		}
		op.kind = FT_STRING;
		op.align = 1;
	} else {
		return decline(p->why, "a field of type '%s'", peek(p, 0));
	}
	name = next(p);
	if (!g_ascii_isalpha(name[0]) && name[0] != '_')
		return decline(p->why, "field name '%s'", name);
	op.name = g_strdup(name[0] == '_' ? name + 1 : name);
	g_array_append_val(ops, op);
	if (accept(p, "[")) {
		uint64_t n;
		Op *o = &g_array_index(ops, Op, ops->len - 1);

		if (!next_u64(p, &n) || !expect(p, "]"))
			return false;
		if (o->kind != FT_INT || n > MAX_ARRAY)
			return decline(p->why, "array field '%s'", name);
		o->len = (uint32_t)n;
		if (text) {
			if (o->bytes != 1)
				return decline(p->why, "text array of wide characters '%s'", name);
			o->kind = FT_TEXT;
		} else {
			o->kind = FT_INT_ARRAY;
		}
	}
	return expect(p, ";");
}

/* struct { members } [align(N)], into ops; *ret_align the struct's alignment in bytes. */
static bool parse_struct(Parser *p, GArray *ops, uint8_t *ret_align)
{
	uint8_t align = 1;

	if (!expect(p, "struct") || !expect(p, "{"))
		return false;
	while (!accept(p, "}"))
		if (!parse_member(p, ops))
			return false;
	if (accept(p, "align")) {
		uint64_t a;

		if (!expect(p, "(") || !next_u64(p, &a) || !expect(p, ")"))
			return false;
		if (a % 8 || a > 512 || (a & (a - 1)))
			return decline(p->why, "struct aligned to %" PRIu64 " bits", a);
		align = (uint8_t)MAX(align, a / 8);
	}
	for (guint i = 0; i < ops->len; i++) {
		Op *o = &g_array_index(ops, Op, i);

		align = MAX(align, o->align);
		for (guint j = 0; j < i; j++)
			if (strcmp(g_array_index(ops, Op, j).name, o->name) == 0)
				return decline(p->why, "two fields named '%s'", o->name);
	}
	*ret_align = align;
	return true;
}

static int op_index(const GArray *ops, const char *name)
{
	for (guint i = 0; i < ops->len; i++)
		if (strcmp(g_array_index(ops, Op, i).name, name) == 0)
			return (int)i;
	return -1;
}

static bool parse_stream(Parser *p, Meta *m, bool *seen)
{
	bool have_id = false, have_header = false, have_pc = false;

	if (*seen)
		return decline(p->why, "more than one stream class");
	*seen = true;
	if (!expect(p, "stream") || !expect(p, "{"))
		return false;
	while (!accept(p, "}")) {
		if (accept(p, "id")) {
			if (have_id)
				return decline(p->why, "stream id twice");
			if (!expect(p, "=") || !next_u64(p, &m->stream_class_id) || !expect(p, ";"))
				return false;
			have_id = true;
		} else if (accept(p, "event")) {
			if (!expect(p, "."))
				return false;
			if (accept(p, "header")) {
				const char *h;

				if (have_header)
					return decline(p->why, "stream event header twice");
				if (!expect(p, ":=") || !expect(p, "struct"))
					return false;
				h = next(p);
				if (strcmp(h, "event_header_compact") == 0)
					m->header_large = false;
				else if (strcmp(h, "event_header_large") == 0)
					m->header_large = true;
				else
					return decline(p->why, "event header '%s'", h);
				if (!expect(p, ";"))
					return false;
				have_header = true;
			} else if (accept(p, "context")) {
				if (m->ctx->len)
					return decline(p->why, "stream event context twice");
				if (!expect(p, ":=") || !parse_struct(p, m->ctx, &m->ctx_align) ||
				    !expect(p, ";"))
					return false;
			} else {
				return decline(p->why, "stream attribute event.%s", peek(p, 0));
			}
		} else if (accept(p, "packet")) {
			if (have_pc)
				return decline(p->why, "stream packet context twice");
			if (!expect(p, ".") || !expect(p, "context") || !expect(p, ":=") ||
			    !expect(p, "struct") || !expect(p, "packet_context") || !expect(p, ";"))
				return false;
			have_pc = true;
		} else {
			return decline(p->why, "stream attribute '%s'", peek(p, 0));
		}
	}
	if (!have_id || !have_header || !have_pc)
		return decline(p->why,
			       "stream class without an id, event header or packet context");
	return expect(p, ";");
}

static void class_free(gpointer data)
{
	Class *c = data;

	if (!c)
		return;
	for (guint i = 0; c->ops && i < c->ops->len; i++)
		g_free(g_array_index(c->ops, Op, i).name);
	if (c->ops)
		g_array_unref(c->ops);
	g_free(c->name);
	g_free(c);
}

static bool parse_event(Parser *p, Meta *m)
{
	Class *c = g_new0(Class, 1);
	bool have_id = false, have_fields = false;
	uint64_t sid = UINT64_MAX;

	g_autoptr(GPtrArray) seen = g_ptr_array_new();

	c->ops = g_array_new(FALSE, TRUE, sizeof(Op));
	g_ptr_array_add(m->classes, c);
	if (!expect(p, "event") || !expect(p, "{"))
		return false;
	while (!accept(p, "}")) {
		const char *key = next(p);

		if (!first_time(seen, key))
			return decline(p->why, "event attribute '%s' twice", key);
		if (strcmp(key, "fields") == 0) {
			if (!expect(p, ":=") || !parse_struct(p, c->ops, &c->align) ||
			    !expect(p, ";"))
				return false;
			have_fields = true;
			continue;
		}
		if (!expect(p, "="))
			return false;
		if (strcmp(key, "name") == 0) {
			const char *v = next(p);

			if (!is_string_tok(v))
				return decline(p->why, "event name %s", v);
			g_free(c->name);
			c->name = g_strndup(v + 1, strlen(v) - 2);
		} else if (strcmp(key, "id") == 0) {
			if (!next_u64(p, &c->id))
				return false;
			have_id = true;
		} else if (strcmp(key, "stream_id") == 0) {
			if (!next_u64(p, &sid))
				return false;
		} else if (strcmp(key, "loglevel") == 0) {
			uint64_t x;

			if (!next_u64(p, &x))
				return false;
		} else {
			return decline(p->why, "event attribute '%s'", key);
		}
		if (!expect(p, ";"))
			return false;
	}
	if (!c->name || !have_id || !have_fields)
		return decline(p->why, "event class without a name, id or fields");
	if (c->id > MAX_CLASS_ID)
		return decline(p->why, "event class id %" PRIu64, c->id);
	if (sid != UINT64_MAX && sid != m->stream_class_id)
		return decline(p->why, "event class of another stream class");
	return expect(p, ";");
}

/* As normalize.c's width_ok(). */
static bool width_ok(FieldId id, unsigned bits, unsigned want)
{
	if (bits == want)
		return true;
	return (id == FIELD_IP || id == FIELD_PFN) && bits == 32 && want == 64;
}

/* As normalize.c's stream_class_schema_version(). */
static int schema_version(const Meta *m)
{
	for (guint i = 0; i < m->classes->len; i++) {
		const Class *c = m->classes->pdata[i];
		EventKind k = event_kind_from_trace_name(c->name);

		if (k == _EVENT_KIND_INVALID)
			continue;
		if (schema_events[k].since >= 2)
			return 2;
		if ((k == EVENT_FAULT && op_index(c->ops, schema_fields[FIELD_CACHED].name) >= 0) ||
		    (k == EVENT_STATE && op_index(c->ops, schema_fields[FIELD_PINNED].name) >= 0))
			return 2;
	}
	return 1;
}

static void pack(const GArray *ops, Packed *pk);

/* As normalize.c's event_class_map_init(): where it would fail, decline. */
static bool map_classes(Meta *m, char **why)
{
	int version = schema_version(m);
	uint32_t max_id = 0;

	for (guint i = 0; i < m->classes->len; i++) {
		Class *c = m->classes->pdata[i];
		const FieldId *fields;
		size_t n;

		max_id = MAX(max_id, (uint32_t)c->id);
		for (int f = 0; f < _FIELD_ID_MAX; f++)
			c->field[f] = -1;
		c->kind = event_kind_from_trace_name(c->name);
		if (c->kind == _EVENT_KIND_INVALID)
			continue;
		c->version = version;
		fields = schema_event_fields(c->kind, version, &n);
		if (!fields)
			return decline(why, "event '%s' is not in event schema v%d", c->name,
				       version);
		for (size_t k = 0; k < n; k++) {
			const SchemaField *sf = &schema_fields[fields[k]];
			int idx = op_index(c->ops, sf->name);
			Op *o;

			if (idx < 0)
				return decline(why, "event '%s' has no field '%s'", c->name,
					       sf->name);
			o = &g_array_index(c->ops, Op, idx);
			if (o->kind != FT_INT ||
			    (bool)o->is_signed != (bool)field_type_signed(sf->type) ||
			    !width_ok(sf->id, o->bytes * 8u, field_type_bits(sf->type)))
				return decline(why,
					       "event '%s' field '%s' is not as the schema says",
					       c->name, sf->name);
			o->dest = (int16_t)sf->id;
			c->field[sf->id] = idx;
		}
	}
	m->n_by_id = max_id + 1;
	m->by_id = g_new0(Class *, m->n_by_id);
	for (guint i = 0; i < m->classes->len; i++) {
		Class *c = m->classes->pdata[i];

		if (m->by_id[c->id])
			return decline(why, "two event classes with id %" PRIu64, c->id);
		m->by_id[c->id] = c;
	}
	/* As normalize.c's map_contexts(). */
	m->ctx_tid = op_index(m->ctx, "vtid");
	if (m->ctx_tid < 0)
		m->ctx_tid = op_index(m->ctx, "tid");
	if (m->ctx_tid >= 0) {
		Op *o = &g_array_index(m->ctx, Op, m->ctx_tid);

		if (o->kind == FT_INT) {
			m->ctx_tid_signed = o->is_signed;
			o->dest = DEST_TID;
		} else {
			m->ctx_tid = -1;
		}
	}
	m->ctx_procname = op_index(m->ctx, "procname");
	if (m->ctx_procname >= 0) {
		Op *o = &g_array_index(m->ctx, Op, m->ctx_procname);

		if (o->kind == FT_TEXT || o->kind == FT_STRING)
			o->dest = DEST_PROCNAME;
		else
			m->ctx_procname = -1;
	}
	pack(m->ctx, &m->ctx_packed);
	for (guint i = 0; i < m->classes->len; i++) {
		Class *c = m->classes->pdata[i];

		pack(c->ops, &c->packed);
		c->n_flags = 0;
		for (size_t j = 0; j < schema_n_flag_fields; j++) {
			const SchemaFlagField *b = &schema_flag_fields[j];

			if (c->version >= b->version && c->field[b->field] >= 0) {
				c->flag_field[c->n_flags] = b->field;
				c->flag_bit[c->n_flags++] = b->flag;
			}
		}
	}
	return true;
}

static void pack(const GArray *ops, Packed *pk)
{
	uint64_t off = 0;

	memset(pk, 0, sizeof(*pk));
	for (guint i = 0; i < ops->len; i++) {
		const Op *o = &g_array_index(ops, Op, i);

		if (o->kind == FT_STRING || o->align != 1 || pk->n_picks >= _DEST_MAX)
			return;
		if (o->dest != DEST_NONE) {
			pk->picks[pk->n_picks++] = (Pick){
				.off = (uint32_t)off,
				.bytes = o->bytes,
				.is_signed = o->is_signed,
				.dest = o->dest,
				.len = o->len,
				.text = o->kind == FT_TEXT,
			};
			if ((o->dest == FIELD_NR || o->dest == FIELD_TYPE) && o->kind == FT_INT &&
			    pk->n_check < G_N_ELEMENTS(pk->check))
				pk->check[pk->n_check++] = pk->picks[pk->n_picks - 1];
		}
		off += o->kind == FT_INT ? o->bytes : (uint64_t)o->len * o->bytes;
		if (off > CTF_FAST_MAX_PACKET)
			return;
	}
	pk->size = (uint32_t)off;
	pk->fixed = true;
}

static void meta_release(Meta *m)
{
	if (m->classes)
		g_ptr_array_unref(m->classes);
	for (guint i = 0; m->ctx && i < m->ctx->len; i++)
		g_free(g_array_index(m->ctx, Op, i).name);
	if (m->ctx)
		g_array_unref(m->ctx);
	if (m->env)
		g_byte_array_unref(m->env);
	g_free(m->by_id);
}

static bool meta_load(Meta *m, const char *dir, char **why)
{
	g_autofree char *text = metadata_text(dir, why);
	g_autoptr(GPtrArray) tok = g_ptr_array_new_with_free_func(g_free);
	Parser p = { tok, 0, why };
	bool seen[G_N_ELEMENTS(lttng_statements)] = { false };
	bool have_trace = false, have_env = false, have_clock = false, have_stream = false;
	g_autofree char *tracer = NULL;

	memset(m, 0, sizeof(*m));
	m->classes = g_ptr_array_new_with_free_func(class_free);
	m->ctx = g_array_new(FALSE, TRUE, sizeof(Op));
	m->ctx_align = 1;
	m->env = g_byte_array_new();
	if (!text || !tokenize(text, tok, why))
		return false;
	while (p.i < tok->len) {
		const char *t = peek(&p, 0);
		bool ok;

		if (strcmp(t, "trace") == 0) {
			ok = !have_trace && parse_trace(&p, m);
			have_trace = true;
		} else if (strcmp(t, "env") == 0) {
			ok = !have_env && parse_env(&p, m);
			have_env = true;
		} else if (strcmp(t, "clock") == 0) {
			ok = !have_clock && parse_clock(&p, m);
			have_clock = true;
		} else if (strcmp(t, "stream") == 0) {
			ok = parse_stream(&p, m, &have_stream);
		} else if (strcmp(t, "event") == 0) {
			ok = parse_event(&p, m);
		} else {
			g_autofree char *canon = statement_canon(&p);
			size_t k;

			ok = false;
			for (k = 0; canon && k < G_N_ELEMENTS(lttng_statements); k++) {
				g_autofree char *want = canon_of(lttng_statements[k]);

				if (want && strcmp(canon, want) == 0) {
					ok = !seen[k];
					seen[k] = true;
					break;
				}
			}
			if (!ok)
				return decline(why,
					       "a metadata statement LTTng 2.13 does not write");
		}
		if (!ok)
			return decline(why, "the metadata is not LTTng's layout");
	}
	for (size_t k = 0; k < G_N_ELEMENTS(lttng_statements); k++)
		if (!seen[k])
			return decline(why, "the metadata lacks one of LTTng's type definitions");
	if (!have_trace || !have_env || !have_clock || !have_stream || !m->classes->len)
		return decline(why, "the metadata lacks a trace, env, clock, stream or event");
	return map_classes(m, why);
}

/* The tracer: lttng-ust or lttng-modules 2.13 or later (no packet-time quirks to undo). */
static bool tracer_ok(const Meta *m)
{
	const uint8_t *p = m->env->data, *end = p + m->env->len;
	const char *name = NULL;
	int64_t major = -1, minor = -1;

	while (p < end) {
		char kind = (char)*p++;
		const char *key = (const char *)p;

		p += strlen(key) + 1;
		if (kind == 's') {
			if (strcmp(key, "tracer_name") == 0)
				name = (const char *)p;
			p += strlen((const char *)p) + 1;
		} else {
			int64_t x;

			memcpy(&x, p, sizeof(x));
			p += sizeof(x);
			if (strcmp(key, "tracer_major") == 0)
				major = x;
			else if (strcmp(key, "tracer_minor") == 0)
				minor = x;
		}
	}
	return name && (strcmp(name, "lttng-ust") == 0 || strcmp(name, "lttng-modules") == 0) &&
	       (major > 2 || (major == 2 && minor >= 13));
}

/* ---- streams ---- */

typedef struct Stream {
	const StreamFile *f;
	int fd;
	uint64_t instance_id;
	uint8_t *buf;
	size_t cap;
	uint64_t next_off; /* file offset of the next packet */
	size_t pos, end;   /* in buf: the current packet's content */
	uint64_t clock;	   /* cycles */
	uint64_t ts_end;   /* the current packet's end, cycles */
	uint32_t cpu;
	uint64_t packets;
	uint64_t last_seq;
	int64_t last_ns;
	uint64_t first_begin, last_end; /* cycles, for the range */
	/* the next event, decoded */
	bool have;
	int64_t ts_ns;
	const Class *cls;
	uint64_t v[_DEST_MAX];
	const uint8_t *proc;
	size_t proc_len;
	/* the last procname sent for this stream (0: none or too long) */
	uint32_t last_proc_id;
	size_t last_proc_len;
	uint8_t last_proc[PROC_MAX];
} Stream;

typedef struct Fast {
	const CtfFastTrace *t;
	Meta m;
	Stream *s;
	unsigned n;
	char **why;
	GError **error;
	bool sending; /* second pass: a failure now is the files changing */
	size_t buffers;
	uint64_t checked; /* events of the first pass */ /* bytes of every stream's packet buffer */
	GHashTable *procs;				 /* procname -> id */
	WireWriter *w;
	TraceReaderStats *stats;
} Fast;

static bool bad(Fast *x, Stream *s, const char *what)
{
	if (x->sending) {
		if (!*x->error)
			g_set_error(x->error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': stream file '%s' changed while it was "
				    "read (%s)",
				    x->t->display, s->f->name, what);
		return false;
	}
	return decline(x->why, "stream file '%s': %s", s->f->name, what);
}

static bool pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

static bool to_ns(const Fast *x, uint64_t cycles, int64_t *ret)
{
	if (cycles > (uint64_t)INT64_MAX)
		return false;
	return !__builtin_add_overflow(x->m.offset_ns, (int64_t)cycles, ret);
}

/* Loads the packet at s->next_off; false at the file's end (ok) or on trouble (*fail). */
static bool load_packet(Fast *x, Stream *s, bool *fail)
{
	uint8_t h[PKT_HEADER];
	uint64_t size = s->f->size, content, packet, seq, discarded, begin, end;
	int64_t begin_ns, end_ns;
	const IndexPacket *ip = NULL;

	*fail = false;
	if (s->next_off == size) {
		if (s->f->index && s->packets != s->f->index->len)
			return *fail = true, bad(x, s, "index lists other packets");
		return false;
	}
	*fail = true;
	if (size - s->next_off < PKT_HEADER || !pread_all(s->fd, h, PKT_HEADER, s->next_off))
		return bad(x, s, "a packet cut short");
	if (rd32(h) != CTF_MAGIC || memcmp(h + 4, x->m.uuid, 16) != 0 ||
	    rd32(h + 20) != x->m.stream_class_id)
		return bad(x, s, "packet header magic, UUID or stream class");
	if (rd64(h + 24) == UINT64_MAX)
		return bad(x, s, "stream instance id -1 (babeltrace2's 'none')");
	if (s->packets == 0)
		s->instance_id = rd64(h + 24);
	else if (rd64(h + 24) != s->instance_id)
		return bad(x, s, "two stream instances in one file");
	begin = rd64(h + 32);
	end = rd64(h + 40);
	content = rd64(h + 48);
	packet = rd64(h + 56);
	seq = rd64(h + 64);
	discarded = rd64(h + 72);
	if (content % 8 || packet % 8 || content < PKT_HEADER * 8 || packet < content ||
	    packet / 8 > size - s->next_off || packet / 8 > CTF_FAST_MAX_PACKET)
		return bad(x, s, "packet sizes");
	if (discarded != 0)
		return bad(x, s, "discarded events");
	if (s->packets && seq != s->last_seq + 1)
		return bad(x, s, "packet sequence numbers jump (discarded packets)");
	if (begin > end || (s->packets && begin < s->ts_end))
		return bad(x, s, "packet times go back");
	/* The packet's beginning is a message in time order too: no event before it. */
	if (!to_ns(x, begin, &begin_ns) || !to_ns(x, end, &end_ns))
		return bad(x, s, "packet times past int64 ns");
	if (s->f->index) {
		if (s->packets >= s->f->index->len)
			return bad(x, s, "more packets than the index lists");
		ip = &g_array_index(s->f->index, IndexPacket, s->packets);
		if (ip->offset != s->next_off || ip->packet_bits != packet ||
		    ip->content_bits != content || ip->ts_begin != begin || ip->ts_end != end ||
		    ip->discarded != discarded)
			return bad(x, s, "packet differs from its index entry");
	}
	if (content / 8 > s->cap) {
		if (x->buffers - s->cap + content / 8 > MAX_BUFFERS)
			return bad(x, s, "packets too large to hold one per stream");
		x->buffers = x->buffers - s->cap + (size_t)(content / 8);
		s->cap = (size_t)(content / 8);
		s->buf = g_realloc(s->buf, s->cap);
	}
	if (!pread_all(s->fd, s->buf, (size_t)(content / 8), s->next_off))
		return bad(x, s, "a packet cannot be read");
	if (s->packets == 0)
		s->first_begin = begin;
	s->last_end = end;
	s->last_seq = seq;
	s->packets++;
	s->pos = PKT_HEADER;
	s->end = (size_t)(content / 8);
	s->clock = begin;
	s->last_ns = MAX(s->last_ns, begin_ns);
	(void)end_ns;
	s->ts_end = end;
	s->cpu = rd32(h + 80);
	s->next_off += packet / 8;
	*fail = false;
	return true;
}

static inline bool align_to(size_t *pos, unsigned a, size_t end)
{
	size_t p = (*pos + a - 1) & ~(size_t)(a - 1);

	if (p > end)
		return false;
	*pos = p;
	return true;
}

/* One struct's fields at s->pos into s->v / s->proc; false: past the content. */
static bool decode_ops(Stream *s, const GArray *ops, unsigned align)
{
	const Op *o = (const Op *)ops->data;
	size_t pos = s->pos, end = s->end;
	const uint8_t *b = s->buf;

	if (!align_to(&pos, align, end))
		return false;
	for (guint i = 0; i < ops->len; i++, o++) {
		if (!align_to(&pos, o->align, end))
			return false;
		switch (o->kind) {
		case FT_INT: {
			uint64_t v;

			if (end - pos < o->bytes)
				return false;
			v = rd_le(b + pos, o->bytes);
			if (o->is_signed && o->bytes < 8 && (v >> (o->bytes * 8 - 1)) & 1)
				v |= ~UINT64_C(0) << (o->bytes * 8);
			pos += o->bytes;
			if (o->dest >= 0)
				s->v[o->dest] = v;
			break;
		}
		case FT_STRING: {
			const uint8_t *z = memchr(b + pos, 0, end - pos);

			if (!z)
				return false;
			if (o->dest == DEST_PROCNAME) {
				s->proc = b + pos;
				s->proc_len = (size_t)(z - (b + pos));
			}
			pos = (size_t)(z - b) + 1;
			break;
		}
		case FT_TEXT:
			if (end - pos < o->len)
				return false;
			if (o->dest == DEST_PROCNAME) {
				const uint8_t *z = memchr(b + pos, 0, o->len);

				s->proc = b + pos;
				s->proc_len = z ? (size_t)(z - (b + pos)) : o->len;
			}
			pos += o->len;
			break;
		case FT_INT_ARRAY:
			if ((uint64_t)(end - pos) < (uint64_t)o->len * o->bytes)
				return false;
			pos += (size_t)o->len * o->bytes;
			break;
		}
	}
	s->pos = pos;
	return true;
}

/*
 * A packed struct (Packed.fixed) at s->pos, its picks[n] only; false:
 * past the content.
 */
static inline bool decode_packed(Stream *s, const Packed *pk, const Pick *picks, unsigned n)
{
	const uint8_t *b = s->buf + s->pos;

	if (s->end - s->pos < pk->size)
		return false;
	for (unsigned i = 0; i < n; i++) {
		const Pick *p = &picks[i];

		if (p->text) {
			const uint8_t *z = memchr(b + p->off, 0, p->len);

			s->proc = b + p->off;
			s->proc_len = z ? (size_t)(z - (b + p->off)) : p->len;
		} else {
			uint64_t v;

			switch (p->bytes) {
			case 1:
				v = b[p->off];
				if (p->is_signed)
					v = (uint64_t)(int64_t)(int8_t)v;
				break;
			case 2:
				v = (uint64_t)b[p->off] | (uint64_t)b[p->off + 1] << 8;
				if (p->is_signed)
					v = (uint64_t)(int64_t)(int16_t)v;
				break;
			case 4:
				v = rd32(b + p->off);
				if (p->is_signed)
					v = (uint64_t)(int64_t)(int32_t)v;
				break;
			default:
				v = rd64(b + p->off);
				break;
			}
			s->v[p->dest] = v;
		}
	}
	s->pos += pk->size;
	return true;
}

/*
 * full false (the first pass): of a packed struct only what advance()
 * checks, for the first pass only proves the events can be read.
 */
static inline bool decode_struct(Stream *s, const GArray *ops, unsigned align, const Packed *pk,
				 bool full)
{
	if (pk->fixed)
		return full ? decode_packed(s, pk, pk->picks, pk->n_picks)
			    : decode_packed(s, pk, pk->check, pk->n_check);
	return decode_ops(s, ops, align);
}

static inline void clock_update(Stream *s, uint64_t v, unsigned bits)
{
	uint64_t mask;

	if (bits == 64) {
		s->clock = v;
		return;
	}
	mask = (UINT64_C(1) << bits) - 1;
	if (v < (s->clock & mask))
		s->clock += mask + 1;
	s->clock = (s->clock & ~mask) | v;
}

/*
 * The stream's next event into s->have, s->ts_ns, s->cls, s->v; s->have
 * false at the stream's end.  False on trouble.
 */
static bool advance(Fast *x, Stream *s)
{
	const uint8_t *b;
	uint64_t id;
	size_t pos;
	bool fail;

	s->have = false;
	while (s->pos >= s->end) {
		if (s->pos > s->end)
			return bad(x, s, "an event past its packet's content");
		if (!load_packet(x, s, &fail)) {
			if (fail)
				return false;
			return true;
		}
	}
	b = s->buf;
	pos = s->pos;
	if (!x->m.header_large) {
		uint32_t w;

		if (s->end - pos < 4)
			return bad(x, s, "an event header past its packet's content");
		w = rd32(b + pos);
		id = w & 31;
		if (id == 31) {
			if (s->end - pos < 13)
				return bad(x, s, "an event header past its packet's content");
			id = rd32(b + pos + 1);
			clock_update(s, rd64(b + pos + 5), 64);
			pos += 13;
		} else {
			clock_update(s, w >> 5, 27);
			pos += 4;
		}
	} else {
		if (s->end - pos < 6)
			return bad(x, s, "an event header past its packet's content");
		id = b[pos] | (uint32_t)b[pos + 1] << 8;
		if (id == 65535) {
			if (s->end - pos < 14)
				return bad(x, s, "an event header past its packet's content");
			id = rd32(b + pos + 2);
			clock_update(s, rd64(b + pos + 6), 64);
			pos += 14;
		} else {
			clock_update(s, rd32(b + pos + 2), 32);
			pos += 6;
		}
	}
	if (id >= x->m.n_by_id || !x->m.by_id[id])
		return bad(x, s, "an event of an undeclared class");
	s->cls = x->m.by_id[id];
	s->pos = pos;
	s->proc = NULL;
	s->proc_len = 0;
	if ((x->m.ctx->len &&
	     !decode_struct(s, x->m.ctx, x->m.ctx_align, &x->m.ctx_packed, x->sending)) ||
	    !decode_struct(s, s->cls->ops, s->cls->align, &s->cls->packed, x->sending))
		return bad(x, s, "an event past its packet's content");
	if (!to_ns(x, s->clock, &s->ts_ns))
		return bad(x, s, "a timestamp past int64 ns");
	if (s->clock > s->ts_end || s->ts_ns < s->last_ns)
		return bad(x, s, "event times go back or pass their packet's end");
	s->last_ns = s->ts_ns;
	if (s->cls->kind != _EVENT_KIND_INVALID) {
		const int32_t *f = s->cls->field;

		if ((f[FIELD_NR] >= 0 && (uint32_t)s->v[FIELD_NR] > EVENT_NR_MAX) ||
		    (f[FIELD_TYPE] >= 0 && (uint32_t)s->v[FIELD_TYPE] >= EVENT_TYPE_MAX))
			return bad(x, s, "a slot range or device beyond the schema's bounds");
	}
	s->have = true;
	return true;
}

static bool stream_open(Fast *x, Stream *s)
{
	s->fd = open(s->f->path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return bad(x, s, "cannot open");
	s->next_off = 0;
	s->pos = s->end = 0;
	s->packets = 0;
	s->last_ns = INT64_MIN;
	s->ts_end = 0;
	return advance(x, s);
}

static void stream_close(Stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* ---- sending ---- */

/* As normalize_event(), from the decoded values. */
static void fill_event(const Stream *s, const Meta *m, Event *out)
{
	const Class *c = s->cls;
	const int32_t *f = c->field;
	const uint64_t *v = s->v;

	memset(out, 0, sizeof(*out));
	out->kind = c->kind;
	out->tid = EVENT_TID_UNKNOWN;
	out->cpu = UINT32_MAX;
	if (f[FIELD_TYPE] >= 0)
		out->type = (uint32_t)v[FIELD_TYPE];
	if (f[FIELD_OFFSET] >= 0)
		out->offset = v[FIELD_OFFSET];
	if (f[FIELD_NR] >= 0)
		out->nr = (uint32_t)v[FIELD_NR];
	if (f[FIELD_PFN] >= 0)
		out->pfn = v[FIELD_PFN];
	if (f[FIELD_COUNT] >= 0)
		out->count = (int32_t)(int64_t)v[FIELD_COUNT];
	if (f[FIELD_RET] >= 0)
		out->ret = (int32_t)(int64_t)v[FIELD_RET];
	if (f[FIELD_REFS] >= 0)
		out->refs = (int32_t)(int64_t)v[FIELD_REFS];
	if (f[FIELD_NR_SLOTS] >= 0)
		out->nr_slots = v[FIELD_NR_SLOTS];
	if (f[FIELD_CLUSTER_SIZE] >= 0)
		out->cluster_size = (uint32_t)v[FIELD_CLUSTER_SIZE];
	if (f[FIELD_IP] >= 0)
		out->ip = v[FIELD_IP];
	for (unsigned i = 0; i < c->n_flags; i++)
		if (v[c->flag_field[i]])
			out->flags |= c->flag_bit[i];
	if (c->version >= 2) {
		if (f[FIELD_NEW_PFN] >= 0)
			out->new_pfn = v[FIELD_NEW_PFN];
		if (f[FIELD_NEW_NR] >= 0)
			out->new_nr = (uint32_t)v[FIELD_NEW_NR];
		if (f[FIELD_MAPCOUNT] >= 0)
			out->mapcount = (int32_t)(int64_t)v[FIELD_MAPCOUNT];
		if (f[FIELD_VERDICT] >= 0)
			out->verdict = (uint32_t)v[FIELD_VERDICT];
	} else if (c->kind == EVENT_FAULT || c->kind == EVENT_STATE || c->kind == EVENT_DEVICE_ON) {
		out->flags |= EVENT_F_V1;
	}
	if (m->ctx_tid >= 0)
		out->tid = m->ctx_tid_signed ? (int32_t)(int64_t)v[DEST_TID] : (int32_t)v[DEST_TID];
}

/* The wire id of the stream's current procname, sent the first time it is seen. */
static uint32_t proc_id(Fast *x, Stream *s, bool *ok)
{
	char small[PROC_MAX + 1];
	g_autofree char *big = NULL;
	char *key = small;
	gpointer id;

	if (s->last_proc_id && s->proc_len == s->last_proc_len &&
	    memcmp(s->proc, s->last_proc, s->proc_len) == 0)
		return s->last_proc_id;
	if (s->proc_len <= PROC_MAX) {
		memcpy(small, s->proc, s->proc_len);
		small[s->proc_len] = '\0';
	} else {
		key = big = g_strndup((const char *)s->proc, s->proc_len);
	}
	id = g_hash_table_lookup(x->procs, key);
	if (!id) {
		uint32_t n = g_hash_table_size(x->procs) + 1;

		id = GUINT_TO_POINTER(n);
		g_hash_table_insert(x->procs, g_strdup(key), id);
		if (!wire_put2(x->w, WIRE_STRING, &n, sizeof(n), key, strlen(key) + 1))
			*ok = false;
	}
	s->last_proc_id = 0;
	if (s->proc_len <= PROC_MAX) {
		memcpy(s->last_proc, s->proc, s->proc_len);
		s->last_proc_len = s->proc_len;
		s->last_proc_id = GPOINTER_TO_UINT(id);
	}
	return GPOINTER_TO_UINT(id);
}

/* As decoder.c's handle_event(), for the stream's current event. */
static bool send_event(Fast *x, Stream *s)
{
	TraceReaderStats *st = x->stats;
	Class *c = (Class *)s->cls;
	bool ok = true;
	Event e;

	if (!c->seen) {
		c->seen = true;
		if (c->kind == _EVENT_KIND_INVALID)
			st->other_classes++;
		else
			st->schema_versions |= 1u << c->version;
	}
	st->events++;
	if (!st->have_ts) {
		st->have_ts = true;
		st->first_ts_ns = s->ts_ns;
	}
	st->last_ts_ns = s->ts_ns;
	if (c->kind == _EVENT_KIND_INVALID) {
		st->other_events++;
		return true;
	}
	fill_event(s, &x->m, &e);
	e.seq = st->swap_events++;
	e.ts_ns = s->ts_ns;
	e.cpu = s->cpu;
	if (x->m.ctx_procname >= 0 && s->proc) {
		uint32_t id = proc_id(x, s, &ok);

		e.procname = (const char *)(uintptr_t)id;
	}
	st->per_kind[c->kind]++;
	return wire_put_event(x->w, &e) && ok;
}

static bool heartbeat(Fast *x)
{
	struct {
		int64_t ts_ns;
		uint64_t events;
	} p = { x->stats->last_ts_ns, x->stats->events };

	return wire_put(x->w, WIRE_PROGRESS, &p, sizeof(p)) && wire_flush(x->w);
}

/* The stream whose event babeltrace2's muxer takes next: oldest, then lowest instance id. */
static Stream *youngest(Fast *x)
{
	Stream *best = NULL;

	for (unsigned i = 0; i < x->n; i++) {
		Stream *s = &x->s[i];

		if (s->have && (!best || s->ts_ns < best->ts_ns ||
				(s->ts_ns == best->ts_ns && s->instance_id < best->instance_id)))
			best = s;
	}
	return best;
}

/* ---- the two passes ---- */

static bool check_pass(Fast *x)
{
	for (unsigned i = 0; i < x->n; i++) {
		Stream *s = &x->s[i];
		bool ok = stream_open(x, s);

		while (ok && s->have) {
			/* A heartbeat now and then, so the watchdog sees a big trace being checked. */
			if (++x->checked % (PROGRESS_EVERY * 16) == 0) {
				const struct {
					int64_t ts_ns;
					uint64_t events;
				} p = { INT64_MIN, 0 };

				if (!wire_put(x->w, WIRE_PROGRESS, &p, sizeof(p)) ||
				    !wire_flush(x->w))
					return decline(x->why, "the pipe to the replay broke");
			}
			ok = advance(x, s);
		}
		stream_close(s);
		if (!ok)
			return false;
		if (s->packets == 0)
			return bad(x, s, "no packet");
		for (unsigned j = 0; j < i; j++)
			if (x->s[j].instance_id == s->instance_id)
				return bad(x, s, "a stream instance id two files share");
	}
	return true;
}

static bool send_pass(Fast *x, bool want_range, bool *pipe_ok)
{
	uint32_t zero = 0;
	g_autoptr(GByteArray) env = g_byte_array_new();
	char uuid[37] = "";
	uint64_t n = 0;

	*pipe_ok = true;
	if (want_range) {
		int64_t range[2] = { INT64_MAX, INT64_MIN };

		for (unsigned i = 0; i < x->n; i++) {
			int64_t b, e;

			if (to_ns(x, x->s[i].first_begin, &b) && to_ns(x, x->s[i].last_end, &e)) {
				range[0] = MIN(range[0], b);
				range[1] = MAX(range[1], e);
			}
		}
		if (range[0] <= range[1] && !wire_put(x->w, WIRE_RANGE, range, sizeof(range)))
			return *pipe_ok = false;
	}
	if (!wire_put(x->w, WIRE_READY, NULL, 0) || !wire_flush(x->w))
		return *pipe_ok = false;
	/* As decoder.c's put_env(): the entries, then the clock's UUID. */
	g_byte_array_append(env, (const guint8 *)&zero, sizeof(zero));
	g_byte_array_append(env, x->m.env->data, x->m.env->len);
	if (x->m.have_clock_uuid) {
		const uint8_t *u = x->m.clock_uuid;

		g_snprintf(uuid, sizeof(uuid),
			   "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			   u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
			   u[12], u[13], u[14], u[15]);
	}
	g_byte_array_append(env, (const guint8 *)"c", 1);
	g_byte_array_append(env, (const guint8 *)uuid, (guint)strlen(uuid) + 1);
	if (env->len <= WIRE_RECORD_MAX && !wire_put(x->w, WIRE_ENV, env->data, env->len))
		return *pipe_ok = false;

	x->sending = true;
	for (unsigned i = 0; i < x->n; i++)
		if (!stream_open(x, &x->s[i]))
			return false;
	for (Stream *s; (s = youngest(x));) {
		if (!send_event(x, s))
			return *pipe_ok = false;
		if (++n % PROGRESS_EVERY == 0 && !heartbeat(x))
			return *pipe_ok = false;
		if (!advance(x, s))
			return false;
	}
	return true;
}

CtfFastStatus ctf_fast_decode(const CtfFastTrace *t, bool want_range, WireWriter *w,
			      TraceReaderStats *stats, char **ret_reason, GError **error)
{
	Fast x = { .t = t, .why = ret_reason, .error = error, .w = w, .stats = stats };
	CtfFastStatus res = CTF_FAST_UNSUPPORTED;
	GPtrArray *files = t->files->files;
	bool pipe_ok = true;

	*ret_reason = NULL;
	if (!meta_load(&x.m, t->abs, ret_reason))
		goto out;
	if (!tracer_ok(&x.m)) {
		decline(ret_reason, "not lttng-ust or lttng-modules 2.13 or later");
		goto out;
	}
	x.s = g_new0(Stream, MAX(files->len, 1));
	for (guint i = 0; i < files->len; i++) {
		const StreamFile *f = files->pdata[i];

		if (!f->present || f->lost_packets || f->lost_unknown || f->index_problem) {
			decline(ret_reason, "stream file '%s' is missing, cut or badly indexed",
				f->name);
			goto out;
		}
		/* Whether it was cut is judged by the babeltrace2 path (decoder.c). */
		if (!f->index && f->size) {
			decline(ret_reason, "stream file '%s' has no index", f->name);
			goto out;
		}
		for (guint j = 0; j < i; j++)
			if (((const StreamFile *)files->pdata[j])->group == f->group) {
				decline(ret_reason, "stream files in several parts");
				goto out;
			}
		if (f->size == 0)
			continue; /* babeltrace2 skips it too */
		if (x.n >= MAX_STREAMS) {
			decline(ret_reason, "more than %u streams", MAX_STREAMS);
			goto out;
		}
		x.s[x.n].f = f;
		x.s[x.n].fd = -1;
		x.n++;
	}
	if (!x.n || x.n > MAX_STREAMS) {
		decline(ret_reason, "no stream data, or more than %u streams", MAX_STREAMS);
		goto out;
	}
	/* Said before the first pass, as decoder.c says it before babeltrace2 opens the trace. */
	if (!wire_put(w, WIRE_OPENING, &(uint32_t){ 0 }, sizeof(uint32_t)) || !wire_flush(w)) {
		res = CTF_FAST_FAILED;
		goto out;
	}
	if (!check_pass(&x))
		goto out;
	x.procs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	res = send_pass(&x, want_range, &pipe_ok) ? CTF_FAST_OK : CTF_FAST_FAILED;
	if (!pipe_ok)
		g_clear_error(error);

out:
	for (unsigned i = 0; i < x.n; i++) {
		stream_close(&x.s[i]);
		g_free(x.s[i].buf);
	}
	g_free(x.s);
	if (x.procs)
		g_hash_table_unref(x.procs);
	meta_release(&x.m);
	if (res == CTF_FAST_UNSUPPORTED && !*ret_reason)
		*ret_reason = g_strdup("not our layout");
	return res;
}
