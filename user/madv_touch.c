/*
 * madv_touch threads=K iters=N: the shootdown microbenchmark of Amit et al.
 * (EuroSys 2020). K threads of one process, each pinned to its own CPU;
 * thread 0 drops one page with madvise(MADV_DONTNEED) and touches it again
 * (a read fault that maps the shared zero page, then a write fault that
 * breaks it with a second flush, as on Linux), N times; threads 1..K-1 keep
 * writing their own page, so their CPUs run this mm and each flush must
 * interrupt all of them: received_per_op is 2(K-1) exactly, and 0 for CPUs
 * that are idle or lazy.
 * One line: # bench madv_touch accel= cpus= protocol= threads= iters=
 *   ns_per_op_median= _min= _max= remote_flushes_per_op= ipis_per_op= received_per_op=
 *   lazy_skipped_per_op= (CPUs of the mm left alone because they were lazy).
 * On Linux, counters it lacks are -1; received is its /proc/interrupts TLB row.
 */
#include "workload.h"

struct spinner {
	int cpu;
	int err;		 /* pinning failed: -errno */
	volatile uint64_t *page; /* its own memory, written until stop */
};

static volatile int stop, ready;

/* Threads 1..K-1: run on our CPU, keep this mm live there, touch our page. */
static int spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t i = 0;

	s->err = wl_pin(s->cpu);
	/*
	 * Written before we say ready: the loop's first `+=` reads first, and a
	 * read of the untouched page would map the zero page, whose break (a
	 * flush) could then land inside the measurement.
	 */
	s->page[0] = 0;
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		s->page[i++ & 511] += 1;
	return 0;
}

/* N drop-and-touch operations on @p, each timed; 1 if a page came back non-zero. */
static int drop_and_touch(volatile uint64_t *p, uint64_t iters, uint64_t *ns)
{
	for (uint64_t i = 0; i < iters; i++) {
		uint64_t t0 = now_ns();
		int err = madvise((void *)p, PAGE_SIZE, MADV_DONTNEED);
		uint64_t old = p[1]; /* MADV_DONTNEED on private anon: zero again */

		p[1] = i + 1;
		ns[i] = now_ns() - t0;
		if (err || old) {
			printf("madv_touch: op %lu: madvise %s, page held %lu after the drop\n",
			       (unsigned long)i, errno_name(err), (unsigned long)old);
			return 1;
		}
	}
	return 0;
}

static void report(int ncpus, int k, uint64_t iters, uint64_t *ns, struct wl_counters *a,
		   struct wl_counters *b)
{
	char r[32], ip[32], rc[32], lz[32];

	wl_sort(ns, iters);
	printf("# bench madv_touch accel=%s cpus=%d protocol=%s threads=%d iters=%lu "
	       "ns_per_op_median=%lu ns_per_op_min=%lu ns_per_op_max=%lu "
	       "remote_flushes_per_op=%s ipis_per_op=%s received_per_op=%s "
	       "lazy_skipped_per_op=%s\n",
	       wl_accel(), ncpus, wl_protocol(), k, (unsigned long)iters,
	       (unsigned long)ns[iters / 2], (unsigned long)ns[0], (unsigned long)ns[iters - 1],
	       wl_per_op(r, sizeof(r), a->remote, b->remote, iters),
	       wl_per_op(ip, sizeof(ip), a->ipis, b->ipis, iters),
	       wl_per_op(rc, sizeof(rc), a->received, b->received, iters),
	       wl_per_op(lz, sizeof(lz), a->lazy_skipped, b->lazy_skipped, iters));
}

/* Start K-1 spinners on cpus[1..], wait until each runs where it should. */
static int start_spinners(int k, const int *cpus, struct spinner *sp, struct thread **th)
{
	for (int i = 1; i < k; i++) {
		char *page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (IS_ERR_PTR(page)) {
			printf("madv_touch: mmap: %s\n", errno_name(PTR_ERR(page)));
			return i;
		}
		sp[i] = (struct spinner){.cpu = cpus[i], .page = (volatile uint64_t *)page};
		th[i] = thread_create(spin, &sp[i]);
		if (IS_ERR_PTR(th[i])) {
			printf("madv_touch: thread_create: %s\n", errno_name(PTR_ERR(th[i])));
			munmap(page, PAGE_SIZE);
			return i;
		}
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < k - 1)
		sched_yield();
	for (int i = 1; i < k; i++)
		if (sp[i].err) {
			printf("madv_touch: thread %d: pin to CPU %d: %s\n", i, sp[i].cpu,
			       errno_name(sp[i].err));
			return -1;
		}
	return k;
}

static void stop_spinners(int started, struct spinner *sp, struct thread **th)
{
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 1; i < started; i++) {
		thread_join(th[i]);
		munmap((void *)sp[i].page, PAGE_SIZE);
	}
}

/*
 * Threads go on the highest allowed CPUs, thread 0 on the highest: with
 * K < CPUs the console's CPU 0 stays out of the measurement.
 */
int main(int argc, char **argv)
{
	int all[WL_MAX_CPUS], cpus[WL_MAX_CPUS], n = wl_allowed_cpus(all), started, err;
	long k = wl_arg(argc, argv, "madv_touch", "threads", n, n);
	long iters = wl_arg(argc, argv, "madv_touch", "iters", 1000, 1000000);
	struct spinner sp[WL_MAX_CPUS];
	struct thread *th[WL_MAX_CPUS];
	struct wl_counters before, after;
	uint64_t *ns;
	char *page;

	if (k < 0 || iters < 0)
		return 2;
	for (int i = 0; i < k; i++)
		cpus[i] = all[n - 1 - i];
	ns = malloc((size_t)iters * sizeof(*ns));
	page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!ns || IS_ERR_PTR(page)) {
		printf("madv_touch: out of memory for %ld samples\n", iters);
		return 1;
	}
	if ((err = wl_pin(cpus[0]))) {
		printf("madv_touch: pin to CPU %d: %s\n", cpus[0], errno_name(err));
		return 1;
	}
	started = start_spinners((int)k, cpus, sp, th);
	if (started == k) {
		wl_snapshot(&before);
		err = drop_and_touch((volatile uint64_t *)page, (uint64_t)iters, ns);
		wl_snapshot(&after);
	}
	stop_spinners(started < 0 ? (int)k : started, sp, th);
	munmap(page, PAGE_SIZE);
	if (started != k || err)
		return 1;
	report(n, (int)k, (uint64_t)iters, ns, &before, &after);
	free(ns);
	return 0;
}
