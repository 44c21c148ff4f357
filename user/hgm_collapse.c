/*
 * hgm_collapse path=4k-1g|4k-2m-1g scheme=subpage|head|pxd threads=K:
 * what collapsing a 1 GiB hugetlb page mapped at 4 KiB granularity costs
 * under each mapcount scheme ([houghton-2023] in docs/references.md; docs/hgm.md). It maps one 1
 * GiB page (MAP_HUGETLB | MAP_HUGE_1GB), splits it with MADV_SPLIT twice (1 GiB -> 512 PMDs ->
 * 262,144 PTEs), has K threads on K CPUs write every 4 KiB page and then sleep (their CPUs idle
 * with this mm loaded lazily, as idle vCPUs would be; spinning ones would take the 2 host cores
 * from the collapse under TCG), then collapses with MADV_COLLAPSE: straight to 1 GiB, or 512 calls
 * of 2 MiB and then one of 1 GiB. The kernel's checker (/proc/PID/mm_check) must pass after every
 * step and every byte written must survive. One line: # bench hgm_collapse accel= cpus= scheme=
 * path= threads= collapse_ns= [collapse_2m_ns= collapse_1g_ns= atomics_2m= atomics_1g=] atomics=
 *   atomics_dec= remote_flushes= ipis= pt_pages_freed= hvo=
 *   kernel_ns= walk_ns= flush_ns=
 * atomics: mapcount RMWs the collapse did (/proc/vmstat
 * hugetlb_mapcount_inc + _dec); kernel_ns, walk_ns, flush_ns: the
 * kernel's own clock of the collapse, of its walk-and-uncount phase and
 * of its flushes. The scheme knob is put back as it was.
 */
#include "workload.h"

#define GIB (1UL << 30)
#define HPAGE (2UL << 20)
#define SCHEME_KNOB WL_FLUSHLAB_DIR "hugetlb_mapcount_scheme"

struct toucher {
	int cpu, id, err;
	char *p;
};

static volatile int stop, ready;

/* Write byte @id of every 4 KiB page, then keep this CPU in the mm until told to stop. */
static int touch_loop(void *arg)
{
	struct toucher *t = arg;

	t->err = wl_pin(t->cpu);
	for (uint64_t off = 0; off < GIB; off += PAGE_SIZE)
		t->p[off + (uint64_t)t->id] = (char)(t->id + 1);
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		futex_wait(&stop, 0); /* idle, this mm still loaded (lazily): like an idle vCPU */
	return 0;
}

/* The counters one step is charged. */
struct snap {
	struct wl_counters c;
	long inc, dec, freed, kns, wns, fns;
};

static void take(struct snap *s)
{
	wl_snapshot(&s->c);
	s->inc = vmstat_read("hugetlb_mapcount_inc");
	s->dec = vmstat_read("hugetlb_mapcount_dec");
	s->freed = vmstat_read("hgm_pt_pages_freed");
	s->kns = vmstat_read("hgm_collapse_ns");
	s->wns = vmstat_read("hgm_collapse_walk_ns");
	s->fns = vmstat_read("hgm_collapse_flush_ns");
}

/* The kernel's checker on this process: 0, or 1 after saying what is wrong. */
static int check(const char *step)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/mm_check", getpid());
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return 0; /* not flushlab */
	if (strncmp(buf, "ok", 2) == 0)
		return 0;
	printf("hgm_collapse: checker after %s: %s", step, buf);
	return 1;
}

static int advise(char *p, size_t len, int advice, const char *what)
{
	int err = madvise(p, len, advice);

	if (err)
		printf("hgm_collapse: madvise(%s): %s\n", what, errno_name(err));
	return err;
}

static int collapse_2m(char *p)
{
	for (uint64_t off = 0; off < GIB; off += HPAGE)
		if (advise(p + off, HPAGE, MADV_COLLAPSE, "MADV_COLLAPSE 2 MiB"))
			return 1;
	return 0;
}

