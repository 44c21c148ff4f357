/*
 * lib/vsprintf.c against the C library's printf on the host: every format the
 * kernel uses must print exactly what glibc prints, including truncation and
 * the would-be length. (The kernel's functions are renamed k_* here.)
 */
#include "tests/host/host_test.h"
#include <stdarg.h>

/* The kernel's formatter, compiled here under k_* names beside libc's. */
#define vsnprintf k_vsnprintf
#define snprintf k_snprintf
#include "lib/vsprintf.c"
#undef vsnprintf
#undef snprintf

#define SAME(fmt, ...)                                                                             \
	do {                                                                                       \
		char want[128], got[128];                                                          \
		int wn = snprintf(want, sizeof(want), fmt, __VA_ARGS__);                           \
		int gn = k_snprintf(got, sizeof(got), fmt, __VA_ARGS__);                           \
		EXPECT_STREQ(want, got);                                                           \
		EXPECT_EQ(wn, gn);                                                                 \
	} while (0)

HOST_TEST(integers)
{
	SAME("%d %i %u", 0, -1, 4000000000u);
	SAME("%ld %lu %lld %llu", -5L, 5UL, (long long)(-9223372036854775807LL - 1), ~0ULL);
	SAME("%x %X %#x %#X %o", 0xbeef, 0xbeef, 0, 255, 8);
	SAME("%hd %hhu %zu", (short)-3, (unsigned char)250, (size_t)77);
}

HOST_TEST(widths_and_flags)
{
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%8.3d] [%.0d] [%-#10x] [%016lx]", 7, 0, 0x1f, 0xdeadbeefUL);
	SAME("[%*d] [%-*d] [%.*s]", 6, 1, 6, 2, 3, "abcdef");
	SAME("[%05d] [%-5d]", -42, -42);
}

HOST_TEST(strings_chars_pointers)
{
	SAME("[%s] [%10s] [%-10s] [%.2s]", "flush", "lab", "lab", "xyz");
	SAME("[%c%c] [%3c] [%%]", 'o', 'k', 'x');
	SAME("%p", (void *)0xffff800000001000UL);
}

HOST_TEST(truncation_and_length)
{
	char buf[6];

	EXPECT_EQ(11, k_snprintf(buf, sizeof(buf), "hello %s", "world"));
	EXPECT_STREQ("hello", buf);
	EXPECT_EQ(3, k_snprintf(NULL, 0, "%d", 123));
	buf[0] = 'x';
	EXPECT_EQ(3, k_snprintf(buf, 1, "abc"));
	EXPECT_EQ(0, buf[0]);
}

HOST_TEST_MAIN("vsprintf")
