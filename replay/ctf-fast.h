/*
 * The fast decoder: reads the LTTng CTF 1.8 layout that our producers
 * write (lttng-ust and lttng-modules 2.13+, the swap events, little-endian,
 * 1 GHz clock, one stream class, lossless) straight from the stream files,
 * without babeltrace2, and sends the decoder pipe (decoder-wire.h) exactly
 * what decoder.c sends for the same trace: the same events in babeltrace2's
 * muxer order (timestamp, then stream instance id), the same statistics,
 * the same environment.
 *
 * It runs in the decoder child, in two passes.  The first checks
 * everything and sends nothing: the metadata (every statement the layout
 * has, and nothing else; every swap event class field for field against
 * the event schema), every packet (header, context, sizes against the
 * file and LTTng's index, sequence numbers, no discarded events, time
 * never going back) and every event (known class, inside its packet's
 * content, strings terminated, slot ranges and device types within the
 * schema's bounds, timestamps that fit int64 ns).  Anything else, or any
 * doubt, is CTF_FAST_UNSUPPORTED with the reason, and decoder.c hands the
 * trace to babeltrace2 as before.  The second pass merges the streams and
 * sends.  Lengths and offsets from the files are checked before use;
 * memory is one packet buffer per stream (packets larger than
 * CTF_FAST_MAX_PACKET are not ours).
 */
#ifndef SWAPTRACE_CTF_FAST_H
#define SWAPTRACE_CTF_FAST_H

#include <glib.h>
#include <stdbool.h>

#include "decoder-wire.h"
#include "stream-check.h"
#include "trace-reader.h"

#define CTF_FAST_MAX_PACKET (64u << 20)
#define CTF_FAST_MAX_METADATA (16u << 20)

typedef struct CtfFastTrace {
	const char *abs;     /* canonical directory */
	const char *name;    /* as the database names it */
	const char *display; /* for messages */
	const TraceFiles *files;
} CtfFastTrace;

typedef enum CtfFastStatus {
	CTF_FAST_OK,	      /* decoded and sent; stats filled */
	CTF_FAST_UNSUPPORTED, /* nothing sent; *ret_reason says why */
	CTF_FAST_FAILED,      /* sent part: the pipe broke, or *error (the files changed) */
} CtfFastStatus;

/*
 * Decodes trace t and sends, in order: WIRE_RANGE (want_range),
 * WIRE_OPENING 0, WIRE_READY, WIRE_ENV, then strings, events and
 * heartbeats.  stats is filled as decoder.c fills it; the caller sends
 * WIRE_STATS and WIRE_END.
 */
CtfFastStatus ctf_fast_decode(const CtfFastTrace *t, bool want_range, WireWriter *w,
			      TraceReaderStats *stats, char **ret_reason, GError **error);

#endif
