/*
 * The khugepaged kernel thread (Linux's khugepaged()): one scan pass
 * (mm/khugepaged_scan.c), then sleep scan_sleep_millisecs, until stopped.
 * Writing scan_sleep_millisecs ends the sleep at once, as in Linux. It
 * lives in task/ because mm/ does not call up into the task layer.
 */
#include "lib/kernel.h"
#include "mm/khugepaged.h"
#include "task/khugepaged_thread.h"
#include "task/kthread.h"
#include "task/sched.h"

static struct task_struct *khugepaged_thread;

static int khugepaged(void *unused)
{
	(void)unused;
	while (!kthread_should_stop()) {
		khugepaged_do_scan(kthread_should_stop, cond_resched);
		msleep_interruptible(khugepaged_scan_sleep_ms());
	}
	return 0;
}

static void khugepaged_wake(void)
{
	struct task_struct *t = READ_ONCE(khugepaged_thread);

	if (t)
		wake_up_process(t);
}

int start_khugepaged(void)
{
	int err;

	if (khugepaged_thread)
		return 0;
	khugepaged_thread = kthread_run(khugepaged, NULL, "khugepaged", &err);
	if (khugepaged_thread)
		khugepaged_wakeup = khugepaged_wake;
	return err;
}
