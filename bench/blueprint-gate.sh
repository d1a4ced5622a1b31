#!/usr/bin/env bash
# Benchmarks blueprint-gate on the release build:
#   1. hook mode on an unrelated Write and unrelated Bash commands, beside /bin/true
#      (target: at most 2x /bin/true), plus an in-scope Write of a valid blueprint. The Bash
#      cases: one that cannot write (byte scan only), one that writes with `>` and one with
#      `tee` (lexed, each target `lstat`ed for a symlink into scope);
#      And an Edit of ~/.claude/settings.json that keeps zakon's hooks (read + JSON diff).
#   2. `blueprint-gate scan` over a generated tree of 10 000 files.
# Needs hyperfine (apt-get install hyperfine). Fixtures go to a temp dir removed on exit;
# HOME and ZAKON_HOME point there too, so the real audit log and config are never touched.
# Usage: bench/blueprint-gate.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-build" ]]; then
  cargo build --release --bin blueprint-gate >&2
fi
BIN="$PWD/target/release/blueprint-gate"
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zakon-bench-bp.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" ZAKON_HOME="$WORK/home"  # the gates read ZAKON_HOME, never $HOME
unset ZAKON_CONFIG ZAKON_REGISTRY BLUEPRINT_OVERRIDE
mkdir -p "$HOME" "$WORK/proj"

