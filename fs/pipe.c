/*
 * Pipes (Linux's fs/pipe.c semantics): pipe and pipe2 (O_CLOEXEC,
 * O_NONBLOCK) make a 64 KiB ring shared by a read end and a write end. A
 * read waits for data while a writer exists and returns 0 (end of file)
 * once none does; a write waits for room while a reader exists, and one
 * of at most PIPE_BUF bytes is never split. A write with no reader is
 * -EPIPE and SIGPIPE to the writing thread (Linux's pipe_write). A sleep
 * a signal ends answers -ERESTARTSYS, as Linux's: the call is made again
 * after a SA_RESTART handler, else it is -EINTR (task/signal.c).
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "fs/wait.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "task/signal.h"
#include "task/task.h"

#define PIPE_ORDER 4 /* 64 KiB: Linux's default pipe capacity */
#define PIPE_SIZE (PAGE_SIZE << PIPE_ORDER)
#define PIPE_BUF 4096 /* POSIX: writes up to this size are atomic */

struct pipe_inode_info {
	struct mutex mutex; /* the ring and the counts (Linux's pipe->mutex) */
	uint8_t *buf;
	uint64_t head, tail; /* bytes written and read, ever: head - tail are buffered */
	int readers, writers;
	struct wait_queue_head rd_wait, wr_wait;
};

static struct kmem_cache pipe_cache =
    KMEM_CACHE_INIT(pipe_cache, "pipe_inode_info", sizeof(struct pipe_inode_info));
static const struct file_operations pipe_fops;

static void pipe_evict(struct inode *inode)
{
	struct pipe_inode_info *p = inode->i_private;

	__free_pages(pfn_to_page(((uintptr_t)p->buf - direct_map_base) >> PAGE_SHIFT), PIPE_ORDER);
	kmem_cache_free(&pipe_cache, p);
	free_inode(inode);
}

static const struct inode_operations pipe_iops = {.evict = pipe_evict};

static struct pipe_inode_info *pipe_of(struct file *f)
{
	return f->f_inode->i_private;
}

/*
 * Sleep on @wq until woken (0) or a signal comes (-ERESTARTSYS); @p's
 * mutex is dropped for the sleep and taken again.
 */
static int pipe_wait(struct pipe_inode_info *p, struct wait_queue_head *wq)
{
	struct wait_queue_entry e;
	int err;

	add_wait_queue(wq, &e); /* before the unlock: a change after it wakes us */
	mutex_unlock(&p->mutex);
	err = wait_woken(&e, 1);
	remove_wait_queue(&e);
	mutex_lock(&p->mutex);
	return err == -EINTR ? -ERESTARTSYS : err;
}

static long pipe_read(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	struct pipe_inode_info *p = pipe_of(f);
	size_t done = 0;
	long err = 0;

	if (count == 0)
		return 0;
	mutex_lock(&p->mutex);
	while (p->head == p->tail) {
		if (!p->writers)
			goto out; /* end of file */
		if (f->f_flags & O_NONBLOCK) {
			err = -EAGAIN;
			goto out;
		}
		err = pipe_wait(p, &p->rd_wait);
		if (err)
			goto out;
	}
	while (done < count && p->head != p->tail) {
		size_t off = p->tail % PIPE_SIZE;
		size_t n = MIN(MIN(count - done, p->head - p->tail), PIPE_SIZE - off);

		if (copy_to_user(ubuf + done, p->buf + off, n)) {
			err = -EFAULT;
			break;
		}
		p->tail += n;
		done += n;
	}
	wake_up(&p->wr_wait);
out:
	mutex_unlock(&p->mutex);
	return done ? (long)done : err;
}

