/*
 * fpu_switch [iters=N]: every thread keeps its own FPU/SIMD registers
 * across context switches. Two threads pinned to one CPU each load their
 * own values into x87 (ST0 and the control word), MXCSR and all sixteen
 * vector registers (the full 256-bit YMM registers where the kernel
 * enabled AVX, else XMM), then hand the CPU back and forth with
 * sched_yield, checking every register after every switch. It also checks
 * that a new process starts clean (vector registers zero, FCW 0x37f,
 * MXCSR 0x1f80, as Linux's execve leaves them), that a new thread starts
 * with a copy of its creator's registers (Linux's clone), and that a CPU
 * with AVX has it enabled (CR4.OSXSAVE and XCR0). Exit 0 if all held.
 * The runtime is built -mgeneral-regs-only: only the asm here touches
 * these registers, so nothing in between can disturb them but the kernel.
 */
#include "syscall.h"
#include "workload.h"

#define NR_VREGS 16

struct fpregs {
	uint8_t v[NR_VREGS][32]; /* YMMn (XMMn = the low 16 bytes) */
	uint32_t mxcsr;
	uint16_t fcw;
	int64_t st0;
};

struct worker {
	int k; /* 1 or 2: whose values */
	long iters;
	struct fpregs start; /* what it found at its first instruction */
	long mismatches;
	int first_bad; /* what differed first: 0-15 vector, 16 mxcsr, 17 fcw, 18 st0 */
};

static bool avx;
static volatile int started;
static struct fpregs parent_values;

static void load_vectors(const struct fpregs *r)
{
	if (avx)
		__asm__ volatile("vmovdqu 0(%0), %%ymm0\n\t"
				 "vmovdqu 32(%0), %%ymm1\n\t"
				 "vmovdqu 64(%0), %%ymm2\n\t"
				 "vmovdqu 96(%0), %%ymm3\n\t"
				 "vmovdqu 128(%0), %%ymm4\n\t"
				 "vmovdqu 160(%0), %%ymm5\n\t"
				 "vmovdqu 192(%0), %%ymm6\n\t"
				 "vmovdqu 224(%0), %%ymm7\n\t"
				 "vmovdqu 256(%0), %%ymm8\n\t"
				 "vmovdqu 288(%0), %%ymm9\n\t"
				 "vmovdqu 320(%0), %%ymm10\n\t"
				 "vmovdqu 352(%0), %%ymm11\n\t"
				 "vmovdqu 384(%0), %%ymm12\n\t"
				 "vmovdqu 416(%0), %%ymm13\n\t"
				 "vmovdqu 448(%0), %%ymm14\n\t"
				 "vmovdqu 480(%0), %%ymm15\n\t"
				 :
				 : "r"(r->v)
				 : "memory");
	else
		__asm__ volatile("movdqu 0(%0), %%xmm0\n\t"
				 "movdqu 32(%0), %%xmm1\n\t"
				 "movdqu 64(%0), %%xmm2\n\t"
				 "movdqu 96(%0), %%xmm3\n\t"
				 "movdqu 128(%0), %%xmm4\n\t"
				 "movdqu 160(%0), %%xmm5\n\t"
				 "movdqu 192(%0), %%xmm6\n\t"
				 "movdqu 224(%0), %%xmm7\n\t"
				 "movdqu 256(%0), %%xmm8\n\t"
				 "movdqu 288(%0), %%xmm9\n\t"
				 "movdqu 320(%0), %%xmm10\n\t"
				 "movdqu 352(%0), %%xmm11\n\t"
				 "movdqu 384(%0), %%xmm12\n\t"
				 "movdqu 416(%0), %%xmm13\n\t"
				 "movdqu 448(%0), %%xmm14\n\t"
				 "movdqu 480(%0), %%xmm15\n\t"
				 :
				 : "r"(r->v)
				 : "memory");
}

