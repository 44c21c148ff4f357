/*
 * The shell: checks a line (length, control bytes), splits it into words
 * (quotes, '#' comments, `> PATH`), finds the command in the shell_cmds
 * linker section and runs it. Under `> PATH` the command's output is caught
 * in a buffer and handed to the pseudo-file's store, as a shell's write(2).
 */
#include "kernel/shell.h"
#include "kernel/line_editor.h"
#include "kernel/platform.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"

#define REDIRECT_MAX 4096 /* bytes one `> PATH` may store */

extern const struct shell_command __start_shell_cmds[], __stop_shell_cmds[];

void (*shell_time_hook)(int phase);

static int failures;
static const char *pending_redirect; /* `> PATH` of the running line */
static bool pending_background;	     /* the running line ends with `&` */
static struct seq_buf *capture;	     /* where command output goes, if not console */

struct shell_words {
	int argc;
	char *argv[SHELL_ARGS_MAX + 1];
	char *redirect;	   /* the PATH of `> PATH`, or NULL */
	bool background;   /* a trailing `&` */
	const char *error; /* syntax error, or NULL */
	char bad;	   /* the unsupported operator, for the error */
	char buf[SHELL_LINE_MAX + 8];
};

int shell_failures(void)
{
	return failures;
}

void shell_reset_failures(void)
{
	failures = 0;
}

void shell_write(const char *s, size_t n)
{
	if (capture)
		seq_write(capture, s, n);
	else
		console_write(s, n);
}

/* Format into a line buffer and hand it to @out (output or error channel). */
static void shell_vformat(void (*out)(const char *, size_t), const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > 0)
		out(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void shell_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shell_vformat(shell_write, fmt, ap);
	va_end(ap);
}

void shell_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shell_vformat(console_write, fmt, ap);
	va_end(ap);
}

