build-m/k/arch/x86_64/boot_mmu.o: arch/x86_64/boot_mmu.c \
 arch/x86_64/cpu.h include/flushlab/boot_info.h include/flushlab/layout.h \
 mm/mm.h mm/efi_memmap.h
arch/x86_64/cpu.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
mm/mm.h:
mm/efi_memmap.h:
