/*
 * ctxswitch mode=threads|procs|peer [iters=N] [cpu=C] [secs=S]: what a
 * context switch costs and which TLB flushes it causes. Two runnable tasks
 * share one CPU and hand it back and forth with sched_yield:
 *  - threads: two threads of this process (same mm: no CR3 write);
 *  - procs:   two processes (a CR3 write per switch; without PCID each one
 *             flushes the TLB). On Linux the second one is a fork()ed child.
 *             flushlab has no fork yet (clone answers ENOSYS for it), so
 *             there the other process is a `ctxswitch mode=peer` started
 *             before on the same CPU, and the CR3 count proves it was there;
 *  - peer:    just yield on CPU C for S seconds (the partner above).
 * One line: # bench ctxswitch accel= cpus= mode= cpu= iters= pcid=on|off (the kernel's mode)
 *   ns_per_switch_median= _min= _max= cr3_writes_per_switch= tlb_flushes_per_switch=
 * A sample is one sched_yield round trip (two switches), halved.
 */
#include "syscall.h"
#include "uapi/signal.h"
#include "workload.h"

static volatile int stop, ready;
static int target_cpu;

/*
 * Whether the kernel runs with PCIDs: the "pcid" word in /proc/cpuinfo's
 * flags, which both kernels print only when they use it (absent from
 * CPUID, or turned off by `nopcid`: gone). Without /proc/cpuinfo, CPUID.
 */
static bool kernel_uses_pcid(void)
{
	static char buf[16384];
	unsigned int a, b, c, d;
	const char *flags;

	if (read_file("/proc/cpuinfo", buf, sizeof(buf)) > 0 && (flags = strstr(buf, "flags"))) {
		const char *end = strchr(flags, '\n'), *p = strstr(flags, " pcid");

		return p && (!end || p < end) && (p[5] == ' ' || p[5] == '\n' || !p[5]);
	}
	__cpuid(1, &a, &b, &c, &d);
	return c & (1U << 17);
}

static int partner_thread(void *arg)
{
	(void)arg;
	if (wl_pin(target_cpu))
		return 1;
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

/* @iters timed round trips; each sample is half of one (a switch). */
static void ping_pong(uint64_t iters, uint64_t *ns)
{
	for (uint64_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();

		sched_yield();
		ns[i] = (now_ns() - t0) / 2;
	}
}

static void report(const char *mode, int ncpus, uint64_t iters, uint64_t *ns,
		   const struct wl_counters *a, const struct wl_counters *b)
{
	char cr3[32], fl[32];

	wl_sort(ns, iters);
	printf("# bench ctxswitch accel=%s cpus=%d mode=%s cpu=%d iters=%lu pcid=%s "
	       "ns_per_switch_median=%lu ns_per_switch_min=%lu ns_per_switch_max=%lu "
	       "cr3_writes_per_switch=%s tlb_flushes_per_switch=%s\n",
	       wl_accel(), ncpus, mode, target_cpu, (unsigned long)iters,
	       kernel_uses_pcid() ? "on" : "off", (unsigned long)ns[iters / 2],
	       (unsigned long)ns[0], (unsigned long)ns[iters - 1],
	       wl_per_op(cr3, sizeof(cr3), a->switch_cr3, b->switch_cr3, 2 * iters),
	       wl_per_op(fl, sizeof(fl), a->switch_flush, b->switch_flush, 2 * iters));
}

/* Two threads of this process on target_cpu. */
static int run_threads(int ncpus, uint64_t iters, uint64_t *ns)
{
	struct wl_counters a, b;
	struct thread *t = thread_create(partner_thread, NULL);

	if (IS_ERR_PTR(t)) {
		printf("ctxswitch: thread_create: %s\n", errno_name(PTR_ERR(t)));
		return 1;
	}
	while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		sched_yield();
	wl_snapshot(&a);
	ping_pong(iters, ns);
	wl_snapshot(&b);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	if (thread_join(t)) {
		printf("ctxswitch: the partner thread could not pin to CPU %d\n", target_cpu);
		return 1;
	}
	report("threads", ncpus, iters, ns, &a, &b);
	return 0;
}

/* Yield on target_cpu until @secs have passed: the other process of mode=procs. */
static int run_peer(uint64_t secs)
{
	uint64_t end = now_ns() + secs * 1000000000ULL, n = 0;

	while (now_ns() < end) {
		sched_yield();
		n++;
	}
	printf("ctxswitch: peer yielded %lu times on CPU %d\n", (unsigned long)n, target_cpu);
	return 0;
}

/* Two processes: a fork()ed child where the kernel can fork, else a running peer. */
static int run_procs(int ncpus, uint64_t iters, uint64_t *ns)
{
	struct wl_counters a, b;
	long child = __syscall5(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	int status = 0;

	if (child == 0) {
		for (uint64_t i = 0; i < iters + 8; i++)
			sched_yield();
		exit(0);
	}
	if (child < 0 && child != -ENOSYS) {
		printf("ctxswitch: fork: %s\n", errno_name(child));
		return 1;
	}
	if (child < 0)
		printf("# ctxswitch: no fork here (ENOSYS): the partner is a mode=peer process\n");
	wl_snapshot(&a);
	ping_pong(iters, ns);
	wl_snapshot(&b);
	if (child > 0)
		__syscall4(__NR_wait4, child, (long)&status, 0, 0);
	report("procs", ncpus, iters, ns, &a, &b);
	return 0;
}

int main(int argc, char **argv)
{
	int all[WL_MAX_CPUS], n = wl_allowed_cpus(all), err;
	long iters = wl_arg(argc, argv, "ctxswitch", "iters", 1000, 1000000);
	long cpu = all[n - 1]; /* default: the highest allowed CPU, away from the console */
	long secs = wl_arg(argc, argv, "ctxswitch", "secs", 5, 3600);
	const char *mode = arg_value(argc, argv, "mode");
	uint64_t *ns;

	if (arg_value(argc, argv, "cpu")) {
		uint64_t v;

		if (parse_size(arg_value(argc, argv, "cpu"), &v) < 0 || v >= WL_MAX_CPUS) {
			printf("ctxswitch: cpu=%s: Invalid argument\n",
			       arg_value(argc, argv, "cpu"));
			return 2;
		}
		cpu = (long)v;
	}
	if (iters < 0 || secs < 0)
		return 2;
	target_cpu = (int)cpu;
	if ((err = wl_pin(target_cpu))) {
		printf("ctxswitch: pin to CPU %d: %s\n", target_cpu, errno_name(err));
		return 1;
	}
	if (mode && strcmp(mode, "peer") == 0)
		return run_peer((uint64_t)secs);
	if (!(ns = malloc((size_t)iters * sizeof(*ns)))) {
		printf("ctxswitch: out of memory for %ld samples\n", iters);
		return 1;
	}
	if (!mode || strcmp(mode, "threads") == 0)
		return run_threads(n, (uint64_t)iters, ns);
	if (strcmp(mode, "procs") == 0)
		return run_procs(n, (uint64_t)iters, ns);
	printf("ctxswitch: mode=%s: Invalid argument (threads, procs, peer)\n", mode);
	return 2;
}
