/*
 * What a trace directory holds, checked against what LTTng wrote beside
 * it, before and while babeltrace2 reads it.  babeltrace2 2.0 skips an
 * empty, missing or unreadable stream file without a word, and reads a
 * stream cut at a packet boundary as if it ended there; LTTng's index
 * (index/NAME.idx: one entry per packet with its offset, sizes, time span
 * and sequence number) says what should be there.  Packets it lists that
 * are not in the file, or that babeltrace2 did not decode, are reported
 * as lost packets, so that the replay counts the checks they may hide as
 * unverified instead of trusting a hole.
 *
 * Plain file reading: no babeltrace2 here.  Times stay in clock cycles,
 * which the decoder converts with the trace's clock class.
 */
#ifndef SWAPTRACE_STREAM_CHECK_H
#define SWAPTRACE_STREAM_CHECK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Entries of an index, and files of a trace, beyond which we stop reading. */
#define STREAM_CHECK_MAX_PACKETS (1u << 24)
#define STREAM_CHECK_MAX_FILES 65536

/* One packet as LTTng's index lists it (CTF index 1.0 or 1.1, big-endian). */
typedef struct IndexPacket {
	uint64_t offset; /* bytes from the start of the stream file */
	uint64_t packet_bits;
	uint64_t content_bits;
	uint64_t ts_begin; /* clock cycles */
	uint64_t ts_end;
	uint64_t discarded;
	uint64_t stream_id;
	uint64_t instance_id; /* UINT64_MAX with an index 1.0 */
	uint64_t seq;	      /* UINT64_MAX with an index 1.0 */
} IndexPacket;

typedef struct StreamFile {
	char *name; /* relative to the trace directory: "chan_0", "swap_1" */
	char *path; /* absolute, as babeltrace2 names the stream */
	uint64_t size;
	bool present;		/* a regular file that can be opened */
	const char *why_absent; /* "missing", "unreadable: ...", NULL when present */
	GArray *index;		/* IndexPacket, NULL without a usable index */
	char *index_problem;	/* why index/NAME.idx was not used; NULL if fine or absent */
	/*
	 * Packets of the index that lie whole inside the file: babeltrace2
	 * must decode every one (UINT64_MAX: not known, no usable index).
	 */
	uint64_t packets_expected;
	/* Packets the index lists past the file's end (or all, file absent). */
	uint64_t lost_packets;
	uint64_t lost_begin; /* cycles: first lost packet's begin, last one's end */
	uint64_t lost_end;
	/* Empty and without an index: something may be lost, nobody says what. */
	bool lost_unknown;
	/*
	 * Neither file nor index is there, but the channel has streams with
	 * higher numbers (LTTng writes one per possible CPU, 0 to N - 1;
	 * perf only for the CPUs that had events).
	 */
	bool inferred;
	int group; /* files of one stream (LTTng tracefile rotation) share it */
} StreamFile;

typedef struct TraceFiles {
	GPtrArray *files; /* StreamFile*, sorted by name */
	int n_groups;
} TraceFiles;

/*
 * Lists dir's stream files and their indexes.  Fails with
 * REPLAY_ERROR_INPUT, naming `display`, when the metadata is not a regular
 * file or its packet headers are impossible (babeltrace2 2.0 loops on a
 * content size past the packet size), or when an entry is a FIFO, a device
 * or a socket (reading it would block or mean nothing).
 */
TraceFiles *trace_files_scan(const char *dir, const char *display, GError **error);
TraceFiles *trace_files_free(TraceFiles *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceFiles, trace_files_free)

/* The file babeltrace2 names a stream by (its first file's path), or NULL. */
StreamFile *trace_files_lookup(const TraceFiles *t, const char *path);

/* Packets babeltrace2 must decode for group g; UINT64_MAX if not known. */
uint64_t trace_files_group_expected(const TraceFiles *t, int group);

/* "a FIFO", "a character device", ... for a message. */
const char *file_type_name(unsigned mode);

#endif
