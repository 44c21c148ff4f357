/*
 * Knobs that take one word of a fixed list, in the one format Linux uses
 * for all of them (THP's enabled and defrag, a sysfs "mode" file): every
 * word on one line, the chosen one in brackets. One parser, one printer,
 * so every such knob refuses the same bad input the same way.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"

static const char *choice_name(const struct pseudo_choice *c, int i)
{
	return c->names ? c->names[i] : c->name(i);
}

const char *pseudo_choice_word(const struct pseudo_choice *c)
{
	int i = READ_ONCE(*c->value);

	return i >= 0 && i < c->nr ? choice_name(c, i) : "?";
}

int pseudo_choice_show(struct seq_buf *s, void *data)
{
	const struct pseudo_choice *c = data;
	int chosen = READ_ONCE(*c->value);

	for (int i = 0; i < c->nr; i++)
		seq_printf(s, i == chosen ? "%s[%s]" : "%s%s", i ? " " : "", choice_name(c, i));
	seq_puts(s, "\n");
	return 0;
}

/*
 * Linux's sysfs_streq rule (lib/kstrtox.c): the word exactly, one trailing
 * newline allowed. The knob's setter may still refuse (-EBUSY); then, as
 * on a bad word, nothing changed.
 */
int pseudo_choice_set(const struct pseudo_choice *c, const char *word)
{
	for (int i = 0; i < c->nr; i++) {
		if (!sysfs_streq(choice_name(c, i), word))
			continue;
		if (c->set)
			return c->set(i);
		WRITE_ONCE(*c->value, i);
		return 0;
	}
	return -EINVAL;
}

/* @buf is NUL-terminated (pseudofs_write's promise), so @len is not needed. */
int pseudo_choice_store(const char *buf, size_t len, void *data)
{
	return pseudo_choice_set(data, buf);
}
