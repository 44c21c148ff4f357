/*
 * sysinfo(2)'s answer, with Linux's x86-64 layout (linux/sysinfo.h): the
 * one home of it for the kernel (task/sys_info.c) and user/ programs.
 * Memory sizes are in units of mem_unit bytes; loads are fixed point with
 * SI_LOAD_SHIFT fraction bits.
 */
#ifndef UAPI_SYSINFO_H
#define UAPI_SYSINFO_H

#define SI_LOAD_SHIFT 16

struct sysinfo {
	long uptime;		 /* seconds since boot */
	unsigned long loads[3];	 /* 1, 5 and 15 minute load averages */
	unsigned long totalram;	 /* usable memory */
	unsigned long freeram;	 /* free memory */
	unsigned long sharedram; /* shared memory (shmem, tmpfs) */
	unsigned long bufferram; /* buffers */
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs; /* threads */
	unsigned short pad;
	unsigned long totalhigh; /* high memory: 0 on 64-bit */
	unsigned long freehigh;
	unsigned int mem_unit; /* bytes per unit of the sizes above */
	char _f[20 - 2 * sizeof(unsigned long) - sizeof(unsigned int)];
};
_Static_assert(sizeof(struct sysinfo) == 112, "Linux's x86-64 struct sysinfo");

#endif
