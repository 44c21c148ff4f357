build-m/k/mm/mm_procfs.o: mm/mm_procfs.c kernel/procfs.h \
 kernel/pseudofs.h lib/kernel.h lib/errno.h lib/kstrtox.h lib/string.h \
 mm/huge_memory.h mm/mmu.h include/flushlab/layout.h mm/khugepaged.h \
 mm/devmem.h mm/fail_page_alloc.h mm/gfp.h mm/hugetlb.h mm/list.h \
 mm/page.h mm/hugetlb_mm.h mm/vma.h mm/mm.h mm/efi_memmap.h mm/mm_user.h \
 mm/mman.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h \
 smp/tlb_ledger.h smp/tlbflush.h smp/percpu.h kernel/platform.h
kernel/procfs.h:
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/khugepaged.h:
mm/devmem.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
mm/hugetlb_mm.h:
mm/vma.h:
mm/mm.h:
mm/efi_memmap.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
smp/tlb_ledger.h:
smp/tlbflush.h:
smp/percpu.h:
kernel/platform.h:
