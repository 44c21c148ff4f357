build-m/k/mm/devdax.o: mm/devdax.c kernel/pseudofs.h lib/kernel.h \
 lib/errno.h lib/string.h mm/devdax_vmemmap.h mm/devmem.h mm/memblock.h \
 mm/gfp.h mm/page.h include/flushlab/layout.h mm/list.h mm/mm.h \
 mm/efi_memmap.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
mm/devdax_vmemmap.h:
mm/devmem.h:
mm/memblock.h:
mm/gfp.h:
mm/page.h:
include/flushlab/layout.h:
mm/list.h:
mm/mm.h:
mm/efi_memmap.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
