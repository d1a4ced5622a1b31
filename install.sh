#!/bin/sh
# install.sh — one command from clone to protected.
#
# Builds the release binaries, copies them to ~/.claude/zakon/bin, installs the default ZAKON
# registry when none exists, merges the hook registrations into ~/.claude/settings.json
# (through `zakon hooks install`: no jq, no python) and runs `zakon doctor` to prove every
# gate blocks. Safe to run again: a second run changes nothing.
set -eu

BINS="claim-gate artifact-gate blueprint-gate zakon-registry zakon"

usage() {
    cat <<'EOF'
Usage: ./install.sh [OPTIONS]

Install zakon's gates and register them as Claude Code hooks.

Options:
  --prefix DIR           install the binaries here [default: ~/.claude/zakon/bin]
  --settings FILE        Claude Code settings to edit [default: ~/.claude/settings.json]
  --dry-run              print what would change (with a diff of the settings); write nothing
  --uninstall            remove the binaries and exactly the hook entries zakon added;
                         keeps your data (registry, audit log, violations, verdict, config)
  --from DIR             install prebuilt binaries from DIR instead of building (implies
                         --no-build)
  --no-build             do not run cargo; use target/release as it is
  --registry-source FILE the registry to install when none exists
                         [default: registry/zakon-registry.json in this checkout]
  --no-doctor            skip the final `zakon doctor` check
  -h, --help             show this help

The registry goes to $ZAKON_REGISTRY or ~/system/rules/zakon-registry.json and is never
overwritten. The previous settings file is kept as settings.json.zakon-backup whenever it
changes. Exit codes: 0 done; 1 failed (or doctor found a problem); 2 bad usage.
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf 'install.sh: %s\n' "$*" >&2; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }
usage_error() { printf 'install.sh: %s\n(run ./install.sh --help)\n' "$*" >&2; exit 2; }

[ -n "${HOME:-}" ] || die "HOME is not set"

repo=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
prefix="$HOME/.claude/zakon/bin"
settings="$HOME/.claude/settings.json"
from=""
build=1
dry_run=0
uninstall=0
doctor=1
registry_src="$repo/registry/zakon-registry.json"
registry_dst="${ZAKON_REGISTRY:-$HOME/system/rules/zakon-registry.json}"

need_arg() { [ "$2" -ge 2 ] || usage_error "$1 needs a value"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) need_arg "$1" $#; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        --settings) need_arg "$1" $#; settings=$2; shift 2 ;;
        --settings=*) settings=${1#*=}; shift ;;
        --from) need_arg "$1" $#; from=$2; build=0; shift 2 ;;
        --from=*) from=${1#*=}; build=0; shift ;;
        --registry-source) need_arg "$1" $#; registry_src=$2; shift 2 ;;
        --registry-source=*) registry_src=${1#*=}; shift ;;
        --no-build) build=0; shift ;;
        --dry-run) dry_run=1; shift ;;
        --uninstall) uninstall=1; shift ;;
        --no-doctor) doctor=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage_error "unknown option: $1" ;;
    esac
done

# Absolute paths: Claude Code runs hook commands from the project directory.
absolute() {
    case "$1" in
        "~") printf '%s\n' "$HOME" ;;
        "~/"*) printf '%s/%s\n' "$HOME" "${1#"~/"}" ;;
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}
prefix=$(absolute "$prefix")
settings=$(absolute "$settings")
[ -n "$from" ] && from=$(absolute "$from")

build_release() {
    command -v cargo >/dev/null 2>&1 ||
        die "cargo not found: install the Rust toolchain (https://rustup.rs), or pass --from DIR with prebuilt binaries"
    say "Building release binaries (cargo build --release)…"
    (cd "$repo" && cargo build --release) || die "cargo build --release failed; nothing was installed"
}

# The directory the new binaries come from.
source_dir() {
    if [ -n "$from" ]; then
        printf '%s\n' "$from"
        return
    fi
    if [ "$build" -eq 1 ]; then build_release >&2; fi
    printf '%s\n' "$repo/target/release"
}

