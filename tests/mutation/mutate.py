#!/usr/bin/env python3
"""Mutation testing for logonhunt: does the test suite notice a break?

Each mutation in the catalogue (tests/mutation/catalogue) is a small
textual change to one line of src/ or ui/, standing for a real bug, with
the tests that should catch it. The harness copies the source tree into a
scratch directory, builds it once, checks that the named tests pass
there, and then, one mutation at a time: applies it, rebuilds (make only
recompiles what changed), runs the named tests, and restores the file.
The named tests run one at a time, unit programs first, and the first
that fails ends the mutation's run. A mutation is killed when a named
test fails, survived when they all pass, and invalid when it does not
apply or does not build (a catalogue error, counted against the score).

Usage: mutate.py [--src DIR] [--rev REV] [--work DIR] [--keep] [--list] [ID ...]
Exit status: 0 when every mutation run was killed, 1 otherwise, 2 on a
usage or setup error.
"""

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Mutation:
    def __init__(self, ident, sec, catalogue):
        self.ident = ident
        try:
            self.file = sec["file"]
            self.find = sec["find"]
            self.replace = sec["replace"]
            self.tests = sec["tests"].split()
            self.what = sec.get("what", "")
        except KeyError as e:
            sys.exit("%s: [%s]: missing %s" % (catalogue, ident, e))
        self.occurrence = int(sec.get("occurrence", "1"))
        self.occ_given = "occurrence" in sec
        self.result = None
        self.detail = ""
        self.seconds = 0.0


def load_catalogue(path):
    cp = configparser.RawConfigParser(interpolation=None, strict=True,
                                      comment_prefixes=("#",),
                                      inline_comment_prefixes=None,
                                      empty_lines_in_values=False)
    cp.optionxform = str
    with open(path, encoding="utf-8") as f:
        cp.read_file(f)
    return [Mutation(s, cp[s], path) for s in cp.sections()]


