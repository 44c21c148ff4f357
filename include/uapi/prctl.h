/*
 * prctl(2) options, with Linux's values (linux/prctl.h): the one home of
 * them for the kernel and user/ programs. Only the options programs that
 * flushlab runs are known to use; add one with its Linux value when needed.
 */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15 /* the thread's comm, 16 bytes with the NUL */
#define PR_GET_NAME 16
#define PR_GET_TIMERSLACK 30
#define PR_SET_TIMERSLACK 29
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_SET_THP_DISABLE 41
#define PR_GET_THP_DISABLE 42

/* Name an anonymous mapping: shown as [anon:NAME] in /proc/PID/maps. */
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0

#endif
