#!/usr/bin/env python3
"""fuzzdoc.py RESULTS.tsv — write docs/dev/fuzzing.md (to stdout) from the campaign's
results (tests/fuzz/run.sh) and the crash list tests/fuzz/crashes.md.  Not edited by hand."""
import csv
import os
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
here = os.path.dirname(os.path.abspath(__file__))
crashes = [l.rstrip("\n") for l in open(os.path.join(here, "crashes.md"))
           if l.startswith("- ")]
goal, target = 1_000_000, 10_000_000


def num(s):
    try:
        return int(float(s))
    except ValueError:
        return 0


print("# Fuzzing campaign\n")
print("Written by `make fuzz` (tests/fuzz/run.sh, tests/fuzz/fuzzdoc.py) — do not edit.")
print("Each libFuzzer target runs under ASan+UBSan on its corpus (tests/fuzz/corpus/<target>,")
print("minimized with `-merge=1` after the run) until `FUZZ_RUNS` executions (default 1M) or")
print("`FUZZ_SECONDS`; `edges`/`features` are libFuzzer's `cov`/`ft` of the minimized corpus;")
print("`last new` is the execution at which coverage last grew (far below the total: the run")
print("plateaued).  Re-run one target with `FUZZ_TARGETS=name make fuzz`.\n")
print("| target | executions | exec/s | seconds | edges | features | corpus | last new | crashes | commit | date |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
tot = 0
for r in rows:
    e = num(r["executions"])
    tot += e
    mark = "" if e >= goal else " (below 1M)"
    print("| %s | %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["target"], format(e, ","), mark, r["exec_per_s"], r["seconds"], r["edges"],
        r["features"], r["corpus_files"], format(num(r["last_new_at"]), ","), r["crashes"],
        r["commit"], r["date"]))
print()
below = [r["target"] for r in rows if num(r["executions"]) < goal]
at_goal = [r["target"] for r in rows if num(r["executions"]) >= target]
print("%d targets, %s executions in all; %d below 1M (%s); %d at the 10M goal." % (
    len(rows), format(tot, ","), len(below), ", ".join(below) or "none", len(at_goal)))
print("\n## Crashes found and fixed\n")
print("\n".join(crashes) if crashes else "None.")
