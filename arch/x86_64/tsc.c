/*
 * TSC calibration against the 8254 PIT (channel 2, gated through port 0x61,
 * the speaker off), the one fixed-frequency timer every PC and QEMU machine
 * has. Some modern boards gate the PIT off: the wait is bounded, and then
 * CPUID leaf 0x16's nominal frequency is used, and the boot line says so.
 */
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/cpu.h"
#include "kernel/platform.h"
#include "lib/kernel.h"

#define PIT_HZ 1193182ULL
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define CALIBRATE_MS 50

uint64_t tsc_khz;
uint64_t kernel_entry_tsc;

/* Cycles the TSC advances while PIT channel 2 counts down @ms; 0 if it never fires. */
static uint64_t pit_measure(unsigned ms)
{
	uint64_t latch = PIT_HZ * ms / 1000, t0, t1;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0); /* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	t0 = rdtsc_ordered();
	for (unsigned long spins = 0; !(inb(PIT_GATE) & 0x20); spins++)
		if (spins > 100000000UL)
			return 0;
	t1 = rdtsc_ordered();
	return t1 - t0;
}

static uint64_t cpuid_tsc_khz(void)
{
	uint32_t a, b, c, d, max;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max < 0x16)
		return 0;
	cpuid(0x16, 0, &a, &b, &c, &d);
	return (uint64_t)(a & 0xffff) * 1000; /* base MHz */
}

const char *tsc_calibrate(void)
{
	uint64_t cycles = pit_measure(CALIBRATE_MS);

	if (cycles) {
		tsc_khz = cycles / CALIBRATE_MS;
		return "PIT";
	}
	tsc_khz = cpuid_tsc_khz();
	if (tsc_khz)
		return "CPUID leaf 0x16 (PIT did not respond)";
	tsc_khz = 1000000; /* a guess, and the boot line says it is one */
	return "nothing: assumed 1 GHz (PIT silent, no CPUID leaf 0x16)";
}

uint64_t cycles_to_ns(uint64_t cycles)
{
	/* cycles * 1e6 / khz without overflowing for 584 years of cycles */
	return cycles / tsc_khz * 1000000ULL + (cycles % tsc_khz) * 1000000ULL / tsc_khz;
}

uint64_t clock_ns(void)
{
	return cycles_to_ns(rdtsc() - kernel_entry_tsc);
}

void clock_delay_ms(uint64_t ms)
{
	uint64_t end = rdtsc() + ms * tsc_khz;

	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}
