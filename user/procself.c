/*
 * procself: a process reads its own /proc/self/{status,maps,smaps,pagemap},
 * /sys/devices/system/cpu and /proc/sys/kernel/shmmax in Linux's formats
 * (issue 19: what hwloc, glibc and mm test programs parse). KTAP output,
 * exit 1 on a failure; the same binary runs on Linux in `make test`, where
 * pagemap shows frame numbers to root only (flushlab runs everything as
 * root, so it shows them always).
 */
#include "ktap_check.h"
#include "ulib.h"

#define PROBE_ADDR 0x1000000UL /* a low fixed mapping: its pagemap entries lie 32 KiB in */
#define PROBE_PAGES 4
#define PROBE_TOUCHED 2
#define THP_ADDR 0x2000000UL /* 2 MiB-aligned and low: its pagemap entries lie 64 KiB in */
#define THP_SIZE (2UL << 20)

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static char buf[1 << 16];
static bool is_root; /* status says Uid 0: pagemap shows frames */

/* The line of @text starting with @prefix, copied into @line (no newline); NULL if none. */
static const char *find_line(const char *text, const char *prefix, char *line, size_t size)
{
	size_t n = strlen(prefix), len;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, prefix, n))
			continue;
		len = strchr(p, '\n') ? (size_t)(strchr(p, '\n') - p) : strlen(p);
		len = len < size - 1 ? len : size - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		return line;
	}
	return NULL;
}

static void test_status(void)
{
	char want[64], line[128];

	check(read_file("/proc/self/status", buf, sizeof(buf)) > 0, "status_readable",
	      "cannot read /proc/self/status");
	snprintf(want, sizeof(want), "Pid:\t%d", (int)getpid());
	check(find_line(buf, want, line, sizeof(line)) && !strcmp(line, want), "status_pid_is_self",
	      want);
	check(find_line(buf, "Name:\tprocself", line, sizeof(line)) != NULL, "status_name",
	      "no Name:\tprocself line");
	check(find_line(buf, "VmRSS:", line, sizeof(line)) && strstr(line, " kB"), "status_vmrss",
	      "no VmRSS: ... kB line");
	check(find_line(buf, "Threads:\t1", line, sizeof(line)) != NULL, "status_threads",
	      "no Threads:\t1 line");
	is_root = find_line(buf, "Uid:\t0\t", line, sizeof(line)) != NULL;
}

/* The maps line of the probe: Linux's fields, a nameless line ending in one space. */
static void test_maps(void)
{
	char want[96], line[160];

	check(read_file("/proc/self/maps", buf, sizeof(buf)) > 0, "maps_readable",
	      "cannot read /proc/self/maps");
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0 ", PROBE_ADDR,
		 PROBE_ADDR + PROBE_PAGES * PAGE_SIZE);
	check(find_line(buf, want, line, sizeof(line)) && !strcmp(line, want), "maps_line_as_linux",
	      line[0] ? line : want);
	check(strstr(buf, "[stack]\n") != NULL, "maps_names_the_stack", "no [stack] line");
}

