#!/usr/bin/env bash
# Benchmark: claim-gate runs at every Stop. It reads the transcript from the end, so its cost
# must follow the current turn, not the file. Cases, side by side with /bin/true:
#   small — a 5-turn transcript;
#   big   — a transcript of >= 40 MB (many earlier turns with large tool output, a base64
#           image) whose last turn is short.
# Targets: small <= 3 ms median, big <= 1.5x small, peak RSS <= 8 MiB.
#
# Usage: bench/claim-gate.sh [RUNS]   (default 300). Needs python3 and GNU time (/usr/bin/time);
# timing by a fork/exec loop in python (hyperfine 1.15 here cannot feed stdin without a
# shell). Everything lives in a temporary directory removed on exit; $HOME is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}

cargo build --release --quiet --bin claim-gate
bin=$PWD/target/release/claim-gate
work=$(mktemp -d "${TMPDIR:-/tmp}/claim-gate-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/tmp"

python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
def user(c): return {"type": "user", "message": {"role": "user", "content": c}}
def asst(t, mid): return {"type": "assistant", "message": {"id": mid, "role": "assistant", "content": [{"type": "text", "text": t}]}}
def tool(i, out): return {"type": "user", "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": i, "content": out}]}}
def use(i): return {"type": "assistant", "message": {"id": "u" + i, "role": "assistant", "content": [{"type": "tool_use", "id": i, "name": "Bash", "input": {"command": "cargo test"}}]}}
def turn(n, big):
    out = "test result: ok. 42 passed\n" * (2000 if big else 5)
    return [user(f"Step {n}: fix the next failing test."), use(f"t{n}"), tool(f"t{n}", out),
            asst(f"I looked at step {n}; the failure comes from the timezone. Done with the analysis, tests pass locally.", f"m{n}")]
last = [user("Now deploy the release."), use("tz"), tool("tz", "deploy ok"),
        asst("Deployed to production and verified, everything works.", "mlast")]
with open(os.path.join(work, "small.jsonl"), "w") as f:
    for n in range(4):
        for l in turn(n, False): f.write(json.dumps(l) + "\n")
    for l in last: f.write(json.dumps(l) + "\n")
with open(os.path.join(work, "big.jsonl"), "w") as f:
    n = 0
    image = {"type": "user", "message": {"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR" + "A" * 800_000}}]}}
    while f.tell() < 42 * 1024 * 1024:
        for l in turn(n, True): f.write(json.dumps(l) + "\n")
        if n % 10 == 0: f.write(json.dumps(image) + "\n")
        n += 1
    for l in last: f.write(json.dumps(l) + "\n")
# worst case: a current turn of 80 000 assistant text lines (13 MB) — cost must stay linear
with open(os.path.join(work, "longturn.jsonl"), "w") as f:
    f.write(json.dumps(user("Go through every file.")) + "\n")
    for n in range(80000):
        f.write(json.dumps(asst(f"Step {n}: looked at file {n}, nothing to change here.", f"s{n}")) + "\n")
    f.write(json.dumps(asst("Deployed and verified.", "slast")) + "\n")
for name in ("small", "big", "longturn"):
    hook = {"session_id": "bench-" + name, "transcript_path": os.path.join(work, name + ".jsonl"), "cwd": work,
            "hook_event_name": "Stop", "stop_hook_active": False}
    open(os.path.join(work, name + ".json"), "w").write(json.dumps(hook))
PY

export HOME=$work/home ZAKON_HOME=$work/home TMPDIR=$work/tmp  # the gates read ZAKON_HOME
unset ZAKON_CONFIG
echo "claim-gate $("$bin" --version | cut -d' ' -f2), $(nproc) cores, $runs runs per case"
echo "small transcript: $(du -h "$work/small.jsonl" | cut -f1), big transcript: $(du -h "$work/big.jsonl" | cut -f1)"
# Both cases block (exit 2): the whole path — read, detect, dedup, verdict, audit — is timed.
for c in small big longturn; do
  code=0; "$bin" <"$work/$c.json" 2>/dev/null || code=$?
  [ "$code" = 2 ] || { echo "$c case should block, exit $code" >&2; exit 1; }
done

python3 - "$bin" "$work" "$runs" <<'PY'
import os, resource, statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def bench(argv, stdin_path):
    times = []
    data = open(stdin_path, "rb").read()
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
def peak_rss_kib(argv, stdin_path):
    # GNU time reports the child's own peak RSS (a fork from python would count python's pages)
    r = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdin=open(stdin_path, "rb"),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1])
small, big = os.path.join(work, "small.json"), os.path.join(work, "big.json")
rows = [("/bin/true", ["/bin/true"], small), ("claim-gate small (5 turns)", [bin], small),
        ("claim-gate big (>=40 MB, short last turn)", [bin], big)]
# the long-turn case is slow by nature: time it a few times only
long_ms = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run([bin], stdin=open(os.path.join(work, "longturn.json"), "rb"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    long_ms.append((time.perf_counter() - t) * 1000)
res = {}
print(f"{'case':44} {'median ms':>10} {'peak RSS KiB':>13}")
for name, argv, inp in rows:
    res[name] = bench(argv, inp)
    print(f"{name:44} {res[name]:10.3f} {peak_rss_kib(argv, inp):13d}")
s, b = res[rows[1][0]], res[rows[2][0]]
print(f"big/small = {b / s:.2f}x   small - /bin/true = {s - res['/bin/true']:.3f} ms")
print(f"long current turn (80 000 text lines, 13 MB): median {statistics.median(long_ms):.0f} ms over 5 runs")
PY
