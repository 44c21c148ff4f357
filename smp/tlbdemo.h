/*
 * The stale-TLB demonstration (console `tlbdemo`, and a test): one CPU
 * re-points a kernel address at another frame and flushes only itself, or
 * shoots the translation down everywhere; another CPU reads the address.
 */
#ifndef SMP_TLBDEMO_H
#define SMP_TLBDEMO_H

struct tlbdemo_result {
	int cpu_a, cpu_b; /* who remaps, who reads */
	unsigned int trials; /* per half */
	unsigned int stale_local; /* B read the old frame after a local-only flush */
	unsigned int stale_shootdown; /* ... after a shootdown: must stay 0 */
};

/*
 * Run @trials of each half from this CPU. 0, -EOPNOTSUPP with one CPU online,
 * -ENOMEM, or -EEXIST if the demo's address is already mapped. Leaves no
 * mapping and no frame behind (its page tables stay, as counted tables).
 * Must not run with interrupts off (it waits for cross-calls).
 */
int tlbdemo_run(unsigned int trials, struct tlbdemo_result *r);

#endif
