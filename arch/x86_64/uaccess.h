/*
 * Copying between the kernel and the current user address space. Every
 * user pointer is checked against TASK_SIZE first (a user must not make
 * the kernel read or write kernel memory for it), then the copy runs with
 * an exception-table entry (cpu.h copy_user_generic): a fault the mm can
 * fix is demand paging, one it cannot fix ends the copy early. Callers
 * turn a short copy into -EFAULT, as Linux's syscalls do. These are the
 * kernel's only accesses to user addresses, and the only code that runs
 * with SMAP's gate open.
 */
#ifndef ARCH_X86_64_UACCESS_H
#define ARCH_X86_64_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "flushlab/layout.h" /* TASK_SIZE */

/*
 * Open and close the SMAP window around one deliberate user access
 * (Linux's user_access_begin/end; SDM vol. 3, 4.6.1): STAC sets RFLAGS.AC,
 * so the supervisor may read and write user pages; CLAC clears it. Only
 * the accesses in uaccess.c sit inside; nothing in the window may
 * schedule. An interrupt inside clears AC on entry (isr.asm) and IRETQ
 * gives it back. The test is a load of a boot-time constant: always
 * predicted the same way, where Linux patches the instruction in
 * (alternatives), because STAC and CLAC are #UD on a CPU without SMAP.
 */
static inline void user_access_begin(void)
{
	if (x86_smap_enabled)
		stac();
}

static inline void user_access_end(void)
{
	if (x86_smap_enabled)
		clac();
}

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
