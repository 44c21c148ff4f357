/*
 * The TLB model's phases (phase.h): a snapshot of every vCPU's counters at
 * a phase's beginning, the difference printed at its end. Counters of other
 * vCPUs are read while they run, without locks: a phase line can be off by
 * the accesses in flight on other CPUs at that instant (a handful).
 */
#include "tools/tlbmodel/phase.h"
#include "flushlab/tlbmodel.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPEN 16

struct phase {
	char name[TLBMODEL_NAME_MAX];
	bool open;
	unsigned long seq;
	struct tlb_counters *start; /* per CPU */
};

static struct {
	unsigned int nr_cpus;
	const char *preset;
	phase_counters_fn counters;
	struct phase open[MAX_OPEN];
	unsigned long seq;
	pthread_mutex_t lock;
} ph = {.lock = PTHREAD_MUTEX_INITIALIZER};

int phase_init(unsigned int nr_cpus, const char *preset, phase_counters_fn fn)
{
	ph.nr_cpus = nr_cpus;
	ph.preset = preset;
	ph.counters = fn;
	for (int i = 0; i < MAX_OPEN; i++)
		if (!(ph.open[i].start = calloc(nr_cpus, sizeof(struct tlb_counters))))
			return -1;
	return 0;
}

#define NR_FIELDS (sizeof(struct tlb_counters) / sizeof(uint64_t))

static void sub(struct tlb_counters *d, const struct tlb_counters *a, const struct tlb_counters *b)
{
	uint64_t *pd = (uint64_t *)d;
	const uint64_t *pa = (const uint64_t *)a, *pb = (const uint64_t *)b;

	for (size_t i = 0; i < NR_FIELDS; i++)
		pd[i] = pa[i] - (pb ? pb[i] : 0);
}

static void add(struct tlb_counters *d, const struct tlb_counters *a)
{
	uint64_t *pd = (uint64_t *)d;
	const uint64_t *pa = (const uint64_t *)a;

	for (size_t i = 0; i < NR_FIELDS; i++)
		pd[i] += pa[i];
}

int phase_format(char *out, size_t size, const char *name, const char *who,
		 const struct tlb_counters *n, const char *preset)
{
	return snprintf(out, size,
			"# tlbmodel phase=%s %s accesses=%lu l1_misses=%lu stlb_misses=%lu "
			"walks=%lu walks_4k=%lu walks_2m=%lu walks_1g=%lu invlpg=%lu "
			"invlpg_dropped=%lu full_flushes=%lu entries_dropped=%lu pwc_dropped=%lu "
			"stale_hits=%lu stale_writes=%lu fetches=%lu itlb_misses=%lu "
			"walk_refs=%lu stale_unmapped=%lu preset=%s\n",
			name, who, n->accesses, n->l1_misses, n->stlb_misses, n->walks,
			n->walks_size[TLB_4K], n->walks_size[TLB_2M], n->walks_size[TLB_1G],
			n->invlpg, n->invlpg_dropped, n->full_flushes, n->entries_dropped,
			n->pwc_dropped, n->stale_hits, n->stale_writes, n->fetches, n->itlb_misses,
			n->walk_refs, n->stale_unmapped, preset);
}

/* The lines of a phase that began at @start (NULL: the boot): sum, then each CPU. */
static void print_phase(const char *name, const struct tlb_counters *start)
{
	struct tlb_counters sum = {0}, d;
	char line[640], who[32];

	for (unsigned int c = 0; c < ph.nr_cpus; c++) {
		const struct tlb_counters *now = ph.counters(c);

		if (!now)
			continue;
		sub(&d, now, start ? &start[c] : NULL);
		add(&sum, &d);
	}
	snprintf(who, sizeof(who), "cpus=%u", ph.nr_cpus);
	phase_format(line, sizeof(line), name, who, &sum, ph.preset);
	qemu_plugin_outs(line);
	for (unsigned int c = 0; c < ph.nr_cpus && ph.nr_cpus > 1; c++) {
		const struct tlb_counters *now = ph.counters(c);

		if (!now)
			continue;
		sub(&d, now, start ? &start[c] : NULL);
		snprintf(who, sizeof(who), "cpu=%u", c);
		phase_format(line, sizeof(line), name, who, &d, ph.preset);
		qemu_plugin_outs(line);
	}
}

/* The guest's NUL-terminated name at @va, read up to page ends (the next page may be absent). */
static void read_name(uint64_t va, struct glib_byte_array *buf, char *name)
{
	size_t got = 0;

	strcpy(name, "?");
	while (got < TLBMODEL_NAME_MAX - 1) {
		size_t chunk = 4096 - ((va + got) & 4095);

		if (chunk > TLBMODEL_NAME_MAX - 1 - got)
			chunk = TLBMODEL_NAME_MAX - 1 - got;
		if (!qemu_plugin_read_memory_vaddr(va + got, buf, chunk))
			break;
		memcpy(name + got, buf->data, chunk);
		got += chunk;
		name[got] = '\0';
		if (memchr(buf->data, 0, chunk))
			break;
	}
	for (char *p = name; *p; p++)
		if (*p <= ' ' || *p > '~')
			*p = '_'; /* one word in a key=value line */
}

static void begin(const char *name)
{
	struct phase *p = NULL;

	for (int i = 0; i < MAX_OPEN && !p; i++)
		if (!ph.open[i].open)
			p = &ph.open[i];
	if (!p) {
		qemu_plugin_outs("tlbmodel: more than 16 phases open; this one is not counted\n");
		return;
	}
	strcpy(p->name, name);
	p->open = true;
	p->seq = ++ph.seq;
	for (unsigned int c = 0; c < ph.nr_cpus; c++) {
		const struct tlb_counters *now = ph.counters(c);

		if (now)
			p->start[c] = *now;
		else
			memset(&p->start[c], 0, sizeof(p->start[c]));
	}
}

static void end(const char *name)
{
	struct phase *p = NULL;

	for (int i = 0; i < MAX_OPEN; i++) /* the latest open phase of that name */
		if (ph.open[i].open && !strcmp(ph.open[i].name, name) &&
		    (!p || ph.open[i].seq > p->seq))
			p = &ph.open[i];
	if (!p) {
		char line[128];

		snprintf(line, sizeof(line), "tlbmodel: end of phase %s, which is not open\n",
			 name);
		qemu_plugin_outs(line);
		return;
	}
	print_phase(p->name, p->start);
	p->open = false;
}

void phase_mark(unsigned int cpu, unsigned int op, uint64_t name_va, struct glib_byte_array *buf)
{
	char name[TLBMODEL_NAME_MAX];

	read_name(name_va, buf, name);
	pthread_mutex_lock(&ph.lock);
	if (op == TLBMODEL_PHASE_BEGIN)
		begin(name);
	else if (op == TLBMODEL_PHASE_END)
		end(name);
	pthread_mutex_unlock(&ph.lock);
}

const char *phase_current(void)
{
	const struct phase *p = NULL;

	for (int i = 0; i < MAX_OPEN; i++)
		if (ph.open[i].open && (!p || ph.open[i].seq > p->seq))
			p = &ph.open[i];
	return p ? p->name : "-";
}

void phase_print_total(void)
{
	pthread_mutex_lock(&ph.lock);
	qemu_plugin_outs("\n"); /* the console may be mid-line as QEMU exits */
	print_phase("boot", NULL);
	pthread_mutex_unlock(&ph.lock);
}
