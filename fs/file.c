/*
 * Open files and fd tables. Open files are reference counted as Linux's
 * are (fget/fput): each fd naming a file holds one reference, and every
 * syscall that takes an fd holds another from its look-up until it
 * returns, so a close(2) or a close-and-reopen on the same number by
 * another thread only drops the table's reference; the file is released
 * (a pseudo-file's snapshot freed, a device put, its pins dropped, a tmpfs
 * inode let go) by whichever put is last. dup, dup2, dup3 and fcntl's
 * F_DUPFD name one file from several fds, as in Linux.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "task/task.h"

#define NR_FILES 256			    /* open files in the system */
#define FL_SETTABLE (O_APPEND | O_NONBLOCK) /* what F_SETFL may change (of what we honour) */

static struct file file_table[NR_FILES];
static struct spinlock file_lock; /* every fd table, and the slots' used and count */

/* fds 0-2 of a new process: the console, one file never released. */
static struct file console_file = {
    .used = true, .count = 1, .f_flags = O_RDWR, .f_op = &console_fops, .f_path = "/dev/console"};

int nr_files_open(void)
{
	int n = 0;

	for (int i = 0; i < NR_FILES; i++)
		n += READ_ONCE(file_table[i].used);
	return n;
}

struct file *alloc_file(struct inode *inode, int flags, const char *path)
{
	struct file *f = NULL;

	spin_lock(&file_lock);
	for (int i = 0; i < NR_FILES && !f; i++) {
		if (!file_table[i].used) {
			f = &file_table[i];
			memset(f, 0, sizeof(*f));
			f->used = true;
			f->count = 1; /* the opener's, handed to the fd table */
		}
	}
	spin_unlock(&file_lock);
	if (!f)
		return NULL;
	f->f_flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC);
	f->f_inode = inode;
	f->f_op = inode->i_fop;
	snprintf(f->f_path, sizeof(f->f_path), "%s", path);
	return f;
}

/* The last reference went: the kind's release, the inode, then the slot. */
static void file_free(struct file *f)
{
	if (f->f_op->release)
		f->f_op->release(f);
	iput(f->f_inode);
	spin_lock(&file_lock);
	f->used = false;
	spin_unlock(&file_lock);
}

static struct files_struct *files_of(struct task_struct *t)
{
	return &t->group_leader->files; /* the threads share one table */
}

/*
 * Linux's fget: the file @fd of @t's table with a reference taken, or
 * NULL. The look-up and the increment are one step under file_lock, the
 * lock close takes to clear the slot, so a racing close either comes
 * after (and its put leaves ours) or before (and we see no file).
 */
struct file *fget(struct task_struct *t, int fd)
{
	struct file *f;

	if (fd < 0 || fd >= NR_OPEN)
		return NULL;
	spin_lock(&file_lock);
	f = files_of(t)->fd[fd];
	if (f)
		f->count++;
	spin_unlock(&file_lock);
	return f;
}

/* Linux's fput: drop one reference; the last one releases the file. */
void fput(struct file *f)
{
	bool last;

	if (!f)
		return;
	spin_lock(&file_lock);
	BUG_ON(f->count <= 0);
	last = --f->count == 0;
	spin_unlock(&file_lock);
	if (last)
		file_free(f);
}

bool file_readable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_WRONLY;
}

bool file_writable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_RDONLY;
}

static void set_cloexec(struct files_struct *files, int fd, bool on)
{
	if (on)
		files->close_on_exec |= 1ULL << fd;
	else
		files->close_on_exec &= ~(1ULL << fd);
}

int fd_install_from(struct task_struct *t, struct file *f, int from, bool cloexec)
{
	struct files_struct *files = files_of(t);
	int fd;

	spin_lock(&file_lock);
	for (fd = from; fd < NR_OPEN && files->fd[fd]; fd++)
		;
	if (fd < NR_OPEN) {
		files->fd[fd] = f;
		set_cloexec(files, fd, cloexec);
	}
	spin_unlock(&file_lock);
	return fd < NR_OPEN ? fd : -EMFILE;
}

long install_file(struct inode *inode, int flags, const char *path, bool cloexec)
{
	struct file *f = alloc_file(inode, flags, path);
	long fd;

	if (!f) {
		iput(inode);
		return -ENFILE;
	}
	fd = fd_install_from(current, f, 0, cloexec);
	if (fd < 0)
		fput(f);
	return fd;
}

