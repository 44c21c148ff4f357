/*
 * User memory: the lifetime of an address space (mm_alloc, mmput), the
 * page-fault handler, and the unmapping side everything else uses
 * (zap_page_range, unmap_vma, free_pgtables; the mmu_gather that frees
 * only after the TLB flush is mm/mmu_gather.c). What a fault maps and how a range is unmapped
 * is the VMA's kind's: each is one call through vma->vm_ops (mm/vm_ops.h).
 */
#include "arch/x86_64/cpu.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/khugepaged.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "mm/pgtable_alloc.h"
#include "mm/slab.h"
#include "smp/tlbflush.h"

/* ---- objects ---- */

static struct kmem_cache mm_cachep =
    KMEM_CACHE_INIT(mm_cachep, "mm_struct", sizeof(struct mm_struct));
static struct kmem_cache vm_area_cachep =
    KMEM_CACHE_INIT(vm_area_cachep, "vm_area_struct", sizeof(struct vm_area_struct));

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(&vm_area_cachep);

	if (vma)
		vma->vm_mm = mm;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma); /* the kind's per-VMA count (vm_ops->open) */
	kmem_cache_free(&vm_area_cachep, vma);
}

/* ---- the lock ---- */

void mm_lock(struct mm_struct *mm)
{
	while (!spin_trylock(&mm->lock))
		tlb_wait_poll();
}

void mm_unlock(struct mm_struct *mm)
{
	spin_unlock(&mm->lock);
}

/* ---- lifetime ---- */

static uint64_t last_mm_ctx_id; /* Linux's name; 64 bits never wrap */

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kmem_cache_zalloc(&mm_cachep);

	if (!mm)
		return NULL;
	mm->pgd = arch_mmu_user_pgd_alloc();
	if (!mm->pgd) {
		kmem_cache_free(&mm_cachep, mm);
		return NULL;
	}
	vma_set_init(&mm->vmas);
	spin_lock_init(&mm->lock);
	mm->mm_users = 1;
	mm->mm_count = 1; /* held by the users together, dropped by the last mmput */
	INIT_LIST_HEAD(&mm->khugepaged_node);
	mm->mmap_base = TASK_UNMAPPED_BASE;
	mm->ctx_id = __atomic_add_fetch(&last_mm_ctx_id, 1, __ATOMIC_RELAXED);
	cpumask_clear(mm_cpumask(mm));
	return mm;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST);
}

uint64_t mm_pgd_phys(struct mm_struct *mm)
{
	return mm->pgd;
}

unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_ANONPAGES) + get_mm_counter(mm, MM_HUGEPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}

unsigned long mm_total_vm(struct mm_struct *mm)
{
	return mm->vmas.total_pages;
}

/*
 * Linux's exit_mmap: no thread uses @mm any more and no CPU has it loaded
 * (mm_leave_lazy_cpus ran), so the flush in tlb_finish_mmu normally
 * interrupts nobody; it still covers any CPU the mask names.
 */
static void exit_mmap(struct mm_struct *mm)
{
	struct mmu_gather tlb;

	mm_lock(mm);
	tlb_gather_mmu(&tlb, mm);
	BUG_ON(vma_unmap_range(&mm->vmas, 0, TASK_SIZE, unmap_vma, &tlb)); /* no splits: no alloc */
	free_pgtables(&tlb, 0, TASK_SIZE);
	tlb_finish_mmu(&tlb);
	mm_unlock(mm);
	BUG_ON(mm->pgtables_pages != 0 || get_mm_rss(mm) != 0);
}

void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST);
}

void mmdrop(struct mm_struct *mm)
{
	if (!__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST))
		kmem_cache_free(&mm_cachep, mm);
}

/*
 * The last user: the address space goes now, every page and table and
 * the root too (so MemFree is exact at once); the struct stays while
 * khugepaged holds it (mm_count), with no VMA, no root (pgd 0) and
 * mm_users 0, which is what khugepaged checks under the lock.
 */
void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST))
		return;
	khugepaged_exit(mm);	/* off its list now, unless it is the one being scanned */
	mm_leave_lazy_cpus(mm); /* nobody may keep the root in CR3 while it is freed */
	exit_mmap(mm);
	mm_lock(mm);
	arch_mmu_user_pgd_free(mm->pgd);
	mm->pgd = 0;
	mm_unlock(mm);
	mmdrop(mm);
}

/* ---- unmapping ---- */

/* Remember @ops's zap_finish for tlb_finish_mmu, once per gather. */
static void tlb_note_zap_finish(struct mmu_gather *tlb, const struct vm_operations_struct *ops)
{
	if (!ops->zap_finish)
		return;
	for (int i = 0; i < tlb->nr_zap_finish; i++)
		if (tlb->zap_finish[i] == ops)
			return;
	BUG_ON(tlb->nr_zap_finish == MMU_GATHER_MAX_KINDS);
	tlb->zap_finish[tlb->nr_zap_finish++] = ops;
}

/* The one zap: every unmapping of user memory goes through the VMA's table here. */
static int zap_vma_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
			 uintptr_t end, bool final)
{
	const struct vm_operations_struct *ops = vma->vm_ops;
	int err = ops->zap(tlb, vma, start, end, final);

	tlb_note_zap_finish(tlb, ops); /* a failed zap may have split: harmless */
	return err;
}

