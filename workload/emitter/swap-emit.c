/*
 * swaptrace-emit: drives the `swap` LTTng-UST provider with a deterministic
 * model of the swap subsystem (model.c), optionally injecting one rule
 * violation per --inject (inject.c), and writes the ground truth a replayer
 * is checked against.
 *
 * Threads: T pthreads, each pinned to its own CPU where possible, so the
 * trace has several per-CPU streams.  They take turns under one mutex: op k
 * runs on thread (k / batch) % T.  The mutex is held while an operation is
 * decided and all its events are emitted, so timestamp order across streams
 * is the model's causal order, and the operation sequence does not depend on
 * scheduling: same seed and options, same events and payloads.
 */
#include "model.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EXIT_USAGE 2

typedef struct Sched {
	pthread_mutex_t mu;
	pthread_cond_t *cv; /* one per thread: only the next owner is woken */
	int nthreads;
	int owner;
	Model *m;
	/* a call another thread runs for the owner (run_on_other) */
	int pending;
	int target, caller;
	ForeignFn fn;
	void *arg;
} Sched;

static _Thread_local int self_id;

static void sched_run_on_other(void *opaque, ForeignFn fn, Model *m, void *arg)
{
	Sched *s = opaque;

	if (s->nthreads == 1) {
		fn(m, arg);
		return;
	}
	s->pending = 1;
	s->fn = fn;
	s->arg = arg;
	s->caller = self_id;
	s->target = (self_id + 1) % s->nthreads;
	s->owner = s->target;
	pthread_cond_signal(&s->cv[s->target]);
	while (s->owner != self_id)
		pthread_cond_wait(&s->cv[self_id], &s->mu);
}

static void pin_to_cpu(int t)
{
	cpu_set_t allowed, one;
	int n, k = 0;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		return;
	n = CPU_COUNT(&allowed);
	if (n <= 0)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		if (k++ == t % n) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			/* best effort: a trace from one CPU is still a valid trace */
			pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
			return;
		}
	}
}

typedef struct Worker {
	Sched *s;
	int id;
} Worker;

