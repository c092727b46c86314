#!/usr/bin/env python3
"""termsafe.py FILE...: fails (exit 1) if a file holds anything a terminal
would act on or that would reorder the text around it: C0 controls other
than LF and TAB, DEL, C1 controls, invalid UTF-8, bidi controls, line
or paragraph separators and invisible characters. Names each file and the
first offending bytes."""
import sys

DANGEROUS = set(range(0x00, 0x20)) - {0x0A, 0x09}
DANGEROUS |= {0x7F} | set(range(0x80, 0xA0))
DANGEROUS |= {0x200E, 0x200F, 0x2028, 0x2029} | set(range(0x202A, 0x202F))
DANGEROUS |= set(range(0x2066, 0x206A))
# Invisible characters: adm<U+200B>in looks exactly like admin (issue 11,
# item 9). Listed from Unicode's Default_Ignorable_Code_Point and the Hangul
# fillers, independently of src/util.c.
DANGEROUS |= {0x00AD, 0x061C, 0x115F, 0x1160, 0x180E, 0x3164, 0xFEFF, 0xFFA0}
DANGEROUS |= set(range(0x200B, 0x2010)) | set(range(0x2060, 0x2070))
DANGEROUS |= set(range(0xFFF9, 0xFFFC)) | set(range(0xE0000, 0xE0080))


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
