/*
 * The console's view of the ramfs: each file becomes a read-only pseudo-file,
 * so `ls /bin` lists the programs and `cat` reads text files as the shell
 * already does for /proc. A binary file is not dumped onto the serial
 * console (its bytes would garble the terminal and any script parsing the
 * output); `cat` prints one line saying what it is instead, like file(1).
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "task/ramfs.h"

static struct pseudo_file ramfs_pseudo[RAMFS_MAX_FILES];

static bool is_elf64_exec(const uint8_t *d, size_t n)
{
	/* e_ident: \x7fELF, class 2 (64-bit), data 1 (LSB); e_type 2 (EXEC), e_machine 62 */
	return n >= 64 && memcmp(d, "\x7f" "ELF", 4) == 0 && d[4] == 2 && d[5] == 1 &&
	       d[16] == 2 && d[17] == 0 && d[18] == 62 && d[19] == 0;
}

static bool is_text(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] < 0x20 && d[i] != '\n' && d[i] != '\t' && d[i] != '\r')
			return false;
	return true;
}

static int ramfs_show(struct seq_buf *s, void *data)
{
	const struct ramfs_file *f = data;
	const uint8_t *d = f->data;

	if (is_text(d, f->size)) {
		seq_write(s, d, f->size);
		return 0;
	}
	seq_printf(s, "%s: %s, %zu bytes (binary: not printed)\n", f->path,
		   is_elf64_exec(d, f->size) ? "ELF 64-bit LSB executable, x86-64" : "data",
		   f->size);
	return 0;
}

void ramfs_pseudofs_init(void)
{
	const struct ramfs_file *f;
	size_t i = 0;
	int err;

	for_each_ramfs_file(f) {
		struct pseudo_file *p = &ramfs_pseudo[i++];

		p->path = f->path;
		p->show = ramfs_show;
		p->data = (void *)f;
		err = pseudofs_register(p);
		if (err)
			printk("ramfs: %s: not visible to ls/cat: %s\n", f->path, errstr(err));
	}
}