long file_close(struct task_struct *t, int fd)
{
	struct files_struct *files = files_of(t);
	struct file *f;

	if (fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	spin_lock(&file_lock); /* two threads closing one fd: one wins */
	f = files->fd[fd];
	files->fd[fd] = NULL;
	set_cloexec(files, fd, false);
	spin_unlock(&file_lock);
	if (!f)
		return -EBADF;
	fput(f); /* the table's reference: a syscall still using it keeps it */
	return 0;
}

void files_init(struct task_struct *t, const char *exe)
{
	memset(&t->files, 0, sizeof(t->files));
	spin_lock(&file_lock);
	for (int fd = 0; fd < 3; fd++) {
		t->files.fd[fd] = &console_file;
		console_file.count++;
	}
	spin_unlock(&file_lock);
	snprintf(t->files.exe, sizeof(t->files.exe), "%s", exe ? exe : "");
}

void files_close_all(struct task_struct *t)
{
	for (int fd = 0; fd < NR_OPEN; fd++)
		file_close(t, fd);
}

int dup_files(struct task_struct *to, struct task_struct *from)
{
	struct files_struct *src = files_of(from);

	spin_lock(&file_lock);
	to->files = *src;
	for (int fd = 0; fd < NR_OPEN; fd++)
		if (src->fd[fd])
			src->fd[fd]->count++;
	spin_unlock(&file_lock);
	return 0;
}

void files_close_on_exec(struct task_struct *t)
{
	uint64_t set = READ_ONCE(files_of(t)->close_on_exec);

	for (int fd = 0; fd < NR_OPEN; fd++)
		if (set & (1ULL << fd))
			file_close(t, fd);
}

/*
 * Linux's do_dup2: make @newfd name @f (the caller's reference is the
 * table's now), closing what it named. Under one lock, so no other
 * thread sees @newfd empty in between.
 */
static long do_dup2(struct task_struct *t, struct file *f, int newfd, bool cloexec)
{
	struct files_struct *files = files_of(t);
	struct file *old;

	spin_lock(&file_lock);
	old = files->fd[newfd];
	files->fd[newfd] = f;
	set_cloexec(files, newfd, cloexec);
	spin_unlock(&file_lock);
	fput(old);
	return newfd;
}

long sys_dup(struct trap_frame *r)
{
	struct file *f = fget(current, (int)r->rdi);
	long fd;

	if (!f)
		return -EBADF;
	fd = fd_install_from(current, f, 0, false);
	if (fd < 0)
		fput(f);
	return fd;
}

static long dup3_common(int oldfd, int newfd, int flags, bool is_dup2)
{
	struct file *f;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (newfd < 0 || newfd >= NR_OPEN)
		return -EBADF;
	f = fget(current, oldfd);
	if (!f)
		return -EBADF;
	if (oldfd == newfd) {
		fput(f);
		return is_dup2 ? newfd
			       : -EINVAL; /* dup2 checks oldfd and returns it; dup3 refuses */
	}
	return do_dup2(current, f, newfd, flags & O_CLOEXEC);
}

long sys_dup2(struct trap_frame *r)
{
	return dup3_common((int)r->rdi, (int)r->rsi, 0, true);
}

long sys_dup3(struct trap_frame *r)
{
	return dup3_common((int)r->rdi, (int)r->rsi, (int)r->rdx, false);
}

static long fcntl_dupfd(struct file *f, long from, bool cloexec)
{
	long fd;

	if (from < 0 || from >= NR_OPEN)
		return -EINVAL; /* Linux: past RLIMIT_NOFILE is EINVAL */
	spin_lock(&file_lock);
	f->count++; /* the new fd's */
	spin_unlock(&file_lock);
	fd = fd_install_from(current, f, (int)from, cloexec);
	if (fd < 0)
		fput(f);
	return fd;
}

static long do_fcntl(struct file *f, int fd, int cmd, unsigned long arg)
{
	struct files_struct *files = files_of(current);
	long ret = 0;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(f, (long)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return (READ_ONCE(files->close_on_exec) >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		spin_lock(&file_lock);
		if (files->fd[fd] == f)
			set_cloexec(files, fd, arg & FD_CLOEXEC);
		spin_unlock(&file_lock);
		return 0;
	case F_GETFL:
		return READ_ONCE(f->f_flags);
	case F_SETFL:
		spin_lock(&file_lock);
		f->f_flags = (f->f_flags & ~FL_SETTABLE) | ((int)arg & FL_SETTABLE);
		spin_unlock(&file_lock);
		return 0;
	default:
		ret = -EINVAL; /* locks, leases, owners, seals: not implemented (Linux: EINVAL) */
	}
	return ret;
}

long sys_fcntl(struct trap_frame *r)
{
	int fd = (int)r->rdi;
	struct file *f = fget(current, fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = do_fcntl(f, fd, (int)r->rsi, r->rdx);
	fput(f);
	return ret;
}
