#!/usr/bin/env python3
"""Key-to-screen latency of the console, in tmux.

keys_tmux.py [--busy N] [--rounds N] LOGONHUNT DIR

Runs LOGONHUNT DIR in a private tmux server (200x50), waits for the
results list, starts N processes that keep a core busy each (default 1,
`--busy 0` for none), then presses the keys of the results list through a
tmux control-mode client: sort by each column, reverse, page down, a
filter of a name and one of a time typed a character at a time and
cleared, a search typed and `n` pressed. A key's latency runs from the moment the key is written to tmux
to the last output the console made for it (the screen is complete when
the console has been quiet for 60 ms, which is not counted). Prints per
kind of key the presses, the median, the 95th percentile and the worst,
and the 95th percentile of all, against the 50 ms target.

Not a test: `make bench` runs it (tests/bench/bench.sh) on the benchmark's
1,000,000-row export and docs/PERFORMANCE.md keeps the figures. Exit
status 0 when it ran, 2 on bad usage, 1 when the console could not be
driven (tmux missing, nothing shown within the time allowed).
"""
import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

QUIET = 0.060          # the console is done with a key after this silence
KEY_TIMEOUT = 10.0     # a key that shows nothing for this long: failure
TARGET_MS = 50.0


def tmux(sock, *args, check=True):
    return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null"] + list(args),
                          check=check, capture_output=True, text=True)


def wait_screen(sock, texts, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        screen = tmux(sock, "capture-pane", "-p", "-t", "lh", check=False).stdout
        if any(t in screen for t in texts):
            return screen
        time.sleep(0.1)
    return None


class Control:
    """A control-mode client: commands in, %output notifications out."""

    def __init__(self, sock):
        self.p = subprocess.Popen(
            ["tmux", "-L", sock, "-f", "/dev/null", "-C", "attach", "-t", "lh"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.q = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            if line.startswith(b"%output"):
                self.q.put(time.monotonic())

    def drain(self, quiet):
        """Waits until nothing has come for `quiet` seconds; returns the
        time of the last output seen (None if none came)."""
        last = None
        while True:
            try:
                last = self.q.get(timeout=quiet)
            except queue.Empty:
                return last

    def press(self, key):
        """Sends one key; returns its latency in ms, or None."""
        self.drain(QUIET)
        t0 = time.monotonic()
        self.p.stdin.write(("send-keys -t lh %s\n" % key).encode())
        self.p.stdin.flush()
        try:
            first = self.q.get(timeout=KEY_TIMEOUT)
        except queue.Empty:
            return None
        last = self.drain(QUIET) or first
        return (last - t0) * 1e3

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.p.wait(timeout=5)


def pct(values, p):
    v = sorted(values)
    k = max(0, -(-len(v) * p // 100) - 1)
    return v[int(k)]


def literal(ch):
    # send-keys takes key names; one character is sent with -l.
    return "-l '%s'" % ch if ch != "'" else '-l "\'"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--busy", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--load-timeout", type=int, default=600)
    ap.add_argument("logonhunt")
    ap.add_argument("dir")
    a = ap.parse_args()
    if shutil.which("tmux") is None:
        print("keys_tmux: tmux not found", file=sys.stderr)
        return 1
    sock = "lhkeys%d" % os.getpid()
    home = tempfile.mkdtemp(prefix="lhkeys.")
    busy = []
    ctl = None
    try:
        cmd = ("env LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME='%s' XDG_DATA_HOME='%s/data' "
               "XDG_CONFIG_HOME='%s/config' '%s' '%s'; sleep 3600"
               % (home, home, home, a.logonhunt, a.dir))
        tmux(sock, "new-session", "-d", "-s", "lh", "-x", "200", "-y", "50", cmd)
        t0 = time.monotonic()
        screen = wait_screen(sock, ["? lists the keys", "warning", "groups"],
                             a.load_timeout)
        if screen is None:
            print("keys_tmux: the results list did not show", file=sys.stderr)
            return 1
        print("loaded and shown in %.1f s" % (time.monotonic() - t0))
        for _ in range(a.busy):
            busy.append(subprocess.Popen(["sh", "-c", "while :; do :; done"]))
        ctl = Control(sock)
        ctl.drain(0.5)
        lat = {}

        def press(kind, key):
            ms = ctl.press(key)
            if ms is None:
                raise RuntimeError("no output after key %s (%s)" % (key, kind))
            lat.setdefault(kind, []).append(ms)

        for _ in range(a.rounds):
            for col in "123456789":
                press("sort by a column", col)
            for _ in range(5):
                press("reverse (r)", "r")
            for _ in range(10):
                press("page down", "NPage")
            press("filter: open (|)", "'|'")
            for ch in "user1":
                press("filter, a keystroke", literal(ch))
            press("filter, backspace", "BSpace")
            press("filter: Enter", "Enter")
            press("clear (Esc)", "Escape")
            # A time: digits and signs, which times and counts hold.
            press("filter: open (|)", "'|'")
            for ch in "2025-03-1":
                press("filter, a keystroke", literal(ch))
            press("filter, backspace", "BSpace")
            press("filter: Enter", "Enter")
            press("clear (Esc)", "Escape")
            press("search: open (/)", "/")
            for ch in "10.1":
                press("search, a keystroke", literal(ch))
            press("search: Enter", "Enter")
            for _ in range(5):
                press("search next (n)", "n")
            press("clear (Esc)", "Escape")
        allv = [v for vs in lat.values() for v in vs]
        print("key to screen, %d busy process%s, ms (after each key the "
              "console was quiet %d ms, not counted)"
              % (a.busy, "" if a.busy == 1 else "es", QUIET * 1e3))
        print("  %-24s %7s %8s %8s %8s" % ("key", "presses", "median", "p95", "worst"))
        for kind, vs in lat.items():
            print("  %-24s %7d %8.1f %8.1f %8.1f" % (kind, len(vs), pct(vs, 50),
                                                  pct(vs, 95), max(vs)))
        p95 = pct(allv, 95)
        print("  %-24s %7d %8.1f %8.1f %8.1f   target p95 %.0f ms: %s"
              % ("all keys", len(allv), pct(allv, 50), p95, max(allv), TARGET_MS,
                 "met" if p95 <= TARGET_MS else "NOT met"))
        return 0
    except RuntimeError as e:
        print("keys_tmux: %s" % e, file=sys.stderr)
        return 1
    finally:
        for b in busy:
            b.kill()
            b.wait()
        if ctl is not None:
            try:
                ctl.close()
            except Exception:
                pass
        tmux(sock, "kill-server", check=False)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
