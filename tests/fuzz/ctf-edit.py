#!/usr/bin/env python3
"""ctf-edit.py METADATA PATTERN REPLACEMENT: one edit of a CTF metadata file.

Rewrites METADATA (LTTng's packetized form or plain text) as plain-text
metadata with the first match of the regular expression PATTERN replaced
by REPLACEMENT (Python re.sub syntax, escapes such as \\x1b allowed).  The
tests make their bad inputs this way from copies of real recordings.
Exits 1 if PATTERN does not match.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ctf_mutate = __import__('ctf-mutate')


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split('\n')[0])
    path, pattern, repl = sys.argv[1:]
    text = ctf_mutate.plain_text(ctf_mutate.depacketize(open(path, 'rb').read()).decode('utf-8'))
    repl = repl.encode('utf-8').decode('unicode_escape')
    new, n = re.subn(pattern, lambda m: repl, text, count=1)
    if not n:
        sys.exit('%s: no match for %r' % (path, pattern))
    open(path, 'wb').write(new.encode('utf-8'))


if __name__ == '__main__':
    main()