static long delta(long a, long b)
{
	return a < 0 || b < 0 ? -1 : b - a;
}

/* Every byte the touchers wrote is still there (the folio never moved). */
static int verify(const char *p, int k)
{
	for (uint64_t off = 0; off < GIB; off += PAGE_SIZE)
		for (int i = 0; i < k; i++)
			if (p[off + (uint64_t)i] != (char)(i + 1)) {
				printf("hgm_collapse: byte %d of page %lu lost\n", i,
				       (unsigned long)(off / PAGE_SIZE));
				return 1;
			}
	return 0;
}

/* Map, split to 4 KiB, touch from @k threads (started here, stopped by the caller). */
static int setup(char *p, int k, const int *cpus, struct toucher *t, struct thread **th)
{
	p[0] = 0; /* one fault: one PUD leaf */
	if (check("fault") || advise(p, GIB, MADV_SPLIT, "MADV_SPLIT 1G") || check("split to 2M") ||
	    advise(p, GIB, MADV_SPLIT, "MADV_SPLIT 2M") || check("split to 4K"))
		return 1;
	for (int i = 0; i < k; i++) {
		t[i] = (struct toucher){.cpu = cpus[i], .id = i, .p = p};
		th[i] = i ? thread_create(touch_loop, &t[i]) : NULL;
		if (IS_ERR_PTR(th[i])) {
			printf("hgm_collapse: thread_create: %s\n", errno_name(PTR_ERR(th[i])));
			return 1;
		}
	}
	t[0].err = wl_pin(cpus[0]);
	for (uint64_t off = 0; off < GIB; off += PAGE_SIZE)
		p[off] = 1;
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < k - 1)
		sched_yield();
	return check("touch");
}

struct result {
	struct snap s0, s1, s2; /* before, between the steps (two-step path), after */
	uint64_t ns_2m, ns_1g;	/* each step timed alone, snapshots outside */
};

static int collapse(char *p, bool two_step, struct result *r)
{
	uint64_t t;

	take(&r->s0);
	r->s1 = r->s0;
	if (two_step) {
		t = now_ns();
		if (collapse_2m(p))
			return 1;
		r->ns_2m = now_ns() - t;
		take(&r->s1);
		if (check("collapse to 2M"))
			return 1;
	}
	t = now_ns();
	if (advise(p, GIB, MADV_COLLAPSE, "MADV_COLLAPSE 1G"))
		return 1;
	r->ns_1g = now_ns() - t;
	take(&r->s2);
	return check("collapse to 1G");
}

static void print_line(const char *scheme, const char *path, int k, int cpus, bool two_step,
		       const struct result *r, const char *hvo)
{
	const struct snap *a = &r->s0, *m = &r->s1, *b = &r->s2;
	char steps[192] = "";

	if (two_step)
		snprintf(steps, sizeof(steps),
			 " collapse_2m_ns=%lu collapse_1g_ns=%lu atomics_2m=%ld atomics_1g=%ld",
			 (unsigned long)r->ns_2m, (unsigned long)r->ns_1g,
			 delta(a->inc + a->dec, m->inc + m->dec),
			 delta(m->inc + m->dec, b->inc + b->dec));
	printf("# bench hgm_collapse accel=%s cpus=%d scheme=%s path=%s threads=%d "
	       "collapse_ns=%lu%s atomics=%ld atomics_dec=%ld remote_flushes=%ld ipis=%ld "
	       "pt_pages_freed=%ld hvo=%s kernel_ns=%ld walk_ns=%ld flush_ns=%ld\n",
	       wl_accel(), cpus, scheme, path, k, (unsigned long)(r->ns_2m + r->ns_1g), steps,
	       delta(a->inc + a->dec, b->inc + b->dec), delta(a->dec, b->dec),
	       delta(a->c.remote, b->c.remote), delta(a->c.ipis, b->c.ipis),
	       delta(a->freed, b->freed), hvo, delta(a->kns, b->kns), delta(a->wns, b->wns),
	       delta(a->fns, b->fns));
}