static void *worker_main(void *opaque)
{
	Worker *w = opaque;
	Sched *s = w->s;
	Model *m = s->m;
	int t = w->id;

	self_id = t;
	pin_to_cpu(t);
	pthread_mutex_lock(&s->mu);
	for (;;) {
		int next;

		while (s->owner != t)
			pthread_cond_wait(&s->cv[t], &s->mu);
		if (s->pending && s->target == t) {
			s->fn(m, s->arg);
			s->pending = 0;
			s->owner = s->caller;
			pthread_cond_signal(&s->cv[s->caller]);
			continue;
		}
		if (m->op >= m->opt.ops) {
			/* pass the turn on so every thread sees the end */
			s->owner = (t + 1) % s->nthreads;
			pthread_cond_signal(&s->cv[s->owner]);
			break;
		}
		model_step(m);
		next = (int)((m->op / (uint64_t)m->opt.batch) % (uint64_t)s->nthreads);
		if (next != t) {
			s->owner = next;
			pthread_cond_signal(&s->cv[next]);
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static int run_threads(Model *m)
{
	Sched s = { .nthreads = m->opt.threads, .m = m };
	pthread_t *tids = calloc((size_t)s.nthreads, sizeof(*tids));
	Worker *w = calloc((size_t)s.nthreads, sizeof(*w));
	int ret = 0;

	s.cv = calloc((size_t)s.nthreads, sizeof(*s.cv));
	if (!tids || !w || !s.cv) {
		fprintf(stderr, "swaptrace-emit: out of memory\n");
		exit(1);
	}
	pthread_mutex_init(&s.mu, NULL);
	for (int t = 0; t < s.nthreads; t++)
		pthread_cond_init(&s.cv[t], NULL);
	m->sched = &s;
	m->run_on_other = sched_run_on_other;
	s.owner = (int)((m->op / (uint64_t)m->opt.batch) % (uint64_t)s.nthreads);
	for (int t = 0; t < s.nthreads; t++) {
		w[t] = (Worker){ &s, t };
		errno = pthread_create(&tids[t], NULL, worker_main, &w[t]);
		if (errno) {
			perror("swaptrace-emit: pthread_create");
			exit(1);
		}
	}
	for (int t = 0; t < s.nthreads; t++)
		pthread_join(tids[t], NULL);
	for (int t = 0; t < s.nthreads; t++)
		pthread_cond_destroy(&s.cv[t]);
	pthread_mutex_destroy(&s.mu);
	m->sched = NULL;
	free(s.cv);
	free(w);
	free(tids);
	return ret;
}

static void run_inline(void *opaque, ForeignFn fn, Model *m, void *arg)
{
	(void)opaque;
	fn(m, arg);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: swaptrace-emit [OPTIONS]\n"
		"\n"
		"Drives the LTTng-UST provider `swap` with a deterministic model of the swap\n"
		"subsystem; record it with workload/emitter/swaptrace-record-ust.\n"
		"\n"
		"  --seed N                 workload seed (default 1)\n"
		"  --ops N                  operations to trace (default 10000)\n"
		"  --threads T              emitting threads, one per CPU where possible (default "
		"1)\n"
		"  --batch N                consecutive operations per thread turn (default 32)\n"
		"  --large-folios           folios of 2..16 pages besides single pages\n"
		"  --start-mid-life[=N]     run N operations untraced first (default 2000)\n"
		"  --state-dump             with --start-mid-life: dump every device first\n"
		"                           (state_begin, state runs of all its slots, state_end)\n"
		"  --teardown               exit every process and swapoff at the end\n"
		"  --max-procs N            process table size (default 96)\n"
		"  --device-slots N         slots of swap device 0, a multiple of 256 (default\n"
		"                           16384); the allocator walks all of them in turn\n"
		"  --regression             the kernel of kernel/patches/linux-6.1-regression/:\n"
		"                           a write swap-in fault does not drain the LRU batch\n"
		"  --inject RULE[@OP]       break RULE once, at operation OP or a seeded one\n"
		"  --list-rules             print the injectable rules\n"
		"  --out-dir DIR            write ground-truth.jsonl, final-state.tsv, "
		"summary.json,\n"
		"                           kallsyms (and emitted.tsv with --event-log) into DIR\n"
		"  --event-log              log every emitted event to DIR/emitted.tsv\n"
		"\n"
		"Same seed and options give the same operations and event payloads,\n"
		"whatever --threads and --batch.\n");
}

static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*ret = v;
	return 0;
}

static int add_injection(Model *m, const char *spec, uint64_t *explicit_op, int *has_op)
{
	char name[64];
	const char *at = strchr(spec, '@');
	size_t len = at ? (size_t)(at - spec) : strlen(spec);
	int rule;

	if (len >= sizeof(name))
		return -1;
	memcpy(name, spec, len);
	name[len] = 0;
	rule = inject_rule_from_name(name);
	if (rule < 0)
		return -1;
	*has_op = 0;
	if (at) {
		if (parse_u64(at + 1, explicit_op) < 0)
			return -1;
		*has_op = 1;
	}
	m->inj = realloc(m->inj, (size_t)(m->ninj + 1) * sizeof(*m->inj));
	if (!m->inj)
		exit(1);
	m->inj[m->ninj++] = (Injection){ .rule = rule };
	return 0;
}

/* Seeded operation: in the first half of the run, independent of other injections. */
static uint64_t seeded_op(uint64_t seed, int rule, uint64_t ops)
{
	Rng r = { seed * 0x100000001b3ull + (uint64_t)rule * 0x9e3779b97f4a7c15ull };
	uint64_t lo = ops / 8, hi = ops / 2;

	if (hi <= lo)
		return ops ? ops - 1 : 0;
	return lo + rng_below(&r, hi - lo);
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (!p)
		exit(1);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int write_ground_truth(Model *m, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < m->ninj; i++) {
		Injection *j = &m->inj[i];

		fprintf(f,
			"{\"rule\":\"%s\",\"type\":%u,\"offset\":%" PRIu64 ",\"nr\":%u,"
			"\"op\":%" PRIu64 ",\"seq_hint\":%" PRIu64 "}\n",
			inject_rule_names[j->rule], j->type, j->offset, j->nr, j->op, j->seq_hint);
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int write_summary(Model *m, const char *path)
{
	const Options *o = &m->opt;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "{\n  \"schema_version\": %d,\n", EVENT_SCHEMA_VERSION);
	fprintf(f, "  \"seed\": %" PRIu64 ",\n  \"ops\": %" PRIu64 ",\n", o->seed, o->ops);
	fprintf(f, "  \"threads\": %d,\n  \"batch\": %d,\n", o->threads, o->batch);
	fprintf(f, "  \"large_folios\": %s,\n", o->large_folios ? "true" : "false");
	fprintf(f, "  \"start_mid_life\": %s,\n", o->start_mid_life ? "true" : "false");
	fprintf(f, "  \"warmup_ops\": %" PRIu64 ",\n", o->start_mid_life ? o->warmup_ops : 0);
	fprintf(f, "  \"state_dump\": %s,\n", o->state_dump ? "true" : "false");
	fprintf(f, "  \"teardown\": %s,\n", o->teardown ? "true" : "false");
	fprintf(f, "  \"max_procs\": %d,\n", o->max_procs);
	fprintf(f, "  \"device_slots\": %" PRIu64 ",\n", o->device_slots);
	fprintf(f, "  \"regression\": %s,\n", o->regression ? "true" : "false");
	fprintf(f, "  \"injections\": [");
	for (int i = 0; i < m->ninj; i++)
		fprintf(f, "%s\"%s@%" PRIu64 "\"", i ? ", " : "", inject_rule_names[m->inj[i].rule],
			m->inj[i].op);
	fprintf(f, "],\n  \"events\": %" PRIu64 ",\n  \"events_per_kind\": {", m->seq);
	for (int k = 0; k < _EVENT_KIND_MAX; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", event_kind_name((EventKind)k),
			m->per_kind[k]);
	fprintf(f, "},\n  \"ops_per_kind\": {");
	for (int k = 0; model_op_names[k]; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", model_op_names[k], m->ops_done[k]);
	fprintf(f, "}\n}\n");
	return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	enum {
		O_SEED = 256,
		O_OPS,
		O_THREADS,
		O_BATCH,
		O_LARGE,
		O_MID,
		O_DUMP,
		O_TEARDOWN,
		O_PROCS,
		O_SLOTS,
		O_REGRESSION,
		O_INJECT,
		O_OUT,
		O_LOG,
		O_HELP,
		O_RULES
	};
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, O_SEED },
		{ "ops", required_argument, NULL, O_OPS },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "large-folios", no_argument, NULL, O_LARGE },
		{ "start-mid-life", optional_argument, NULL, O_MID },
		{ "state-dump", no_argument, NULL, O_DUMP },
		{ "teardown", no_argument, NULL, O_TEARDOWN },
		{ "max-procs", required_argument, NULL, O_PROCS },
		{ "device-slots", required_argument, NULL, O_SLOTS },
		{ "regression", no_argument, NULL, O_REGRESSION },
		{ "inject", required_argument, NULL, O_INJECT },
		{ "out-dir", required_argument, NULL, O_OUT },
		{ "event-log", no_argument, NULL, O_LOG },
		{ "list-rules", no_argument, NULL, O_RULES },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	Options opt = { .seed = 1,
			.ops = 10000,
			.threads = 1,
			.batch = 32,
			.warmup_ops = 2000,
			.max_procs = 96,
			.device_slots = 16384 };
	Model m;
	Injection *inj = NULL;
	uint64_t *inj_ops = NULL;
	int *inj_has_op = NULL, ninj = 0;
	int ret = 0;
	uint64_t v;
	int c;

	memset(&m, 0, sizeof(m));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_SEED:
			if (parse_u64(optarg, &opt.seed) < 0)
				goto bad;
			break;
		case O_OPS:
			if (parse_u64(optarg, &opt.ops) < 0)
				goto bad;
			break;
		case O_THREADS:
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > 256)
				goto bad;
			opt.threads = (int)v;
			break;
		case O_BATCH:
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > 1000000)
				goto bad;
			opt.batch = (int)v;
			break;
		case O_LARGE:
			opt.large_folios = 1;
			break;
		case O_MID:
			opt.start_mid_life = 1;
			if (optarg && parse_u64(optarg, &opt.warmup_ops) < 0)
				goto bad;
			break;
		case O_DUMP:
			opt.state_dump = 1;
			break;
		case O_TEARDOWN:
			opt.teardown = 1;
			break;
		case O_PROCS:
			if (parse_u64(optarg, &v) < 0 || v < 2 || v > 4096)
				goto bad;
			opt.max_procs = (int)v;
			break;
		case O_SLOTS:
			/* whole clusters of device 0 (256 slots), up to 64 GiB of 4 KiB pages */
			if (parse_u64(optarg, &v) < 0 || v < 256 || v % 256 || v > (1u << 24))
				goto bad;
			opt.device_slots = v;
			break;
		case O_REGRESSION:
			opt.regression = 1;
			break;
		case O_INJECT:
			inj_ops = realloc(inj_ops, (size_t)(ninj + 1) * sizeof(*inj_ops));
			inj_has_op = realloc(inj_has_op, (size_t)(ninj + 1) * sizeof(*inj_has_op));
			if (!inj_ops || !inj_has_op)
				exit(1);
			if (add_injection(&m, optarg, &inj_ops[ninj], &inj_has_op[ninj]) < 0) {
				fprintf(stderr,
					"swaptrace-emit: bad injection '%s' (see --list-rules)\n",
					optarg);
				ret = EXIT_USAGE;
				goto out;
			}
			ninj++;
			break;
		case O_OUT:
			opt.out_dir = optarg;
			break;
		case O_LOG:
			opt.event_log = 1;
			break;
		case O_RULES:
			for (int r = 0; r < inject_rule_count(); r++)
				printf("%s\n", inject_rule_names[r]);
			goto out;
		case O_HELP:
			usage(stdout);
			goto out;
		default:
			goto bad_usage;
		}
	}
	if (optind != argc)
		goto bad_usage;
	if (opt.event_log && !opt.out_dir) {
		fprintf(stderr, "swaptrace-emit: --event-log needs --out-dir\n");
		ret = EXIT_USAGE;
		goto out;
	}

	/* model_init() clears the model: keep the parsed injections across it */
	inj = m.inj;
	model_init(&m, &opt);
	m.inj = inj;
	m.ninj = ninj;
	m.run_on_other = run_inline;
	for (int i = 0; i < ninj; i++) {
		uint64_t op =
			inj_has_op[i] ? inj_ops[i] : seeded_op(opt.seed, m.inj[i].rule, opt.ops);

		/* one injection per operation: a clash moves the later one on */
		for (int j = 0; j < i; j++)
			if (m.inj[j].op == op) {
				op++;
				j = -1;
			}
		if (op >= opt.ops) {
			fprintf(stderr,
				"swaptrace-emit: injection '%s' at op %" PRIu64
				" is beyond --ops %" PRIu64 "\n",
				inject_rule_names[m.inj[i].rule], op, opt.ops);
			ret = EXIT_USAGE;
			goto out;
		}
		m.inj[i].op = op;
	}

	if (opt.out_dir) {
		char *p;

		if (mkdir(opt.out_dir, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "swaptrace-emit: cannot create '%s': %s\n", opt.out_dir,
				strerror(errno));
			ret = 1;
			goto out;
		}
		if (opt.event_log) {
			p = path_join(opt.out_dir, "emitted.tsv");
			m.log = fopen(p, "w");
			if (!m.log) {
				fprintf(stderr, "swaptrace-emit: cannot open '%s': %s\n", p,
					strerror(errno));
				free(p);
				ret = 1;
				goto out;
			}
			free(p);
			setvbuf(m.log, NULL, _IOFBF, 1 << 20);
			fprintf(m.log, "# seq\tkind\tfield=value...\n");
		}
	}

	/*
	 * Device 0 a disk, device 1 a zram (synchronous) device of the same
	 * priority.  Mid-life: build state without tracing it, leaving a few
	 * synchronous swap-ins between their pin and their fault; then trace
	 * (and maybe dump the state first), and let those finish.
	 */
	m.emitting = !opt.start_mid_life;
	model_device_on(&m, 0, opt.device_slots, 256, 0, 0);
	model_device_on(&m, 1, 8192, 64, 0, 1);
	if (opt.start_mid_life) {
		uint64_t ops = m.opt.ops;

		m.opt.ops = opt.warmup_ops; /* no transient device during warm-up */
		while (m.op < opt.warmup_ops)
			model_step(&m);
		model_start_inflight(&m);
		m.opt.ops = ops;
		m.op = 0;
		memset(m.ops_done, 0, sizeof(m.ops_done));
		m.emitting = 1;
		if (opt.state_dump)
			model_state_dump(&m);
		model_finish_inflight(&m);
	}
	run_threads(&m);
	if (opt.teardown)
		model_teardown(&m);

	for (int i = 0; i < m.ninj; i++) {
		if (!m.inj[i].done) {
			fprintf(stderr,
				"swaptrace-emit: injection '%s' at op %" PRIu64 " did not run\n",
				inject_rule_names[m.inj[i].rule], m.inj[i].op);
			ret = 1;
			goto out;
		}
	}
	if (m.log && fclose(m.log) != 0) {
		perror("swaptrace-emit: emitted.tsv");
		ret = 1;
		goto out;
	}
	m.log = NULL;
	if (opt.out_dir) {
		char *gt = path_join(opt.out_dir, "ground-truth.jsonl");
		char *fs = path_join(opt.out_dir, "final-state.tsv");
		char *sm = path_join(opt.out_dir, "summary.json");
		char *ks = path_join(opt.out_dir, "kallsyms");
		int r = 0;

		r |= write_ground_truth(&m, gt);
		r |= model_write_final_state(&m, fs);
		r |= write_summary(&m, sm);
		r |= callsite_write_kallsyms(ks);
		free(gt);
		free(fs);
		free(sm);
		free(ks);
		if (r) {
			fprintf(stderr, "swaptrace-emit: cannot write into '%s'\n", opt.out_dir);
			ret = 1;
			goto out;
		}
	}
	fprintf(stderr, "swaptrace-emit: %" PRIu64 " ops, %" PRIu64 " events\n", m.op, m.seq);

out:
	if (m.log)
		fclose(m.log);
	model_release(&m);
	free(inj_ops);
	free(inj_has_op);
	return ret;

bad:
	fprintf(stderr, "swaptrace-emit: bad value '%s' for an option\n", optarg);
bad_usage:
	usage(stderr);
	ret = EXIT_USAGE;
	goto out;
}
