/*
 * __libc_start: from the initial stack crt0 hands over to main(). Finds
 * argv, envp and the auxiliary vector as the SysV ABI lays them out, keeps
 * them for environ/getauxval, and ends the process with main's status.
 */
#include "ulib.h"

char **environ;
static unsigned long *auxv;

int main(int argc, char **argv, char **envp);
__attribute__((noreturn, used)) void __libc_start(unsigned long *sp);

__attribute__((noreturn, used)) void __libc_start(unsigned long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **e = envp;

	while (*e)
		e++;
	auxv = (unsigned long *)(e + 1);
	environ = envp;
	exit(main(argc, argv, envp));
}

/* The value of auxv entry @type (AT_PAGESZ, AT_RANDOM...: uapi/auxvec.h), 0 if absent. */
unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = auxv; a && a[0]; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
