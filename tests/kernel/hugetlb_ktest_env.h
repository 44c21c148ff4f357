/* Suite init/exit for the suites that use the real hugetlb pools (hugetlb, hvo). */
#ifndef TESTS_KERNEL_HUGETLB_KTEST_ENV_H
#define TESTS_KERNEL_HUGETLB_KTEST_ENV_H

const char *hugetlb_ktest_enter(void);
void hugetlb_ktest_exit(void);

#endif
