build-m/k/mm/mm_init.o: mm/mm_init.c include/flushlab/layout.h \
 include/flushlab/boot_info.h kernel/boot.h kernel/ktest.h lib/kernel.h \
 mm/efi_memmap.h mm/memblock.h mm/gfp.h mm/page.h mm/list.h mm/mm.h \
 mm/mmu.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h \
 mm/vmemmap.h
include/flushlab/layout.h:
include/flushlab/boot_info.h:
kernel/boot.h:
kernel/ktest.h:
lib/kernel.h:
mm/efi_memmap.h:
mm/memblock.h:
mm/gfp.h:
mm/page.h:
mm/list.h:
mm/mm.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/vmemmap.h:
