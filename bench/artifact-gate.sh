#!/usr/bin/env bash
# Benchmark: artifact-gate runs on EVERY Bash call, twice (PreToolUse and PostToolUse), so
# on an unrelated command it must cost about what starting any process costs. Target: median
# wall time ≤ 2× /bin/true, for PreToolUse and for PostToolUse when the Mission Control
# database did not change (stat only). Also timed: PostToolUse after the database changed
# (10k tasks: read every status in one transaction, compare, save the state).
#
# Usage: bench/artifact-gate.sh [RUNS]   (default 500; needs python3, which also builds the
# fixtures). Builds the release binary first. Everything it creates lives in a
# temporary directory that is removed on exit; the real $HOME is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-500}

cargo build --release --quiet --bin artifact-gate
bin=$PWD/target/release/artifact-gate

work=$(mktemp -d "${TMPDIR:-/tmp}/artifact-gate-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME=$work/home ZAKON_HOME=$work/home  # the gates read ZAKON_HOME, never $HOME
unset ZAKON_CONFIG
mkdir -p "$HOME/.claude/zakon" "$work/tmp/verify-4242" "$work/tmp/evidence-4242"

hook() { # $1 = the Bash command
  printf '{"session_id":"bench","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s","description":"x"}}' "$work" "$1"
}
hook 'cargo test --workspace && git status' >"$work/unrelated.json"
hook 'node ~/system/tools/mc.js list --status open' >"$work/mc-list.json"
hook 'cd app && node ~/system/tools/mc.js done 4242' >"$work/in-scope.json"
printf '{"session_id":"bench","cwd":"%s","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"ls"},"tool_response":{"stdout":"","stderr":""}}' "$work" >"$work/post.json"

# A Mission Control database with 10k tasks (python3's sqlite3: no sqlite3 CLI needed).
db=$HOME/system/databases/mission-control.db
mkdir -p "$(dirname "$db")"
python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT, status TEXT, dod_evidence TEXT)")
c.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?)",
              [(i, f"task {i}", "done" if i % 3 == 0 else "in_progress", "Cache tuned") for i in range(1, 10001)])
c.commit()
PY

# In scope: a UI + E2E claim, a real 64x40 PNG and a Playwright JSON report — the full allow
# path (the PNG is decoded, the report parsed). The DB below adds task 4242's dod_evidence.
printf '{"artifact_gate":{"tmp_root":"%s"}}' "$work/tmp" >"$HOME/.claude/zakon/config.json"
printf '["Registration screen works on mobile","Signup flow passes e2e"]' >"$work/tmp/verify-4242/claims.json"
python3 - "$work/tmp/evidence-4242" <<'PY'
import json, struct, sys, zlib
w, h = 64, 40
rows = b"".join(b"\0" + b"".join(bytes([x * 4 % 256, y * 6 % 256, 180]) for x in range(w)) for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1] + "/screen.png", "wb").write(png)
report = {"config": {"version": "1.49.0"}, "suites": [], "errors": [],
          "stats": {"startTime": "2026-12-05T10:00:00Z", "duration": 900, "expected": 4,
                    "skipped": 0, "unexpected": 0, "flaky": 0}}
open(sys.argv[1] + "/results.json", "w").write(json.dumps(report))
PY

# Sanity: the cases do what they claim before they are timed.
"$bin" <"$work/unrelated.json"
"$bin" <"$work/mc-list.json"
"$bin" <"$work/in-scope.json" || { echo "in-scope case should be allowed" >&2; exit 1; }
"$bin" <"$work/post.json" || { echo "the first PostToolUse (baseline) should be allowed" >&2; exit 1; }
"$bin" <"$work/post.json" || { echo "PostToolUse on an unchanged database should be allowed" >&2; exit 1; }

echo "artifact-gate $("$bin" --version | cut -d' ' -f2), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs per case"
# Timed by a small python3 runner rather than hyperfine: it execs each binary directly (no
# shell whose start-up would have to be subtracted), interleaves the cases round-robin so a
# busy machine slows them alike, and reports median and p99 of the wall time.
python3 - "$runs" "$bin" "$work" "$db" <<'PY'
import os, random, sqlite3, statistics, subprocess, sys, time
runs, binary, work, db = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def touch_db():
    c = sqlite3.connect(db)
    c.execute("UPDATE tasks SET title = ? WHERE id = 1", (str(random.random()),))
    c.commit()
    c.close()
cases = [
    ("/bin/true", ["/bin/true"], "unrelated.json", None),
    ("PreToolUse: unrelated command", [binary], "unrelated.json", None),
    ("PreToolUse: mc.js list", [binary], "mc-list.json", None),
    ("PreToolUse: mc.js done, artifacts decoded", [binary], "in-scope.json", None),
    ("PostToolUse: database unchanged (10k tasks)", [binary], "post.json", None),
    ("PostToolUse: database changed (10k tasks)", [binary], "post.json", touch_db),
]
times = {name: [] for name, *_ in cases}
for i in range(runs + 10):
    for name, argv, inp, prepare in cases:
        if prepare:
            prepare()
        with open(os.path.join(work, inp), "rb") as f:
            t = time.perf_counter_ns()
            r = subprocess.run(argv, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            dt = time.perf_counter_ns() - t
        if r.returncode != 0:
            sys.exit(f"{name}: exit {r.returncode}")
        if i >= 10:  # warm-up
            times[name].append(dt / 1e6)
base = statistics.median(times["/bin/true"])
for name, ts in times.items():
    ts.sort()
    med, p99 = statistics.median(ts), ts[min(len(ts) - 1, int(len(ts) * 0.99))]
    print(f"{name:<46} median {med:7.3f} ms  p99 {p99:7.3f} ms  ({med / base:.2f}× /bin/true)")
for name in ["PreToolUse: unrelated command", "PostToolUse: database unchanged (10k tasks)"]:
    r = statistics.median(times[name]) / base
    print(f"target ≤ 2.00× /bin/true, {name}: {'MET' if r <= 2 else 'NOT MET'} ({r:.2f}×)")
PY
