/*
 * Random numbers for user space (getrandom(2), exec's AT_RANDOM bytes):
 * the CPU's generator when CPUID offers one, else a TSC-seeded mix that is
 * unpredictable enough for glibc's stack canary and pointer guard, and no
 * more (arch/x86_64/random.c says which, and why).
 */
#ifndef ARCH_X86_64_RANDOM_H
#define ARCH_X86_64_RANDOM_H

#include <stddef.h>
#include <stdint.h>

uint64_t get_random_u64(void);
void get_random_bytes(void *buf, size_t len);
/* "rdrand", "rdseed" or "tsc": where get_random_u64's numbers come from. */
const char *random_source(void);

#endif
