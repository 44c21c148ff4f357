/*
 * The serial console's line editor: a pure state machine fed one byte at a
 * time, echoing through console_write. Binary noise on the line is dropped
 * and counted, never stored, so a garbled serial port cannot crash or hang
 * the shell. Host-tested byte by byte.
 */
#ifndef KERNEL_LINE_EDITOR_H
#define KERNEL_LINE_EDITOR_H

#include "kernel/shell.h"

#define LE_HISTORY 8

enum {
	LE_CONTINUE, /* keep feeding */
	LE_LINE,     /* a line is complete in le->line (valid until the next feed) */
	LE_CANCEL,   /* Ctrl-C, or the end of a discarded too-long line */
	LE_TOO_LONG, /* the line hit SHELL_LINE_MAX - 1: discarded up to the newline */
};

enum le_state { LE_NORMAL, LE_ESC, LE_CSI, LE_DISCARD };

struct line_editor {
	char line[SHELL_LINE_MAX];
	size_t len;
	enum le_state state;
	unsigned int csi_len;  /* bytes in the current escape sequence */
	bool after_cr;	       /* swallow the LF of a CRLF */
	bool done;	       /* line[] holds a finished line: clear on next feed */
	unsigned long dropped; /* control and non-ASCII bytes thrown away */
	char history[LE_HISTORY][SHELL_LINE_MAX];
	unsigned int hist_count; /* lines ever added */
	unsigned int hist_pos;	 /* 0: editing a new line, k: k-th most recent */
};

void line_editor_init(struct line_editor *le);

/* Feed one byte; returns LE_*. */
int line_editor_feed(struct line_editor *le, uint8_t byte);

/* Remember @line for up-arrow recall (empty lines are not kept). */
void line_editor_add_history(struct line_editor *le, const char *line);

#endif
