build-m/k/tests/kernel/pgtable_ktest.o: tests/kernel/pgtable_ktest.c \
 include/flushlab/layout.h kernel/ktest.h lib/kernel.h lib/errno.h \
 lib/string.h mm/memblock.h mm/gfp.h mm/page.h mm/list.h mm/mmu.h \
 mm/pgtable_alloc.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h \
 mm/hugetlb_vmemmap.h mm/mm.h mm/efi_memmap.h mm/vmemmap.h smp/tlbflush.h
include/flushlab/layout.h:
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
mm/memblock.h:
mm/gfp.h:
mm/page.h:
mm/list.h:
mm/mmu.h:
mm/pgtable_alloc.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/hugetlb_vmemmap.h:
mm/mm.h:
mm/efi_memmap.h:
mm/vmemmap.h:
smp/tlbflush.h:
