"""A console script's `#!` header: how to boot it and what it must show.

Shared by tools/qemu-boot (`make run SCRIPT=X.fl` boots with X's header;
`--check` checks its expectations) and the test runner, so a test case
runs the same way alone as in `make test`. Keys, one per line:

  #! smp: N            CPUs (default 2)
  #! mem: SIZE         memory (default 512M)
  #! pmem: SIZE        an emulated NVDIMM of that size
  #! cmdline: WORDS    the kernel command line
  #! cpu: MODEL        QEMU's -cpu (default max; max,-x2apic boots in xAPIC mode)
  #! console: BYTES    typed at the interactive console once it is ready,
                       with \\r, \\x03 escapes; the script body is not run
  #! status: N         the expected exit status (default 0)
  #! expect: REGEX     a line of the output must match (any number of them)
  #! reject: REGEX     no line may match (any number)
  #! ftrace: check     every saved trace block is in ftrace's text format
  #! skip: REGEX       a line matching it makes the case a SKIP, not a
                       verdict (a course lab whose code is not written yet)
  #! skip_why: TEXT    the reason printed with that SKIP
"""
import re

import trace_check

DEFAULTS = {"status": 0, "smp": 2, "mem": "512M"}
BOOT_KEYS = ("smp", "mem", "pmem", "cmdline", "cpu")
KNOWN = set(BOOT_KEYS) | {"status", "expect", "reject", "ftrace", "console", "skip", "skip_why"}


class HeaderError(Exception):
    """A header line with an unknown key or a bad value."""


def parse(text):
    """The header of @text (a script's contents) as a dict; HeaderError if bad."""
    spec = dict(DEFAULTS, expect=[], reject=[])
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^#!\s*(\w+):\s?(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2)
        if key not in KNOWN:
            raise HeaderError(f"line {n}: unknown header key {key!r} "
                              f"(known: {', '.join(sorted(KNOWN))})")
        if key in ("expect", "reject", "skip"):
            try:
                re.compile(value)
            except re.error as e:
                raise HeaderError(f"line {n}: {key}: bad pattern: {e}") from None
            if key == "skip":
                spec[key] = value
            else:
                spec[key].append(value)
        elif key in ("status", "smp"):
            if not value.strip().isdigit():
                raise HeaderError(f"line {n}: {key}: {value!r} is not a number")
            spec[key] = int(value)
        elif key == "console":
            spec[key] = value.encode("latin-1").decode("unicode_escape").encode("latin-1")
        else:
            spec[key] = value.strip()
    return spec


def skipped(out, spec):
    """The reason to report a SKIP for this boot (`#! skip:` matched), or None."""
    m = re.search(spec["skip"], out, re.M) if spec.get("skip") else None
    if not m:
        return None
    return f"{spec.get('skip_why', 'not runnable here')}: {m.group(0).strip()}"


def check(status, out, spec):
    """None if a boot's status and output match @spec, else the reason."""
    # The console echoes each script line; its comment lines (the header
    # itself among them) must not satisfy or trip the patterns.
    out = re.sub(r"^flushlab# #.*$", "", out, flags=re.M)
    if status != spec["status"]:
        return f"exit status {status}, expected {spec['status']}"
    for pattern in spec["expect"]:
        if not re.search(pattern, out, re.M):
            return f"output lacks /{pattern}/"
    for pattern in spec["reject"]:
        if re.search(pattern, out, re.M):
            return f"output has /{pattern}/"
    if spec.get("ftrace") == "check":
        problems = trace_check.check_text(out)
        if problems:
            return f"ftrace format: {problems[0]} (and {len(problems) - 1} more)"
    return None