cat > "$WORK/write-unrelated.json" <<JSON
{"session_id":"bench","cwd":"$WORK/proj","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"src/main.rs","content":"fn main() {}\n"}}
JSON
cat > "$WORK/bash-unrelated.json" <<JSON
{"session_id":"bench","cwd":"$WORK/proj","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"cargo test --workspace 2>&1 | tail -20 > /tmp/test-output.txt"}}
JSON
cat > "$WORK/bash-tee.json" <<JSON
{"session_id":"bench","cwd":"$WORK/proj","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"cargo build 2>&1 | tee build.log"}}
JSON
cat > "$WORK/bash-nowrite.json" <<JSON
{"session_id":"bench","cwd":"$WORK/proj","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"cargo build --release 2>&1 | tail -5"}}
JSON
mkdir -p "$HOME/.claude"
printf '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"claim-gate"}]}]}}\n' > "$HOME/.claude/settings.json"
cat > "$WORK/edit-settings.json" <<JSON
{"session_id":"bench","cwd":"$WORK/proj","hook_event_name":"PreToolUse","tool_name":"Edit","tool_input":{"file_path":"~/.claude/settings.json","old_string":"}]}]}}","new_string":"}]}]},\\"model\\":\\"opus\\"}"}}
JSON
cat > "$WORK/write-blueprint.json" <<JSON
{"session_id":"bench","cwd":"$WORK/proj","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"BUILD-BLUEPRINT.md","content":"Owner: ops\nLast-Verified: 2026-01-15\n\n## Deploy\n\nmake release\n\n## Verify\n\n\`\`\`\ncurl -fsS https://app.example.com/health\n\`\`\`\n\n## Rollback\n\nmake release TAG=prev\n"}}
JSON
# Sanity: the gate must allow all of them, or the timings mean nothing.
for f in write-unrelated bash-unrelated bash-tee bash-nowrite write-blueprint edit-settings; do
  "$BIN" < "$WORK/$f.json" || { echo "blueprint-gate did not allow $f" >&2; exit 1; }
done

echo "== hook mode (median of many runs; hyperfine subtracts shell start-up)"
hyperfine --warmup 20 --min-runs 300 --export-json "$WORK/hook.json" \
  -n "/bin/true" "/bin/true < $WORK/write-unrelated.json" \
  -n "unrelated Write" "$BIN < $WORK/write-unrelated.json" \
  -n "unrelated Bash (no write)" "$BIN < $WORK/bash-nowrite.json" \
  -n "unrelated Bash (> file)" "$BIN < $WORK/bash-unrelated.json" \
  -n "unrelated Bash (| tee file)" "$BIN < $WORK/bash-tee.json" \
  -n "in-scope Write (valid blueprint)" "$BIN < $WORK/write-blueprint.json" \
  -n "settings Edit keeping zakon hooks" "$BIN < $WORK/edit-settings.json"

# The same comparison without hyperfine's shell correction: N spawns in a plain loop, the
# way Claude Code pays for a hook (one process per tool call). Median of 5 loops, per call.
loop_us() { # command-file input-file → median µs per call over 5 loops of 500
  local cmd=$1 input=$2 runs=500 best=()
  for rep in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s%N)
    for ((i = 0; i < runs; i++)); do "$cmd" < "$input" > /dev/null 2>&1 || true; done
    t1=$(date +%s%N)
    best+=($(( (t1 - t0) / runs / 1000 )))
  done
  printf '%s\n' "${best[@]}" | sort -n | sed -n 3p
}
echo "== spawn loop (median of 5 x 500 calls, µs per call, includes fork+exec)"
printf '%-34s %s\n' "/bin/true" "$(loop_us /bin/true "$WORK/write-unrelated.json")"
printf '%-34s %s\n' "unrelated Write" "$(loop_us "$BIN" "$WORK/write-unrelated.json")"
printf '%-34s %s\n' "unrelated Bash (no write)" "$(loop_us "$BIN" "$WORK/bash-nowrite.json")"
printf '%-34s %s\n' "unrelated Bash (> file)" "$(loop_us "$BIN" "$WORK/bash-unrelated.json")"
printf '%-34s %s\n' "unrelated Bash (| tee file)" "$(loop_us "$BIN" "$WORK/bash-tee.json")"
printf '%-34s %s\n' "in-scope Write (valid blueprint)" "$(loop_us "$BIN" "$WORK/write-blueprint.json")"
printf '%-34s %s\n' "settings Edit keeping zakon hooks" "$(loop_us "$BIN" "$WORK/edit-settings.json")"

# 10 000 files: 100 directories x 100 files, one BUILD-BLUEPRINT.md or DEPLOY-MAP.md in every
# fourth directory (25 blueprints), the rest ordinary source files.
TREE="$WORK/tree"
for d in $(seq -w 0 99); do
  mkdir -p "$TREE/svc-$d/src"
  n=100
  if (( 10#$d % 4 == 0 )); then
    if (( 10#$d % 8 == 0 )); then name=BUILD-BLUEPRINT.md; else name=DEPLOY-MAP.md; fi
    sed -n '/"content":"/{s/.*"content":"//;s/"}}$//;p}' "$WORK/write-blueprint.json" \
      | sed 's/\\n/\n/g; s/\\`/`/g' > "$TREE/svc-$d/$name"
    n=99
  fi
  for f in $(seq 1 $n); do : > "$TREE/svc-$d/src/file-$f.rs"; done
done
echo "== scan: $(find "$TREE" -type f | wc -l) files, $(find "$TREE" -name '*.md' | wc -l) blueprints"
"$BIN" scan "$TREE" --max-age-days 100000 | tail -1
hyperfine --warmup 3 --min-runs 20 --export-json "$WORK/scan.json" \
  -n "scan 10k files" "$BIN scan $TREE --max-age-days 100000 --json > /dev/null"

median() { # file name → median in ms
  python3 - "$1" "$2" <<'PY' 2>/dev/null || true
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["command"] == sys.argv[2]:
        print(f'{r["median"] * 1000:.2f}')
PY
}
echo "== medians (ms)"
for n in "/bin/true" "unrelated Write" "unrelated Bash (no write)" "unrelated Bash (> file)" \
  "unrelated Bash (| tee file)" "in-scope Write (valid blueprint)" \
  "settings Edit keeping zakon hooks"; do
  printf '%-34s %s\n' "$n" "$(median "$WORK/hook.json" "$n")"
done
printf '%-34s %s\n' "scan 10k files" "$(median "$WORK/scan.json" "scan 10k files")"
