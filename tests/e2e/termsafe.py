#!/usr/bin/env python3
"""termsafe.py FILE...: fails (exit 1) if a file holds anything a terminal
would act on or that would reorder the text around it: C0 controls other
than LF and TAB, DEL, C1 controls, invalid UTF-8, bidi controls and line
or paragraph separators. Names each file and the first offending bytes."""
import sys

DANGEROUS = set(range(0x00, 0x20)) - {0x0A, 0x09}
DANGEROUS |= {0x7F} | set(range(0x80, 0xA0))
DANGEROUS |= {0x200E, 0x200F, 0x2028, 0x2029} | set(range(0x202A, 0x202F))
DANGEROUS |= set(range(0x2066, 0x206A))


def first_problem(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "invalid UTF-8 at byte %d: %r" % (e.start, data[e.start:e.start + 8])
    for i, ch in enumerate(text):
        if ord(ch) in DANGEROUS:
            return "U+%04X at character %d, near %r" % (ord(ch), i, text[max(0, i - 20):i + 20])
    return None


def main():
    bad = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            problem = first_problem(f.read())
        if problem:
            print("%s: %s" % (path, problem))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
