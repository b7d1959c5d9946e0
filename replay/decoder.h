/*
 * The trace decoder: the only code that runs libbabeltrace2.  It runs in a
 * child process (trace-reader.c starts the swaptrace binary again with
 * DECODER_ARG), under memory and CPU limits, and streams normalized events,
 * gaps and what it learns of the traces to the parent through shared
 * memory (wire-ring.h) in the framing of decoder-wire.h.  A crash, a hang or a runaway allocation inside
 * babeltrace2 ends the child, never the replay: the parent names the trace,
 * the signal and what babeltrace2 said.
 */
#ifndef SWAPTRACE_DECODER_H
#define SWAPTRACE_DECODER_H

/* argv[1] of the swaptrace binary running as a decoder. */
#define DECODER_ARG "__decode"
/* The pipe to the parent, in the child. */
#define DECODER_FD 3
/* The shared memory the records go through (wire-ring.h). */
#define DECODER_RING_FD 4

/*
 * main() of the child; argv[0] is DECODER_ARG.  Arguments (trace-reader.c
 * builds them): [--range] [--memory BYTES] [--cpu SECONDS] [--ppid PID]
 * -- then DIR NAME DISPLAY for each trace.  Returns the exit status.
 */
int trace_decoder_main(int argc, char **argv);

#endif
