/*
 * What the race reproducers (fd_race, hugetlb_shrink, trace_resize,
 * dax_fixed, mapcount_switch) share: writing a knob as `echo V > PATH`
 * does, reading a number back, and running a body on helper threads until
 * a deadline. Each reproducer prints one "NAME: ok ..." line when the
 * kernel behaved, "NAME: FAIL ..." otherwise, and "NAME: SKIP ..." where
 * the kernel lacks what it needs (a Linux without root, tracefs or dax).
 */
#ifndef USER_RACE_H
#define USER_RACE_H

#include "workload.h"

/* One write(2) of @s to @path, as the shell's echo: 0 or -errno. */
static inline long race_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return fd;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? n : 0;
}

/* @path's first number into *@v: 0, or -errno (-EINVAL when it holds none). */
static inline long race_read_ulong(const char *path, unsigned long *v)
{
	char buf[64];
	ssize_t n = read_file(path, buf, sizeof(buf));
	const char *p = buf;

	if (n < 0)
		return n;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (*v = 0; *p >= '0' && *p <= '9'; p++)
		*v = *v * 10 + (unsigned long)(*p - '0');
	return 0;
}

/* "Name:   N kB" (or "Name: N") of /proc/meminfo, or -1. */
static inline long race_meminfo(const char *name)
{
	static char buf[4096];
	const char *p;
	long v = 0;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, name)))
		return -1;
	for (p += strlen(name); *p == ' ' || *p == ':'; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/*
 * A start line: every worker calls race_arrive() first, and the thread that
 * keeps time calls race_wait(n) before it starts its clock, so a run always
 * races all its threads, however late the scheduler starts some of them.
 */
static volatile int race_arrived;

static inline void race_arrive(void)
{
	__atomic_add_fetch(&race_arrived, 1, __ATOMIC_SEQ_CST);
}

static inline void race_wait(int n)
{
	while (__atomic_load_n(&race_arrived, __ATOMIC_SEQ_CST) < n)
		sched_yield();
}

/* Run @fn[i](@arg[i]) on @n threads (n <= 8) and wait for them; -errno if one could not start. */
static inline long race_run(int n, int (**fn)(void *), void **arg)
{
	struct thread *t[8];
	long err = 0;
	int i;

	for (i = 0; i < n && i < 8; i++) {
		t[i] = thread_create(fn[i], arg[i]);
		if (IS_ERR_PTR(t[i])) {
			err = PTR_ERR(t[i]);
			break;
		}
	}
	while (i-- > 0)
		thread_join(t[i]);
	return err;
}

#endif