const struct shell_command *shell_find_command(const char *name)
{
	for (const struct shell_command *c = __start_shell_cmds; c < __stop_shell_cmds; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

int shell_sorted_commands(const struct shell_command **out, int max)
{
	int n = 0;

	for (const struct shell_command *c = __start_shell_cmds; c < __stop_shell_cmds && n < max;
	     c++) {
		int i = n++;

		while (i > 0 && strcmp(out[i - 1]->name, c->name) > 0) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = c;
	}
	return n;
}

/*
 * Copy one word from *@rp to *@wp, removing quotes and backslashes; stops at
 * unquoted blank, operator or end. Returns false on an unterminated quote.
 */
static bool scan_word(const char **rp, char **wp)
{
	const char *r = *rp;
	char *w = *wp, quote = 0;

	for (; *r; r++) {
		if (quote) {
			if (*r == quote)
				quote = 0;
			else if (quote == '"' && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
				*w++ = *++r;
			else
				*w++ = *r;
		} else if (*r == '"' || *r == '\'') {
			quote = *r;
		} else if (*r == ' ' || *r == '\t' || strchr(">|;&<", *r)) {
			break;
		} else if (*r == '\\' && r[1]) {
			*w++ = *++r;
		} else {
			*w++ = *r;
		}
	}
	*w++ = '\0';
	*rp = r;
	*wp = w;
	return quote == 0;
}

/* Nothing but blanks or a comment from @r on. */
static bool trailing_blank(const char *r)
{
	while (*r == ' ' || *r == '\t')
		r++;
	return !*r || *r == '#';
}

/* Split @line into @sw; sets sw->error on a syntax error. */
static void split_words(const char *line, struct shell_words *sw)
{
	const char *r = line;
	char *w = sw->buf;
	bool want_path = false;

	sw->argc = 0;
	sw->redirect = NULL;
	sw->background = false;
	sw->error = NULL;
	sw->bad = 0;
	for (;;) {
		char *word = w;

		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r || *r == '#')
			break;
		if (*r == '>') {
			r += r[1] == '>' ? 2 : 1; /* `>>` stores the same way */
			if (want_path || sw->redirect) {
				sw->error = "syntax error: more than one '>'";
				return;
			}
			want_path = true;
			continue;
		}
		if (*r == '&' && r[1] != '&' && trailing_blank(r + 1)) {
			sw->background = true; /* `prog args &`: the last word of the line */
			break;
		}
		if (strchr("|;&<", *r)) {
			sw->bad = *r;
			sw->error = "syntax error near unexpected token";
			return;
		}
		if (!scan_word(&r, &w)) {
			sw->error = "syntax error: unterminated quote";
			return;
		}
		if (want_path) {
			sw->redirect = word;
			want_path = false;
		} else if (sw->argc < SHELL_ARGS_MAX) {
			sw->argv[sw->argc++] = word;
		} else {
			sw->error = "too many arguments (limit 64)";
			return;
		}
	}
	sw->argv[sw->argc] = NULL;
	if (want_path)
		sw->error = sw->argc ? "syntax error: missing file after '>'"
				     : "syntax error: missing command before '>'";
	else if (sw->redirect && !sw->argc)
		sw->error = "syntax error: missing command before '>'";
	else if (sw->background && !sw->argc) {
		sw->bad = '&';
		sw->error = "syntax error near unexpected token";
	}
}

/* Find the pseudo-file `> PATH` stores into, or print why there is none. */
static bool redirect_target(const char *cmd, const char *path, struct pseudo_ref *r)
{
	int err = pseudofs_resolve(path, r);

	if (!err && !pseudofs_writable(r))
		err = -EACCES;
	if (err)
		shell_error("%s: %s: %s\n", cmd, path, errstr(err));
	return !err;
}

/* Run @cmd with its output caught, then store the output into PATH. */
static int exec_redirected(const struct shell_command *cmd, int argc, char **argv)
{
	static char out[REDIRECT_MAX];
	const char *path = pending_redirect;
	struct pseudo_ref f;
	struct seq_buf s;
	int status, err;

	pending_redirect = NULL;
	if (!redirect_target(argv[0], path, &f))
		return 1;
	seq_buf_init(&s, out, sizeof(out));
	capture = &s;
	status = cmd->fn(argc, argv);
	capture = NULL;
	if (s.overflow) {
		shell_error("%s: %s: %s\n", argv[0], path, errstr(ENOSPC));
		return 1;
	}
	if (s.len == 0) /* nothing written: no store, like write(2) never called */
		return status;
	err = pseudofs_write(&f, s.buf, s.len);
	if (err) {
		shell_error("%s: %s: %s\n", argv[0], path, errstr(err));
		return 1;
	}
	return status;
}

int shell_exec(int argc, char **argv)
{
	const struct shell_command *cmd;

	if (argc <= 0)
		return 0;
	cmd = shell_find_command(argv[0]);
	if (!cmd) {
		int status = shell_run_program(argc, argv, pending_redirect, pending_background);

		if (status != -ENOENT)
			return status;
		shell_error("flushlab: %s: command not found\n", argv[0]);
		return 127;
	}
	if (pending_background && !(cmd->flags & SHELL_CMD_PREFIX)) {
		shell_error("flushlab: %s: only programs run in the background\n", argv[0]);
		return 1;
	}
	if (pending_redirect && !(cmd->flags & SHELL_CMD_PREFIX))
		return exec_redirected(cmd, argc, argv);
	if (pending_redirect && argc == 1) {
		/*
		 * `time > PATH`: no command takes the redirect, but a shell
		 * still opens PATH first, and fails when it cannot.
		 */
		const char *path = pending_redirect;
		struct pseudo_ref f;

		pending_redirect = NULL;
		if (!redirect_target(argv[0], path, &f))
			return 1;
	}
	return cmd->fn(argc, argv);
}

/* No programs in this build (the host tests): every unknown word is not found. */
__attribute__((weak)) int shell_run_program(int argc, char **argv, const char *redirect,
					    bool background)
{
	return -ENOENT;
}

/* Refuse lines a person did not mean: too long, or holding control bytes. */
static bool line_is_sane(const char *line, size_t len, int lineno)
{
	char where[24] = "";

	if (lineno > 0)
		snprintf(where, sizeof(where), "line %d: ", lineno);
	if (len >= SHELL_LINE_MAX) {
		shell_error("flushlab: %sline too long (%zu bytes, limit %d)\n", where, len,
			    SHELL_LINE_MAX - 1);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			shell_error("flushlab: %scontrol character 0x%02x (line ignored)\n", where,
				    c);
			return false;
		}
	}
	return true;
}

/* Run @len bytes of @line (no NUL needed); @lineno > 0 inside a script. */
static int run_line_n(const char *line, size_t len, int lineno)
{
	static struct shell_words sw; /* not reentrant: commands do not run lines */
	char text[SHELL_LINE_MAX];
	int status;

	if (!line_is_sane(line, len, lineno)) {
		failures++;
		return 1;
	}
	memcpy(text, line, len);
	text[len] = '\0';
	split_words(text, &sw);
	if (sw.error) {
		if (sw.bad)
			shell_error("%s: %s `%c'\n", sw.argc ? sw.argv[0] : "flushlab", sw.error,
				    sw.bad);
		else
			shell_error("%s: %s\n", sw.argc ? sw.argv[0] : "flushlab", sw.error);
		failures++;
		return 2;
	}
	pending_redirect = sw.redirect;
	pending_background = sw.background;
	status = shell_exec(sw.argc, sw.argv);
	pending_redirect = NULL;
	pending_background = false;
	if (status)
		failures++;
	return status;
}

int shell_run_line(const char *line)
{
	return run_line_n(line, strlen(line), 0);
}

/* Echo a script line after the prompt, non-printable bytes as \xNN. */
static void echo_script_line(const char *line, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t shown = MIN(len, (size_t)160);

	console_write(SHELL_PROMPT, sizeof(SHELL_PROMPT) - 1);
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)line[i];
		char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

		if ((c >= 0x20 && c < 0x7f) || c == '\t')
			console_write(&line[i], 1);
		else
			console_write(esc, 4);
	}
	if (shown < len)
		console_write("...", 3);
	console_write("\n", 1);
}

int shell_run_script(const char *text, size_t len)
{
	int before = failures, lineno = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		size_t n = 0;

		while (pos + n < len && line[n] != '\n')
			n++;
		pos += n + 1; /* past the '\n', or past len at the end */
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		echo_script_line(line, n);
		run_line_n(line, n, lineno);
	}
	return failures - before;
}

void shell_interactive(int (*getc)(void))
{
	static struct line_editor le;
	int c;

	line_editor_init(&le);
	console_write(SHELL_PROMPT, sizeof(SHELL_PROMPT) - 1);
	while ((c = getc()) >= 0) {
		switch (line_editor_feed(&le, (uint8_t)c)) {
		case LE_LINE:
			line_editor_add_history(&le, le.line);
			shell_run_line(le.line);
			console_write(SHELL_PROMPT, sizeof(SHELL_PROMPT) - 1);
			break;
		case LE_CANCEL:
			console_write(SHELL_PROMPT, sizeof(SHELL_PROMPT) - 1);
			break;
		case LE_TOO_LONG:
			shell_error("\r\nflushlab: line too long (limit %d bytes), "
				    "ignored up to the newline\r\n",
				    SHELL_LINE_MAX - 1);
			break;
		}
	}
}
