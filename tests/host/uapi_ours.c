/* The ABI check: our include/uapi/ headers' values (tests/host/uapi_test.c). */
#include <string.h>

#include "tests/host/uapi_test.h"
#include "uapi/asm/prctl.h"
#include "uapi/asm/unistd_64.h"
#include "uapi/auxvec.h"
#include "uapi/asm/stat.h"
#include "uapi/dax.h"
#include "uapi/dirent.h"
#include "uapi/errno.h"
#include "uapi/fcntl.h"
#include "uapi/futex.h"
#include "uapi/mman.h"
#include "uapi/poll.h"
#include "uapi/prctl.h"
#include "uapi/random.h"
#include "uapi/resource.h"
#include "uapi/sched.h"
#include "uapi/signal.h"
#include "uapi/stat.h"
#include "uapi/sysinfo.h"
#include "uapi/time.h"
#include "uapi/uio.h"
#include "uapi/utsname.h"
#include "uapi/wait.h"

size_t abi_values_ours(struct abi_value *out)
{
	const struct abi_value v[] = {
#include "uapi_names.h"
	};

	memcpy(out, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
}

size_t abi_layout_ours(struct abi_layout *out)
{
	const struct abi_layout v[] = {ABI_LAYOUT_LIST(ABI_STRUCT, ABI_FIELD)};

	memcpy(out, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
}
