#!/usr/bin/env bash
# Benchmark: artifact-gate runs on EVERY Bash call, so on an unrelated command it must cost
# about what starting any process costs. Target: median wall time ≤ 2× /bin/true.
#
# Usage: bench/artifact-gate.sh [RUNS]   (default 500; needs hyperfine for medians, else a
# plain loop is used). Builds the release binary first. Everything it creates lives in a
# temporary directory that is removed on exit; the real $HOME is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-500}

cargo build --release --quiet --bin artifact-gate
bin=$PWD/target/release/artifact-gate

work=$(mktemp -d "${TMPDIR:-/tmp}/artifact-gate-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME=$work/home
unset ZAKON_CONFIG
mkdir -p "$HOME/.claude/zakon" "$work/tmp/verify-4242" "$work/tmp/evidence-4242"

hook() { # $1 = the Bash command
  printf '{"session_id":"bench","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s","description":"x"}}' "$work" "$1"
}
hook 'cargo test --workspace && git status' >"$work/unrelated.json"
hook 'node ~/system/tools/mc.js list --status open' >"$work/mc-list.json"
hook 'cd app && node ~/system/tools/mc.js done 4242' >"$work/in-scope.json"

# In scope: a UI + E2E claim, a real 1x1 PNG and a results.json — the full allow path.
printf '{"artifact_gate":{"tmp_root":"%s"}}' "$work/tmp" >"$HOME/.claude/zakon/config.json"
printf '["Registration screen works on mobile","Signup flow passes e2e"]' >"$work/tmp/verify-4242/claims.json"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82' >"$work/tmp/evidence-4242/screen.png"
printf '{"stats":{"expected":4,"unexpected":0}}' >"$work/tmp/evidence-4242/results.json"

# Sanity: the cases do what they claim before they are timed.
"$bin" <"$work/unrelated.json"
"$bin" <"$work/mc-list.json"
"$bin" <"$work/in-scope.json" || { echo "in-scope case should be allowed" >&2; exit 1; }

echo "artifact-gate $("$bin" --version | cut -d' ' -f2), $(nproc) cores, $runs runs per case"
if command -v hyperfine >/dev/null; then
  hyperfine --style basic --warmup 20 --runs "$runs" --export-json "$work/result.json" \
    -n '/bin/true' "/bin/true <$work/unrelated.json" \
    -n 'artifact-gate: unrelated command' "$bin <$work/unrelated.json" \
    -n 'artifact-gate: mc.js list' "$bin <$work/mc-list.json" \
    -n 'artifact-gate: mc.js done, artifacts present' "$bin <$work/in-scope.json" \
    >/dev/null 2>"$work/hyperfine.log" || { cat "$work/hyperfine.log" >&2; exit 1; }
  # medians (seconds) in the order above, without jq or python
  mapfile -t med < <(grep -o '"median": *[0-9.e-]*' "$work/result.json" | sed 's/.*: *//')
  names=('/bin/true' 'artifact-gate: unrelated command' 'artifact-gate: mc.js list' 'artifact-gate: mc.js done, artifacts present')
  for i in "${!med[@]}"; do
    awk -v n="${names[$i]}" -v m="${med[$i]}" -v t="${med[0]}" \
      'BEGIN { printf "%-46s median %8.3f ms  (%.2f× /bin/true)\n", n, m * 1000, m / t }'
  done
  awk -v m="${med[1]}" -v t="${med[0]}" 'BEGIN {
    r = m / t; printf "target ≤ 2.00× /bin/true on an unrelated command: %s (%.2f×)\n", (r <= 2 ? "MET" : "NOT MET"), r }'
else
  echo "hyperfine not found (apt-get install hyperfine); timing a plain loop (means, fork+exec included)"
  for case in "/bin/true" "$bin"; do
    start=$(date +%s%N)
    for ((i = 0; i < runs; i++)); do "$case" <"$work/unrelated.json" >/dev/null; done
    end=$(date +%s%N)
    awk -v n="$case" -v ns=$((end - start)) -v r="$runs" 'BEGIN { printf "%-46s mean %8.3f ms\n", n, ns / r / 1e6 }'
  done
fi