static void store_vectors(struct fpregs *r)
{
	if (avx)
		__asm__ volatile("vmovdqu %%ymm0, 0(%0)\n\t"
				 "vmovdqu %%ymm1, 32(%0)\n\t"
				 "vmovdqu %%ymm2, 64(%0)\n\t"
				 "vmovdqu %%ymm3, 96(%0)\n\t"
				 "vmovdqu %%ymm4, 128(%0)\n\t"
				 "vmovdqu %%ymm5, 160(%0)\n\t"
				 "vmovdqu %%ymm6, 192(%0)\n\t"
				 "vmovdqu %%ymm7, 224(%0)\n\t"
				 "vmovdqu %%ymm8, 256(%0)\n\t"
				 "vmovdqu %%ymm9, 288(%0)\n\t"
				 "vmovdqu %%ymm10, 320(%0)\n\t"
				 "vmovdqu %%ymm11, 352(%0)\n\t"
				 "vmovdqu %%ymm12, 384(%0)\n\t"
				 "vmovdqu %%ymm13, 416(%0)\n\t"
				 "vmovdqu %%ymm14, 448(%0)\n\t"
				 "vmovdqu %%ymm15, 480(%0)\n\t"
				 :
				 : "r"(r->v)
				 : "memory");
	else
		__asm__ volatile("movdqu %%xmm0, 0(%0)\n\t"
				 "movdqu %%xmm1, 32(%0)\n\t"
				 "movdqu %%xmm2, 64(%0)\n\t"
				 "movdqu %%xmm3, 96(%0)\n\t"
				 "movdqu %%xmm4, 128(%0)\n\t"
				 "movdqu %%xmm5, 160(%0)\n\t"
				 "movdqu %%xmm6, 192(%0)\n\t"
				 "movdqu %%xmm7, 224(%0)\n\t"
				 "movdqu %%xmm8, 256(%0)\n\t"
				 "movdqu %%xmm9, 288(%0)\n\t"
				 "movdqu %%xmm10, 320(%0)\n\t"
				 "movdqu %%xmm11, 352(%0)\n\t"
				 "movdqu %%xmm12, 384(%0)\n\t"
				 "movdqu %%xmm13, 416(%0)\n\t"
				 "movdqu %%xmm14, 448(%0)\n\t"
				 "movdqu %%xmm15, 480(%0)\n\t"
				 :
				 : "r"(r->v)
				 : "memory");
}

static void load_regs(const struct fpregs *r)
{
	load_vectors(r);
	__asm__ volatile("ldmxcsr %0" : : "m"(r->mxcsr));
	__asm__ volatile("fninit\n\tfldcw %0\n\tfildll %1" : : "m"(r->fcw), "m"(r->st0));
}

/* Everything but ST0 (reading it needs a value on the x87 stack). */
static void store_controls(struct fpregs *r)
{
	store_vectors(r);
	__asm__ volatile("stmxcsr %0" : "=m"(r->mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(r->fcw));
}

static void store_regs(struct fpregs *r)
{
	store_controls(r);
	__asm__ volatile("fld %%st(0)\n\tfistpll %0" : "=m"(r->st0));
}

/* Thread @k's values: distinct bytes in every lane, odd control words. */
static void fill(struct fpregs *r, int k)
{
	memset(r, 0, sizeof(*r));
	for (int n = 0; n < NR_VREGS; n++)
		for (int i = 0; i < 32; i++)
			r->v[n][i] = (uint8_t)(0x41 * k + 7 * n + i + 1);
	r->mxcsr = 0x1f80 | ((uint32_t)k << 13);    /* rounding control differs */
	r->fcw = (uint16_t)(k & 1 ? 0x37f : 0x27f); /* precision control differs */
	r->st0 = 1000003LL * (k + 1);
}

/* Index of the first difference (see struct worker), or -1. */
static int differs(const struct fpregs *a, const struct fpregs *b, bool with_st0)
{
	int bytes = avx ? 32 : 16;

	for (int n = 0; n < NR_VREGS; n++)
		if (memcmp(a->v[n], b->v[n], bytes))
			return n;
	if (a->mxcsr != b->mxcsr)
		return 16;
	if (a->fcw != b->fcw)
		return 17;
	return with_st0 && a->st0 != b->st0 ? 18 : -1;
}

static int worker(void *arg)
{
	struct worker *w = arg;
	struct fpregs want, got;

	store_controls(&w->start); /* before anything: clone's copy */
	fill(&want, w->k);
	load_regs(&want);
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < 2)
		sched_yield();
	for (long i = 0; i < w->iters; i++) {
		int bad;

		sched_yield(); /* the other thread runs, with its own values */
		store_regs(&got);
		bad = differs(&want, &got, true);
		if (bad >= 0) {
			if (!w->mismatches++)
				w->first_bad = bad;
			load_regs(&want);
		}
	}
	return 0;
}

