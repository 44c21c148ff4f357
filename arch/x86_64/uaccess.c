/*
 * copy_from_user, copy_to_user and strncpy_from_user: the range check, then
 * the fault-tolerant copy (the exception-table mechanism behind
 * write_u64_nofault). See uaccess.h for the contracts.
 */
#include "arch/x86_64/uaccess.h"
#include "arch/x86_64/cpu.h"
#include "lib/errno.h"

size_t copy_from_user(void *dst, uintptr_t src, size_t n)
{
	size_t left;

	if (!access_ok(src, n))
		return n;
	user_access_begin();
	left = copy_user_generic(dst, (const void *)src, n);
	user_access_end();
	return left;
}

size_t copy_to_user(uintptr_t dst, const void *src, size_t n)
{
	size_t left;

	if (!access_ok(dst, n))
		return n;
	user_access_begin();
	left = copy_user_generic((void *)dst, src, n);
	user_access_end();
	return left;
}

/* One SMAP window for the whole string, closed on every way out. */
long strncpy_from_user(char *dst, uintptr_t src, size_t size)
{
	long ret = (long)size;

	user_access_begin();
	for (size_t i = 0; i < size; i++) {
		uint8_t c;

		if (src + i >= TASK_SIZE || load_u8_nofault((const uint8_t *)(src + i), &c)) {
			ret = -EFAULT;
			break;
		}
		dst[i] = (char)c;
		if (c == '\0') {
			ret = (long)i;
			break;
		}
	}
	user_access_end();
	return ret;
}