/* @name's "NAME: N kB" value in the smaps block starting at @block, or -1. */
static long smaps_kb(const char *block, const char *name)
{
	char line[96];
	const char *p;
	long v = 0;

	if (!find_line(block, name, line, sizeof(line)))
		return -1;
	for (p = line + strlen(name); *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return strcmp(p, " kB") ? -1 : v;
}

static void test_smaps(void)
{
	char head[32];
	const char *block;

	check(read_file("/proc/self/smaps", buf, sizeof(buf)) > 0, "smaps_readable",
	      "cannot read /proc/self/smaps");
	snprintf(head, sizeof(head), "%08lx-", PROBE_ADDR);
	block = strstr(buf, head);
	check(block != NULL, "smaps_has_the_probe", head);
	if (!block)
		return;
	check(smaps_kb(block, "Size:") == PROBE_PAGES * 4, "smaps_size", "Size is not 16 kB");
	check(smaps_kb(block, "KernelPageSize:") == 4 && smaps_kb(block, "MMUPageSize:") == 4,
	      "smaps_page_sizes", "KernelPageSize/MMUPageSize are not 4 kB");
	check(smaps_kb(block, "Rss:") == PROBE_TOUCHED * 4 && smaps_kb(block, "Pss:") == 8,
	      "smaps_rss_counts_touched_pages", "Rss/Pss are not the 2 pages written");
	check(smaps_kb(block, "Private_Dirty:") == 8 && smaps_kb(block, "Anonymous:") == 8 &&
		  smaps_kb(block, "Shared_Dirty:") == 0 && smaps_kb(block, "AnonHugePages:") == 0,
	      "smaps_private_anonymous", "Private_Dirty/Anonymous/Shared_Dirty/AnonHugePages");
	check(strstr(block, "\nVmFlags: rd wr ") != NULL, "smaps_vmflags", "no VmFlags: rd wr ...");
}

/* Read @n pagemap entries for the pages from @addr (low: read up to it, no lseek). */
static bool pagemap_entries(uintptr_t addr, uint64_t *e, size_t n)
{
	size_t skip = addr / PAGE_SIZE * 8, got = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t r = 0;

	if (fd < 0)
		return false;
	while (got < skip && (r = read(fd, buf, MIN(sizeof(buf), skip - got))) > 0)
		got += (size_t)r;
	if (got == skip)
		r = read(fd, e, n * 8);
	close(fd);
	return got == skip && r == (ssize_t)(n * 8);
}

/*
 * pagemap: 8 bytes per page, entry vaddr / 4096 at byte vaddr / 4096 * 8,
 * read here by reading up to it (no lseek needed). Bit 63: present; bits
 * 0-54: the frame, shown to root.
 */
static void test_pagemap(void)
{
	uint64_t e[PROBE_PAGES];
	int fd = open("/proc/self/pagemap", O_RDONLY);
	bool root = is_root, ok = true;

	check(fd >= 0, "pagemap_opens", "cannot open /proc/self/pagemap");
	if (fd < 0)
		return;
	check(read(fd, buf, 5) == -EINVAL, "pagemap_whole_entries_only", "a 5-byte read worked");
	close(fd);
	check(pagemap_entries(PROBE_ADDR, e, PROBE_PAGES), "pagemap_reads_at_offset", "short read");
	for (int i = 0; i < PROBE_PAGES; i++) {
		bool present = e[i] >> 63, has_pfn = (e[i] & ((1ULL << 55) - 1)) != 0;

		if (i < PROBE_TOUCHED)
			ok &= present && has_pfn == root;
		else
			ok &= e[i] == 0;
	}
	check(ok, "pagemap_present_and_pfn",
	      "touched pages not present with a frame, or others not 0");
	check((e[0] & ((1ULL << 55) - 1)) != (e[1] & ((1ULL << 55) - 1)) || !root,
	      "pagemap_distinct_frames", "two pages, one frame");
}

/*
 * A 2 MiB MADV_HUGEPAGE mapping touched once: smaps shows it as one
 * AnonHugePages block, and pagemap gives its 512 pages consecutive frames
 * from a 2 MiB-aligned one (the huge leaf's pieces). Linux may find no free
 * 2 MiB block and fall back to small pages: a SKIP there.
 */
static void test_thp(void)
{
	static uint64_t e[THP_SIZE / PAGE_SIZE];
	char *p = mmap((void *)THP_ADDR, THP_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char head[32];
	const char *block;
	bool ok = true;

	nr_tests++;
	if (IS_ERR_PTR(p) || madvise(p, THP_SIZE, MADV_HUGEPAGE)) {
		printf("not ok %d thp_smaps_and_pagemap\n", nr_tests);
		nr_failed++;
		return;
	}
	p[0] = 1;
	snprintf(head, sizeof(head), "%08lx-", THP_ADDR);
	block = read_file("/proc/self/smaps", buf, sizeof(buf)) > 0 ? strstr(buf, head) : NULL;
	if (block && smaps_kb(block, "AnonHugePages:") == 0 && smaps_kb(block, "Rss:") == 4) {
		printf("ok %d thp_smaps_and_pagemap # SKIP no huge page was free\n", nr_tests);
		return;
	}
	ok = block && smaps_kb(block, "AnonHugePages:") == 2048 && smaps_kb(block, "Rss:") == 2048;
	if (!ok)
		printf("# smaps: no 2048 kB AnonHugePages block at %s\n", head);
	if (ok && !pagemap_entries(THP_ADDR, e, THP_SIZE / PAGE_SIZE))
		ok = false;
	for (size_t i = 0; ok && is_root && i < THP_SIZE / PAGE_SIZE; i++)
		ok = (e[i] >> 63) &&
		     (e[i] & ((1ULL << 55) - 1)) == (e[0] & ((1ULL << 55) - 1)) + i &&
		     (e[0] & 511) == 0;
	printf("%sok %d thp_smaps_and_pagemap\n", ok ? "" : "not ", nr_tests);
	nr_failed += !ok;
	munmap(p, THP_SIZE);
}

/* "0", "0-3", "0-3,8": Linux's list format, one line. */
static bool is_cpu_list(const char *s)
{
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '-' || *s == ',')
		return is_cpu_list(s + 1);
	return !strcmp(s, "\n");
}

static void test_sys_cpu(void)
{
	static const char *const files[] = {
	    "/sys/devices/system/cpu/online", "/sys/devices/system/cpu/possible",
	    "/sys/devices/system/cpu/present",
	    "/sys/devices/system/cpu/cpu0/topology/thread_siblings_list",
	    "/sys/devices/system/cpu/cpu0/topology/core_siblings_list"};
	bool ok = true;

	for (int i = 0; i < 5; i++) {
		bool good = read_file(files[i], buf, sizeof(buf)) > 0 && is_cpu_list(buf);

		if (!good)
			printf("# %s: \"%s\" is no CPU list\n", files[i], buf);
		ok &= good;
	}
	check(ok, "sys_cpu_lists", "a file is not in Linux's list format");
	check(read_file("/sys/devices/system/cpu/cpu0/topology/core_id", buf, sizeof(buf)) > 0 &&
		  buf[0] >= '0' && buf[0] <= '9',
	      "sys_cpu0_core_id", buf);
	check(read_file("/sys/devices/system/cpu/online", buf, sizeof(buf)) > 0 && buf[0] == '0',
	      "sys_cpu_online_has_cpu0", buf);
}

static void test_shmmax(void)
{
	bool digits = read_file("/proc/sys/kernel/shmmax", buf, sizeof(buf)) > 1;

	for (const char *p = buf; digits && *p != '\n'; p++)
		digits = *p >= '0' && *p <= '9';
	check(digits, "shmmax_is_a_number", buf);
}

int main(int argc, char **argv)
{
	char *probe = mmap((void *)PROBE_ADDR, PROBE_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	printf("KTAP version 1\n1..25\n");
	if (IS_ERR_PTR(probe) || probe != (char *)PROBE_ADDR) {
		printf("# mmap at %#lx: %ld\nBail out!\n", PROBE_ADDR, (long)probe);
		return 1;
	}
	for (int i = 0; i < PROBE_TOUCHED; i++)
		probe[i * PAGE_SIZE] = 1;
	test_status();
	test_maps();
	test_smaps();
	test_pagemap();
	test_sys_cpu();
	test_shmmax();
	test_thp();
	printf("# procself: %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
