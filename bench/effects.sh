#!/usr/bin/env bash
# Benchmarks blueprint-gate's effects check (the PostToolUse "*" hook that runs after every
# tool call, and the same sweep at the start of every PreToolUse call) on the release build,
# per call, for a project of 10 000 and of 100 000 files:
#   - /bin/true, the floor (one process per tool call is what Claude Code pays anyway);
#   - Post after a Read (the common case: stat the fixed paths and the known blueprints);
#   - Post after a Bash command, and Pre of a Bash command that writes nothing;
#   - Post after a Write of an unrelated file (walks the project again for new blueprints);
#   - the first call of a session (the walk that finds the project's blueprints).
# Median and p99 in µs over N spawns (bash's $EPOCHREALTIME, no extra process per sample).
# Fixtures and HOME live in a temp dir removed on exit; the real HOME is never touched.
# Usage: bench/effects.sh [--no-build] [N]   (N samples per case, default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  cargo build --release --bin blueprint-gate >&2
fi
N=${1:-1000}
BIN="$PWD/target/release/blueprint-gate"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zakon-bench-effects.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
unset ZAKON_CONFIG ZAKON_REGISTRY BLUEPRINT_OVERRIDE CLAUDE_PROJECT_DIR

# time_calls CMD INPUT RUNS → "median p99" in µs per call
time_calls() {
  local cmd=$1 input=$2 runs=$3 t0 t1 i
  local -a s=()
  for ((i = 0; i < runs; i++)); do
    t0=$EPOCHREALTIME
    "$cmd" < "$input" > /dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    s+=($(( (${t1/./} - ${t0/./}) )))
  done
  local sorted
  sorted=$(printf '%s\n' "${s[@]}" | sort -n)
  local med p99
  med=$(sed -n "$(( runs / 2 + 1 ))p" <<< "$sorted")
  p99=$(sed -n "$(( (runs * 99 + 99) / 100 ))p" <<< "$sorted")
  echo "$med $p99"
}

input() { # event tool tool_input-json session → file
  local f="$WORK/in-$RANDOM$RANDOM.json"
  printf '{"session_id":"%s","cwd":"%s","hook_event_name":"%s","tool_name":"%s","tool_input":%s}\n' \
    "$4" "$PROJ" "$1" "$2" "$3" > "$f"
  echo "$f"
}

BLUEPRINT='Owner: ops\nLast-Verified: 2026-01-15\n\n## Deploy\n\nmake release\n\n## Verify\n\n```\ncurl -fsS https://app.example.com/health\n```\n\n## Rollback\n\nmake release TAG=prev\n'

for FILES in 10000 100000; do
  export HOME="$WORK/home-$FILES"
  PROJ="$WORK/proj-$FILES"
  mkdir -p "$HOME/.claude/zakon/bin" "$HOME/system/rules" "$PROJ/.claude"
  # The project: FILES empty files, 100 per directory, and three blueprints.
  dirs=$(( FILES / 100 ))
  (cd "$PROJ" && seq 0 $(( dirs - 1 )) | sed 's/^/d/' | xargs mkdir -p &&
    for d in $(seq 0 $(( dirs - 1 ))); do printf "d$d/f%s\n" $(seq 1 100); done | xargs touch)
  printf "$BLUEPRINT" > "$PROJ/BUILD-BLUEPRINT.md"
  printf "$BLUEPRINT" > "$PROJ/d1/BUILD-BLUEPRINT.md"
  printf "$BLUEPRINT" > "$PROJ/d2/DEPLOY-MAP.md"
  echo '{"permissions":{}}' > "$PROJ/.claude/settings.json"
  # An installed set (the gates' stat check covers them) and the user's settings.
  for b in claim-gate artifact-gate blueprint-gate zakon-registry zakon; do
    [[ -x "$PWD/target/release/$b" ]] && cp "$PWD/target/release/$b" "$HOME/.claude/zakon/bin/$b"
  done
  "$HOME/.claude/zakon/bin/zakon" hooks show --bin-dir "$HOME/.claude/zakon/bin" > "$HOME/.claude/settings.json" 2>/dev/null ||
    echo '{}' > "$HOME/.claude/settings.json"
  (cd "$PROJ" && "$BIN" snapshot --init --bin-dir "$HOME/.claude/zakon/bin" > /dev/null)

  read_post=$(input PostToolUse Read '{"file_path":"README.md"}' bench)
  bash_post=$(input PostToolUse Bash '{"command":"cargo test 2>&1 | tail -5"}' bench)
  bash_pre=$(input PreToolUse Bash '{"command":"cargo build --release 2>&1 | tail -5"}' bench)
  write_post=$(input PostToolUse Write '{"file_path":"notes.md","content":"x"}' bench)
  # Sanity: every one of them must be allowed, or the timings mean nothing.
  for f in "$read_post" "$bash_post" "$bash_pre" "$write_post"; do
    "$BIN" < "$f" || { echo "blueprint-gate did not allow $(cat "$f")" >&2; exit 1; }
  done
  # The first call of a new session walks the project; time it over fresh session ids.
  first=()
  for i in 1 2 3 4 5 6 7 8 9; do
    f=$(input PostToolUse Read '{"file_path":"README.md"}' "first-$i")
    t0=$EPOCHREALTIME; "$BIN" < "$f" > /dev/null 2>&1; t1=$EPOCHREALTIME
    first+=($(( ${t1/./} - ${t0/./} )))
  done
  first_med=$(printf '%s\n' "${first[@]}" | sort -n | sed -n 5p)

  runs_write=$(( FILES > 50000 ? N / 10 : N / 2 ))
  echo "== project of $FILES files ($N samples per case; Write: $runs_write)"
  printf '%-40s %10s %10s\n' "case" "median µs" "p99 µs"
  read -r m p <<< "$(time_calls /bin/true "$read_post" "$N")"
  printf '%-40s %10s %10s\n' "/bin/true" "$m" "$p"
  read -r m p <<< "$(time_calls "$BIN" "$read_post" "$N")"
  printf '%-40s %10s %10s\n' "Post after Read" "$m" "$p"
  read -r m p <<< "$(time_calls "$BIN" "$bash_post" "$N")"
  printf '%-40s %10s %10s\n' "Post after Bash" "$m" "$p"
  read -r m p <<< "$(time_calls "$BIN" "$bash_pre" "$N")"
  printf '%-40s %10s %10s\n' "Pre of Bash (no write)" "$m" "$p"
  read -r m p <<< "$(time_calls "$BIN" "$write_post" "$runs_write")"
  printf '%-40s %10s %10s\n' "Post after Write (walks again)" "$m" "$p"
  printf '%-40s %10s %10s\n' "first call of a session (walk; 9 runs)" "$first_med" "-"
done
