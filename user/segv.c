/*
 * segv: dereferences an address no mapping covers, on purpose. The kernel
 * must kill just this process with one line, as Linux does:
 *   segv[PID]: segfault at dead000 ip ... sp ... error 6
 * (error 6: a user-mode write to a page that is not present).
 * `segv read` reads instead (error 4); `segv null` writes to address 0.
 */
#include "ulib.h"

int main(int argc, char **argv)
{
	volatile int *p = (volatile int *)0xdead000UL;

	if (argc > 1 && strcmp(argv[1], "null") == 0)
		p = (volatile int *)0;
	printf("segv: touching %p; the kernel should kill pid %d now\n", (void *)p, getpid());
	if (argc > 1 && strcmp(argv[1], "read") == 0)
		return *p;
	*p = 1;
	printf("segv: still alive after the write: the fault was not delivered\n");
	return 1;
}
