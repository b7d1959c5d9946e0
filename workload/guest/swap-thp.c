// SPDX-License-Identifier: MIT
/*
 * swap-thp: transparent huge pages through swap, the paths that move or
 * split a swap-cache folio: THPs are paged out whole (a non-rotational
 * swap device gives them one cluster), touched again while they are still
 * in the swap cache, then paged out by halves, which
 * splits the large folio that caches the slots; the cgroup's reclaim and
 * compaction do the rest.
 *
 * --unit KIB is the size of the large folios aimed at (default 2048, the
 * PMD size): with 6.12's anonymous large folios (mTHP) enabled for, say,
 * 16 to 64 KiB, --unit 64 touches and pages out halves of each 64 KiB
 * folio instead.
 *
 * Every page carries its index and a generation in its first and last
 * words; any mismatch is reported and the exit status is 1.
 *
 * usage: swap-thp [--size MIB] [--rounds N] [--unit KIB]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define THP_SIZE (2UL << 20)

static size_t page_size;
static size_t unit = THP_SIZE;
static size_t nr_pages;
static size_t pages_per_thp;

static uint64_t stamp(size_t idx, unsigned int gen)
{
	return ((uint64_t)idx << 16) | gen;
}

static void fill(char *area, size_t i, unsigned int gen)
{
	uint64_t *p = (uint64_t *)(area + i * page_size);

	p[0] = stamp(i, gen);
	p[page_size / sizeof(*p) - 1] = stamp(i, gen);
}

static size_t check(const char *who, const char *area, const unsigned int *gen)
{
	size_t bad = 0;

	for (size_t i = 0; i < nr_pages; i++) {
		const volatile uint64_t *p = (const uint64_t *)(area + i * page_size);
		uint64_t want = stamp(i, gen[i]);

		if (p[0] != want || p[page_size / sizeof(*p) - 1] != want) {
			if (bad < 5)
				fprintf(stderr,
					"swap-thp: %s: page %zu corrupted: 0x%llx, want 0x%llx\n",
					who, i, (unsigned long long)p[0], (unsigned long long)want);
			bad++;
		}
	}
	return bad;
}

static void pageout(char *addr, size_t len)
{
	if (madvise(addr, len, MADV_PAGEOUT))
		fprintf(stderr, "swap-thp: MADV_PAGEOUT: %s\n", strerror(errno));
}

int main(int argc, char **argv)
{
	size_t size_mib = 16, bad = 0, nr_thp, unit_kib = THP_SIZE >> 10;
	unsigned int rounds = 2, *gen;
	char *raw, *area;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			size_mib = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--unit") && i + 1 < argc) {
			unit_kib = strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: swap-thp [--size MIB] [--rounds N] [--unit KIB]\n");
			return 129;
		}
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	unit = unit_kib << 10;
	if (unit < 2 * page_size || unit > THP_SIZE || (unit & (unit - 1))) {
		fprintf(stderr, "swap-thp: --unit must be a power of 2 from 2 pages to 2048 KiB\n");
		return 129;
	}
	nr_thp = (size_mib << 20) / unit;
	if ((size_mib << 20) < THP_SIZE) {
		fprintf(stderr, "swap-thp: --size must be at least 2 MiB\n");
		return 129;
	}
	pages_per_thp = unit / page_size;
	nr_pages = nr_thp * pages_per_thp;
	gen = calloc(nr_pages, sizeof(*gen));
	raw = mmap(NULL, nr_thp * unit + THP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!gen || raw == MAP_FAILED) {
		perror("swap-thp: allocation");
		return 1;
	}
	area = (char *)(((uintptr_t)raw + THP_SIZE - 1) & ~(THP_SIZE - 1));
	madvise(area, nr_thp * unit, MADV_HUGEPAGE);
	for (size_t i = 0; i < nr_pages; i++)
		fill(area, i, gen[i] = 1);

	for (unsigned int r = 0; r < rounds; r++) {
		pid_t pid;
		int status;

		/* Whole THPs out; their folios stay cached while written. */
		pageout(area, nr_thp * unit);
		/* Touch one page of each while it may still be cached. */
		for (size_t t = 0; t < nr_thp; t++) {
			size_t i = t * pages_per_thp + (r * 7 + t) % pages_per_thp;

			if (*(volatile uint64_t *)(area + i * page_size) != stamp(i, gen[i]))
				bad++;
		}
		/*
		 * Half of each THP out: the large folio, still cached and
		 * mapped by one page table entry, is split.
		 */
		for (size_t t = 0; t < nr_thp; t++)
			pageout(area + t * unit + (r % 2) * unit / 2, unit / 2);
		/* Shared swap entries: the child reads, writes and leaves. */
		pid = fork();
		if (pid < 0) {
			perror("swap-thp: fork");
			return 1;
		}
		if (pid == 0) {
			size_t b = check("child", area, gen);

			for (size_t i = 0; i < nr_pages; i += 3)
				fill(area, i, gen[i] + 100);
			_exit(b ? 1 : 0);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "swap-thp: child failed\n");
			bad++;
		}
		/* Writes, in place or to copies. */
		for (size_t i = r % 5; i < nr_pages; i += 5)
			fill(area, i, ++gen[i]);
		bad += check("parent", area, gen);
	}
	pageout(area, nr_thp * unit);
	bad += check("final", area, gen);
	munmap(raw, nr_thp * unit + THP_SIZE);
	free(gen);
	if (bad) {
		fprintf(stderr, "swap-thp: %zu corrupted pages\n", bad);
		return 1;
	}
	printf("swap-thp: %zu MiB, %u rounds, contents verified\n", size_mib, rounds);
	return 0;
}
