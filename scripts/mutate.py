#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Mutation run: does the test suite notice when a guard is broken?

For each C file given, make small deliberate bugs one at a time in the
lines that check data (bounds, lengths, counts, ids, states), rebuild,
and run the test suite.  A mutant the suite does not notice "survives":
either a test is missing or the check is dead code.

Mutations (each applied to one occurrence on one line):
  relational   <  <=  >  >=  swapped with their off-by-one neighbour
  equality     == and != swapped
  constant     an integer literal n in a comparison: n+1 and n-1
  guard        `if (COND)` whose body returns an error: COND -> 0
  logic        && -> || and || -> && inside an if condition

Usage:
  scripts/mutate.py [--build DIR] [--tests REGEX] [--limit N]
                    [--only PATTERN] [--list] FILE...

  --build DIR   build tree to use (configured if missing; default
                build-mutate); a normal build with -DSCMI_WERROR=OFF
  --tests RE    ctest -R filter (default: every test but install)
  --only PAT    mutate only lines matching this regex
  --timeout S   seconds for one suite run (default 240); a mutant that
                makes it hang counts as noticed
  --list        print the mutants, run nothing
Writes survivors to DIR/mutants-survived.txt.  The source file is restored
after every mutant, also on Ctrl-C.
"""
import argparse
import os
import re
import signal
import subprocess
import sys

CHECK_WORDS = re.compile(
    r"\b(len|size|count|num|max|min|returned|remaining|total|index|idx|src|id|"
    r"token|state|type|off|sz|n|i|nr|depth|level|rate|step|version)\w*\b")
REL = [("<=", "<"), (">=", ">"), ("<", "<="), (">", ">=")]
EQ = [("==", "!="), ("!=", "==")]
ERROR_RETURN = re.compile(r"return\s+-E[A-Z]+|ret\s*=\s*-E[A-Z]+|goto\s+\w*(fail|err|drop)")


def strip_comments(line):
    return re.sub(r"/\*.*?\*/|//.*$", "", line)


def if_condition(line):
    m = re.search(r"\bif\s*\((.*)\)\s*(\{|return|ret\s*=|goto|$)", line)
    return m


def mutants_of_line(text, lineno, nxt):
    """Yield (description, new_line) for one source line."""
    code = strip_comments(text)
    if not re.search(r"\b(if|while|for)\b|\?|return .*[<>=]", code):
        return
    if not CHECK_WORDS.search(code):
        return
    # relational / equality operators, one occurrence at a time
    for pat, rep in REL + EQ:
        for m in re.finditer(r"(?<![<>=!-])" + re.escape(pat) + r"(?![<>=])", code):
            if pat in ("<", ">") and re.match(r"\s*[<>]", code[m.end():]):
                continue
            start = m.start()
            # skip shifts and arrows
            if code[start:start + 2] in ("<<", ">>", "->") or code[start - 1:start + 1] in ("->",):
                continue
            new = text[:start] + rep + text[start + len(pat):]
            yield (f"{pat} -> {rep} at col {start + 1}", new)
    # integer constants in comparisons
    for m in re.finditer(r"(<=|>=|==|!=|<|>)\s*(\d+)\b", code):
        n = int(m.group(2))
        for d in (1, -1):
            if n + d < 0:
                continue
            s, e = m.span(2)
            yield (f"constant {n} -> {n + d} at col {s + 1}", text[:s] + str(n + d) + text[e:])
    # guards returning an error: condition -> 0
    m = if_condition(code)
    if m and (ERROR_RETURN.search(code) or ERROR_RETURN.search(strip_comments(nxt))):
        s, e = m.span(1)
        yield ("guard disabled", text[:s] + "0" + text[e:])
        for op, rep in (("&&", "||"), ("||", "&&")):
            for mm in re.finditer(re.escape(op), code[s:e]):
                p = s + mm.start()
                yield (f"{op} -> {rep} at col {p + 1}", text[:p] + rep + text[p + 2:])


def mutants_of_file(path, only):
    lines = open(path).read().split("\n")
    in_comment = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if in_comment:
            if "*/" in stripped:
                in_comment = False
            continue
        if stripped.startswith("/*") and "*/" not in stripped:
            in_comment = True
            continue
        if stripped.startswith(("*", "#", "//")) or "scmi_dbg" in line or "scmi_warn" in line:
            continue
        if only and not re.search(only, line):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        for desc, new in mutants_of_line(line, i + 1, nxt):
            if new != line:
                yield i, desc, new


def run(cmd, timeout=None):
    """Run @cmd in a process group of its own; on timeout kill the group
    (a mutant may hang a test) and raise TimeoutExpired."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        raise


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build-mutate")
    ap.add_argument("--tests", default=None)
    ap.add_argument("--only", default=None)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--timeout", type=int, default=240,
                    help="seconds for one test run; longer counts as killed (a hang)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    top = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
    os.chdir(top)
    todo = [(f, i, d, n) for f in a.files for (i, d, n) in mutants_of_file(f, a.only)]
    if a.limit:
        todo = todo[:a.limit]
    if a.list:
        for f, i, d, n in todo:
            print(f"{f}:{i + 1}: {d}: {n.strip()}")
        print(f"{len(todo)} mutants")
        return 0
    if not os.path.isdir(a.build):
        subprocess.check_call(["cmake", "-S", ".", "-B", a.build, "-DSCMI_WERROR=OFF",
                               "-DSCMI_BUILD_BENCH=OFF"], stdout=subprocess.DEVNULL)
    if run(["cmake", "--build", a.build, "-j2"]):
        print("the unmutated tree does not build", file=sys.stderr)
        return 2
    ctest = ["ctest", "--test-dir", a.build, "-j2", "--stop-on-failure", "--timeout", "300"]
    ctest += ["-R", a.tests] if a.tests else ["-E", "install"]
    if run(ctest):
        print("the unmutated tree fails its tests", file=sys.stderr)
        return 2

    survived, killed, broken = [], 0, 0
    for k, (f, i, desc, new) in enumerate(todo, 1):
        orig = open(f).read()
        lines = orig.split("\n")
        old = lines[i]
        lines[i] = new
        try:
            open(f, "w").write("\n".join(lines))
            if run(["cmake", "--build", a.build, "-j2"]):
                broken += 1
                verdict = "no build"
            elif run(ctest, timeout=a.timeout):
                killed += 1
                verdict = "killed"
            else:
                survived.append(f"{f}:{i + 1}: {desc}\n    - {old.strip()}\n    + {new.strip()}")
                verdict = "SURVIVED"
        except subprocess.TimeoutExpired:
            killed += 1
            verdict = "killed (timeout)"
        finally:
            open(f, "w").write(orig)
        print(f"[{k}/{len(todo)}] {verdict:16} {f}:{i + 1}: {desc}", flush=True)
    run(["cmake", "--build", a.build, "-j2"])
    with open(os.path.join(a.build, "mutants-survived.txt"), "w") as out:
        out.write("\n".join(survived) + ("\n" if survived else ""))
    print(f"{killed} killed, {len(survived)} survived, {broken} did not build "
          f"(survivors in {a.build}/mutants-survived.txt)")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
