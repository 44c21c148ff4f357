/*
 * clone(2)'s CLONE_* flags with Linux's x86-64 values: the one home of these
 * constants, shared by the kernel's clone (task/clone.c) and by user/
 * programs' thread_create (user/lib/thread.c). Free of kernel includes, as
 * mm/mman.h is, so user/ can include it as it is.
 */
#ifndef FLUSHLAB_TASK_CLONE_FLAGS_H
#define FLUSHLAB_TASK_CLONE_FLAGS_H

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_THREAD 0x00010000
/* ---- added for fork (helper "fork"): move to include/uapi/ once it is in main ---- */
#define CSIGNAL 0x000000ff /* the exit signal sent to the parent */
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
/* ---- end of fork's block ---- */
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_CHILD_SETTID 0x01000000

#endif
