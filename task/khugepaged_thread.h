/* Start the khugepaged kernel thread (task/khugepaged_thread.c). */
#ifndef TASK_KHUGEPAGED_THREAD_H
#define TASK_KHUGEPAGED_THREAD_H

/* Once, at boot, after task_init: 0 or -EAGAIN (no task slot). */
int start_khugepaged(void);

#endif