int zap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		   uintptr_t end)
{
	return zap_vma_range(tlb, vma, start, end, false);
}

void unmap_vma(struct vm_area_struct *vma, void *tlb)
{
	BUG_ON(zap_vma_range(tlb, vma, vma->vm_start, vma->vm_end, true)); /* final: cannot fail */
}

static void tlb_remove_table(uint64_t table_pa, void *arg)
{
	tlb_remove_table_pa(arg, table_pa);
}

/*
 * A table is freed here only if the span it maps meets [start, end) (see
 * arch_mmu_user_free_pgtables), so [start, end) holds an address each one
 * maps: adding it to the range is what makes tlb_finish_mmu's INVLPGs drop
 * the cached entries leading through them. The range holds no VMA when a
 * munmap or MAP_FIXED lands between mappings: nothing was zapped, and
 * without this the tables went back with no flush at all.
 */
void free_pgtables(struct mmu_gather *tlb, uintptr_t start, uintptr_t end)
{
	if (arch_mmu_user_free_pgtables(tlb->mm->pgd, start, end, tlb_remove_table, tlb,
					&tlb->mm->pgtables_pages))
		tlb_flush_range_add(tlb, start, end);
}

/* ---- futex keys ---- */

int mm_futex_key(struct mm_struct *mm, uintptr_t uaddr, uint64_t *pa)
{
	struct vm_area_struct *vma;
	struct mmu_mapping m;
	int ret = 0;

	mm_lock(mm);
	vma = find_vma(&mm->vmas, uaddr);
	if (!vma || vma->vm_start > uaddr)
		ret = -EFAULT;
	else if (vma->vm_flags & VM_SHARED)
		ret = arch_mmu_user_query(mm->pgd, uaddr, &m) || !(m.prot & MMU_READ) ? -EFAULT : 1;
	if (ret == 1)
		*pa = m.pa; /* shared pages never move: the frame names the word */
	mm_unlock(mm);
	return ret;
}

/* ---- protection ---- */

unsigned int vm_flags_to_mmu_prot(unsigned long vm_flags)
{
	unsigned int prot = 0;

	if (vm_flags & VM_ACCESS_FLAGS)
		prot |= MMU_READ; /* x86 cannot map write-only or exec-only */
	if (vm_flags & VM_WRITE)
		prot |= MMU_WRITE;
	if (vm_flags & VM_EXEC)
		prot |= MMU_EXEC;
	return prot;
}

/* ---- faults ---- */

static unsigned long pgfault_count; /* Linux's pgfault event: every handle_mm_fault */

unsigned long vm_events_pgfault(void)
{
	return __atomic_load_n(&pgfault_count, __ATOMIC_RELAXED);
}

/* Linux's access_error: may this fault's kind of access touch @vma at all? */
static bool access_error(unsigned int flags, const struct vm_area_struct *vma)
{
	if (flags & FAULT_FLAG_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (flags & FAULT_FLAG_INSTRUCTION)
		return !(vma->vm_flags & VM_EXEC);
	return !(vma->vm_flags & VM_ACCESS_FLAGS);
}

/*
 * Called by the #PF handler with the x86 error code as FAULT_FLAG_*; also
 * by MAP_POPULATE and tests. A fault on a present page the VMA allows is
 * spurious (another CPU mapped it first; a thread that faulted on the old
 * mapping of a range while another thread's MAP_FIXED mmap replaced it
 * finds the new leaf; or this CPU held a stale entry from before a
 * protection upgrade): x86 drops the faulting address's TLB entries on a
 * #PF (SDM vol. 3, 4.10.4.2; AMD APM vol. 2, 5.5.2), and any mmap or
 * mprotect that changed the leaf flushed every CPU of the mm before it
 * dropped the lock we now hold, so retrying is enough. A not-present leaf
 * is the kind's to fill (vm_ops->fault); a write to a present read-only
 * leaf of a writable VMA is the kind's to break (vm_ops->wp_fault).
 */
int handle_mm_fault(struct mm_struct *mm, uintptr_t addr, unsigned int flags)
{
	struct vm_area_struct *vma;
	struct mmu_mapping m;
	int ret = 0;

	__atomic_add_fetch(&pgfault_count, 1, __ATOMIC_RELAXED);
	if (addr >= TASK_SIZE)
		return -EFAULT;
	addr &= ~(PAGE_SIZE - 1);
	mm_lock(mm);
	vma = find_vma(&mm->vmas, addr);
	if (!vma || vma->vm_start > addr || access_error(flags, vma))
		ret = -EFAULT;
	else if (arch_mmu_user_query(mm->pgd, addr, &m))
		ret = vma->vm_ops->fault(vma, addr, flags);
	else if ((m.prot & MMU_READ) == 0)
		ret = -EFAULT; /* stricter than its VMA: mprotect keeps them equal, so a bug */
	else if ((flags & FAULT_FLAG_WRITE) && !(m.prot & MMU_WRITE))
		ret = vma->vm_ops->wp_fault ? vma->vm_ops->wp_fault(vma, addr, &m) : -EFAULT;
	mm_unlock(mm);
	return ret;
}