static long pipe_write(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	struct pipe_inode_info *p = pipe_of(f);
	size_t done = 0;
	long err = 0;

	mutex_lock(&p->mutex);
	while (done < count) {
		size_t room = PIPE_SIZE - (p->head - p->tail);
		size_t want = count - done <= PIPE_BUF ? count - done : 1; /* atomic if small */

		if (!p->readers) {
			err = -EPIPE;
			send_sig_info(SIGPIPE, NULL, current); /* ignored or caught: EPIPE alone */
			break;
		}
		if (room < want) {
			if (f->f_flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			err = pipe_wait(p, &p->wr_wait);
			if (err)
				break;
			continue;
		}
		size_t off = p->head % PIPE_SIZE;
		size_t n = MIN(MIN(count - done, room), PIPE_SIZE - off);

		if (copy_from_user(p->buf + off, ubuf + done, n)) {
			err = -EFAULT;
			break;
		}
		p->head += n;
		done += n;
		wake_up(&p->rd_wait);
	}
	mutex_unlock(&p->mutex);
	return done ? (long)done : err;
}

static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe_inode_info *p = pipe_of(f);
	unsigned int mask = 0;
	uint64_t used;

	if (file_readable(f))
		poll_wait(f, &p->rd_wait, pt);
	if (file_writable(f))
		poll_wait(f, &p->wr_wait, pt);
	mutex_lock(&p->mutex);
	used = p->head - p->tail;
	if (file_readable(f)) {
		mask |= used ? POLLIN | POLLRDNORM : 0;
		mask |= p->writers ? 0 : POLLHUP;
	}
	if (file_writable(f)) {
		mask |= PIPE_SIZE - used >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
		mask |= p->readers ? 0 : POLLERR;
	}
	mutex_unlock(&p->mutex);
	return mask;
}

/* An end closes: the other side's sleepers look again (EOF, EPIPE). */
static void pipe_release(struct file *f)
{
	struct pipe_inode_info *p = pipe_of(f);

	mutex_lock(&p->mutex);
	if (file_readable(f))
		p->readers--;
	if (file_writable(f))
		p->writers--;
	mutex_unlock(&p->mutex);
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
}

static const struct file_operations pipe_fops = {.read = pipe_read,
						 .write = pipe_write,
						 .poll = pipe_poll,
						 .release = pipe_release,
						 .stream = true};

static struct inode *new_pipe_inode(void)
{
	struct pipe_inode_info *p = kmem_cache_zalloc(&pipe_cache);
	struct page *page = p ? alloc_pages(GFP_KERNEL, PIPE_ORDER) : NULL;
	struct inode *inode = page ? new_inode(S_IFIFO | 0600, &pipe_fops, &pipe_iops) : NULL;

	if (!inode) {
		if (page)
			__free_pages(page, PIPE_ORDER);
		if (p)
			kmem_cache_free(&pipe_cache, p);
		return NULL;
	}
	p->buf = page_address(page);
	p->readers = p->writers = 1;
	init_waitqueue_head(&p->rd_wait);
	init_waitqueue_head(&p->wr_wait);
	inode->i_private = p;
	return inode;
}

/* Linux's do_pipe2: both ends made before either fd is installed; the pair copied out last. */
static long do_pipe2(uintptr_t ufds, int flags)
{
	struct inode *inode;
	struct file *rf, *wf;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (flags & O_DIRECT)
		return -EINVAL; /* packet mode: not implemented */
	inode = new_pipe_inode();
	if (!inode)
		return -ENFILE;
	rf = alloc_file(inode, O_RDONLY | (flags & O_NONBLOCK), "pipe:");
	if (!rf) {
		iput(inode);
		return -ENFILE;
	}
	ihold(inode);
	wf = alloc_file(inode, O_WRONLY | (flags & O_NONBLOCK), "pipe:");
	if (!wf) {
		iput(inode);
		fput(rf); /* readers 1 -> 0 and the last reference */
		return -ENFILE;
	}
	fds[0] = fd_install_from(current, rf, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install_from(current, wf, 0, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		long err = fds[1] < 0 ? -EMFILE : -EFAULT;

		if (fds[0] >= 0)
			file_close(current, fds[0]);
		else
			fput(rf);
		if (fds[1] >= 0)
			file_close(current, fds[1]);
		else
			fput(wf);
		return err;
	}
	return 0;
}

long sys_pipe(struct trap_frame *r)
{
	return do_pipe2(r->rdi, 0);
}

long sys_pipe2(struct trap_frame *r)
{
	return do_pipe2(r->rdi, (int)r->rsi);
}
