/*
 * hello: the first user program. Prints its arguments, environment count and
 * pid, so a look at the console shows that exec built argv/envp right.
 */
#include "ulib.h"

int main(int argc, char **argv, char **envp)
{
	int nenv = 0;

	while (envp[nenv])
		nenv++;
	printf("hello from user space: pid %d, argc %d, envc %d\n", getpid(), argc, nenv);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
