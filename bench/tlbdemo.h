/*
 * The stale-TLB demonstration (the console's `tlbdemo` in tlbdemo_cmd.c,
 * and a test): one CPU re-points a kernel address at another frame and
 * flushes only itself, or shoots the translation down everywhere; another
 * CPU reads the address.
 */
#ifndef SMP_TLBDEMO_H
#define SMP_TLBDEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tlbdemo_result {
	int cpu_a, cpu_b;	      /* who remaps, who reads */
	uintptr_t va;		      /* the kernel address they use */
	unsigned int trials;	      /* per half */
	unsigned int stale_local;     /* B read the old frame after a local-only flush */
	unsigned int stale_shootdown; /* ... after a shootdown: must stay 0 */
};

/*
 * Run @trials of each half from this CPU. 0, -EOPNOTSUPP with one CPU online,
 * -ENOMEM, or -EEXIST if the demo's address is already mapped. Leaves no
 * mapping and no frame behind (its page tables stay, as counted tables).
 * Must not run with interrupts off (it waits for cross-calls).
 */
int tlbdemo_run(unsigned int trials, struct tlbdemo_result *r);

/*
 * The user half (user/tlbdemo_user.c, a script test): a process writes 1
 * to /sys/kernel/debug/flushlab/tlbdemo_local_only and from then on the
 * user flushes of its own address space (flush_tlb_mm_range) reach this
 * CPU only: the forgotten shootdown, aimed at nobody else's memory. A
 * flush that frees page tables still reaches every CPU (the kernel's own
 * safety: paging-structure caches must never hold a freed table). 0
 * disarms; so does the process's exit (the mm's ctx_id is never reused).
 * Written from the console (no process): -EPERM. The flag itself is the
 * flush engine's (tlb_mm_set_local_only, smp/tlbflush.h): this knob only
 * sets it.
 */
struct seq_buf;
int tlbdemo_local_only_show(struct seq_buf *s, void *data);
int tlbdemo_local_only_store(const char *buf, size_t len, void *data);

#endif