def decode(s):
    """Catalogue values are one line: \\n and \\t stand for those characters,
    \\\\ for a backslash, \\s for a space kept at either end."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in "nts\\":
            out.append({"n": "\n", "t": "\t", "s": " ", "\\": "\\"}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def locate(text, find, occurrence):
    """Offset of the occurrence-th match of find; -1 if absent. A find
    that matches more often than its occurrence asks for is still allowed
    (the occurrence picks one), but one given without occurrence must be
    unique."""
    pos, n = -1, 0
    while True:
        pos = text.find(find, pos + 1)
        if pos < 0:
            return -1, n
        n += 1
        if n == occurrence:
            rest = text.find(find, pos + 1)
            return pos, n + (1 if rest >= 0 else 0)


def run(cmd, cwd, log, timeout=None):
    with open(log, "ab") as f:
        f.write(("$ %s\n" % " ".join(cmd)).encode())
        f.flush()
        try:
            p = subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                               timeout=timeout)
            return p.returncode
        except subprocess.TimeoutExpired:
            f.write(b"(timed out)\n")
            return 124


def copy_tree(src, dst, rev=None):
    """With rev, the files of that git revision; otherwise the tracked
    and the untracked-but-not-ignored files, as they are in the working
    tree (a mutation run tests the code being written)."""
    if rev:
        arch = subprocess.run(["git", "archive", "--format=tar", rev], cwd=src,
                              check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", dst], input=arch, check=True)
        return
    try:
        files = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"],
                               cwd=src, check=True, capture_output=True).stdout
        names = [n for n in files.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = None
    if names is None:
        shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("build*", ".git"))
        return
    for n in names:
        s = os.path.join(src, n)
        if not os.path.lexists(s):
            continue
        d = os.path.join(dst, n)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(s, d, follow_symlinks=False)


def failed_tests(build, tests):
    out = []
    for t in tests:
        base = t[:-3] if t.endswith(".sh") else t
        trs = os.path.join(build, base + ".trs")
        try:
            with open(trs) as f:
                r = [l.split(":", 2)[2].strip() for l in f if l.startswith(":test-result:")]
        except OSError:
            r = ["NOLOG"]
        if any(x not in ("PASS", "SKIP") for x in r):
            out.append(os.path.basename(base))
    return out


def check_tests(build, tests, log, timeout):
    env_tests = "TESTS=" + " ".join(tests)
    rc = run(["make", "-j2", "check", env_tests], build, log, timeout)
    return rc


def cost(test):
    """Unit programs first, then the fuzz drivers, then the scripts."""
    return (0 if "/unit/" in test else 1 if "/fuzz/" in test else 2, test)


def kill_tests(build, tests, log, timeout):
    """Runs the tests one at a time, the quickest kinds first, and stops
    at the first that fails: 0 if all pass, else the status of the one
    that failed (124 on a timeout). *killer names it."""
    deadline = time.time() + timeout
    for t in sorted(tests, key=cost):
        left = max(1, int(deadline - time.time()))
        rc = check_tests(build, [t], log, left)
        if rc != 0:
            return rc, [t]
    return 0, []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.abspath(os.path.join(HERE, "..", "..")),
                    help="the source tree (default: this checkout)")
    ap.add_argument("--catalogue", default=os.path.join(HERE, "catalogue"))
    ap.add_argument("--work", help="scratch directory (default: a new temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--rev", help="test this git revision of --src instead of its working tree")
    ap.add_argument("--list", action="store_true", help="list the mutations and exit")
    ap.add_argument("--check", action="store_true",
                    help="only check that every mutation applies, then exit")
    ap.add_argument("--configure", default="", help="extra configure arguments")
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds for one mutation's tests (default 600)")
    ap.add_argument("ids", nargs="*", help="run only these mutations")
    a = ap.parse_args()

    muts = load_catalogue(a.catalogue)
    seen = set()
    for m in muts:
        if m.ident in seen:
            sys.exit("%s: mutation %s named twice" % (a.catalogue, m.ident))
        seen.add(m.ident)
    if a.list:
        for m in muts:
            print("%-28s %-22s %s" % (m.ident, m.file, m.what))
        print("%d mutations" % len(muts))
        return 0
    if a.ids:
        unknown = [i for i in a.ids if i not in seen]
        if unknown:
            sys.exit("unknown mutation: %s (see --list)" % ", ".join(unknown))
        muts = [m for m in muts if m.ident in a.ids]

    work = a.work or tempfile.mkdtemp(prefix="lhmutation.")
    tree = os.path.join(work, "tree")
    build = os.path.join(tree, "build-mutation")
    log = os.path.join(work, "mutation.log")
    print("mutation: scratch tree %s, log %s" % (tree, log), flush=True)
    if os.path.exists(tree):
        shutil.rmtree(tree)
    os.makedirs(tree)
    copy_tree(a.src, tree, a.rev)

    # Every mutation must apply to the tree as it is: checked before the
    # long build, so a stale catalogue entry is found at once.
    bad = []
    for m in muts:
        path = os.path.join(tree, m.file)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            bad.append("%s: %s" % (m.ident, e))
            continue
        pos, n = locate(text, decode(m.find), m.occurrence)
        if pos < 0:
            bad.append("%s: %s: the text to change is not there: %s" % (m.ident, m.file, m.find))
        elif n > 1 and not m.occ_given:
            bad.append("%s: %s: the text to change occurs %d times (give occurrence = N)"
                       % (m.ident, m.file, n))
        if decode(m.find) == decode(m.replace):
            bad.append("%s: find and replace are the same" % m.ident)
    for b in bad:
        print("mutation: invalid: " + b)
    if a.check:
        print("mutation: %d of %d mutations apply" % (len(muts) - len(bad), len(muts)))
        shutil.rmtree(work, ignore_errors=True)
        return 1 if bad else 0

    if run(["autoreconf", "-fi"], tree, log) != 0:
        sys.exit("mutation: autoreconf failed (see %s)" % log)
    os.makedirs(build)
    cfg = ["../configure", "-q"] + a.configure.split()
    if run(cfg, build, log) != 0 or run(["make", "-j2"], build, log) != 0 or \
            run(["make", "-j2", "check", "TESTS="], build, log) != 0:
        sys.exit("mutation: the unmutated tree does not build (see %s)" % log)

    # The named tests must pass on the unmutated tree, or a kill means
    # nothing.
    alltests = sorted({t for m in muts for t in m.tests})
    t0 = time.time()
    if check_tests(build, alltests, log, a.timeout * 2) != 0:
        print("mutation: tests fail without any mutation: %s (see %s)"
              % (" ".join(failed_tests(build, alltests)), log))
        return 2
    print("mutation: baseline: %d tests pass in %.0f s" % (len(alltests), time.time() - t0),
          flush=True)

    killed = survived = invalid = 0
    for m in muts:
        path = os.path.join(tree, m.file)
        with open(path, encoding="utf-8") as f:
            orig = f.read()
        pos, n = locate(orig, decode(m.find), m.occurrence)
        t0 = time.time()
        if pos < 0 or (n > 1 and not m.occ_given):
            m.result, m.detail = "INVALID", "does not apply"
        else:
            mutated = orig[:pos] + decode(m.replace) + orig[pos + len(decode(m.find)):]
            with open(path, "w", encoding="utf-8") as f:
                f.write(mutated)
            with open(log, "a") as f:
                f.write("\n==== %s (%s)\n" % (m.ident, m.file))
            if run(["make", "-j2"], build, log) != 0 or \
                    run(["make", "-j2", "check", "TESTS="], build, log) != 0:
                m.result, m.detail = "INVALID", "does not build"
            else:
                rc, killer = kill_tests(build, m.tests, log, a.timeout)
                if rc == 124:
                    m.result, m.detail = "KILLED", "timed out in " + " ".join(killer)
                elif rc != 0:
                    m.result, m.detail = "KILLED", "by " + " ".join(
                        failed_tests(build, killer) or killer)
                else:
                    m.result, m.detail = "SURVIVED", "ran " + " ".join(
                        os.path.basename(t) for t in m.tests)
            with open(path, "w", encoding="utf-8") as f:
                f.write(orig)
        m.seconds = time.time() - t0
        killed += m.result == "KILLED"
        survived += m.result == "SURVIVED"
        invalid += m.result == "INVALID"
        print("%-9s %-28s %5.0fs  %s" % (m.result, m.ident, m.seconds, m.detail), flush=True)
        if m.result == "SURVIVED" and m.what:
            print("          (%s)" % m.what, flush=True)

    # Leave the scratch build as the tree is, for a rerun with --work.
    run(["make", "-j2"], build, log)
    total = len(muts)
    score = 100.0 * killed / total if total else 100.0
    print("mutation score: %d of %d killed (%.1f%%), %d survived, %d invalid"
          % (killed, total, score, survived, invalid))
    if not a.keep and not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if killed == total else 1


if __name__ == "__main__":
    sys.exit(main())
