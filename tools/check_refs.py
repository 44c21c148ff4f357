#!/usr/bin/env python3
"""Fail if a source file or doc names a file of the tree that does not exist.

Comments and docs point readers at files ("see mm/hugetlb.c"); when a file
is renamed the pointer dangles silently. This checks every tracked text file
for words shaped like a path into one of the tree's folders and reports the
ones that name nothing. Skipped: placeholders in capitals (user/NAME.c),
and lines that say the path is Linux's (its mm/rmap.c is not ours).
"""
import os
import re
import subprocess
import sys

TOP_DIRS = ("arch", "boot", "kernel", "init", "trace", "fs", "mm", "smp", "task", "user", "tests", "tools",
            "docs", "bench", "lib", "include", "scripts", ".ci")
EXTS = ("c", "h", "asm", "inc", "py", "md", "fl", "sh", "mk", "ld")
PATH_RE = re.compile(r"(?<![\w./-])((?:%s)/[\w./-]*\.(?:%s))(?![\w*])"
                     % ("|".join(re.escape(d) for d in TOP_DIRS), "|".join(EXTS)))
# Files that are produced by the build or a run, not tracked.
GENERATED = re.compile(r"^(results|build)/")
PLACEHOLDER = re.compile(r"(^|[/_])[A-Z]+(_|\.|$)")
FOREIGN = re.compile(r"linux", re.I)


def tracked_files():
    out = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=True)
    return out.stdout.split()


def main():
    files = tracked_files()
    present = set(files)
    dirs = {os.path.dirname(f) for f in files}
    bad = []
    for path in files:
        if not path.endswith(EXTS + ("Makefile",)) and "." in os.path.basename(path):
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        lines = text.splitlines()
        for lineno, line in enumerate(lines, 1):
            near = line + (lines[lineno - 2] if lineno > 1 else "")
            for ref in PATH_RE.findall(line):
                ref = ref.rstrip(".")
                if GENERATED.match(ref) or ref in present or ref in dirs:
                    continue
                if PLACEHOLDER.search(os.path.basename(ref)) or FOREIGN.search(near):
                    continue
                # Relative to the referring file's folder ("see ../foo.c").
                rel = os.path.normpath(os.path.join(os.path.dirname(path), ref))
                if rel in present:
                    continue
                bad.append(f"{path}:{lineno}: names {ref}, which does not exist")
    for b in bad:
        print(b)
    if bad:
        print(f"check_refs: {len(bad)} dangling file reference(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
