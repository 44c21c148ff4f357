/*
 * Copying between the kernel and the current user address space. Every
 * user pointer is checked against TASK_SIZE first (a user must not make
 * the kernel read or write kernel memory for it), then the copy runs with
 * an exception-table entry (cpu.h copy_user_generic): a fault the mm can
 * fix is demand paging, one it cannot fix ends the copy early. Callers
 * turn a short copy into -EFAULT, as Linux's syscalls do.
 */
#ifndef ARCH_X86_64_UACCESS_H
#define ARCH_X86_64_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mm_user.h" /* TASK_SIZE */

/* True if [addr, addr + n) lies wholly below TASK_SIZE (Linux's access_ok). */
static inline bool access_ok(uintptr_t addr, size_t n)
{
	return n <= TASK_SIZE && addr <= TASK_SIZE - n;
}

/* Copy @n bytes from user @src: returns the number of bytes NOT copied (0 = all). */
size_t copy_from_user(void *dst, uintptr_t src, size_t n);

/* Copy @n bytes to user @dst: returns the number of bytes NOT copied (0 = all). */
size_t copy_to_user(uintptr_t dst, const void *src, size_t n);

/*
 * Copy a NUL-terminated string of at most @size bytes (NUL included) from
 * user @src. Returns its length without the NUL, -EFAULT on a bad address,
 * or @size when no NUL came within @size bytes (the caller picks the errno,
 * -ENAMETOOLONG for a path, as with Linux's strncpy_from_user).
 */
long strncpy_from_user(char *dst, uintptr_t src, size_t size);

#endif
