/*
 * The decoder's records travel through shared memory rather than the pipe
 * (decoder-wire.h): a ring in a memfd that the parent creates and passes to
 * the child.  The pipe copied every byte twice through the kernel, and on
 * this project's VMs the pipe's locking and wakeups cost more than the
 * copies: a fifth of `swaptrace check`'s CPU time.
 *
 * The pipe stays, for what shared memory cannot say: it rings the parent
 * awake when the ring gains records while the parent sleeps in poll(), and
 * its EOF still says the child is gone.  The child sleeps on a futex when
 * the ring is full.  Each side announces its sleep in the shared header
 * before it checks the ring once more (with a full fence on both sides), so
 * a wakeup is never lost.
 *
 * The parent trusts nothing in the shared memory: the child runs
 * babeltrace2, which mutated traces can make scribble anywhere.  It copies
 * records out before it parses them, and a head that points outside the
 * ring makes the stream garbage.
 */
#ifndef SWAPTRACE_WIRE_RING_H
#define SWAPTRACE_WIRE_RING_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "decoder-wire.h"

/* The ring's data bytes: room for a few of the writer's batches. */
#define WIRE_RING_SIZE (4u << 20)

typedef struct WireRing WireRing;

/* The parent's end: a new ring in a memfd (wire_ring_fd() goes to the child). */
WireRing *wire_ring_new(GError **error);
int wire_ring_fd(const WireRing *ring);
/* The child's end: maps the memfd at fd; NULL when fd is not a ring. */
WireRing *wire_ring_attach(int fd);
/* Unmaps and closes; NULL-safe, returns NULL. */
WireRing *wire_ring_free(WireRing *ring);

/*
 * The child: len bytes in, waiting while the ring is full; a byte on
 * doorbell_fd when the parent sleeps.  False when the parent is gone.
 */
bool wire_ring_write(WireRing *ring, const void *data, size_t len, int doorbell_fd);

/*
 * The parent: moves what the ring holds into reader, at most 1 MiB at a
 * time.  Returns the bytes moved, or -1 when the child's head cannot be
 * right (garbage).
 */
gssize wire_ring_take(WireRing *ring, WireReader *reader);
/*
 * The parent is about to sleep in poll(): true if it may, false when
 * records arrived meanwhile (take them first).  wire_ring_awake() after.
 */
bool wire_ring_sleep(WireRing *ring);
void wire_ring_awake(WireRing *ring);

#endif
