/*
 * tlbdemo_user [trials=N]: the stale-TLB demonstration (console `tlbdemo`)
 * for a user page, from ring 3. Thread B, on CPU 1, reads a page, so its
 * TLB holds the translation; thread A, on CPU 0, drops the page with
 * madvise(MADV_DONTNEED), which frees its frame. With the shootdown
 * forgotten (flushlab's tlbdemo_local_only knob: A's CPU flushes, nobody
 * else) B can go on reading the freed frame; with the real shootdown it
 * never does: its next read faults in the shared zero page. Exit status 1 if
 * B ever read the freed page after a real shootdown. Needs flushlab.
 */
#include "workload.h"

#define KNOB WL_FLUSHLAB_DIR "tlbdemo_local_only"
#define PHASE WL_FLUSHLAB_DIR "tlbmodel_phase" /* the TLB model's phases (no-op without it) */
#define CPU_A 0
#define CPU_B 1

struct ctl {
	volatile uint64_t ask;	 /* A bumps it: B, read the page */
	volatile uint64_t done;	 /* B copies ask when the value is in */
	volatile uint64_t value; /* what B read */
	volatile int stop, err;
};

static struct ctl *ctl;
static volatile uint64_t *page;

static int reader(void *arg)
{
	uint64_t seen = 0;

	(void)arg;
	ctl->err = wl_pin(CPU_B);
	__atomic_store_n(&ctl->done, ~0ULL, __ATOMIC_RELEASE); /* running (or failed) */
	while (!ctl->err && !__atomic_load_n(&ctl->stop, __ATOMIC_ACQUIRE)) {
		uint64_t ask = __atomic_load_n(&ctl->ask, __ATOMIC_ACQUIRE);

		if (ask == seen)
			continue; /* spin in ring 3: this CPU keeps the mm, not lazy */
		seen = ask;
		ctl->value = page[0];
		__atomic_store_n(&ctl->done, ask, __ATOMIC_RELEASE);
	}
	return ctl->err;
}

/* What B reads now (through its TLB, if it holds the translation). */
static uint64_t read_on_b(void)
{
	uint64_t ask = ctl->ask + 1;

	__atomic_store_n(&ctl->ask, ask, __ATOMIC_RELEASE);
	while (__atomic_load_n(&ctl->done, __ATOMIC_ACQUIRE) != ask)
		;
	return ctl->value;
}

static int set_knob(int on)
{
	int fd = open(KNOB, O_WRONLY);
	long n;

	if (fd < 0)
		return fd;
	n = write(fd, on ? "1\n" : "0\n", 2);
	close(fd);
	return n == 2 ? 0 : (n < 0 ? (int)n : -EIO);
}

/* One trial; 1 if B read the freed page's value after the drop, -errno on failure. */
static int trial(uint64_t magic, int local_only)
{
	int err, stale;

	page[0] = 0; /* a page to drop, so the drop below flushes */
	if ((err = madvise((void *)page, PAGE_SIZE, MADV_DONTNEED)))
		return err;	  /* a real shootdown: B starts with no translation */
	page[0] = magic;	  /* a new frame */
	if (read_on_b() != magic) /* B walks the tables and caches the translation */
		return -EIO;
	if (local_only && (err = set_knob(1)))
		return err;
	err = madvise((void *)page, PAGE_SIZE, MADV_DONTNEED); /* frees the frame */
	stale = !err && read_on_b() == magic;
	/*
	 * Disarmed only now: the knob's write allocates kernel memory, which
	 * could reuse the freed frame (free lists are LIFO) and overwrite it.
	 */
	if (local_only)
		set_knob(0);
	return err ? err : stale;
}

/* Mark a TLB-model phase ("begin NAME" / "end NAME"); an older flushlab lacks the file. */
static void phase(const char *what)
{
	int fd = open(PHASE, O_WRONLY);

	if (fd < 0)
		return;
	write(fd, what, strlen(what));
	close(fd);
}

/* The local-only half, then the shootdown half: each a TLB-model phase of its own. */
static int run(long trials, unsigned int *stale)
{
	static const char *const names[2] = {"tlbdemo_user-shootdown", "tlbdemo_user-local-only"};
	char mark[64];

	for (int local = 1; local >= 0; local--) {
		snprintf(mark, sizeof(mark), "begin %s\n", names[local]);
		phase(mark);
		for (long i = 0; i < trials; i++) {
			int r = trial(0x5afe0000ULL + (uint64_t)i * 2 + (uint64_t)local, local);

			if (r < 0) {
				printf("tlbdemo_user: trial %ld: %s\n", i, errno_name(r));
				return 1;
			}
			stale[local] += (unsigned int)r;
		}
		snprintf(mark, sizeof(mark), "end %s\n", names[local]);
		phase(mark);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long trials = wl_arg(argc, argv, "tlbdemo_user", "trials", 50, 100000);
	unsigned int stale[2] = {0, 0};
	struct thread *t;
	char *mem;
	int ret;

	if (trials < 0)
		return 2;
	if (!wl_on_flushlab() || read_file(KNOB, (char[8]){0}, 8) <= 0) {
		printf("tlbdemo_user: needs flushlab's %s knob\n", KNOB);
		return 2;
	}
	if (nr_cpus() < 2 || (ret = wl_pin(CPU_A))) {
		printf("tlbdemo_user: needs CPUs %d and %d (boot with -smp 2 or more)\n", CPU_A,
		       CPU_B);
		return 1;
	}
	mem = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_PTR(mem)) {
		printf("tlbdemo_user: mmap: %s\n", errno_name(PTR_ERR(mem)));
		return 1;
	}
	ctl = (struct ctl *)mem; /* its own page, next to the one dropped: one page table */
	page = (volatile uint64_t *)(mem + PAGE_SIZE);
	t = thread_create(reader, NULL);
	if (IS_ERR_PTR(t)) {
		printf("tlbdemo_user: thread_create: %s\n", errno_name(PTR_ERR(t)));
		return 1;
	}
	while (__atomic_load_n(&ctl->done, __ATOMIC_ACQUIRE) != ~0ULL)
		sched_yield();
	ret = ctl->err ? 1 : run(trials, stale);
	__atomic_store_n(&ctl->stop, 1, __ATOMIC_RELEASE);
	if (thread_join(t)) {
		printf("tlbdemo_user: thread B could not pin to CPU %d\n", CPU_B);
		return 1;
	}
	if (ret)
		return ret;
	printf("tlbdemo_user: a thread on CPU %d reads a user page; one on CPU %d drops it "
	       "(MADV_DONTNEED frees the frame)\n",
	       CPU_B, CPU_A);
	printf("  local flush only: CPU %d still read the freed page in %u of %ld trials\n", CPU_B,
	       stale[1], trials);
	printf("  with a shootdown: CPU %d still read the freed page in %u of %ld trials\n", CPU_B,
	       stale[0], trials);
	return stale[0] ? 1 : 0;
}
