/*
 * munmap_lat threads=K pages=P [iters=N]: the munmap latency of LATR (Kumar
 * et al., ASPLOS 2018). Each round thread 0 maps P pages and writes them,
 * threads 1..K-1 (each pinned to its own CPU) read every page so their TLBs
 * hold it, then thread 0 times munmap of all P pages: one shootdown to the
 * K-1 busy CPUs (and to lazy ones when the unmap frees page tables).
 * One line: # bench munmap_lat accel= cpus= protocol= threads= pages= iters=
 *   ns_per_op_median= _min= _max= remote_flushes_per_op= ipis_per_op=
 *   received_per_op= lazy_skipped_per_op=   (an op is one munmap)
 */
#include "workload.h"

struct helper {
	int cpu;
	int err;		/* pinning failed: -errno */
	volatile uint64_t *own; /* its own page, written between rounds */
};

static volatile uint64_t round_gen; /* round r published: the mapping is ready */
static volatile char *volatile round_map;
static volatile uint64_t pages_per_round;
static volatile int acks, ready, stop;

/* Read every page of this round's mapping: its translations enter our TLB. */
static void read_round(void)
{
	volatile char *p = round_map;
	uint64_t sum = 0;

	for (uint64_t i = 0; i < pages_per_round; i++)
		sum += p[i * PAGE_SIZE];
	if (sum)
		printf("munmap_lat: a fresh page read non-zero\n");
}

/* Threads 1..K-1: stay busy on our CPU; join each round before its munmap. */
static int helper(void *arg)
{
	struct helper *h = arg;
	uint64_t seen = 0, i = 0;

	h->err = wl_pin(h->cpu);
	h->own[0] = 0; /* a write first: no zero page to break (a flush) inside the measurement */
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&round_gen, __ATOMIC_ACQUIRE) != seen) {
			seen = round_gen;
			read_round();
			__atomic_add_fetch(&acks, 1, __ATOMIC_SEQ_CST);
		}
		h->own[i++ & 511] += 1; /* never touches the mapping after the ack */
	}
	return 0;
}

/* One round: map, write, let the helpers read, time the munmap. 0 or 1. */
static int one_round(int k, uint64_t pages, uint64_t r, uint64_t *ns)
{
	size_t len = pages * PAGE_SIZE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;
	int err;

	if (IS_ERR_PTR(p)) {
		printf("munmap_lat: mmap(%lu pages): %s\n", (unsigned long)pages,
		       errno_name(PTR_ERR(p)));
		return 1;
	}
	for (uint64_t i = 0; i < pages; i++)
		p[i * PAGE_SIZE + 1] = 1; /* byte 0 stays zero: the helpers check it */
	round_map = p;
	__atomic_store_n(&acks, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&round_gen, r + 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&acks, __ATOMIC_ACQUIRE) < k - 1)
		;
	t0 = now_ns();
	err = munmap(p, len);
	*ns = now_ns() - t0;
	if (err)
		printf("munmap_lat: munmap: %s\n", errno_name(err));
	return err ? 1 : 0;
}

/* Start the helpers on cpus[1..k-1]; how many started, or -1 if one is misplaced. */
static int start_helpers(int k, const int *cpus, struct helper *h, struct thread **th)
{
	for (int i = 1; i < k; i++) {
		char *own = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (IS_ERR_PTR(own))
			return i;
		h[i] = (struct helper){.cpu = cpus[i], .own = (volatile uint64_t *)own};
		th[i] = thread_create(helper, &h[i]);
		if (IS_ERR_PTR(th[i])) {
			printf("munmap_lat: thread_create: %s\n", errno_name(PTR_ERR(th[i])));
			munmap(own, PAGE_SIZE);
			return i;
		}
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < k - 1)
		sched_yield();
	for (int i = 1; i < k; i++)
		if (h[i].err) {
			printf("munmap_lat: thread %d: pin to CPU %d: %s\n", i, h[i].cpu,
			       errno_name(h[i].err));
			return -1;
		}
	return k;
}

static void stop_helpers(int started, struct helper *h, struct thread **th)
{
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 1; i < started; i++) {
		thread_join(th[i]);
		munmap((void *)h[i].own, PAGE_SIZE);
	}
}

static void report(int ncpus, int k, uint64_t pages, uint64_t iters, uint64_t *ns,
		   const struct wl_counters *a, const struct wl_counters *b)
{
	char r[32], ip[32], rc[32], lz[32];

	wl_sort(ns, iters);
	printf("# bench munmap_lat accel=%s cpus=%d protocol=%s threads=%d pages=%lu iters=%lu "
	       "ns_per_op_median=%lu ns_per_op_min=%lu ns_per_op_max=%lu "
	       "remote_flushes_per_op=%s ipis_per_op=%s received_per_op=%s "
	       "lazy_skipped_per_op=%s\n",
	       wl_accel(), ncpus, wl_protocol(), k, (unsigned long)pages, (unsigned long)iters,
	       (unsigned long)ns[iters / 2], (unsigned long)ns[0], (unsigned long)ns[iters - 1],
	       wl_per_op(r, sizeof(r), a->remote, b->remote, iters),
	       wl_per_op(ip, sizeof(ip), a->ipis, b->ipis, iters),
	       wl_per_op(rc, sizeof(rc), a->received, b->received, iters),
	       wl_per_op(lz, sizeof(lz), a->lazy_skipped, b->lazy_skipped, iters));
}

/* CPUs as madv_touch picks them: the highest allowed, thread 0 on the top one. */
int main(int argc, char **argv)
{
	int all[WL_MAX_CPUS], cpus[WL_MAX_CPUS], n = wl_allowed_cpus(all), started, err = 0;
	long k = wl_arg(argc, argv, "munmap_lat", "threads", n, n);
	long pages = wl_arg(argc, argv, "munmap_lat", "pages", 1, 1 << 18);
	long iters = wl_arg(argc, argv, "munmap_lat", "iters", 100, 100000);
	struct helper h[WL_MAX_CPUS];
	struct thread *th[WL_MAX_CPUS];
	struct wl_counters before, after;
	uint64_t *ns;

	if (k < 0 || pages < 0 || iters < 0)
		return 2;
	for (int i = 0; i < k; i++)
		cpus[i] = all[n - 1 - i];
	pages_per_round = (uint64_t)pages;
	if (!(ns = malloc((size_t)iters * sizeof(*ns)))) {
		printf("munmap_lat: out of memory for %ld samples\n", iters);
		return 1;
	}
	if ((err = wl_pin(cpus[0]))) {
		printf("munmap_lat: pin to CPU %d: %s\n", cpus[0], errno_name(err));
		return 1;
	}
	started = start_helpers((int)k, cpus, h, th);
	if (started == k) {
		wl_snapshot(&before);
		for (long r = 0; r < iters && !err; r++)
			err = one_round((int)k, (uint64_t)pages, (uint64_t)r, &ns[r]);
		wl_snapshot(&after);
	}
	stop_helpers(started < 0 ? (int)k : started, h, th);
	if (started != k || err)
		return 1;
	report(n, (int)k, (uint64_t)pages, (uint64_t)iters, ns, &before, &after);
	free(ns);
	return 0;
}
