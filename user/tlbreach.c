/*
 * tlbreach [max_pages=4096] [loops=200000] [stride=4096]: the course's
 * measurement homework (docs/course/09-exercises.md), after OSTEP's TLB
 * chapter (its "Homework (Measurement)"): how many pages can a program touch
 * before every access also pays a TLB miss? For N = 1, 2, 4 ... max_pages it
 * maps N pages, touches each once (so no page fault is timed), then times
 * `loops` reads, one word per page (in a different cache line of each of
 * 64 pages in a row, so that no cache set fills up first), visiting the N
 * pages in a fixed shuffled order (a hardware prefetcher cannot guess the
 * next page), and
 * prints one line per N:
 *   # bench tlbreach accel=tcg pages=N stride=4096 loops=L ns_per_access=X.XXX
 * and, at the end, the last N before the time per access first rose by
 * half or more over the fastest of N = 1, 2, 4 (`knee_pages=`; 0 if it
 * never did): one slow point among the first few must not move the knee.
 *
 * On hardware the knees sit near the TLB's reach (entries times the page
 * size; Intel's optimization manual gives Skylake 64 first-level data TLB
 * entries and 1536 second-level ones for 4 KiB pages; CPUID leaf 2 or 0x18,
 * or /proc/cpuinfo's "TLB size" on AMD, for your CPU); caches add knees of
 * their own. Under QEMU TCG there
 is no hardware TLB to see: every guest access goes through QEMU's own
 * software TLB, so the curve shows that and the host's caches, not a CPU's
 * TLB. Build it for Linux with `make user-linux` and run
 * build/user-linux/tlbreach there to see a real one.
 */
#include "workload.h"

#define MAX_PAGES (1UL << 16)

static uint64_t rng_state = 0x2545f4914f6cdd1dUL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* next[i]: the page visited after page i, one cycle through all n (Sattolo). */
static void shuffle_cycle(uint32_t *next, uint64_t n)
{
	uint32_t *order = next + n;

	for (uint64_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = rng() % i;
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (uint64_t i = 0; i < n; i++)
		next[order[i]] = order[(i + 1) % n];
}

/*
 * Which cache line of page @i to read: a different one for each of 64
 * pages in a row. Reading every page at offset 0 would put every read in
 * the same cache set (4 KiB apart), and the cache's associativity (8 ways
 * for a 32 KiB L1) would make a knee at 8 or 16 pages that is no TLB's.
 */
static uint64_t line_of(uint64_t i, uint64_t stride)
{
	return stride >= PAGE_SIZE ? (i % 64) * 64 : 0;
}

/* @loops reads, one word per page, following next[] from page 0. */
static uint64_t chase(const char *p, uint64_t stride, const uint32_t *next, uint64_t loops)
{
	uint64_t sum = 0;
	uint32_t at = 0;

	for (uint64_t i = 0; i < loops; i++) {
		sum +=
		    *(const volatile uint64_t *)(p + (uint64_t)at * stride + line_of(at, stride));
		at = next[at];
	}
	return sum;
}

/*
 * Thousandths of a nanosecond per access, or 0 on error (printed). One
 * untimed round first: it faults every page in, fills the TLB and caches,
 * and (under an emulator) has the loop's code translated before the clock
 * starts.
 */
static uint64_t measure(uint64_t pages, uint64_t stride, uint64_t loops, uint32_t *next)
{
	char *p =
	    mmap(NULL, pages * stride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1, sum;

	if (IS_ERR_PTR(p)) {
		printf("tlbreach: mmap(%lu pages): %s\n", (unsigned long)pages,
		       errno_name(PTR_ERR(p)));
		return 0;
	}
	shuffle_cycle(next, pages);
	for (uint64_t i = 0; i < pages; i++) /* fault every page in, untimed */
		*(volatile uint64_t *)(p + i * stride + line_of(i, stride)) = i;
	sum = chase(p, stride, next, pages + loops / 8);
	t0 = now_ns();
	sum += chase(p, stride, next, loops);
	t1 = now_ns();
	munmap(p, pages * stride);
	if (sum == (uint64_t)-1) /* keeps the reads; never true */
		printf("tlbreach: %lu\n", (unsigned long)sum);
	return (t1 - t0) * 1000 / loops ?: 1;
}

static int arg_u64(int argc, char **argv, const char *key, uint64_t lo, uint64_t hi, uint64_t *v)
{
	const char *s = arg_value(argc, argv, key);

	if (s && (parse_size(s, v) < 0 || *v < lo || *v > hi)) {
		printf("tlbreach: %s=%s: Invalid argument (%lu..%lu)\n", key, s, (unsigned long)lo,
		       (unsigned long)hi);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t max_pages = 4096, loops = 200000, stride = PAGE_SIZE, base = 0, knee = 0;
	uint32_t *next;

	if (arg_u64(argc, argv, "max_pages", 1, MAX_PAGES, &max_pages) ||
	    arg_u64(argc, argv, "loops", 1, 1UL << 32, &loops) ||
	    arg_u64(argc, argv, "stride", 64, 1UL << 21, &stride))
		return 2;
	next = malloc(2 * max_pages * sizeof(*next));
	if (!next) {
		printf("tlbreach: out of memory for %lu pages' order\n", (unsigned long)max_pages);
		return 1;
	}
	for (uint64_t n = 1; n <= max_pages; n *= 2) {
		uint64_t milli = measure(n, stride, loops, next);

		if (!milli)
			return 1;
		if (n <= 4)
			base = base && base < milli ? base : milli;
		else if (!knee && milli * 2 >= base * 3)
			knee = n / 2;
		printf("# bench tlbreach accel=%s pages=%lu stride=%lu loops=%lu "
		       "ns_per_access=%lu.%03lu\n",
		       wl_accel(), (unsigned long)n, (unsigned long)stride, (unsigned long)loops,
		       (unsigned long)(milli / 1000), (unsigned long)(milli % 1000));
	}
	printf("tlbreach: knee_pages=%lu (the last N before the time per access rose by half "
	       "over the fastest of N=1, 2, 4; 0: it never did)\n",
	       (unsigned long)knee);
	free(next);
	return 0;
}
