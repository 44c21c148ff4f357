/*
 * arch_prctl(2) codes of x86-64, with Linux's values (asm/prctl.h): the one
 * home of them for the kernel (task/syscall.c) and user/ programs. NASM
 * sources cannot include this; tests/kernel/task_user_progs.asm names the
 * code in a comment beside each number.
 */
#ifndef UAPI_ASM_PRCTL_H
#define UAPI_ASM_PRCTL_H

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

#endif
