/*
 * The part of hwloc's API that will-it-scale's main.c uses, over Linux's
 * sched_{get,set}affinity, for the musl build (tools/wis/build.sh): Debian's
 * libhwloc.a is built against glibc and cannot link with musl.
 *
 * What differs from hwloc: the topology is the CPUs the process may run on
 * (sched_getaffinity at load time), one core per CPU, no SMT siblings, no
 * caches or NUMA nodes; so HWLOC_OBJ_CORE and HWLOC_OBJ_PU both count CPUs.
 * On flushlab that is exact (one vCPU is one core); on a host with SMT,
 * `-m` and the default pick the same CPUs, where hwloc would spread over
 * cores first. Binding a process binds the calling thread, as
 * sched_setaffinity(0) does; will-it-scale only binds from a single thread.
 * Our own code, written from hwloc's documented API.
 */
#ifndef FLUSHLAB_HWLOC_COMPAT_H
#define FLUSHLAB_HWLOC_COMPAT_H

#define _GNU_SOURCE
#include <errno.h> /* hwloc.h brings it; main.c relies on that */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

typedef enum { HWLOC_OBJ_CORE, HWLOC_OBJ_PU } hwloc_obj_type_t;
#define HWLOC_CPUBIND_THREAD (1 << 1)

typedef cpu_set_t *hwloc_cpuset_t;

struct hwloc_obj {
	hwloc_cpuset_t cpuset;
};
typedef struct hwloc_obj *hwloc_obj_t;

struct hwloc_topology {
	int nr;
	struct hwloc_obj *objs; /* one per allowed CPU, in CPU order */
};
typedef struct hwloc_topology *hwloc_topology_t;

static inline hwloc_cpuset_t hwloc_bitmap_alloc(void)
{
	return calloc(1, sizeof(cpu_set_t));
}

static inline hwloc_cpuset_t hwloc_bitmap_dup(hwloc_cpuset_t s)
{
	hwloc_cpuset_t d = hwloc_bitmap_alloc();

	if (d && s)
		memcpy(d, s, sizeof(*d));
	return d;
}

static inline void hwloc_bitmap_free(hwloc_cpuset_t s)
{
	free(s);
}

static inline int hwloc_topology_init(hwloc_topology_t *t)
{
	*t = calloc(1, sizeof(**t));
	return *t ? 0 : -1;
}

static inline int hwloc_topology_load(hwloc_topology_t t)
{
	cpu_set_t all;

	if (sched_getaffinity(0, sizeof(all), &all))
		return -1;
	t->objs = calloc(CPU_SETSIZE, sizeof(*t->objs));
	if (!t->objs)
		return -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		t->objs[t->nr].cpuset = hwloc_bitmap_alloc();
		if (!t->objs[t->nr].cpuset)
			return -1;
		CPU_SET(cpu, t->objs[t->nr].cpuset);
		t->nr++;
	}
	return 0;
}

static inline void hwloc_topology_destroy(hwloc_topology_t t)
{
	for (int i = 0; t && t->objs && i < t->nr; i++)
		hwloc_bitmap_free(t->objs[i].cpuset);
	if (t)
		free(t->objs);
	free(t);
}

static inline int hwloc_topology_dup(hwloc_topology_t *d, hwloc_topology_t s)
{
	if (hwloc_topology_init(d))
		return -1;
	(*d)->objs = calloc(s->nr ? s->nr : 1, sizeof(*s->objs));
	if (!(*d)->objs)
		return -1;
	for (int i = 0; i < s->nr; i++) {
		(*d)->objs[i].cpuset = hwloc_bitmap_dup(s->objs[i].cpuset);
		if (!(*d)->objs[i].cpuset)
			return -1;
		(*d)->nr++;
	}
	return 0;
}

static inline int hwloc_get_nbobjs_by_type(hwloc_topology_t t, hwloc_obj_type_t type)
{
	return t->nr;
}

static inline hwloc_obj_t hwloc_get_obj_by_type(hwloc_topology_t t, hwloc_obj_type_t type,
						unsigned idx)
{
	return idx < (unsigned)t->nr ? &t->objs[idx] : NULL;
}

static inline int hwloc_get_cpubind(hwloc_topology_t t, hwloc_cpuset_t set, int flags)
{
	return sched_getaffinity(0, sizeof(*set), set);
}

static inline int hwloc_set_cpubind(hwloc_topology_t t, hwloc_cpuset_t set, int flags)
{
	return sched_setaffinity(0, sizeof(*set), set);
}

static inline int hwloc_set_thread_cpubind(hwloc_topology_t t, pthread_t th, hwloc_cpuset_t set,
					   int flags)
{
	return pthread_setaffinity_np(th, sizeof(*set), set) ? -1 : 0;
}

#endif
