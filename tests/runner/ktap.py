"""A small KTAP v1 parser (Linux Documentation/dev-tools/ktap.rst).

Reads the console text of a boot (firmware noise, commands and all), finds
KTAP documents, and returns every leaf test with its result, checking that
each level's plan matches the results it announced: a suite that dies
mid-way shows up as missing results, not as a pass.
"""
import re

RESULT = re.compile(r"^(?P<indent>\s*)(?P<ok>ok|not ok) (?P<num>\d+) (?P<name>[^#]*?)"
                    r"\s*(?:#\s*(?P<directive>SKIP|TODO)\b(?P<reason>.*))?$")
PLAN = re.compile(r"^(?P<indent>\s*)1\.\.(?P<n>\d+)\s*$")
SUBTEST = re.compile(r"^(?P<indent>\s*)# Subtest: (?P<name>.*)$")
VERSION = re.compile(r"^(?P<indent>\s*)KTAP version 1\s*$")


class Case:
    def __init__(self, path, ok, skip, reason):
        self.path, self.ok, self.skip, self.reason = path, ok, skip, reason

    def __repr__(self):
        return f"Case({self.path}, ok={self.ok}, skip={self.skip})"


class Level:
    def __init__(self, indent):
        self.indent, self.plan, self.results, self.name = indent, None, 0, ""


def parse(text, prefix=""):
    """Return (cases, problems): leaf cases, and plan/structure problems."""
    cases, problems, stack = [], [], []

    def close_deeper(indent):
        closed = False
        while stack and stack[-1].indent > indent:
            level = stack.pop()
            closed = True
            if level.plan is None:
                problems.append(f"{prefix}: a KTAP block has no plan")
            elif level.plan != level.results:
                problems.append(f"{prefix}: plan 1..{level.plan} but {level.results} "
                                "results (crashed mid-suite?)")
        return closed

    for raw in text.splitlines():
        line = raw.rstrip("\r")
        m = VERSION.match(line)
        if m:
            stack.append(Level(len(m.group("indent"))))
            continue
        if not stack:
            continue
        m = PLAN.match(line)
        if m and len(m.group("indent")) == stack[-1].indent:
            stack[-1].plan = int(m.group("n"))
            continue
        m = SUBTEST.match(line)
        if m and len(m.group("indent")) == stack[-1].indent:
            stack[-1].name = m.group("name").strip()
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent = len(m.group("indent"))
        was_parent = close_deeper(indent)
        if not stack or stack[-1].indent != indent:
            continue
        stack[-1].results += 1
        name = m.group("name").strip()
        path = "/".join([p for p in [prefix] + [l.name for l in stack] if p] + [name])
        ok = m.group("ok") == "ok"
        if not was_parent:
            cases.append(Case(path, ok, m.group("directive") == "SKIP",
                              (m.group("reason") or "").strip()))
        elif not ok and not any(c.path.startswith(path + "/") and not c.ok for c in cases):
            cases.append(Case(path, False, False, "suite failed after its cases"))
    close_deeper(-1)
    return cases, problems

