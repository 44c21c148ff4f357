/*
 * The stale-TLB demonstration. A kernel address maps frame F1 (holding 1);
 * CPU B reads it, so B's TLB holds VA -> F1; CPU A points VA at F2 (holding
 * 2). With a local flush only, B can go on reading F1 through its cached
 * translation; after a shootdown it cannot. Each trial starts from a
 * shootdown, so B's first read always walks the page tables afresh.
 * The same for a user page, from ring 3: user/tlbdemo_user.c, with the
 * knob below.
 */
#include "bench/tlbdemo.h"
#include "flushlab/layout.h"
#include "kernel/pseudofs.h"
#include "kernel/tlbmodel.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/mm_types.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/cross_call.h"
#include "smp/percpu.h"
#include "smp/tlb_ledger.h"
#include "smp/tlbflush.h"
#include "task/task.h"

/* 16 GiB into the scratch region: no test or HVO code uses it. */
#define TLBDEMO_VA (SCRATCH_BASE + 16 * GiB)
#define TLBDEMO_END (TLBDEMO_VA + PAGE_SIZE)

static void read_demo_va(void *info)
{
	*(uint64_t *)info = *(volatile uint64_t *)TLBDEMO_VA;
}

static uint64_t read_on(int cpu)
{
	uint64_t v = 0;

	smp_call_function_single(cpu, read_demo_va, &v, true);
	return v;
}

/* One trial; true if B still read F1's value after the remap and flush. */
static bool trial(int cpu_b, uint64_t f1, uint64_t f2, bool shootdown)
{
	arch_mmu_remap_4k(TLBDEMO_VA, f1, MMU_GLOBAL);
	flush_tlb_kernel_range(TLBDEMO_VA, TLBDEMO_END, FLUSH_TEST); /* a clean start */
	read_on(cpu_b);						     /* B's TLB: VA -> F1 */
	arch_mmu_remap_4k(TLBDEMO_VA, f2, MMU_GLOBAL);
	if (shootdown)
		flush_tlb_kernel_range(TLBDEMO_VA, TLBDEMO_END, FLUSH_TEST);
	else
		tlb_ledger_flush_one(TLBDEMO_VA); /* A's TLB only: the forgotten shootdown */
	return read_on(cpu_b) == 1;
}

static int run_trials(unsigned int trials, uint64_t f1, uint64_t f2, struct tlbdemo_result *r)
{
	int ret = arch_mmu_map(TLBDEMO_VA, f1, PG_LEVEL_4K, MMU_GLOBAL);

	if (ret)
		return ret;
	/* Each half is a TLB-model phase: its checker must see stale hits in the first only. */
	tlbmodel_phase_begin("tlbdemo-local-only");
	for (unsigned int i = 0; i < trials; i++)
		r->stale_local += trial(r->cpu_b, f1, f2, false);
	tlbmodel_phase_end("tlbdemo-local-only");
	tlbmodel_phase_begin("tlbdemo-shootdown");
	for (unsigned int i = 0; i < trials; i++)
		r->stale_shootdown += trial(r->cpu_b, f1, f2, true);
	tlbmodel_phase_end("tlbdemo-shootdown");
	arch_mmu_unmap(TLBDEMO_VA, PG_LEVEL_4K);
	flush_tlb_kernel_range(TLBDEMO_VA, TLBDEMO_END, FLUSH_TEST);
	return 0;
}

int tlbdemo_run(unsigned int trials, struct tlbdemo_result *r)
{
	struct page *p1, *p2 = NULL;
	int ret = -ENOMEM;

	memset(r, 0, sizeof(*r));
	if (nr_cpus_online < 2)
		return -EOPNOTSUPP;
	r->cpu_a = this_cpu_id();
	r->cpu_b = (r->cpu_a + nr_cpus_online - 1) % nr_cpus_online;
	r->va = TLBDEMO_VA;
	r->trials = trials;
	p1 = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (p1)
		p2 = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (p2) {
		*(volatile uint64_t *)page_address(p1) = 1;
		*(volatile uint64_t *)page_address(p2) = 2;
		ret = run_trials(trials, PFN_PHYS(page_to_pfn(p1)), PFN_PHYS(page_to_pfn(p2)), r);
	}
	if (p2)
		__free_page(p2);
	if (p1)
		__free_page(p1);
	return ret;
}

/* ---- the user half's knob: the engine's local-only flag (smp/tlbflush.h) ---- */

int tlbdemo_local_only_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%d\n", tlb_mm_local_only() ? 1 : 0);
	return 0;
}

int tlbdemo_local_only_store(const char *buf, size_t len, void *data)
{
	struct task_struct *t = current;
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	if (!t || !t->mm)
		return -EPERM; /* only a process, for its own address space */
	if (on)
		tlb_mm_set_local_only(t->mm->ctx_id);
	else if (tlb_mm_local_only() == t->mm->ctx_id)
		tlb_mm_set_local_only(0);
	return 0;
}

/* The demo's knob: it sets the engine's local-only flag (smp/tlbflush.h). */
DEFINE_PSEUDO_FILE(tlbdemo_local_only_file, "/sys/kernel/debug/flushlab/tlbdemo_local_only",
		   tlbdemo_local_only_show, tlbdemo_local_only_store, 0644);
