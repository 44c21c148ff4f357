/*
 * The khugepaged kernel thread (Linux's khugepaged()): one scan pass
 * (mm/khugepaged_scan.c), then sleep scan_sleep_millisecs, or without end
 * while no mm is on the list, until stopped. Writing scan_sleep_millisecs
 * ends the sleep at once, as in Linux; the first mm on the list ends it
 * once that mm may be scanned. It lives in task/ because mm/ does not call
 * up into the task layer.
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
		msleep_interruptible(khugepaged_has_work() ? khugepaged_scan_sleep_ms() : ~0U);
	}
	return 0;
}

static void khugepaged_wake(void)
{
	struct task_struct *t = READ_ONCE(khugepaged_thread);

	if (t)
		wake_up_process(t);
}

static void khugepaged_wake_within(unsigned int ms)
{
	struct task_struct *t = READ_ONCE(khugepaged_thread);

	if (t)
		kthread_wake_within(t, ms);
}

int start_khugepaged(void)
{
	int err;

	if (khugepaged_thread)
		return 0;
	khugepaged_thread = kthread_run(khugepaged, NULL, "khugepaged", &err);
	if (khugepaged_thread) {
		khugepaged_wakeup = khugepaged_wake;
		khugepaged_wakeup_within = khugepaged_wake_within;
	}
	return err;
}
