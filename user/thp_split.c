/*
 * thp_split threads=K iters=N: what a THP split and a collapse cost in
 * shootdowns. Thread 0 owns a 2 MiB huge page (MADV_HUGEPAGE) and, N
 * times, drops one 4 KiB page of it with MADV_DONTNEED (the kernel must
 * split the PMD first: break-before-make, one flush) and then collapses
 * it back with MADV_COLLAPSE (one more flush), while threads 1..K-1,
 * pinned to other CPUs, keep reading the page, so this mm is live there.
 * One line: # bench thp_split accel= cpus= threads= iters= split_ns_median=
 *   collapse_ns_median= remote_per_split= received_per_split= remote_per_collapse=
 *   received_per_collapse= ipis_per_split= ipis_per_collapse= splits= collapses=
 *   collapse_retries= (MADV_COLLAPSE answered EAGAIN and was tried again)
 * remote_* count every shootdown of the operation (a split's DONTNEED also
 * flushes the dropped page); received_* are interrupts taken by other CPUs.
 */
#include "workload.h"

#define HPAGE (2UL << 20)

struct reader {
	int cpu, err;
	volatile uint64_t *p;
};

static volatile int stop, ready;
static volatile uint64_t sink;

static int read_loop(void *arg)
{
	struct reader *r = arg;
	uint64_t sum = 0, i = 0;

	r->err = wl_pin(r->cpu);
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		sum += r->p[(i++ * 512) & (HPAGE / 8 - 1)]; /* one word per 4 KiB page */
	sink = sum;
	return 0;
}

/* Counters and time of one operation, added into @acc. */
struct op_acc {
	struct wl_counters sum;
	uint64_t *ns;
};

static int timed(int (*op)(char *, int), char *p, int i, struct op_acc *acc)
{
	struct wl_counters a, b;
	uint64_t t0;
	int err;

	wl_snapshot(&a);
	t0 = now_ns();
	err = op(p, i);
	acc->ns[i] = now_ns() - t0;
	wl_snapshot(&b);
	acc->sum.remote += b.remote - a.remote;
	acc->sum.received += b.received - a.received;
	acc->sum.ipis += b.ipis - a.ipis;
	return err;
}

static int do_split(char *p, int i)
{
	return madvise(p + (uint64_t)(1 + i % 510) * PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED);
}

static long collapse_retries;

/*
 * A collapse is best effort: EAGAIN means a PTE changed while the kernel
 * had the lock dropped (a reader faulted the dropped page back in), so try
 * again, as Linux's documentation tells callers to; the retries are counted.
 */
static int do_collapse(char *p, int i)
{
	int err, tries = 0;

	while ((err = madvise(p, HPAGE, MADV_COLLAPSE)) == -EAGAIN && ++tries < 100)
		collapse_retries++;
	return err;
}

/* @v per op, or -1 when this kernel lacks the counter (@probe < 0). */
static const char *per(char *buf, long probe, long v, long n)
{
	return wl_per_op(buf, 32, probe < 0 ? -1 : 0, v, (uint64_t)n);
}

static int run(int k, const int *cpus, char *p, long iters, struct op_acc *sp, struct op_acc *co)
{
	struct reader rd[WL_MAX_CPUS];
	struct thread *th[WL_MAX_CPUS];
	int err = 0, started = 1;

	for (int i = 1; i < k; i++, started++) {
		rd[i] = (struct reader){.cpu = cpus[i], .p = (volatile uint64_t *)p};
		th[i] = thread_create(read_loop, &rd[i]);
		if (IS_ERR_PTR(th[i])) {
			printf("thp_split: thread_create: %s\n", errno_name(PTR_ERR(th[i])));
			err = 1;
			break;
		}
	}
	while (!err && __atomic_load_n(&ready, __ATOMIC_ACQUIRE) < k - 1)
		sched_yield();
	for (long i = 0; !err && i < iters; i++) {
		if ((err = timed(do_split, p, (int)i, sp)) ||
		    (err = timed(do_collapse, p, (int)i, co)))
			printf("thp_split: op %ld: madvise: %s\n", i, errno_name(err));
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 1; i < started; i++)
		thread_join(th[i]);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	int all[WL_MAX_CPUS], cpus[WL_MAX_CPUS], n = wl_allowed_cpus(all);
	long k = wl_arg(argc, argv, "thp_split", "threads", n, n);
	long iters = wl_arg(argc, argv, "thp_split", "iters", 20, 100000);
	long splits = vmstat_read("thp_split_pmd"), collapses = vmstat_read("thp_collapse_alloc");
	struct op_acc sp = {{0}, NULL}, co = {{0}, NULL};
	struct wl_counters pr;
	char b[6][32], *raw, *p;

	if (k < 0 || iters < 0)
		return 2;
	for (int i = 0; i < k; i++)
		cpus[i] = all[n - 1 - i];
	sp.ns = malloc((size_t)iters * 8);
	co.ns = malloc((size_t)iters * 8);
	raw = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!sp.ns || !co.ns || IS_ERR_PTR(raw) || wl_pin(cpus[0])) {
		printf("thp_split: setup failed (memory or CPU %d)\n", cpus[0]);
		return 1;
	}
	p = (char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	madvise(p, HPAGE, MADV_HUGEPAGE);
	for (uint64_t off = 0; off < HPAGE; off += PAGE_SIZE)
		p[off] = 1;
	if (run((int)k, cpus, p, iters, &sp, &co))
		return 1;
	splits = splits < 0 ? -1 : vmstat_read("thp_split_pmd") - splits;
	collapses = collapses < 0 ? -1 : vmstat_read("thp_collapse_alloc") - collapses;
	wl_snapshot(&pr);
	sort_u64(sp.ns, (size_t)iters);
	sort_u64(co.ns, (size_t)iters);
	printf("# bench thp_split accel=%s cpus=%d threads=%ld iters=%ld split_ns_median=%lu "
	       "collapse_ns_median=%lu remote_per_split=%s received_per_split=%s "
	       "remote_per_collapse=%s received_per_collapse=%s ipis_per_split=%s "
	       "ipis_per_collapse=%s splits=%ld collapses=%ld collapse_retries=%ld\n",
	       wl_accel(), n, k, iters, (unsigned long)sp.ns[iters / 2],
	       (unsigned long)co.ns[iters / 2], per(b[0], pr.remote, sp.sum.remote, iters),
	       per(b[1], pr.received, sp.sum.received, iters),
	       per(b[2], pr.remote, co.sum.remote, iters),
	       per(b[3], pr.received, co.sum.received, iters),
	       per(b[4], pr.ipis, sp.sum.ipis, iters), per(b[5], pr.ipis, co.sum.ipis, iters),
	       splits, collapses, collapse_retries);
	munmap(raw, 2 * HPAGE);
	return 0;
}
