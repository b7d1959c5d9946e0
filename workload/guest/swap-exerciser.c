// SPDX-License-Identifier: MIT
/*
 * swap-exerciser: drive every swap slot operation of the kernel from user
 * space, and check that no page content is lost on the way.
 *
 * Run it inside a memory cgroup whose memory.max is below --size: touching
 * the area swaps under pressure, MADV_PAGEOUT swaps the rest out on
 * demand, fork() shares the swap entries between two processes (fork
 * dups, and folio-bound dups when shared pages are unmapped again), the
 * child and the parent fault the pages back with reads and with writes
 * (swap cache hits, synchronous swap-ins on zram, write faults that should
 * free the swap cache), and exit zaps what is left (direct puts).
 *
 * Every page carries its index and a generation in its first and last
 * words; any mismatch is reported and the exit status is 1.
 *
 * With --hold, it only swaps its area out, prints "held" and waits for
 * SIGTERM or SIGINT, then faults everything back in, verifies and exits:
 * started before a recording, it leaves slots in use for the recorder's
 * state dump, and their end inside the trace.
 *
 * usage: swap-exerciser [--size MIB] [--rounds N] [--hold]
 */
#include <errno.h>
#include <signal.h>
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

static size_t page_size;
static size_t nr_pages;
static volatile sig_atomic_t stop_holding;
static uint64_t stamp(size_t idx, unsigned int gen)
{
	return ((uint64_t)idx << 16) | gen;
}

static void fill(char *area, size_t first, size_t last, unsigned int gen)
{
	for (size_t i = first; i < last; i++) {
		uint64_t *p = (uint64_t *)(area + i * page_size);

		p[0] = stamp(i, gen);
		p[page_size / sizeof(*p) - 1] = stamp(i, gen);
	}
}

/* Returns the number of pages whose contents are not generation gen. */
static size_t check(const char *who, const char *area, size_t first, size_t last, unsigned int gen)
{
	size_t bad = 0;

	for (size_t i = first; i < last; i++) {
		const volatile uint64_t *p = (const uint64_t *)(area + i * page_size);
		uint64_t want = stamp(i, gen);

		if (p[0] != want || p[page_size / sizeof(*p) - 1] != want) {
			if (bad < 5)
				fprintf(stderr,
					"swap-exerciser: %s: page %zu corrupted: "
					"0x%llx/0x%llx, want 0x%llx\n",
					who, i, (unsigned long long)p[0],
					(unsigned long long)p[page_size / sizeof(*p) - 1],
					(unsigned long long)want);
			bad++;
		}
	}
	return bad;
}

static void pageout(char *area, size_t first, size_t last)
{
	if (madvise(area + first * page_size, (last - first) * page_size, MADV_PAGEOUT))
		fprintf(stderr, "swap-exerciser: MADV_PAGEOUT: %s\n", strerror(errno));
}

static void on_stop(int sig)
{
	(void)sig;
	stop_holding = 1;
}

/* Swap the area out and keep it so until told to stop. */
static size_t hold(char *area)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	pageout(area, 0, nr_pages);
	printf("held\n");
	fflush(stdout);
	while (!stop_holding)
		sigsuspend(&old);
	return check("held", area, 0, nr_pages, 1);
}

/* The child of a round whose area holds generation gen everywhere. */
static int child(char *area, unsigned int gen)
{
	size_t half = nr_pages / 2;
	size_t bad;

	/* Read swap-ins of entries shared with the parent. */
	bad = check("child read", area, 0, nr_pages, gen);
	/* Write swap-ins: the child gets its own copy of the first half. */
	pageout(area, 0, nr_pages);
	fill(area, 0, half, gen + 1);
	bad += check("child write", area, 0, half, gen + 1);
	bad += check("child shared", area, half, nr_pages, gen);
	pageout(area, 0, nr_pages);
	bad += check("child reread", area, 0, half, gen + 1);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	size_t size_mib = 64;
	unsigned int rounds = 1;
	int holding = 0;
	size_t bad = 0;
	char *area;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			size_mib = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--hold")) {
			holding = 1;
		} else {
			fprintf(stderr,
				"usage: swap-exerciser [--size MIB] [--rounds N] [--hold]\n");
			return 129;
		}
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	nr_pages = size_mib * 1024 * 1024 / page_size;

	area = mmap(NULL, nr_pages * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED) {
		perror("swap-exerciser: mmap");
		return 1;
	}
	/* Base pages only: each folio is one slot. */
	madvise(area, nr_pages * page_size, MADV_NOHUGEPAGE);

	/* More than memory.max: reclaim swaps out under pressure. */
	fill(area, 0, nr_pages, 1);
	if (holding) {
		bad += hold(area);
		rounds = 0;
	}
	/*
	 * Each round starts with generation gen everywhere; the child writes
	 * gen + 1 to its copies, the parent gen + 2, and the round ends with
	 * gen + 2 everywhere.
	 */
	for (unsigned int r = 0, gen = 1; r < rounds; r++, gen += 2) {
		size_t q = nr_pages / 4;
		pid_t pid;
		int status;

		pageout(area, 0, nr_pages);
		pid = fork();
		if (pid < 0) {
			perror("swap-exerciser: fork");
			return 1;
		}
		if (pid == 0)
			_exit(child(area, gen));
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "swap-exerciser: child failed\n");
			bad++;
		}
		/* The parent still sees its own generation everywhere. */
		bad += check("parent read", area, 0, q, gen);
		fill(area, q, 2 * q, gen + 2);
		bad += check("parent write", area, q, 2 * q, gen + 2);
		/*
		 * Written pages no longer need their slots: give a kernel that
		 * keeps them in the swap cache anyway time to show it.
		 */
		sleep(1);
		pageout(area, 0, nr_pages);
		bad += check("parent reread", area, q, 2 * q, gen + 2);
		/* Bring everything to the same generation for the next round. */
		fill(area, 0, nr_pages, gen + 2);
		bad += check("parent all", area, 0, nr_pages, gen + 2);
	}
	pageout(area, 0, nr_pages);
	munmap(area, nr_pages * page_size);
	if (bad) {
		fprintf(stderr, "swap-exerciser: %zu corrupted pages\n", bad);
		return 1;
	}
	printf("swap-exerciser: %zu MiB, %u rounds, contents verified\n", size_mib, rounds);
	return 0;
}
