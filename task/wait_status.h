/*
 * wait(2) status words, Linux's encoding: an exit code in bits 8-15 with
 * the low 7 bits 0, or the signal that ended the process in the low 7
 * bits. The one home of these helpers, shared by the kernel (task/) and
 * user/ programs; free of kernel includes, as mm/mman.h is.
 */
#ifndef FLUSHLAB_TASK_WAIT_STATUS_H
#define FLUSHLAB_TASK_WAIT_STATUS_H

#define W_EXITCODE(ret, sig) (((ret) << 8) | (sig))
#define WIFEXITED(s) (((s)&0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s)&0x7f) != 0 && ((s)&0x7f) != 0x7f)
#define WTERMSIG(s) ((s)&0x7f)

/* wait4/waitid options (Linux's x86-64 values). */
#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000

/* waitid's idtype. */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2

#endif
