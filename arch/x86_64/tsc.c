/*
 * TSC calibration, from the most exact source the machine has (Linux's
 * native_calibrate_tsc, then its PM-timer and PIT fallbacks): CPUID leaf
 * 0x15 (TSC/crystal ratio), leaf 0x16 (nominal base frequency), the
 * hypervisor's TSC leaf 0x40000010, the ACPI PM timer, then the 8254 PIT.
 * Every wait on a timer is bounded in TSC cycles, so a timer that never
 * ticks (a PIT gated off on a modern board) costs milliseconds, not a hang.
 */
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "kernel/platform.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define PIT_HZ 1193182ULL
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define PM_TIMER_HZ 3579545ULL
#define CALIBRATE_MS 10	 /* one measurement window */
#define CALIBRATE_RUNS 3 /* windows per source; the median is kept */
/*
 * The TSC rate is unknown while we calibrate, so waits are bounded by
 * assuming the fastest TSC we accept (10 GHz): a window's wait gives up
 * after 2 x CALIBRATE_MS at that rate, at most 200 ms on a 1 GHz part.
 */
#define TSC_KHZ_CEILING 10000000ULL
#define WAIT_LIMIT_CYCLES (2 * CALIBRATE_MS * TSC_KHZ_CEILING)
#define PM_TIMER_GIVE_UP_CYCLES (50 * WAIT_LIMIT_CYCLES)
/* A timer read bracketed by more than 20 us at the ceiling rate is redone. */
#define READ_LIMIT_CYCLES (20 * TSC_KHZ_CEILING / 1000)
#define READ_TRIES 1000

uint64_t tsc_khz;
uint64_t kernel_entry_tsc;
const char *tsc_source = "none";

static uint32_t cpuid_max_leaf(uint32_t base)
{
	uint32_t a, b, c, d;

	cpuid(base, 0, &a, &b, &c, &d);
	return a;
}

/*
 * The core crystal of parts whose leaf 0x15 leaves ECX 0: Intel SDM vol. 2A,
 * CPUID leaf 15H ("nominal core crystal clock frequency" table), as Linux's
 * native_calibrate_tsc lists them.
 */
static uint64_t known_crystal_khz(void)
{
	uint32_t a, b, c, d, family, model;

	if (strcmp(cpu_features.vendor, "GenuineIntel") != 0)
		return 0;
	cpuid(1, 0, &a, &b, &c, &d);
	family = (a >> 8) & 0xf;
	model = ((a >> 4) & 0xf) | ((a >> 12) & 0xf0);
	if (family != 6)
		return 0;
	switch (model) {
	case 0x4e: /* Skylake and Kaby Lake client parts */
	case 0x5e:
	case 0x8e:
	case 0x9e:
		return 24000;
	case 0x5f: /* Goldmont-based Denverton */
		return 25000;
	case 0x5c: /* Goldmont (Apollo Lake) */
		return 19200;
	default:
		return 0;
	}
}

/* CPUID 0x15: TSC = crystal * EBX / EAX; crystal from ECX, else 0x16 or the table. */
static uint64_t cpuid_15_khz(void)
{
	uint32_t den, num, crystal_hz, d, base_mhz, b, c;
	uint64_t crystal_khz;

	if (cpuid_max_leaf(0) < 0x15)
		return 0;
	cpuid(0x15, 0, &den, &num, &crystal_hz, &d);
	if (!den || !num)
		return 0;
	crystal_khz = crystal_hz / 1000;
	if (!crystal_khz && cpuid_max_leaf(0) >= 0x16) {
		cpuid(0x16, 0, &base_mhz, &b, &c, &d);
		crystal_khz = (uint64_t)(base_mhz & 0xffff) * 1000 * den / num;
	}
	if (!crystal_khz)
		crystal_khz = known_crystal_khz();
	return crystal_khz * num / den;
}

/* CPUID 0x16 EAX: the nominal base frequency in MHz. */
static uint64_t cpuid_16_khz(void)
{
	uint32_t a, b, c, d;

	if (cpuid_max_leaf(0) < 0x16)
		return 0;
	cpuid(0x16, 0, &a, &b, &c, &d);
	return (uint64_t)(a & 0xffff) * 1000;
}

/* The hypervisor timing leaf (VMware's, also QEMU's and others'): EAX = TSC kHz. */
static uint64_t hypervisor_khz(void)
{
	uint32_t a, b, c, d;

	if (!cpu_features.hypervisor || cpuid_max_leaf(0x40000000) < 0x40000010)
		return 0;
	cpuid(0x40000010, 0, &a, &b, &c, &d);
	return a;
}

static bool waited_too_long(uint64_t t0)
{
	return rdtsc() - t0 > WAIT_LIMIT_CYCLES;
}

