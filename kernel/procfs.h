/* Registration of the /proc files each subsystem provides. */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

void procfs_cpuinfo_init(void);	   /* arch/x86_64/cpuinfo.c */
void procfs_mm_init(void);	   /* mm/mm_procfs.c: meminfo, vmstat, buddyinfo, knobs */
void procfs_hugetlb_init(void);	   /* mm/hugetlb_sysfs.c: nr_hugepages and friends */
void procfs_tlb_init(void);	   /* smp/tlb_procfs.c: shootdown knobs, ledger, `time` line */
void procfs_interrupts_init(void); /* smp/interrupts_procfs.c: /proc/interrupts */

#endif
