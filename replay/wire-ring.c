/*
 * The shared-memory ring between the decoder child and the parent
 * (wire-ring.h).  One writer, one reader; head and tail count bytes ever
 * written and taken, so head - tail is what the ring holds.
 */
#include "wire-ring.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "replay-error.h"

/* The header's page; the data follows it. */
#define RING_HEADER 4096u
/* The most one take copies out: the parent's buffer stays this small. */
#define TAKE_MAX (1u << 20)
/* A sleeping child looks up this often whether the parent is still there. */
#define WRITER_NAP_NS (100 * 1000 * 1000)

typedef struct RingShared {
	_Atomic uint64_t head; /* written by the child */
	uint8_t pad0[56];      /* head and tail on their own cache lines */
	_Atomic uint64_t tail; /* written by the parent */
	uint8_t pad1[56];
	_Atomic uint32_t reader_sleeps; /* the parent sleeps, or is about to */
	_Atomic uint32_t writer_sleeps; /* the child sleeps, or is about to */
	_Atomic uint32_t wake;		/* futex word: bumped for a sleeping child */
} RingShared;

G_STATIC_ASSERT(sizeof(RingShared) <= RING_HEADER);

struct WireRing {
	int fd;
	RingShared *sh;
	uint8_t *data;
	uint64_t mine; /* the child's head or the parent's tail: each trusts only its own */
};

static WireRing *map_ring(int fd)
{
	void *p =
		mmap(NULL, RING_HEADER + WIRE_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	WireRing *ring;

	if (p == MAP_FAILED)
		return NULL;
	ring = g_new0(WireRing, 1);
	ring->fd = fd;
	ring->sh = p;
	ring->data = (uint8_t *)p + RING_HEADER;
	return ring;
}

WireRing *wire_ring_new(GError **error)
{
	int fd = memfd_create("swaptrace-wire", MFD_CLOEXEC);
	WireRing *ring;

	if (fd < 0 || ftruncate(fd, RING_HEADER + WIRE_RING_SIZE) != 0 || !(ring = map_ring(fd))) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot create the decoder's shared memory: %s", g_strerror(e));
		return NULL;
	}
	return ring;
}

int wire_ring_fd(const WireRing *ring)
{
	return ring->fd;
}

WireRing *wire_ring_attach(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size != (off_t)(RING_HEADER + WIRE_RING_SIZE))
		return NULL;
	return map_ring(fd);
}

WireRing *wire_ring_free(WireRing *ring)
{
	if (!ring)
		return NULL;
	munmap(ring->sh, RING_HEADER + WIRE_RING_SIZE);
	close(ring->fd);
	g_free(ring);
	return NULL;
}

/* ---- the child ---- */

static bool parent_gone(int doorbell_fd)
{
	struct pollfd pfd = { .fd = doorbell_fd, .events = 0 };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLERR | POLLNVAL));
}

/* Waits until the ring has room; false when the parent is gone. */
static bool wait_for_room(WireRing *ring, int doorbell_fd)
{
	RingShared *sh = ring->sh;

	for (;;) {
		uint32_t wake = atomic_load(&sh->wake);
		struct timespec nap = { 0, WRITER_NAP_NS };

		if (ring->mine - atomic_load_explicit(&sh->tail, memory_order_acquire) <
		    WIRE_RING_SIZE)
			return true;
		atomic_store(&sh->writer_sleeps, 1);
		atomic_thread_fence(memory_order_seq_cst);
		if (ring->mine - atomic_load(&sh->tail) < WIRE_RING_SIZE) {
			atomic_store(&sh->writer_sleeps, 0);
			return true;
		}
		syscall(SYS_futex, &sh->wake, FUTEX_WAIT, wake, &nap, NULL, 0);
		atomic_store(&sh->writer_sleeps, 0);
		if (parent_gone(doorbell_fd))
			return false;
	}
}

static bool ring_doorbell(WireRing *ring, int doorbell_fd)
{
	static const uint8_t bell = 0;

	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load(&ring->sh->reader_sleeps))
		return true;
	/* Non-blocking: a full pipe of bells wakes the parent as well as one more. */
	if (write(doorbell_fd, &bell, 1) < 0 && errno != EAGAIN && errno != EINTR)
		return false;
	return true;
}

bool wire_ring_write(WireRing *ring, const void *data, size_t len, int doorbell_fd)
{
	const uint8_t *p = data;

	while (len) {
		uint64_t used, at;
		size_t n, first;

		if (!wait_for_room(ring, doorbell_fd))
			return false;
		used = ring->mine - atomic_load_explicit(&ring->sh->tail, memory_order_acquire);
		n = MIN(len, (size_t)(WIRE_RING_SIZE - used));
		at = ring->mine % WIRE_RING_SIZE;
		first = MIN(n, (size_t)(WIRE_RING_SIZE - at));
		memcpy(ring->data + at, p, first);
		memcpy(ring->data, p + first, n - first);
		ring->mine += n;
		atomic_store_explicit(&ring->sh->head, ring->mine, memory_order_release);
		if (!ring_doorbell(ring, doorbell_fd))
			return false;
		p += n;
		len -= n;
	}
	return true;
}

/* ---- the parent ---- */

gssize wire_ring_take(WireRing *ring, WireReader *reader)
{
	RingShared *sh = ring->sh;
	uint64_t head = atomic_load_explicit(&sh->head, memory_order_acquire);
	uint64_t n = head - ring->mine;
	size_t at, first;

	if (n == 0)
		return 0;
	if (n > WIRE_RING_SIZE)
		return -1;
	n = MIN(n, TAKE_MAX);
	head = ring->mine + n;
	at = ring->mine % WIRE_RING_SIZE;
	first = MIN((size_t)n, (size_t)(WIRE_RING_SIZE - at));
	wire_reader_feed(reader, ring->data + at, first, ring->data, (size_t)n - first);
	ring->mine = head;
	atomic_store_explicit(&sh->tail, head, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load(&sh->writer_sleeps)) {
		atomic_fetch_add(&sh->wake, 1);
		syscall(SYS_futex, &sh->wake, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	return (gssize)n;
}

bool wire_ring_sleep(WireRing *ring)
{
	atomic_store(&ring->sh->reader_sleeps, 1);
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load(&ring->sh->head) != ring->mine) {
		atomic_store(&ring->sh->reader_sleeps, 0);
		return false;
	}
	return true;
}

void wire_ring_awake(WireRing *ring)
{
	atomic_store(&ring->sh->reader_sleeps, 0);
}
