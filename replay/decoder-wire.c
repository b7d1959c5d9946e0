/*
 * Framing of the decoder pipe (decoder-wire.h): a buffered writer for the
 * child, an incremental record parser for the parent.  Neither allocates
 * per event: the writer appends to one buffer, the reader hands out
 * records in place.
 */
#include "decoder-wire.h"

#include <glib-unix.h>
#include <stddef.h>
#include <string.h>

#include "banned.h"
#include "wire-ring.h"

/*
 * Big enough that a write carries a couple of thousand events, small
 * enough that the parent gets them while the child decodes the next.
 */
#define WIRE_BUFFER (256u << 10)

const size_t wire_event_strings[] = { offsetof(Event, procname) };
const size_t wire_n_event_strings = G_N_ELEMENTS(wire_event_strings);
const size_t wire_gap_strings[] = { offsetof(Gap, stream) };
const size_t wire_n_gap_strings = G_N_ELEMENTS(wire_gap_strings);

void wire_map_strings(void *obj, const size_t *offsets, size_t n,
		      const char *(*map)(void *user, const char *value), void *user)
{
	for (size_t i = 0; i < n; i++) {
		const char *v;

		memcpy(&v, (char *)obj + offsets[i], sizeof(v));
		v = map(user, v);
		memcpy((char *)obj + offsets[i], &v, sizeof(v));
	}
}

/* ---- writer ---- */

struct WireWriter {
	int fd;
	WireRing *ring; /* the records go here; fd only rings the parent's bell */
	bool broken;	/* a write failed: the parent is gone */
	size_t batch;	/* offset of the open WIRE_EVENTS header, or SIZE_MAX */
	size_t len;	/* bytes buffered */
	uint8_t *buf;	/* WIRE_BUFFER bytes */
};

WireWriter *wire_writer_new(int fd, WireRing *ring)
{
	WireWriter *w = g_new0(WireWriter, 1);

	w->fd = fd;
	w->ring = ring;
	g_unix_set_fd_nonblocking(fd, TRUE, NULL);
	w->batch = SIZE_MAX;
	w->buf = g_malloc(WIRE_BUFFER);
	return w;
}

WireWriter *wire_writer_free(WireWriter *w)
{
	if (!w)
		return NULL;
	wire_flush(w);
	w->ring = wire_ring_free(w->ring);
	g_free(w->buf);
	g_free(w);
	return NULL;
}

static bool write_all(WireWriter *w, const void *data, size_t len)
{
	if (!w->broken && !wire_ring_write(w->ring, data, len, w->fd))
		w->broken = true;
	return !w->broken;
}

static void close_batch(WireWriter *w)
{
	WireHeader h;

	if (w->batch == SIZE_MAX)
		return;
	memcpy(&h, w->buf + w->batch, sizeof(h));
	h.len = (uint32_t)(w->len - w->batch - sizeof(h));
	memcpy(w->buf + w->batch, &h, sizeof(h));
	w->batch = SIZE_MAX;
}

bool wire_flush(WireWriter *w)
{
	bool ok;

	close_batch(w);
	ok = write_all(w, w->buf, w->len);
	w->len = 0;
	return ok;
}

/* Room for len more bytes in the buffer, flushing first if need be. */
static bool reserve(WireWriter *w, size_t len)
{
	if (w->len + len <= WIRE_BUFFER)
		return true;
	return wire_flush(w);
}

bool wire_put2(WireWriter *w, WireType type, const void *a, size_t alen, const void *b, size_t blen)
{
	WireHeader h = { .type = type, .len = (uint32_t)(alen + blen) };

	g_assert(alen + blen <= WIRE_RECORD_MAX);
	close_batch(w);
	if (sizeof(h) + alen + blen > WIRE_BUFFER) {
		/* Too big to buffer (a long error message): straight out. */
		return wire_flush(w) && write_all(w, &h, sizeof(h)) && write_all(w, a, alen) &&
		       write_all(w, b, blen);
	}
	if (!reserve(w, sizeof(h) + alen + blen))
		return false;
	memcpy(w->buf + w->len, &h, sizeof(h));
	w->len += sizeof(h);
	if (alen)
		memcpy(w->buf + w->len, a, alen);
	w->len += alen;
	if (blen)
		memcpy(w->buf + w->len, b, blen);
	w->len += blen;
	return !w->broken;
}

bool wire_put(WireWriter *w, WireType type, const void *payload, size_t len)
{
	return wire_put2(w, type, payload, len, NULL, 0);
}

bool wire_put_event(WireWriter *w, const Event *ev)
{
	if (w->batch == SIZE_MAX || w->len + sizeof(*ev) > WIRE_BUFFER) {
		WireHeader h = { .type = WIRE_EVENTS, .len = 0 };

		if (!reserve(w, sizeof(h) + sizeof(*ev)))
			return false;
		w->batch = w->len;
		memcpy(w->buf + w->len, &h, sizeof(h));
		w->len += sizeof(h);
	}
	memcpy(w->buf + w->len, ev, sizeof(*ev));
	w->len += sizeof(*ev);
	return !w->broken;
}

/* ---- reader ---- */

void wire_reader_init(WireReader *r)
{
	r->buf = g_byte_array_sized_new(2 * WIRE_BUFFER);
	r->pos = 0;
}

void wire_reader_release(WireReader *r)
{
	g_clear_pointer(&r->buf, g_byte_array_unref);
}

void wire_reader_feed(WireReader *r, const void *a, size_t alen, const void *b, size_t blen)
{
	/* Drop what was taken, so the buffer stays the size of one batch. */
	if (r->pos) {
		g_byte_array_remove_range(r->buf, 0, (guint)r->pos);
		r->pos = 0;
	}
	g_byte_array_append(r->buf, a, (guint)alen);
	if (blen)
		g_byte_array_append(r->buf, b, (guint)blen);
}

bool wire_reader_next(WireReader *r, WireHeader *ret_h, const uint8_t **ret_payload, bool *ret_bad)
{
	WireHeader h;

	*ret_bad = false;
	if (r->buf->len - r->pos < sizeof(h))
		return false;
	memcpy(&h, r->buf->data + r->pos, sizeof(h));
	if (h.type == 0 || h.type >= _WIRE_TYPE_MAX || h.len > WIRE_RECORD_MAX) {
		*ret_bad = true;
		return false;
	}
	if (r->buf->len - r->pos - sizeof(h) < h.len)
		return false;
	*ret_h = h;
	*ret_payload = r->buf->data + r->pos + sizeof(h);
	r->pos += sizeof(h) + h.len;
	return true;
}

size_t wire_reader_pending(const WireReader *r)
{
	return r->buf->len - r->pos;
}
