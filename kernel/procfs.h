/* Registration of the /proc files each subsystem provides. */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

void procfs_cpuinfo_init(void); /* arch/x86_64/cpuinfo.c */
void procfs_meminfo_init(void); /* mm/meminfo.c */

#endif
