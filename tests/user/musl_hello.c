/*
 * A program flushlab did not build: compiled by Debian's musl-gcc (musl-tools)
 * as a static binary and run unchanged, on Linux and on flushlab, by the test
 * runner (tests/runner/run_tests.py, via `make run BIN=...`'s route). musl's
 * start-up needs arch_prctl(ARCH_SET_FS), set_tid_address, ioctl (TIOCGWINSZ,
 * ENOTTY is fine), writev, brk (may fail: malloc falls back to mmap) and
 * exit_group: the calls a kernel must answer as Linux does for this to work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	size_t len = 1 << 20;
	char *p = malloc(100000);
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!p || m == MAP_FAILED || clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("musl_hello");
		return 1;
	}
	memset(p, 1, 100000);
	memset(m, 2, len);
	printf("musl hello: pid %d argc %d argv[1]=%s p[99999]=%d m[last]=%d\n", getpid(), argc,
	       argc > 1 ? argv[1] : "-", p[99999], m[len - 1]);
	munmap(m, len);
	free(p);
	return 0;
}
