/*
 * sigbench [iters=N]: what a signal costs. A process sends itself SIGUSR1
 * (kill) with a handler installed: the kernel queues it, builds the
 * rt_sigframe with the XSAVE image on the way out of kill, the handler
 * runs, rt_sigreturn checks and restores the frame. Batches of 100,
 * median and range over the batches:
 *   # bench sigroundtrip accel=... cpus=... iters=... ns_median= ns_min= ns_max=
 * The same source runs on Linux for reference.
 */
#include "syscall.h"
#include "ulib.h"
#include "usignal.h"

#define BATCH 100
#define MAX_BATCHES 200

static volatile long handled;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	handled++;
}

int main(int argc, char **argv)
{
	static uint64_t ns[MAX_BATCHES];
	const char *v = arg_value(argc, argv, "iters");
	uint64_t iters = 2000;
	int batches;

	if (v && (parse_size(v, &iters) || iters < BATCH)) {
		printf("sigbench: iters=%s: want a number >= %d\n", v, BATCH);
		return 2;
	}
	batches = (int)(iters / BATCH) < MAX_BATCHES ? (int)(iters / BATCH) : MAX_BATCHES;
	signal_handler(SIGUSR1, on_usr1, 0);
	for (int b = 0; b < batches; b++) {
		uint64_t t0 = now_ns();

		for (int i = 0; i < BATCH; i++)
			kill(getpid(), SIGUSR1);
		ns[b] = (now_ns() - t0) / BATCH;
	}
	if (handled != (long)batches * BATCH) {
		printf("sigbench: FAIL %ld of %d signals handled\n", handled, batches * BATCH);
		return 1;
	}
	sort_u64(ns, (size_t)batches);
	printf("# bench sigroundtrip accel=%s cpus=%d iters=%d ns_median=%lu ns_min=%lu "
	       "ns_max=%lu\n",
	       accel_name(), nr_cpus(), batches * BATCH, (unsigned long)ns[batches / 2],
	       (unsigned long)ns[0], (unsigned long)ns[batches - 1]);
	return 0;
}
