#!/usr/bin/env bash
# Benchmark: claim-gate runs at every Stop. It reads the transcript from the end, so its cost
# must follow the current turn, not the file. Cases, side by side with /bin/true:
#   small — a 5-turn transcript;
#   big   — a transcript of >= 40 MB (many earlier turns with large tool output, a base64
#           image) whose last turn is short.
#   cited-small — the small transcript whose last turn runs `cargo test | tee` into
#           /tmp/evidence-<id>/test.log and cites it (evidence v2: provenance, ownership,
#           content are checked; allowed);
#   cited-50mb  — the claim cites a log whose writer (`cargo test | tee`) sits 50 MB before
#           the end of the transcript: the provenance search reads back 50 MB, within the
#           default cap of 64 MiB (claim_gate.evidence.max_transcript_bytes); allowed.
# Targets: small <= 3 ms median, big <= 1.5x small, peak RSS <= 8 MiB; evidence v2 adds
# < 1 ms to the small case.
#
# Usage: bench/claim-gate.sh [RUNS]   (default 300). CLAIM_GATE_BIN=path times another build
# (e.g. the one before a change) instead of target/release. Needs python3 and GNU time (/usr/bin/time);
# timing by a fork/exec loop in python (hyperfine 1.15 here cannot feed stdin without a
# shell). Everything lives in a temporary directory removed on exit; $HOME is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}

if [ -n "${CLAIM_GATE_BIN:-}" ]; then
  bin=$CLAIM_GATE_BIN
else
  cargo build --release --quiet --bin claim-gate
  bin=$PWD/target/release/claim-gate
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/claim-gate-bench.XXXXXX")
# The evidence directory must match /tmp/evidence-<digits>: one of our own, removed on exit.
evid=/tmp/evidence-7$$$(date +%s)
trap 'rm -rf "$work" "$evid"' EXIT
mkdir -p "$work/home" "$work/tmp"
mkdir -m 755 "$evid"
printf 'running 42 tests\ntest result: ok. 42 passed; 0 failed; 0 ignored\n' >"$evid/test.log"
chmod 644 "$evid/test.log"

python3 - "$work" "$evid" <<'PY'
import json, sys, os
work, evid = sys.argv[1], sys.argv[2]
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
# evidence v2: the writer of the cited log in the current turn, and 50 MB before the end
tee = {"type": "assistant", "message": {"id": "utee", "role": "assistant", "content": [{"type": "tool_use", "id": "tee", "name": "Bash", "input": {"command": f"cargo test 2>&1 | tee {evid}/test.log"}}]}}
cite = asst(f"All tests pass, the run's own output is in {evid}/test.log.", "mcite")
with open(os.path.join(work, "cited-small.jsonl"), "w") as f:
    for n in range(4):
        for l in turn(n, False): f.write(json.dumps(l) + "\n")
    for l in [user("Run the tests and save the log."), tee, tool("tee", "test result: ok"), cite]:
        f.write(json.dumps(l) + "\n")
with open(os.path.join(work, "cited-50mb.jsonl"), "w") as f:
    for l in [user("Run the tests and save the log."), tee, tool("tee", "test result: ok")]:
        f.write(json.dumps(l) + "\n")
    mark = f.tell()
    n = 0
    while f.tell() - mark < 50 * 1024 * 1024:
        for l in turn(n, True): f.write(json.dumps(l) + "\n")
        n += 1
    for l in [user("Is everything green?"), cite]: f.write(json.dumps(l) + "\n")
for name in ("small", "big", "longturn", "cited-small", "cited-50mb"):
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
# The cited cases are allowed: the writer is found (a build before evidence v2 allows them too).
for c in cited-small cited-50mb; do
  code=0; "$bin" <"$work/$c.json" 2>/dev/null || code=$?
  [ "$code" = 0 ] || { echo "$c case should be allowed, exit $code" >&2; exit 1; }
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
        ("claim-gate big (>=40 MB, short last turn)", [bin], big),
        ("claim-gate cited-small (evidence v2)", [bin], os.path.join(work, "cited-small.json"))]
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
far_ms = []
for _ in range(10):
    t = time.perf_counter()
    subprocess.run([bin], stdin=open(os.path.join(work, "cited-50mb.json"), "rb"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    far_ms.append((time.perf_counter() - t) * 1000)
print(f"evidence written 50 MB before the end (default cap 64 MiB): median {statistics.median(far_ms):.1f} ms, "
      f"max {max(far_ms):.1f} ms over 10 runs; peak RSS {peak_rss_kib([bin], os.path.join(work, 'cited-50mb.json'))} KiB")
PY
