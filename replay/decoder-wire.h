/*
 * The record stream between the trace decoder (decoder.c, a child process
 * running libbabeltrace2) and the TraceReader of the parent (trace-reader.c),
 * through shared memory (wire-ring.h).
 *
 * Both ends are the same swaptrace binary, so records carry C structs as
 * they are in memory: an Event or a Gap travels as its whole bytes, and a
 * field added to either travels with it.  Only pointers cannot: each
 * string field (listed in wire_event_strings / wire_gap_strings) carries
 * the id of a string sent before it in a WIRE_STRING record, 0 for NULL.
 * The HELLO record holds the sizes, so a mismatch (never expected) is
 * caught rather than misread.
 *
 * A record is a WireHeader and len bytes of payload.  Events go in batches
 * (WIRE_EVENTS, an array of Event), so the stream costs one write per few
 * thousand events; every other record closes the batch before it, which
 * keeps events, gaps and the rest in muxer order.
 */
#ifndef SWAPTRACE_DECODER_WIRE_H
#define SWAPTRACE_DECODER_WIRE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef enum WireType {
	WIRE_HELLO = 1, /* WireHello */
	WIRE_OPENING,	/* u32 trace index: babeltrace2 opens that trace next */
	WIRE_RANGE,	/* 2 x i64: time span of every stream (progress only) */
	WIRE_READY,	/* every trace opened: the replay may create its output */
	WIRE_STRING,	/* u32 id, then the string's bytes and a NUL */
	WIRE_EVENTS,	/* Event[n] */
	WIRE_GAP,	/* Gap */
	WIRE_ENV,	/* u32 trace, then entries (wire_env_* below) */
	WIRE_WARNING,	/* text: said once on stderr, the replay goes on */
	WIRE_PROGRESS,	/* i64 ts_ns, u64 messages: a heartbeat too */
	WIRE_STATS,	/* TraceReaderStats */
	WIRE_ERROR,	/* u32 ReplayErrorCode, then the message and a NUL */
	WIRE_END,	/* the decoder is done and exits 0 */
	WIRE_DECODER,	/* u8: which decoder runs from here on, 0 babeltrace2, 1 fast */
	_WIRE_TYPE_MAX,
} WireType;

typedef struct WireHeader {
	uint32_t type;
	uint32_t len;
} WireHeader;

typedef struct WireHello {
	uint32_t version;
	uint32_t event_size;
	uint32_t gap_size;
	uint32_t stats_size;
} WireHello;

#define WIRE_VERSION 2
/* Longer records are garbage: nothing legitimate comes near it. */
#define WIRE_RECORD_MAX (64u << 20)

/* Offsets of the `const char *` fields of Event and Gap. */
extern const size_t wire_event_strings[];
extern const size_t wire_n_event_strings;
extern const size_t wire_gap_strings[];
extern const size_t wire_n_gap_strings;

/* Replaces each string field at offsets[] of obj with what map(user, value) says. */
void wire_map_strings(void *obj, const size_t *offsets, size_t n,
		      const char *(*map)(void *user, const char *value), void *user);

/* ---- the decoder's end ---- */

typedef struct WireWriter WireWriter;
typedef struct WireRing WireRing;

/* Records go through ring (wire-ring.h; taken over), fd is its doorbell. */
WireWriter *wire_writer_new(int fd, WireRing *ring);
/* Flushes and frees; NULL-safe, returns NULL. */
WireWriter *wire_writer_free(WireWriter *w);

/* A record; false when the parent is gone (it stopped listening). */
bool wire_put(WireWriter *w, WireType type, const void *payload, size_t len);
/* Like wire_put(), payload in two parts (a fixed head, then text). */
bool wire_put2(WireWriter *w, WireType type, const void *a, size_t alen, const void *b,
	       size_t blen);
/* One event into the open batch (ev's strings already replaced by ids). */
bool wire_put_event(WireWriter *w, const Event *ev);
/* Writes out what is buffered. */
bool wire_flush(WireWriter *w);

/* ---- the parent's end ---- */

typedef struct WireReader {
	GByteArray *buf; /* bytes read, not yet taken */
	size_t pos;	 /* start of the first record not taken */
} WireReader;

void wire_reader_init(WireReader *r);
void wire_reader_release(WireReader *r);
/* Appends a, then b (the two parts of the ring's wrapped bytes; b may be empty). */
void wire_reader_feed(WireReader *r, const void *a, size_t alen, const void *b, size_t blen);
/*
 * The next whole record: true with its header and payload (valid until the
 * next wire_reader_feed(), and not aligned: memcpy() out of it); false
 * while it is incomplete, with *ret_bad set when the bytes cannot be a
 * record (a type or length out of range).
 */
bool wire_reader_next(WireReader *r, WireHeader *ret_h, const uint8_t **ret_payload, bool *ret_bad);
/* Bytes buffered that do not make a whole record (at end of stream: a torn record). */
size_t wire_reader_pending(const WireReader *r);

#endif
