/*
 * kmain: the boot order, one step a line. The loader has left us on its page
 * tables with interrupts off; from here the kernel never calls UEFI. When a
 * script came on the ESP it runs and the machine powers off with its verdict;
 * otherwise the interactive console starts.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/irqchip.h"
#include "arch/x86_64/mce.h"
#include "arch/x86_64/nfit.h"
#include "arch/x86_64/rtc.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "flushlab/boot_info.h"
#include "fs/fs.h"
#include "kernel/backtrace.h"
#include "init/boot.h"
#include "kernel/platform.h"
#include "kernel/shell.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "mm/hugetlb_boot.h"
#include "mm/mm.h"
#include "smp/smp.h"
#include "smp/tlbflush.h"
#include "task/khugepaged_thread.h"
#include "task/ramfs.h"
#include "task/task.h"

static struct cpu_tables boot_cpu_tables;
const struct boot_info *boot_info;

static const struct boot_info *check_boot_info(uint64_t phys)
{
	const struct boot_info *bi = (const struct boot_info *)(DIRECT_MAP_BASE + phys);

	if (bi->magic != BOOT_INFO_MAGIC || bi->version != BOOT_INFO_VERSION ||
	    bi->size != sizeof(*bi))
		panic("boot_info at %#lx: bad magic/version/size (%#lx/%u/%u): loader and kernel "
		      "do not match; rebuild both",
		      phys, bi->magic, bi->version, bi->size);
	return bi;
}

static void print_boot_time(void)
{
	uint64_t now = rdtsc();

	printk("boot: console ready %lu us after kernel entry (loader to kernel: %lu us)\n",
	       cycles_to_ns(now - kernel_entry_tsc) / 1000,
	       cycles_to_ns(kernel_entry_tsc - boot_info->loader_tsc) / 1000);
}

__noreturn void kmain(uint64_t boot_info_phys);
__noreturn void kmain(uint64_t boot_info_phys)
{
	struct nfit_info nfit;
	int failures;

	serial_init(); /* printk works from here */
	printk("\nflushlab: kernel entered\n");
	gdt_init_cpu(&boot_cpu_tables); /* our GDT, TSS and IST stacks */
	idt_init();			/* exceptions now print and end the run */
	boot_info = check_boot_info(boot_info_phys);
	symbols_init(boot_info); /* backtraces get names */
	cpu_features_detect();
	if (str_has_word(boot_info->cmdline, "accel=icount") && !cpu_accel_set_icount())
		printk("boot: accel=icount ignored: not running under QEMU TCG\n");
	if (str_has_word(boot_info->cmdline, "noarat")) { /* as if CPUID 6 lacked ARAT */
		cpu_features.arat = false;
		cpu_features.noarat = true;
	}
	cpu_features_enable(str_has_word(boot_info->cmdline, "nosmep"),	 /* CR0, CR4 (SMEP, SMAP, */
			    str_has_word(boot_info->cmdline, "nosmap")); /* FPU), XCR0 */
	cpu_features_report();
	mcheck_cpu_init();	     /* CR4.MCE and every error bank: hardware errors raise #MC */
	boot_memory_init(boot_info); /* memory map, then drop the identity map */
	acpi_init(boot_info->rsdp_phys); /* MADT (CPUs, LAPIC, IOAPICs), FADT (PM timer) */
	if (nfit_init(boot_info->rsdp_phys, &nfit) == 0) /* NVDIMM ranges (ACPI NFIT) */
		devmem_add_nfit(&nfit);			 /* device memory, not RAM */
	irqchip_init();	 /* 8259 PICs and every IOAPIC pin masked: LAPIC interrupts only */
	tsc_calibrate(); /* CPUID, hypervisor leaf, PM timer or PIT */
	printk("tsc: %lu.%03lu MHz (source: %s)\n", tsc_khz / 1000, tsc_khz % 1000, tsc_source);
	rtc_init();		   /* the wall clock: the CMOS RTC, read once */
	initramfs_init(boot_info); /* \flushlab\initrd unpacked: /bin, a read-only ramfs */
	tlb_pcid_init(
	    str_has_word(boot_info->cmdline, "nopcid")); /* CR4.PCIDE, copied by the APs */
	smp_init();	     /* LAPICs, every CPU online, ticks and IPIs; interrupts on */
	hugetlb_boot_init(); /* hugepagesz=1G hugepages=N: the 1 GiB pool, vmemmap optimized */
	boot_console_init(boot_info); /* pseudo-files and the command line */
	task_init();		      /* processes: user faults, syscall counters */
	fs_init();		      /* tmpfs at /tmp and /dev/shm */
	if (start_khugepaged())	      /* the khugepaged kernel thread, asleep until there is work */
		printk("flushlab: khugepaged not started: no task slot\n");
	print_boot_time();

	if (boot_info->script_size) {
		failures = shell_run_script(boot_info->script, boot_info->script_size);
		printk("flushlab: script finished, %d failed command%s\n", failures,
		       failures == 1 ? "" : "s");
		machine_exit(failures ? EXIT_STATUS_FAILED : EXIT_STATUS_OK);
	}
	shell_interactive(boot_console_getc);
	machine_exit(shell_failures() ? EXIT_STATUS_FAILED : EXIT_STATUS_OK);
}
