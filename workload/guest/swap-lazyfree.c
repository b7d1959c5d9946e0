// SPDX-License-Identifier: MIT
/*
 * swap-lazyfree: lazyfree (MADV_FREE) memory under reclaim while another
 * thread takes transient references to it, the race of seed 003: a clean
 * lazyfree folio that reclaim finds with one reference too many is made
 * swap-backed again (6.1's try_to_unmap_one()), and the next reclaim gives
 * it a swap slot and a device write for data the program gave up.
 *
 * The main thread fills an area, MADV_FREEs it and pages it out, over and
 * over; with --refs, a second thread reads the area through
 * process_vm_readv(), which pins each page with get_user_pages() for the
 * copy.  Without --refs nobody else touches the area, and every lazyfree
 * folio should be discarded.  Pages read back after MADV_FREE are either
 * the old contents or zero; anything else is corruption (exit status 1).
 *
 * usage: swap-lazyfree [--size MIB] [--rounds N] [--refs]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static size_t page_size, nr_pages;
static char *area;
static volatile int done;

static uint64_t stamp(size_t idx, unsigned int gen)
{
	return ((uint64_t)idx << 16) | gen;
}

/*
 * Splices the area, a chunk at a time, into a pipe and reads it back a
 * moment later: while the chunk sits in the pipe, each of its pages holds
 * one more reference (vmsplice() takes it with get_user_pages()).
 */
static void *referencer(void *arg)
{
	const size_t chunk = 16;
	char *buf = malloc(chunk * page_size);
	int fd[2];

	(void)arg;
	if (!buf || pipe(fd)) {
		perror("swap-lazyfree: pipe");
		exit(1);
	}
	fcntl(fd[1], F_SETPIPE_SZ, (int)(chunk * page_size));
	while (!done) {
		for (size_t i = 0; i + chunk <= nr_pages && !done; i += chunk) {
			struct iovec iov = { area + i * page_size, chunk * page_size };
			struct timespec ts = { 0, 200000 };
			ssize_t n = vmsplice(fd[1], &iov, 1, 0);

			nanosleep(&ts, NULL);
			while (n > 0) {
				ssize_t m = read(fd[0], buf, (size_t)n);

				if (m <= 0)
					break;
				n -= m;
			}
		}
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	size_t size_mib = 4, bad = 0;
	unsigned int rounds = 20;
	int refs = 0;
	pthread_t thread;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			size_mib = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--refs")) {
			refs = 1;
		} else {
			fprintf(stderr,
				"usage: swap-lazyfree [--size MIB] [--rounds N] [--refs]\n");
			return 129;
		}
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	nr_pages = size_mib * 1024 * 1024 / page_size;
	area = mmap(NULL, nr_pages * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED) {
		perror("swap-lazyfree: mmap");
		return 1;
	}
	madvise(area, nr_pages * page_size, MADV_NOHUGEPAGE);
	if (refs && pthread_create(&thread, NULL, referencer, NULL)) {
		fprintf(stderr, "swap-lazyfree: pthread_create failed\n");
		return 1;
	}
	for (unsigned int r = 1; r <= rounds; r++) {
		for (size_t i = 0; i < nr_pages; i++) {
			uint64_t *p = (uint64_t *)(area + i * page_size);

			p[0] = stamp(i, r);
			p[page_size / sizeof(*p) - 1] = stamp(i, r);
		}
		if (madvise(area, nr_pages * page_size, MADV_FREE))
			fprintf(stderr, "swap-lazyfree: MADV_FREE: %s\n", strerror(errno));
		/*
		 * Twice: the second reclaim swaps out what the first one made
		 * swap-backed again instead of discarding it.
		 */
		for (int pass = 0; pass < 2; pass++)
			if (madvise(area, nr_pages * page_size, MADV_PAGEOUT))
				fprintf(stderr, "swap-lazyfree: MADV_PAGEOUT: %s\n",
					strerror(errno));
		/* Lazyfree pages read back: the round's contents, or zero if dropped. */
		for (size_t i = 0; i < nr_pages; i++) {
			const volatile uint64_t *p = (const uint64_t *)(area + i * page_size);
			uint64_t a = p[0], b = p[page_size / sizeof(*p) - 1];

			if (!((a == stamp(i, r) && b == stamp(i, r)) || (a == 0 && b == 0))) {
				if (bad < 5)
					fprintf(stderr, "swap-lazyfree: page %zu: 0x%llx/0x%llx\n",
						i, (unsigned long long)a, (unsigned long long)b);
				bad++;
			}
		}
	}
	done = 1;
	if (refs)
		pthread_join(thread, NULL);
	munmap(area, nr_pages * page_size);
	if (bad) {
		fprintf(stderr, "swap-lazyfree: %zu corrupted pages\n", bad);
		return 1;
	}
	printf("swap-lazyfree: %zu MiB, %u rounds, %s, contents verified\n", size_mib, rounds,
	       refs ? "with transient references" : "no other references");
	return 0;
}
