/*
 * uname(2)'s answer, with Linux's layout (linux/utsname.h, struct
 * new_utsname: six NUL-terminated fields of 65 bytes): the one home of it
 * for the kernel (task/sys_info.c) and user/ programs.
 */
#ifndef UAPI_UTSNAME_H
#define UAPI_UTSNAME_H

#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};
_Static_assert(sizeof(struct new_utsname) == 390, "Linux's struct new_utsname");

#endif
