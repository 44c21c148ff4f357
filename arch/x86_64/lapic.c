/*
 * Local APIC access in both modes. Register offsets are the xAPIC MMIO ones
 * (SDM vol. 3 table 11-1); in x2APIC mode the same register is MSR
 * 0x800 + offset/16, and the ICR becomes one 64-bit MSR with no
 * delivery-status bit. The xAPIC page has its own uncached 4 KiB mapping
 * (ioremap): the direct map covers RAM only, and a device register must
 * never be reached through a write-back mapping.
 */
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/tsc.h"
#include "flushlab/boot_info.h"
#include "flushlab/layout.h"
#include "lib/kernel.h"

#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_ISR 0x100 /* in-service bits: 8 registers of 32, 0x10 apart */
#define APIC_SVR 0xf0
#define APIC_ESR 0x280
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF 0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0

#define APIC_BASE_BSP (1UL << 8)
#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_BASE_X2APIC (1UL << 10)
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_PERIODIC (1u << 17)
#define APIC_LVT_NMI (4u << 8)
#define APIC_TIMER_DIV16 0x3

#define ICR_FIXED (0u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_BUSY (1u << 12) /* delivery status: xAPIC only */
#define ICR_ASSERT (1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18)

bool lapic_x2apic_mode;
static uintptr_t xapic_base; /* virtual: its own uncached page (ioremap) */
static uint64_t timer_khz;