/* Write @scheme to the knob: 0, or 1 after a message. */
static int write_scheme(const char *scheme)
{
	int fd = open(SCHEME_KNOB, O_WRONLY);
	int n = fd < 0 ? fd : (int)write(fd, scheme, strlen(scheme));

	if (fd >= 0)
		close(fd);
	if (n < 0)
		printf("hgm_collapse: scheme=%s: %s\n", scheme, errno_name(n));
	return n < 0;
}

/* Set the scheme knob, remembering the old one in @old: 0, or 1 after a message. */
static int set_scheme(const char *scheme, char *old, size_t len)
{
	char *open_br, *close_br;

	if (read_file(SCHEME_KNOB, old, len) <= 0) {
		printf("hgm_collapse: %s: no mapcount schemes on this kernel\n", SCHEME_KNOB);
		return 1;
	}
	open_br = strchr(old, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (!close_br)
		return 1;
	*close_br = '\0';
	memmove(old, open_br + 1, strlen(open_br + 1) + 1);
	return write_scheme(scheme);
}

static bool arg_is(const char *v, const char *a, const char *b, const char *c)
{
	return v && (!strcmp(v, a) || !strcmp(v, b) || (c && !strcmp(v, c)));
}

int main(int argc, char **argv)
{
	int all[WL_MAX_CPUS], cpus[WL_MAX_CPUS], n = wl_allowed_cpus(all);
	long k = wl_arg(argc, argv, "hgm_collapse", "threads", 1, n);
	const char *path = arg_value(argc, argv, "path"), *scheme = arg_value(argc, argv, "scheme");
	struct toucher t[WL_MAX_CPUS];
	struct thread *th[WL_MAX_CPUS] = {NULL};
	char old[64], hvo[16] = "-";
	struct result r = {0};
	int err;
	char *p;

	if (k < 0 || !arg_is(path, "4k-1g", "4k-2m-1g", NULL) ||
	    !arg_is(scheme, "subpage", "head", "pxd")) {
		printf(
		    "usage: hgm_collapse path=4k-1g|4k-2m-1g scheme=subpage|head|pxd threads=K\n");
		return 2;
	}
	for (int i = 0; i < k; i++)
		cpus[i] = all[n - 1 - i];
	if (read_file("/proc/sys/vm/hugetlb_optimize_vmemmap", hvo, sizeof(hvo)) > 0)
		hvo[strchr(hvo, '\n') ? strchr(hvo, '\n') - hvo : 1] = '\0';
	if (set_scheme(scheme, old, sizeof(old)))
		return 1;
	p = mmap(NULL, GIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
	if (IS_ERR_PTR(p)) {
		/* The HVO conflict is a documented refusal, not a failure of this program. */
		bool hvo_refusal = PTR_ERR(p) == -EOPNOTSUPP && !strcmp(scheme, "subpage");

		printf(
		    "hgm_collapse: mmap(MAP_HUGETLB|MAP_HUGE_1GB): %s%s\n", errno_name(PTR_ERR(p)),
		    hvo_refusal ? ": refused, HVO shares the page's tail struct pages, so scheme "
				  "subpage has nowhere to count (docs/hgm.md)"
				: "");
		return write_scheme(old) | !hvo_refusal;
	}
	err = setup(p, (int)k, cpus, t, th) || collapse(p, !strcmp(path, "4k-2m-1g"), &r);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	futex_wake(&stop, (int)k);
	for (int i = 1; i < k; i++)
		if (th[i] && !IS_ERR_PTR(th[i]))
			thread_join(th[i]);
	err = err || verify(p, (int)k);
	munmap(p, GIB);
	if (!err)
		print_line(scheme, path, (int)k, n, !strcmp(path, "4k-2m-1g"), &r, hvo);
	return err | write_scheme(old);
}
