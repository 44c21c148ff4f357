/*
 * execthreads: execve from a process with other threads, as Linux's
 * de_thread does it: the others die (one spinning in ring 3, one asleep
 * in a futex, one in a blocking pipe read), and the new program starts
 * alone in the same process (same pid, the exec'ing thread's open fds).
 * It forks a child that does it and checks the child's exit status; the
 * child's line and hello's name the same pid (the script test compares
 * them). `execthreads HELLO_PATH` names hello (default /bin/hello). The
 * same source runs on Linux.
 */
#include "ulib.h"
#include "usignal.h"

static volatile int spinning, word;
static int pipefd[2];

static int spinner(void *arg)
{
	for (;;)
		spinning++;
	return 0;
}

static int futex_sleeper(void *arg)
{
	futex_wait(&word, 0);
	return 0;
}

static int pipe_reader(void *arg)
{
	char c;

	return (int)read(pipefd[0], &c, 1);
}

/* The child: three threads busy or asleep, then exec of hello from the main thread. */
static int exec_from_threads(const char *hello)
{
	char *argv[] = {(char *)hello, "exec-from-threads", NULL};
	char *envp[] = {"FLUSHLAB=1", NULL};

	if (pipe2(pipefd, 0) || IS_ERR_PTR(thread_create(spinner, NULL)) ||
	    IS_ERR_PTR(thread_create(futex_sleeper, NULL)) ||
	    IS_ERR_PTR(thread_create(pipe_reader, NULL)))
		return 2;
	while (!spinning)
		sched_yield();
	sleep_ms(20); /* the sleepers asleep by now; correct either way */
	printf("execthreads: child %d execs with 4 threads\n", getpid());
	return 3 + (int)-execve(hello, argv, envp); /* only on failure */
}

int main(int argc, char **argv)
{
	const char *hello = argc > 1 ? argv[1] : "/bin/hello";
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		return exec_from_threads(hello);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
		printf("execthreads: FAIL child %d status %#x\n", pid, status);
		return 1;
	}
	printf("execthreads: ok child %d ran hello after exec\n", pid);
	return 0;
}