keep_note() {
    for f in "$registry_dst" "$HOME/.claude/zakon/audit.jsonl" "$HOME/.claude/zakon/violations.jsonl" \
        "$HOME/system/state/last-validator-verdict.json" "$HOME/.claude/zakon/config.json"; do
        if [ -e "$f" ]; then say "  kept $f"; fi
    done
}

if [ "$uninstall" -eq 1 ]; then
    # Prefer the installed zakon; fall back to the checkout's build (building if allowed).
    zakon="$prefix/zakon"
    if [ ! -x "$zakon" ]; then
        src=$(source_dir)
        zakon="$src/zakon"
        [ -x "$zakon" ] || die "no zakon binary in $prefix or $src to edit the settings with; run cargo build --release first"
    fi
    if [ "$dry_run" -eq 1 ]; then
        "$zakon" hooks uninstall --bin-dir "$prefix" --settings "$settings" --dry-run
        for b in $BINS; do
            if [ -e "$prefix/$b" ]; then say "would remove $prefix/$b"; fi
        done
        say "would keep your data:"
        keep_note
        exit 0
    fi
    "$zakon" hooks uninstall --bin-dir "$prefix" --settings "$settings" ||
        die "the settings could not be updated; nothing was removed"
    for b in $BINS; do
        if [ -e "$prefix/$b" ]; then
            rm -f "$prefix/$b"
            say "removed $prefix/$b"
        fi
    done
    rmdir "$prefix" 2>/dev/null || true
    say "zakon uninstalled. Your data stays:"
    keep_note
    exit 0
fi

src=$(source_dir)
for b in $BINS; do
    [ -x "$src/$b" ] || die "$src/$b is missing; build first (cargo build --release) or pass --from DIR"
done

# Check the settings file before anything is copied: a malformed settings.json stops the
# install with nothing changed.
"$src/zakon" hooks install --bin-dir "$prefix" --settings "$settings" --dry-run >/dev/null ||
    die "nothing was installed"

if [ "$dry_run" -eq 1 ]; then
    for b in $BINS; do
        if [ -e "$prefix/$b" ] && cmp -s "$src/$b" "$prefix/$b"; then
            say "unchanged $prefix/$b"
        else
            say "would install $prefix/$b"
        fi
    done
    if [ -e "$registry_dst" ]; then
        say "would keep your registry $registry_dst"
    elif [ -f "$registry_src" ]; then
        say "would install the default registry to $registry_dst"
    else
        say "no default registry at $registry_src; $registry_dst would stay missing"
    fi
    "$src/zakon" hooks install --bin-dir "$prefix" --settings "$settings" --dry-run
    exit 0
fi

mkdir -p "$prefix"
for b in $BINS; do
    if [ -e "$prefix/$b" ] && cmp -s "$src/$b" "$prefix/$b"; then
        continue
    fi
    # Copy then rename: a gate that is running right now keeps its old file.
    tmp="$prefix/.$b.new.$$"
    cp "$src/$b" "$tmp"
    chmod 755 "$tmp"
    mv -f "$tmp" "$prefix/$b"
    say "installed $prefix/$b"
done

if [ -e "$registry_dst" ]; then
    say "kept your registry $registry_dst"
elif [ -f "$registry_src" ]; then
    mkdir -p "$(dirname "$registry_dst")"
    cp "$registry_src" "$registry_dst"
    say "installed the default registry to $registry_dst"
else
    warn "no default registry at $registry_src; zakon-registry and ZAKON file writes will fail closed until $registry_dst exists"
fi

"$prefix/zakon" hooks install --bin-dir "$prefix" --settings "$settings"

if [ "$doctor" -eq 1 ]; then
    if ! "$prefix/zakon" doctor --bin-dir "$prefix" --settings "$settings"; then
        die "installed, but zakon doctor found a problem (✘ above); fix it and run $prefix/zakon doctor"
    fi
fi
say "Done: zakon is registered in $settings. Check it any time with: $prefix/zakon doctor"
