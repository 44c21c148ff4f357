/*
 * The kernel's side of the TLB-model plugin's phases (kernel/tlbmodel.h):
 * a marker instruction when booted with `tlbmodel`, and the pseudo-file
 * /sys/kernel/debug/flushlab/tlbmodel_phase through which a user program
 * marks its own phases (`begin NAME`, `end NAME`). Without the flag a mark
 * does nothing and the file accepts and ignores them, so programs run alike.
 */
#include "kernel/tlbmodel.h"
#include "arch/x86_64/cpu.h"
#include "flushlab/tlbmodel.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

static bool tlbmodel_on;

static void mark(uint32_t op, const char *name)
{
	if (READ_ONCE(tlbmodel_on))
		outl_with_arg(TLBMODEL_PORT, op, name);
}

void tlbmodel_phase_begin(const char *name)
{
	mark(TLBMODEL_PHASE_BEGIN, name);
}

void tlbmodel_phase_end(const char *name)
{
	mark(TLBMODEL_PHASE_END, name);
}

static int phase_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%s\n", tlbmodel_on ? "on" : "off");
	return 0;
}

/* "begin NAME" or "end NAME": NAME one word of 1 to TLBMODEL_NAME_MAX - 1 characters. */
static int phase_store(const char *buf, size_t len, void *data)
{
	char name[TLBMODEL_NAME_MAX];
	uint32_t op;
	size_t n;

	if (!strncmp(buf, "begin ", 6))
		op = TLBMODEL_PHASE_BEGIN, buf += 6;
	else if (!strncmp(buf, "end ", 4))
		op = TLBMODEL_PHASE_END, buf += 4;
	else
		return -EINVAL;
	for (n = 0; buf[n] && buf[n] != '\n'; n++)
		if (buf[n] <= ' ' || buf[n] > '~' || n >= sizeof(name) - 1)
			return -EINVAL;
	if (!n || (buf[n] == '\n' && buf[n + 1]))
		return -EINVAL;
	memcpy(name, buf, n);
	name[n] = '\0';
	mark(op, name);
	return 0;
}

DEFINE_PSEUDO_FILE(phase_file, "/sys/kernel/debug/flushlab/tlbmodel_phase", phase_show, phase_store,
		   0644);

void tlbmodel_init(const struct boot_info *bi)
{
	tlbmodel_on = str_has_word(bi->cmdline, "tlbmodel");
	if (tlbmodel_on)
		printk("tlbmodel: phase marks on (port %#x)\n", TLBMODEL_PORT);
}
