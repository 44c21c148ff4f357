/*
 * wait4(2)/waitid(2) options and the wait-status encoding, with Linux's
 * values (linux/wait.h; the status word is what do_exit stores: exit code
 * << 8, or the signal number in the low 7 bits, 0x80 when it dumped core).
 * The one home of them for the kernel and user/ programs.
 */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000

/* waitid(2)'s idtype. */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3

#define WEXITSTATUS(s) (((s)&0xff00) >> 8)
#define WTERMSIG(s) ((s)&0x7f)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (((signed char)(((s)&0x7f) + 1) >> 1) > 0)
#define WCOREDUMP(s) ((s)&0x80)

#endif