static uint32_t apic_read(uint32_t reg)
{
	if (lapic_x2apic_mode)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio_read32(xapic_base + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (lapic_x2apic_mode)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		mmio_write32(xapic_base + reg, v);
}

void lapic_init(uint64_t phys)
{
	uint64_t msr_base = rdmsr(MSR_IA32_APIC_BASE) & ~0xfffULL;

	/* A firmware that handed over in x2APIC mode cannot be taken back to xAPIC. */
	lapic_x2apic_mode = cpu_features.x2apic || (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC);
	if (!phys)
		phys = msr_base;
	if (phys != msr_base)
		printk("lapic: MADT says %#lx, IA32_APIC_BASE says %#lx; using the MADT's\n", phys,
		       msr_base);
	if (!lapic_x2apic_mode) {
		xapic_base = (uintptr_t)ioremap(phys, PAGE_SIZE);
		if (!xapic_base)
			panic("lapic: cannot map the xAPIC registers at %#lx", phys);
	}
	printk("lapic: %s mode%s\n", lapic_x2apic_mode ? "x2APIC (MSRs)" : "xAPIC (MMIO)",
	       lapic_x2apic_mode ? "" : ", no x2APIC in CPUID");
}

/*
 * Put this CPU's APIC in the mode lapic_init chose. Firmware usually hands
 * over in xAPIC mode even where CPUID has x2APIC, and until EXTD is set
 * every x2APIC MSR (0x800-0x8ff) raises #GP, so nothing may read or write a
 * register before this runs on the CPU. The legal transitions (SDM vol. 3,
 * 11.12.5, figure 11-27): disabled -> xAPIC (EN=1) -> x2APIC (EN=1, EXTD=1);
 * disabled -> x2APIC directly is invalid and raises #GP, so a disabled APIC
 * is enabled first in a write of its own. x2APIC -> xAPIC needs a reset or a
 * pass through disabled; lapic_init never asks for it (it picks x2APIC when
 * the firmware left it on, whatever CPUID says about how we got here).
 */
static void lapic_set_mode(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (lapic_x2apic_mode && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
}

void lapic_enable(void)
{
	uint64_t base;

	lapic_set_mode();
	base = rdmsr(MSR_IA32_APIC_BASE);
	apic_write(APIC_TPR, 0); /* accept every vector class */
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_LVT_THERMAL, APIC_LVT_MASKED);
	apic_write(APIC_LVT_PERF, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	/*
	 * LINT1 carries the board's legacy NMI (chipset errors, a front-panel
	 * button). Only the boot CPU takes it, as in Linux (and the MP spec's
	 * virtual-wire setup): one report, not one per CPU. What an NMI does
	 * is in traps.c: it reports and ends the run.
	 */
	apic_write(APIC_LVT_LINT1,
		   (base & APIC_BASE_BSP) ? APIC_LVT_NMI : APIC_LVT_NMI | APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	apic_write(APIC_ESR, 0); /* ESR is cleared by back-to-back writes */
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_eoi(); /* drop anything the firmware left in service */
}

uintptr_t lapic_mmio_base(void)
{
	return xapic_base;
}

uint32_t lapic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return lapic_x2apic_mode ? id : id >> 24;
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

bool lapic_vector_in_service(uint8_t vector)
{
	return apic_read(APIC_ISR + 0x10 * (vector / 32)) & (1u << (vector % 32));
}

void lapic_timer_stop(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	apic_write(APIC_TIMER_INITIAL, 0);
}

static void xapic_wait_icr_idle(void)
{
	while (mmio_read32(xapic_base + APIC_ICR_LOW) & ICR_BUSY)
		cpu_relax();
}

void (*lapic_icr_probe)(uint64_t icr);

/*
 * The x2APIC ICR write, the one place every x2APIC IPI leaves from: a
 * shootdown, a cross-call, a reschedule, an NMI, INIT and STARTUP. Intel
 * SDM vol. 3, 11.12.3 "MSR Access in x2APIC Mode": for the APIC registers
 * the serializing semantics of WRMSR are relaxed, so software must not
 * count on it as a serializing instruction (Linux fences these writes on
 * AMD parts as well: X86_FEATURE_APIC_MSRS_FENCE). Without a fence the ICR
 * write can execute while earlier stores still sit in the store buffer: the
 * IPI reaches a target before the shootdown or cross-call request it
 * announces is visible there, the target finds nothing to do, and the
 * initiator waits for an ack that never comes. MFENCE drains earlier loads
 * and stores; LFENCE keeps the WRMSR from starting before MFENCE completed
 * (Linux's weak_wrmsr_fence() before x2apic's native_x2apic_icr_write).
 * TCG executes in order and cannot show the race; lapic_ktest.c checks that
 * this function's code fences before its WRMSR and that IPIs in x2APIC mode
 * come through here (lapic_icr_probe, set by tests only).
 */
__attribute__((noinline)) void x2apic_icr_write(uint64_t icr)
{
	weak_wrmsr_fence();
	wrmsr(MSR_X2APIC_BASE + (APIC_ICR_LOW >> 4), icr);
	if (lapic_icr_probe)
		lapic_icr_probe(icr);
}

/*
 * Write the ICR. xAPIC: wait until the previous IPI left (delivery status),
 * then destination before command, with interrupts off so a handler sending
 * its own IPI cannot slip between the two halves; the ICR is an uncached
 * MMIO store, which x86 never makes visible ahead of earlier stores (SDM
 * vol. 3, 12.3: UC accesses are strongly ordered). x2APIC: one 64-bit MSR
 * write, fenced (x2apic_icr_write).
 */
static void lapic_icr_write(uint32_t dest, uint32_t low)
{
	uint64_t flags;

	if (lapic_x2apic_mode) {
		x2apic_icr_write(((uint64_t)dest << 32) | low);
		return;
	}
	flags = local_irq_save();
	xapic_wait_icr_idle();
	mmio_write32(xapic_base + APIC_ICR_HIGH, dest << 24);
	mmio_write32(xapic_base + APIC_ICR_LOW, low);
	local_irq_restore(flags);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	lapic_icr_write(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_ipi_allbutself(uint8_t vector)
{
	lapic_icr_write(0, ICR_ALL_BUT_SELF | ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
	lapic_icr_write(apic_id, ICR_NMI | ICR_ASSERT);
}

/* Start-up IPIs also wait until the xAPIC reports them delivered. */
void lapic_send_init(uint32_t apic_id)
{
	lapic_icr_write(apic_id, ICR_INIT | ICR_ASSERT);
	if (!lapic_x2apic_mode)
		xapic_wait_icr_idle();
}

void lapic_send_startup(uint32_t apic_id, uint32_t trampoline_phys)
{
	lapic_icr_write(apic_id, ICR_STARTUP | ICR_ASSERT | (trampoline_phys >> 12));
	if (!lapic_x2apic_mode)
		xapic_wait_icr_idle();
}

/*
 * Count the timer down from its maximum for 10 ms of TSC time. Under TCG both
 * clocks are host time, so the ratio is exact; on hardware the TSC and the
 * APIC bus clock are both crystal-derived and agree to a few ppm.
 */
void lapic_timer_calibrate(void)
{
	uint64_t start, end, elapsed;
	uint32_t left;

	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIV16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	start = rdtsc();
	apic_write(APIC_TIMER_INITIAL, 0xffffffffu);
	end = start + 10 * tsc_khz;
	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
	left = apic_read(APIC_TIMER_CURRENT);
	elapsed = rdtsc() - start;
	apic_write(APIC_TIMER_INITIAL, 0);
	timer_khz = (uint64_t)(0xffffffffu - left) * tsc_khz / elapsed;
	printk("lapic: timer input %lu.%03lu MHz (after divide-by-16), measured against the TSC\n",
	       timer_khz / 1000, timer_khz % 1000);
}

void lapic_timer_start(unsigned int hz)
{
	uint64_t count = timer_khz * 1000 / hz;

	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIV16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_PERIODIC | LAPIC_TIMER_VECTOR);
	apic_write(APIC_TIMER_INITIAL, count ? (uint32_t)MIN(count, 0xffffffffULL) : 1);
}
