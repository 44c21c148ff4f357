/*
 * switch_mm: the task layer's CR3 writes and the mm_cpumask bits that the
 * TLB engine (flush_tlb_mm_range) aims shootdowns by.
 *
 * Ordering with a concurrent shootdown: the bit is set BEFORE the CR3
 * write, so a CPU that changes @mm's page tables and then reads the mask
 * (a locked RMW or MFENCE on both sides: cpumask_set_cpu is a LOCK OR)
 * either sees our bit and interrupts us, or changed the tables before our
 * CR3 write, whose page walks then see the new entries. On the way out the
 * bit is cleared only AFTER the CR3 write: until then we may still hold
 * @mm's translations and must keep receiving its flushes.
 */
#include "task/mmu_context.h"
#include "arch/x86_64/cpu.h"
#include "kernel/platform.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"

void switch_mm(struct mm_struct *mm)
{
	cpumask_set_cpu(this_cpu_id(), mm_cpumask(mm));
	/*
	 * Without CR4.PCIDE a CR3 write invalidates every TLB entry and every
	 * paging-structure-cache entry of non-global pages (Intel SDM vol. 3A,
	 * 4.10.4.1; AMD APM vol. 2, 5.5.2). The kernel half of every PGD is
	 * the same tables, and its global entries stay valid by design. So
	 * no translation of a previous user mm survives this write.
	 */
	write_cr3(mm_pgd_phys(mm));
}

void switch_mm_to_kernel(struct mm_struct *mm, uint64_t kernel_cr3)
{
	/* Same SDM rule: after this write no user translation of @mm is cached here. */
	write_cr3(kernel_cr3);
	cpumask_clear_cpu(this_cpu_id(), mm_cpumask(mm));
}
