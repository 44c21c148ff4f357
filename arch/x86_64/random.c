/*
 * The kernel's random numbers, in one place. Which source, in order:
 *
 * 1. RDRAND (CPUID.1:ECX[30]): the DRBG output, reseeded by the CPU's
 *    entropy source. It may have nothing ready (CF=0) under heavy use from
 *    many CPUs; Intel's DRNG software guide (section 5.2.1) says to retry up
 *    to 10 times and treat 10 failures as a broken generator, as Linux's
 *    rdrand_long does (RDRAND_RETRY_LOOPS).
 * 2. RDSEED (CPUID.7.0:EBX[18]) without RDRAND: the entropy source itself,
 *    which runs out more easily; retried with PAUSE between tries.
 * 3. Neither, or both failing: splitmix64 over a counter advanced by the
 *    TSC on every call. Not cryptographic: an observer who knows the boot's
 *    TSC rate can narrow it. Good enough for what flushlab's programs use
 *    it for (glibc's stack canary and pointer guard, mkstemp's names).
 *
 * QEMU's TCG implements RDRAND for -cpu max (from the host's getrandom),
 * so under the default boot the first source is used.
 */
#include "arch/x86_64/random.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "lib/string.h"

#define RDRAND_RETRY_LOOPS 10
#define RDSEED_RETRY_LOOPS 100

static uint64_t splitmix_state;

static uint64_t tsc_mix_u64(void)
{
	uint64_t z =
	    __atomic_add_fetch(&splitmix_state, rdtsc() + 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool hw_random_u64(uint64_t *v)
{
	if (cpu_features.rdrand) {
		for (int i = 0; i < RDRAND_RETRY_LOOPS; i++)
			if (rdrand64(v))
				return true;
	} else if (cpu_features.rdseed) {
		for (int i = 0; i < RDSEED_RETRY_LOOPS; i++) {
			if (rdseed64(v))
				return true;
			cpu_relax();
		}
	}
	return false;
}

uint64_t get_random_u64(void)
{
	uint64_t v;

	return hw_random_u64(&v) ? v : tsc_mix_u64();
}

void get_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t v = get_random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

const char *random_source(void)
{
	return cpu_features.rdrand ? "rdrand" : cpu_features.rdseed ? "rdseed" : "tsc";
}
