/*
 * The console's boot-time wiring: every subsystem's pseudo-files are
 * registered here, in one list a reader can scan, and the serial port is the
 * input the interactive shell reads from.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ptdump.h"
#include "arch/x86_64/serial.h"
#include "flushlab/boot_info.h"
#include "kernel/boot.h"
#include "kernel/procfs.h"
#include "mm/devmem.h"
#include "mm/hugetlb_vmemmap.h"
#include "lib/kernel.h"

void boot_console_init(const struct boot_info *bi)
{
	if (bi->cmdline[0])
		printk("boot: command line: %s\n", bi->cmdline);
	procfs_cpuinfo_init(); /* /proc/cpuinfo */
	procfs_mm_init(); /* /proc/meminfo, vmstat, buddyinfo, fail_page_alloc */
	procfs_hugetlb_init(); /* /proc/sys/vm/nr_hugepages..., /sys/kernel/mm/hugepages */
	procfs_tlb_init(); /* tlb_single_page_flush_ceiling, shootdown_protocol, tlb_ledger */
	hugetlb_vmemmap_init(); /* hugetlb_vmemmap_flush_strategy, _init, _restore */
	ptdump_init(); /* /sys/kernel/debug/page_tables/kernel */
	devmem_init(); /* the simulated device-memory region; daxctl */
}

int boot_console_getc(void)
{
	int c;

	while ((c = serial_try_getc()) < 0)
		cpu_relax(); /* under TCG, PAUSE yields the vCPU: polling stays cheap */
	return c;
}
