/*
 * 1 GiB hugetlb pages reserved at boot from the kernel command line
 * (`hugepagesz=1G hugepages=N`, `hugetlb_boot_vmemmap=born|populate`):
 * mm/hugetlb_boot.c. Called in this order by the boot code.
 */
#ifndef MM_HUGETLB_BOOT_H
#define MM_HUGETLB_BOOT_H

/* Read the command line's hugetlb words (before memory init). */
void hugetlb_boot_parse(const char *cmdline);
/* Born mode: take the GiBs out of memblock (after the boot reservations, before the vmemmap). */
void hugetlb_boot_reserve(void);
/* One past the highest pfn of a GiB taken out (0 if none): max_pfn covers it. */
unsigned long hugetlb_boot_end_pfn(void);
/* Buddy allocator and CPUs running: build the pages and put them in the 1 GiB pool. */
void hugetlb_boot_init(void);

#endif
