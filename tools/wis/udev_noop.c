/*
 * No-op libudev for a static will-it-scale link with glibc (tools/wis/build.sh).
 *
 * Debian's libhwloc.a was built with libudev support (it asks udev for a
 * block or network device's properties), but Debian ships no libudev.a, so
 * a static link leaves five udev symbols undefined. will-it-scale never asks
 * hwloc for devices, and hwloc treats a NULL from udev_new() as "no udev",
 * so these answer "nothing here" and are never called on a CPU-only
 * topology. This is our own code; it is the one addition the static glibc
 * build needs (docs/will-it-scale.md says so).
 */
#include <stddef.h>

struct udev;
struct udev_device;

struct udev *udev_new(void);
struct udev *udev_unref(struct udev *u);
struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *u, const char *subsystem,
							   const char *sysname);
struct udev_device *udev_device_unref(struct udev_device *d);
const char *udev_device_get_property_value(struct udev_device *d, const char *key);

struct udev *udev_new(void)
{
	return NULL;
}

struct udev *udev_unref(struct udev *u)
{
	return NULL;
}

struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *u, const char *subsystem,
							   const char *sysname)
{
	return NULL;
}

struct udev_device *udev_device_unref(struct udev_device *d)
{
	return NULL;
}

const char *udev_device_get_property_value(struct udev_device *d, const char *key)
{
	return NULL;
}