/*
 * One PM-timer reading paired with the TSC at that moment. A vCPU can be
 * descheduled between two instructions for milliseconds (a VM on a busy
 * host; TCG with more vCPUs than host CPUs), and then a timer value would be
 * paired with a much later TSC. So the TSC is read on both sides and a
 * reading whose bracket is wider than READ_LIMIT_CYCLES is taken again, as
 * Linux's PIT calibration rejects slow reads; the pair's TSC is the middle.
 */
static bool pm_timer_read(uint16_t port, uint32_t mask, uint32_t *pm, uint64_t *tsc)
{
	for (int i = 0; i < READ_TRIES; i++) {
		uint64_t before = rdtsc_ordered();
		uint32_t value = inl(port) & mask;
		uint64_t after = rdtsc_ordered();

		if (after - before < READ_LIMIT_CYCLES) {
			*pm = value;
			*tsc = before + (after - before) / 2;
			return true;
		}
	}
	return false;
}

/*
 * TSC cycles while the PM timer advances CALIBRATE_MS; 0 if it does not
 * move or no reading is quick. A late last reading only lengthens the window
 * (the result is scaled by the ticks actually seen), and the ticks are
 * summed read by read, so the 24-bit timer's wrap (4.7 s) cannot hide any.
 */
static uint64_t pm_timer_window(void)
{
	uint16_t port = acpi_fadt.pm_timer_port;
	uint32_t mask = acpi_fadt.pm_timer_32bit ? 0xffffffffu : 0xffffffu;
	uint32_t ticks = PM_TIMER_HZ * CALIBRATE_MS / 1000, prev, now;
	uint64_t t0, t1, seen = 0;

	if (!pm_timer_read(port, mask, &prev, &t0))
		return 0;
	do {
		if (!pm_timer_read(port, mask, &now, &t1))
			return 0;
		seen += (now - prev) & mask;
		prev = now;
		if (t1 - t0 > WAIT_LIMIT_CYCLES && !seen)
			return 0; /* the timer does not tick */
		if (t1 - t0 > PM_TIMER_GIVE_UP_CYCLES)
			return 0; /* it ticks, but far too slowly to be a PM timer */
	} while (seen < ticks);
	return (t1 - t0) * ticks / seen;
}

/*
 * TSC cycles while PIT channel 2 counts down CALIBRATE_MS; 0 if it never
 * fires. The count starts with the write of its high byte, so the TSC is
 * read just before that write: a vCPU descheduled anywhere in the window can
 * then only make it look longer, never shorter, and the shortest of the
 * windows is the best estimate.
 */
static uint64_t pit_window(void)
{
	uint64_t latch = PIT_HZ * CALIBRATE_MS / 1000, t0;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);				/* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, latch & 0xff);
	t0 = rdtsc_ordered();
	outb(PIT_CH2, latch >> 8);
	while (!(inb(PIT_GATE) & 0x20))
		if (waited_too_long(t0))
			return 0;
	return rdtsc_ordered() - t0;
}

/*
 * CALIBRATE_RUNS windows in kHz: their median, or their shortest when every
 * error can only lengthen a window (@shortest); 0 if any window failed.
 */
static uint64_t measure_khz(uint64_t (*window)(void), bool shortest)
{
	uint64_t w[CALIBRATE_RUNS], tmp;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		w[i] = window();
		if (!w[i])
			return 0;
		for (int j = i; j > 0 && w[j] < w[j - 1]; j--)
			tmp = w[j], w[j] = w[j - 1], w[j - 1] = tmp;
	}
	return w[shortest ? 0 : CALIBRATE_RUNS / 2] / CALIBRATE_MS;
}

void tsc_calibrate(void)
{
	static const struct {
		const char *name;
		uint64_t (*khz)(void);
	} sources[] = {
	    {"cpuid-15h", cpuid_15_khz},
	    {"cpuid-16h", cpuid_16_khz},
	    {"cpuid-40000010h", hypervisor_khz},
	};

	for (size_t i = 0; i < ARRAY_SIZE(sources); i++) {
		tsc_khz = sources[i].khz();
		if (tsc_khz) {
			tsc_source = sources[i].name;
			return;
		}
	}
	if (acpi_fadt.pm_timer_port && (tsc_khz = measure_khz(pm_timer_window, false))) {
		tsc_source = "pm-timer";
	} else if ((tsc_khz = measure_khz(pit_window, true))) {
		tsc_source = "pit";
	} else {
		tsc_khz = 1000000; /* a guess, and the boot line says it is one */
		tsc_source = "assumed-1GHz (no CPUID leaf, PM timer or PIT answered)";
	}
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
