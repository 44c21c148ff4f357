/*
 * Line editing for the serial console: printable ASCII is stored and echoed,
 * Backspace/DEL/Ctrl-U erase, CR, LF or CRLF end the line, Ctrl-C cancels,
 * escape sequences are swallowed (up/down arrows recall history), anything
 * else is dropped and counted. The buffer can never overrun: a line that
 * reaches SHELL_LINE_MAX - 1 bytes is reported once and discarded.
 */
#include "kernel/line_editor.h"
#include "kernel/platform.h"
#include "lib/string.h"

#define CSI_MAX 16 /* longer escape sequences are noise: give up on them */

void line_editor_init(struct line_editor *le)
{
	memset(le, 0, sizeof(*le));
}

static void erase_chars(size_t n)
{
	while (n--)
		console_write("\b \b", 3);
}

/* Swap the line being edited for @text, on screen too. */
static void replace_line(struct line_editor *le, const char *text)
{
	erase_chars(le->len);
	le->len = strnlen(text, SHELL_LINE_MAX - 1);
	memcpy(le->line, text, le->len);
	console_write(le->line, le->len);
}

void line_editor_add_history(struct line_editor *le, const char *line)
{
	size_t n = strnlen(line, SHELL_LINE_MAX - 1);
	char *slot = le->history[le->hist_count % LE_HISTORY];

	if (n == 0)
		return;
	memcpy(slot, line, n);
	slot[n] = '\0';
	le->hist_count++;
}

/* @older: up arrow (true) or down arrow (false). */
static void history_step(struct line_editor *le, bool older)
{
	unsigned int avail = MIN(le->hist_count, (unsigned int)LE_HISTORY);

	if (older && le->hist_pos < avail)
		le->hist_pos++;
	else if (!older && le->hist_pos > 0)
		le->hist_pos--;
	else
		return;
	if (le->hist_pos == 0)
		replace_line(le, "");
	else
		replace_line(le, le->history[(le->hist_count - le->hist_pos) % LE_HISTORY]);
}

static int finish_line(struct line_editor *le, uint8_t byte, int result)
{
	le->after_cr = byte == '\r';
	le->line[le->len] = '\0';
	le->done = true;
	le->state = LE_NORMAL;
	return result;
}

static int feed_normal(struct line_editor *le, uint8_t byte)
{
	switch (byte) {
	case '\r':
	case '\n':
		console_write("\r\n", 2);
		return finish_line(le, byte, LE_LINE);
	case 0x03: /* Ctrl-C */
		console_write("^C\r\n", 4);
		le->len = 0;
		return finish_line(le, byte, LE_CANCEL);
	case 0x08: /* Backspace */
	case 0x7f: /* DEL, what most terminals send for Backspace */
		if (le->len) {
			le->len--;
			erase_chars(1);
		}
		return LE_CONTINUE;
	case 0x15: /* Ctrl-U */
		erase_chars(le->len);
		le->len = 0;
		return LE_CONTINUE;
	case 0x1b:
		le->state = LE_ESC;
		return LE_CONTINUE;
	case '\t':
		byte = ' ';
		break;
	}
	if (byte < 0x20 || byte > 0x7e) {
		le->dropped++;
		return LE_CONTINUE;
	}
	if (le->len >= SHELL_LINE_MAX - 1) {
		le->len = 0;
		le->state = LE_DISCARD;
		return LE_TOO_LONG;
	}
	le->line[le->len++] = (char)byte;
	console_write((const char *)&byte, 1);
	return LE_CONTINUE;
}

/* Inside ESC [ ... or ESC O ...: parameters until a final byte 0x40-0x7e. */
static int feed_csi(struct line_editor *le, uint8_t byte)
{
	if (byte >= 0x20 && byte <= 0x3f && ++le->csi_len <= CSI_MAX)
		return LE_CONTINUE;
	le->state = LE_NORMAL;
	if (byte >= 0x40 && byte <= 0x7e) {
		if (le->csi_len == 0 && (byte == 'A' || byte == 'B'))
			history_step(le, byte == 'A');
		return LE_CONTINUE;
	}
	if (byte < 0x20 || byte > 0x7e)
		return feed_normal(le, byte); /* broken sequence: the byte counts */
	le->dropped++;
	return LE_CONTINUE;
}

int line_editor_feed(struct line_editor *le, uint8_t byte)
{
	if (le->done) {
		le->len = 0;
		le->line[0] = '\0';
		le->done = false;
		le->hist_pos = 0;
	}
	if (le->after_cr) {
		le->after_cr = false;
		if (byte == '\n')
			return LE_CONTINUE;
	}
	switch (le->state) {
	case LE_ESC:
		le->state = LE_NORMAL;
		if (byte == '[' || byte == 'O') {
			le->state = LE_CSI;
			le->csi_len = 0;
			return LE_CONTINUE;
		}
		if (byte >= 0x20 && byte <= 0x7e) /* Alt+key: swallow */
			return LE_CONTINUE;
		return feed_normal(le, byte);
	case LE_CSI:
		return feed_csi(le, byte);
	case LE_DISCARD:
		if (byte == '\r' || byte == '\n' || byte == 0x03) {
			le->len = 0;
			return finish_line(le, byte, LE_CANCEL);
		}
		return LE_CONTINUE;
	case LE_NORMAL:
		break;
	}
	return feed_normal(le, byte);
}
