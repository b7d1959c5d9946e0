#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Each pipeline stage sees only the stages it is declared to depend on.

The layering lives in the build (each folder a static library with its own
include directory and declared dependencies; analyzer/forbidden/ shadows
SQLite's and babeltrace2's headers with #error).  This test keeps it there:
for every stage it takes the compiler command the build really uses for one
of the stage's files (compile_commands.json) and compiles a one-line probe
with it.  A probe that includes a header of a stage the stage must not
reach has to fail to compile; a probe that includes a header it may reach
has to compile (so a broken probe cannot pass as "forbidden").

usage: test-layering.py BUILD_DIR
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

# stage: (a source file of the stage, headers it may include,
#         headers it must not reach)
RULES = {
    "analyzer": ("analyzer/analyzer.c",
                 ["analyzer.h", "records.h", "event-schema.h"],
                 ["trace-reader.h", "decoder.h", "normalize.h", "db-writer.h",
                  "output-file.h", "report.h", "report-db.h", "cli.h",
                  "<sqlite3.h>", "<babeltrace2/babeltrace.h>"]),
    "replay": ("replay/trace-reader.c",
               ["trace-reader.h", "event-schema.h", "<babeltrace2/babeltrace.h>"],
               ["analyzer.h", "db-writer.h", "report.h", "cli.h"]),
    "store": ("store/db-writer.c",
              ["db-writer.h", "records.h", "<sqlite3.h>"],
              ["trace-reader.h", "decoder.h", "report.h", "cli.h"]),
    "report": ("report/report-load.c",
               ["report.h", "<sqlite3.h>"],
               ["analyzer.h", "records.h", "trace-reader.h", "decoder.h",
                "db-writer.h", "cli.h"]),
}


def command_for(db, path):
    for entry in db:
        if os.path.normpath(os.path.join(entry["directory"], entry["file"])).endswith(path):
            return entry
    sys.exit("test-layering: %s not in compile_commands.json" % path)


def probe(entry, header):
    inc = header if header.startswith("<") else '"%s"' % header
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write("#include %s\nint probe_layering(void);\n"
                    "int probe_layering(void) { return 0; }\n" % inc)
        args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
        # the same flags, our probe instead of the file, no output
        out = []
        skip = False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-MF", "-MQ"):
                skip = True
                continue
            if a in ("-c", "-MD") or a == entry["file"]:
                continue
            out.append(a)
        out += ["-fdiagnostics-color=never", "-fsyntax-only", src]
        r = subprocess.run(out, cwd=entry["directory"], capture_output=True, text=True)
        first = next((l for l in r.stderr.splitlines() if "error" in l), "")
        return r.returncode == 0, first


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: test-layering.py BUILD_DIR")
    with open(os.path.join(argv[1], "compile_commands.json")) as f:
        db = json.load(f)
    failures = 0
    checks = 0
    src_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # A forbidden header that exists nowhere would be refused for nothing.
    tree = set()
    for d, _, files in os.walk(src_root):
        if "/build" not in d and "/.git" not in d:
            tree.update(files)
    for stage, (_, _, forbidden) in RULES.items():
        for h in forbidden:
            if not h.startswith("<") and h not in tree:
                failures += 1
                print("FAIL: %s is not in the source tree: the rule for %s/ tests nothing" % (h, stage))
    for stage, (source, allowed, forbidden) in sorted(RULES.items()):
        entry = command_for(db, source)
        for h in allowed:
            checks += 1
            ok, err = probe(entry, h)
            if not ok:
                failures += 1
                print("FAIL: %s/ cannot include %s, which it may: %s" % (stage, h, err))
        for h in forbidden:
            checks += 1
            ok, err = probe(entry, h)
            if ok:
                failures += 1
                print("FAIL: %s/ can include %s, which it must not reach" % (stage, h))
            else:
                print("ok: %s/ -> %s refused: %s" % (stage, h, err.split("error:")[-1].strip()))
    print("%d checks, %d failures" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
