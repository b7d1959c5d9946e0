// SPDX-License-Identifier: MIT
/*
 * swap-randwrite: random-access reads and writes over anonymous memory
 * larger than the memory cgroup allows, the access pattern of the
 * write-fault swap-cache regression (random writes, no readahead with
 * vm.page-cluster=0): most writes fault a page back in from swap and must
 * free its swap cache.
 *
 * Every page carries its index and a generation in its first and last
 * words, checked on every read and at the end; any mismatch is reported
 * and the exit status is 1.  The access sequence is a fixed function of
 * --seed, so two runs of the same command make the same accesses.
 *
 * With --pause-ms, it sleeps that long after every 512 accesses: a memory
 * hog that keeps another program of its cgroup under reclaim without
 * flooding the trace.
 *
 * usage: swap-randwrite [--size MIB] [--ops N] [--seed S] [--write-pct P]
 *                       [--pause-ms MS]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static size_t page_size;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t stamp(size_t idx, uint32_t gen)
{
	return ((uint64_t)idx << 32) | gen;
}

static void put(char *area, size_t i, uint32_t gen)
{
	uint64_t *p = (uint64_t *)(area + i * page_size);

	p[0] = stamp(i, gen);
	p[page_size / sizeof(*p) - 1] = stamp(i, gen);
}

static int ok(const char *area, size_t i, uint32_t gen)
{
	const volatile uint64_t *p = (const uint64_t *)(area + i * page_size);
	uint64_t want = stamp(i, gen);

	if (p[0] == want && p[page_size / sizeof(*p) - 1] == want)
		return 1;
	fprintf(stderr, "swap-randwrite: page %zu corrupted: 0x%llx/0x%llx, want 0x%llx\n", i,
		(unsigned long long)p[0], (unsigned long long)p[page_size / sizeof(*p) - 1],
		(unsigned long long)want);
	return 0;
}

int main(int argc, char **argv)
{
	size_t size_mib = 16, ops = 20000, bad = 0, nr_pages;
	unsigned int write_pct = 70, pause_ms = 0;
	uint64_t seed = 1;
	uint32_t *gen;
	char *area;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--size") && i + 1 < argc)
			size_mib = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			ops = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--write-pct") && i + 1 < argc)
			write_pct = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--pause-ms") && i + 1 < argc)
			pause_ms = strtoul(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: swap-randwrite [--size MIB] [--ops N] "
					"[--seed S] [--write-pct P] [--pause-ms MS]\n");
			return 129;
		}
	}
	if (!seed || !size_mib || write_pct > 100) {
		fprintf(stderr, "swap-randwrite: --seed and --size must not be 0, "
				"--write-pct at most 100\n");
		return 129;
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	nr_pages = size_mib * 1024 * 1024 / page_size;
	gen = calloc(nr_pages, sizeof(*gen));
	area = mmap(NULL, nr_pages * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (!gen || area == MAP_FAILED) {
		perror("swap-randwrite: allocation");
		return 1;
	}
	/* Base pages: each folio is one slot. */
	madvise(area, nr_pages * page_size, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < nr_pages; i++)
		put(area, i, gen[i] = 1);
	if (madvise(area, nr_pages * page_size, MADV_PAGEOUT))
		fprintf(stderr, "swap-randwrite: MADV_PAGEOUT: %s\n", strerror(errno));

	for (size_t n = 0; n < ops; n++) {
		size_t i = xorshift(&seed) % nr_pages;

		if (xorshift(&seed) % 100 < write_pct)
			put(area, i, ++gen[i]);
		else if (!ok(area, i, gen[i]))
			bad++;
		/* Keep pages going out, beside the cgroup's own reclaim. */
		if (n % 512 == 511) {
			size_t first = xorshift(&seed) % nr_pages;
			size_t len = nr_pages - first < 64 ? nr_pages - first : 64;

			madvise(area + first * page_size, len * page_size, MADV_PAGEOUT);
			if (pause_ms) {
				struct timespec ts = { pause_ms / 1000,
						       (long)(pause_ms % 1000) * 1000000 };

				nanosleep(&ts, NULL);
			}
		}
	}
	for (size_t i = 0; i < nr_pages; i++)
		if (!ok(area, i, gen[i]))
			bad++;
	munmap(area, nr_pages * page_size);
	free(gen);
	if (bad) {
		fprintf(stderr, "swap-randwrite: %zu corrupted pages\n", bad);
		return 1;
	}
	printf("swap-randwrite: %zu MiB, %zu ops, %u%% writes, contents verified\n", size_mib, ops,
	       write_pct);
	return 0;
}