/* AVX in CPUID, and whether the kernel enabled it: CR4.OSXSAVE and XCR0 bits 1-2. */
static bool avx_state(bool *cpu_has)
{
	unsigned int a, b, c, d, lo, hi;

	__cpuid(1, &a, &b, &c, &d);
	*cpu_has = c & (1U << 28);
	if (!(c & (1U << 27)))
		return false;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

static const char *what(int bad)
{
	static char buf[16];

	if (bad == 16)
		return "mxcsr";
	if (bad == 17)
		return "fcw";
	if (bad == 18)
		return "st0";
	snprintf(buf, sizeof(buf), "%s%d", avx ? "ymm" : "xmm", bad);
	return buf;
}

int main(int argc, char **argv)
{
	static struct worker w[2];
	struct fpregs clean, now;
	struct thread *t[2];
	bool cpu_avx;
	long iters = wl_arg(argc, argv, "fpu_switch", "iters", 2000, 1000000);
	int fails = 0, bad;

	avx = avx_state(&cpu_avx);
	if (iters < 0)
		return 2;
	store_controls(&now); /* first: nothing has used these registers yet */
	memset(&clean, 0, sizeof(clean));
	clean.mxcsr = 0x1f80;
	clean.fcw = 0x37f;
	if (cpu_avx && !avx) {
		printf("fpu_switch: FAIL: the CPU has AVX but the kernel did not enable it "
		       "(CR4.OSXSAVE, XCR0)\n");
		fails++;
	}
	if ((bad = differs(&clean, &now, false)) >= 0) {
		printf("fpu_switch: FAIL: the process did not start with clean registers (%s)\n",
		       what(bad));
		fails++;
	}
	if (wl_pin(sched_getcpu()))
		return 2;
	fill(&parent_values, 0);
	load_regs(&parent_values);
	for (int i = 0; i < 2; i++) {
		w[i].k = i + 1;
		w[i].iters = iters;
		t[i] = thread_create(worker, &w[i]);
		if (IS_ERR_PTR(t[i])) {
			printf("fpu_switch: thread_create: %ld\n", PTR_ERR(t[i]));
			return 2;
		}
	}
	for (int i = 0; i < 2; i++) {
		thread_join(t[i]);
		if ((bad = differs(&parent_values, &w[i].start, false)) >= 0) {
			printf("fpu_switch: FAIL: thread %d did not start with a copy of its "
			       "creator's registers (%s)\n",
			       i + 1, what(bad));
			fails++;
		}
		if (w[i].mismatches) {
			printf("fpu_switch: FAIL: thread %d lost its registers in %ld of %ld "
			       "switches (first: %s)\n",
			       i + 1, w[i].mismatches, iters, what(w[i].first_bad));
			fails++;
		}
	}
	store_regs(&now);
	if ((bad = differs(&parent_values, &now, true)) >= 0) {
		printf("fpu_switch: FAIL: the main thread lost its registers (%s)\n", what(bad));
		fails++;
	}
	printf("fpu_switch: %s: 2 threads on cpu %d, %ld switches each, registers %s (avx %s)\n",
	       fails ? "FAIL" : "ok", sched_getcpu(), iters, avx ? "ymm0-15" : "xmm0-15",
	       avx	 ? "on"
	       : cpu_avx ? "off"
			 : "absent");
	return fails ? 1 : 0;
}
