/*
 * The decoder's shared-memory ring (replay/wire-ring.h) between two real
 * processes: every byte arrives once and in order across wrap-arounds and
 * a full ring, no wakeup is lost (a lost one hangs the reader until the
 * poll timeout fails the test), a head that the child scribbled is caught,
 * and a writer whose reader has gone stops instead of waiting for ever.
 */
#include <glib-unix.h>
#include <glib.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decoder-wire.h"
#include "wire-ring.h"

/* More than the ring holds many times over, so it wraps and fills. */
#define TOTAL_BYTES (7 * (uint64_t)WIRE_RING_SIZE + 12345)

static uint8_t pattern(uint64_t at)
{
	return (uint8_t)(at * 2654435761u >> 13);
}

/* The child: TOTAL_BYTES of the pattern in writes of many sizes, one larger than the ring. */
static int write_pattern(int ring_fd, int bell_fd)
{
	WireRing *ring = wire_ring_attach(ring_fd);
	static uint8_t chunk[WIRE_RING_SIZE + 4096];
	const size_t sizes[] = { 1, 120, 4096, 65537, 262144, sizeof(chunk) };
	uint64_t at = 0;

	if (!ring)
		return 3;
	for (unsigned i = 0; at < TOTAL_BYTES; i++) {
		size_t n = MIN(sizes[i % G_N_ELEMENTS(sizes)], TOTAL_BYTES - at);

		for (size_t j = 0; j < n; j++)
			chunk[j] = pattern(at + j);
		if (!wire_ring_write(ring, chunk, n, bell_fd))
			return 4;
		at += n;
	}
	return 0;
}

static pid_t start_writer(WireRing *ring, int pipe_fds[2])
{
	pid_t pid;

	g_assert_no_errno(pipe(pipe_fds));
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		close(pipe_fds[0]);
		g_unix_set_fd_nonblocking(pipe_fds[1], TRUE, NULL);
		_exit(write_pattern(wire_ring_fd(ring), pipe_fds[1]));
	}
	close(pipe_fds[1]);
	g_unix_set_fd_nonblocking(pipe_fds[0], TRUE, NULL);
	return pid;
}

static void test_every_byte_in_order(void)
{
	g_autoptr(GError) error = NULL;
	WireRing *ring = wire_ring_new(&error);
	WireReader reader;
	int fds[2], status;
	uint64_t got = 0, takes = 0;
	bool eof = false;
	pid_t pid;

	g_assert_no_error(error);
	wire_reader_init(&reader);
	pid = start_writer(ring, fds);
	while (!eof || got < TOTAL_BYTES) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		uint8_t bells[256];
		gssize n = wire_ring_take(ring, &reader);
		ssize_t r;

		g_assert_cmpint(n, >=, 0);
		if (n > 0) {
			for (gssize i = 0; i < n; i++)
				if (reader.buf->data[reader.pos + i] != pattern(got + i))
					g_error("byte %" G_GUINT64_FORMAT " differs", got + i);
			reader.pos += (size_t)n;
			got += (uint64_t)n;
			/* A slow reader now and then, so that the writer finds the ring full. */
			if (++takes % 8 == 0)
				g_usleep(20000);
			continue;
		}
		if (eof)
			break;
		if (wire_ring_sleep(ring)) {
			/* Everything the writer publishes rings: 10 s of silence is a lost wakeup. */
			g_assert_cmpint(poll(&pfd, 1, 10000), ==, 1);
		}
		wire_ring_awake(ring);
		while ((r = read(fds[0], bells, sizeof(bells))) > 0)
			;
		eof = r == 0;
	}
	g_assert_cmpuint(got, ==, TOTAL_BYTES);
	g_assert_cmpint(wire_ring_take(ring, &reader), ==, 0);
	g_assert_no_errno(waitpid(pid, &status, 0) == pid ? 0 : -1);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	close(fds[0]);
	wire_reader_release(&reader);
	wire_ring_free(ring);
}

static void test_scribbled_head(void)
{
	g_autoptr(GError) error = NULL;
	WireRing *ring = wire_ring_new(&error);
	WireReader reader;
	uint64_t *head;

	g_assert_no_error(error);
	wire_reader_init(&reader);
	/* As a decoder that babeltrace2 corrupted could: the head (the header's first word) past the ring. */
	head = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, wire_ring_fd(ring), 0);
	g_assert_true(head != MAP_FAILED);
	*head = (uint64_t)WIRE_RING_SIZE + 1;
	g_assert_cmpint(wire_ring_take(ring, &reader), ==, -1);
	g_assert_cmpuint(reader.buf->len, ==, 0);
	*head = UINT64_MAX;
	g_assert_cmpint(wire_ring_take(ring, &reader), ==, -1);
	munmap(head, 4096);
	wire_reader_release(&reader);
	wire_ring_free(ring);
}

static void test_writer_without_reader(void)
{
	g_autoptr(GError) error = NULL;
	WireRing *ring = wire_ring_new(&error);
	int fds[2], status;
	pid_t pid;

	g_assert_no_error(error);
	pid = start_writer(ring, fds);
	/* The parent dies before it takes anything: the writer fills the ring, then must give up. */
	g_usleep(200000);
	close(fds[0]);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 4);
	wire_ring_free(ring);
}

static void test_attach_refuses_other_files(void)
{
	int fds[2];

	g_assert_no_errno(pipe(fds));
	g_assert_null(wire_ring_attach(fds[0]));
	g_assert_null(wire_ring_attach(-1));
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire-ring/every-byte-in-order", test_every_byte_in_order);
	g_test_add_func("/wire-ring/scribbled-head", test_scribbled_head);
	g_test_add_func("/wire-ring/writer-without-reader", test_writer_without_reader);
	g_test_add_func("/wire-ring/attach-refuses-other-files", test_attach_refuses_other_files);
	return g_test_run();
}
