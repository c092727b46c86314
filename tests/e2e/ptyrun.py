#!/usr/bin/env python3
"""ptyrun.py OUT CMD...: runs CMD with its standard output (and error) on a
pseudo-terminal, as a person at a terminal would, and writes every byte
that reached the terminal to OUT. Exits with CMD's status."""
import os
import pty
import sys
import termios


def main():
    out, cmd = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        # No output processing: a line ends in LF as the program wrote it,
        # and every CR seen comes from the program.
        attrs = termios.tcgetattr(1)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(1, termios.TCSANOW, attrs)
        os.execvp(cmd[0], cmd)
    got = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        got += data
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(got)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
