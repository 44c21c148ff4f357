/*
 * The x2APIC ICR ordering rule (arch/x86_64/lapic.c, x2apic_icr_write):
 * MFENCE; LFENCE before the WRMSR that sends an IPI, because that WRMSR is
 * not serializing (Intel SDM vol. 3, 11.12.3). TCG runs in order, so no
 * test here can see an IPI overtake its request. What can fail is checked
 * instead: the helper's machine code fences before its WRMSR, and in
 * x2APIC mode IPIs (a cross-call's, a self-IPI) leave through that helper
 * and no other way; in xAPIC mode they do not use it at all. The booted
 * mode itself is what the apic-*.fl scripts check in the boot log.
 */
#include "arch/x86_64/lapic.h"
#include "kernel/ktest.h"
#include "smp/cross_call.h"
#include "smp/percpu.h"
#include "smp/smp.h"

#define OP_MFENCE 0xf0ae0f /* 0f ae f0, as read little-endian from 3 bytes */
#define OP_LFENCE 0xe8ae0f /* 0f ae e8 */
#define OP_WRMSR 0x300f	   /* 0f 30 */
#define SCAN_BYTES 64	   /* the helper is a handful of instructions */

static int probe_cpu = -1;
static int probe_hits;

/*
 * Counts the CALL_FUNCTION_VECTOR ICR writes the testing CPU makes: to one
 * CPU, or the all-but-self shorthand a cross-call uses when every other
 * CPU is a target (-smp 2).
 */
static void count_icr(uint64_t icr)
{
	if ((uint8_t)icr == CALL_FUNCTION_VECTOR && this_cpu_ptr()->cpu_id == probe_cpu)
		__atomic_fetch_add(&probe_hits, 1, __ATOMIC_RELAXED);
}

static uint32_t bytes_at(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Offset of the first WRMSR in x2apic_icr_write's code, -1 if none; sets *fenced. */
static int first_wrmsr(bool *fenced)
{
	const uint8_t *code = (const uint8_t *)(uintptr_t)x2apic_icr_write;
	int mfence_at = -1;

	*fenced = false;
	for (int i = 0; i + 3 <= SCAN_BYTES; i++) {
		if (bytes_at(code + i, 2) == OP_WRMSR)
			return i;
		if (bytes_at(code + i, 3) == OP_MFENCE)
			mfence_at = i;
		if (bytes_at(code + i, 3) == OP_LFENCE && mfence_at >= 0 && i == mfence_at + 3)
			*fenced = true;
	}
	return -1;
}

static void x2apic_icr_write_fences_first(struct ktest *t)
{
	bool fenced;

	KASSERT_TRUE(t, first_wrmsr(&fenced) > 0);
	KEXPECT_TRUE(t, fenced); /* MFENCE; LFENCE, back to back, before the WRMSR */
}

static void noop(void *info) {}

/* Send one cross-call to @cpu and count the ICR writes of it the probe saw. */
static int probe_cross_call(int cpu)
{
	probe_cpu = this_cpu_ptr()->cpu_id;
	__atomic_store_n(&probe_hits, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lapic_icr_probe, count_icr, __ATOMIC_RELEASE);
	smp_call_function_single(cpu, noop, NULL, true);
	__atomic_store_n(&lapic_icr_probe, NULL, __ATOMIC_RELEASE);
	return __atomic_load_n(&probe_hits, __ATOMIC_RELAXED);
}

static void ipis_leave_through_the_fenced_write(struct ktest *t)
{
	int me = this_cpu_ptr()->cpu_id, other = me ? 0 : 1;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "one CPU: no cross-call IPI to send");
	/*
	 * x2APIC: exactly one ICR write per cross-call, through the helper.
	 * xAPIC: none through it (the MMIO path), and the call still completes.
	 */
	KEXPECT_EQ(t, lapic_x2apic_mode ? 1 : 0, probe_cross_call(other));
	KEXPECT_EQ(t, lapic_x2apic_mode ? 1 : 0, probe_cross_call(other));
}

static const struct ktest_case lapic_cases[] = {
    KTEST_CASE(x2apic_icr_write_fences_first),
    KTEST_CASE(ipis_leave_through_the_fenced_write),
    {},
};
DEFINE_KTEST_SUITE(lapic, lapic_cases);
