build-m/k/mm/efi_memmap.o: mm/efi_memmap.c mm/efi_memmap.h \
 include/flushlab/boot_info.h include/flushlab/layout.h lib/kernel.h
mm/efi_memmap.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
lib/kernel.h:
