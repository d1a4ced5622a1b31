#!/bin/sh
# install.sh — one command from clone to protected.
#
# Builds the release binaries, copies them to ~/.claude/zakon/bin, installs the default ZAKON
# registry when none exists, merges the hook registrations into ~/.claude/settings.json
# (through `zakon hooks install`: no jq, no python) and runs `zakon doctor` to prove every
# gate blocks. Safe to run again: a second run changes nothing.
set -eu

BINS="claim-gate
artifact-gate
blueprint-gate
zakon-registry
zakon"
# Lists are one item a line and only newlines split them: install paths may hold spaces.
IFS='
'
# The file in the install directory that records this checkout (read by `zakon doctor`).
CHECKOUT_NOTE=.zakon-checkout

usage() {
    cat <<'EOF'
Usage: ./install.sh [OPTIONS]

Install zakon's gates and register them as Claude Code hooks.

Options:
  --prefix DIR           install the binaries here [default: ~/.claude/zakon/bin]
  --settings FILE        Claude Code settings to edit [default: ~/.claude/settings.json]
  --dry-run              print what would change (with a diff of the settings); write nothing
  --uninstall            remove the binaries and exactly the hook entries zakon added;
                         keeps your data (registry, audit log, violations, verdict, config,
                         artifact-gate's state)
  --from DIR             install prebuilt binaries from DIR instead of building (implies
                         --no-build)
  --no-build             do not run cargo; use target/release as it is
  --registry-source FILE the registry to install when none exists
                         [default: registry/zakon-registry.json in this checkout]
  --no-doctor            skip the final `zakon doctor` check
  --no-path              do not link the commands into ~/.local/bin
  --purge                with --uninstall: also delete zakon's data (audit log, violations,
                         verdicts, pauses, config, artifact-gate's state, your own
                         $TMPDIR/last-violations-*.sha) after asking; keeps the registry
  --yes                  answer yes to --purge's question (needed without a terminal)
  --managed              fleet install for every user (run as root): binaries in
                         /usr/local/lib/zakon/bin, config and registry in /etc/zakon, hooks in
                         /etc/claude-code/managed-settings.d/50-zakon.json (see the README,
                         "Fleet install"); with --uninstall removes them (--purge: /etc/zakon
                         too, without asking: config management runs without a terminal)
  --root DIR             with --managed: put every path under DIR (a staging tree) [default: /]
  -h, --help             show this help

The registry goes to $ZAKON_REGISTRY or ~/system/rules/zakon-registry.json and is never
overwritten. The previous settings file is kept as settings.json.zakon-backup whenever it
changes. The commands are linked into ~/.local/bin when that directory is on PATH (else the
line to add to your shell profile is printed); shell completions and man pages go to
~/.local/share. --uninstall finds the install from the hook registrations (no --prefix
needed) and exits 1 when there is nothing to uninstall. --dry-run never builds.
Exit codes: 0 done; 1 failed (or doctor found a problem, or nothing to uninstall); 2 bad usage.
EOF
}

say() { printf '%s\n' "$*"; }
warn() { printf 'install.sh: %s\n' "$*" >&2; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }
usage_error() { printf 'install.sh: %s\n(run ./install.sh --help)\n' "$*" >&2; exit 2; }

[ -n "${HOME:-}" ] || die "HOME is not set"

repo=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
default_prefix="$HOME/.claude/zakon/bin"
prefix="$default_prefix"
prefix_given=0
settings="$HOME/.claude/settings.json"
link_path=1
purge=0
yes=0
link_dir="$HOME/.local/bin"
moving=""
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
config_home="${XDG_CONFIG_HOME:-$HOME/.config}"
from=""
build=1
no_build=0
dry_run=0
uninstall=0
doctor=1
managed=0
managed_root=/
registry_src="$repo/registry/zakon-registry.json"
registry_dst="${ZAKON_REGISTRY:-$HOME/system/rules/zakon-registry.json}"

need_arg() { [ "$2" -ge 2 ] || usage_error "$1 needs a value"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) need_arg "$1" $#; prefix=$2; prefix_given=1; shift 2 ;;
        --prefix=*) prefix=${1#*=}; prefix_given=1; shift ;;
        --no-path) link_path=0; shift ;;
        --purge) purge=1; shift ;;
        --yes) yes=1; shift ;;
        --settings) need_arg "$1" $#; settings=$2; shift 2 ;;
        --settings=*) settings=${1#*=}; shift ;;
        --from) need_arg "$1" $#; from=$2; build=0; shift 2 ;;
        --from=*) from=${1#*=}; build=0; shift ;;
        --registry-source) need_arg "$1" $#; registry_src=$2; shift 2 ;;
        --registry-source=*) registry_src=${1#*=}; shift ;;
        --no-build) build=0; no_build=1; shift ;;
        --dry-run) dry_run=1; shift ;;
        --uninstall) uninstall=1; shift ;;
        --no-doctor) doctor=0; shift ;;
        --managed) managed=1; shift ;;
        --root) need_arg "$1" $#; managed_root=$2; shift 2 ;;
        --root=*) managed_root=${1#*=}; shift ;;
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
[ "$purge" -eq 0 ] || [ "$uninstall" -eq 1 ] || usage_error "--purge goes with --uninstall"
# A dry run shows what would change with the binaries already built; it never builds. Nor
# does an uninstall: it runs the installed zakon, or one already built here (under sudo
# there is usually no cargo, and a build failing with "nothing was installed" would confuse).
[ "$dry_run" -eq 0 ] || build=0
[ "$uninstall" -eq 0 ] || build=0

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

# $1: the verb before each file ("kept", or "would keep" in a dry run).
keep_note() {
    verb=${1:-kept}
    for f in "$registry_dst" "$HOME/.claude/zakon/audit.jsonl" "$HOME/.claude/zakon/violations.jsonl" \
        "$HOME/system/state/last-validator-verdict.json" "$HOME/system/state/validator-verdicts.jsonl" \
        "$HOME/.claude/zakon/config.json" "$HOME/.claude/zakon/state"; do
        if [ -e "$f" ]; then say "  $verb $f"; fi
    done
}

# Completion and man page files zakon writes, one per binary.
generated_files() {
    for b in $BINS; do
        printf '%s\n' "$data_home/bash-completion/completions/$b" "$data_home/zsh/site-functions/_$b" \
            "$config_home/fish/completions/$b.fish" "$data_home/man/man1/$b.1"
    done
}

# Links in ~/.local/bin that point at the binaries in $1.
our_links() {
    for b in $BINS; do
        if [ -L "$link_dir/$b" ] && [ "$(readlink "$link_dir/$b")" = "$1/$b" ]; then
            printf '%s\n' "$link_dir/$b"
        fi
    done
}

# The data --purge deletes (the default paths; the registry is the organisation's and stays).
if [ "$managed" -eq 1 ]; then
    # Managed mode: `zakon managed` validates the drop-in and writes every file root-owned,
    # by rename. A dry run never builds (above): it uses --from or the binaries already built.
    managed_root=$(absolute "$managed_root")
    # Uninstall needs no build: the installed zakon removes itself.
    installed="$managed_root/usr/local/lib/zakon/bin"
    if [ "$uninstall" -eq 1 ] && [ -z "$from" ] && [ -x "$installed/zakon" ]; then
        build=0
        from=$installed
    fi
    src=$(source_dir)
    [ -x "$src/zakon" ] || die "$src/zakon is missing; build first (cargo build --release) or pass --from DIR"
    dry=""
    if [ "$dry_run" -eq 1 ]; then dry=--dry-run; fi
    if [ "$uninstall" -eq 1 ]; then
        purge_flag=""
        if [ "$purge" -eq 1 ]; then purge_flag=--purge; fi
        exec "$src/zakon" managed uninstall --root "$managed_root" $dry $purge_flag
    fi
    "$src/zakon" managed install --root "$managed_root" --from "$src" \
        --registry-source "$registry_src" $dry || die "managed install failed"
    if [ "$dry_run" -eq 0 ] && [ "$doctor" -eq 1 ]; then
        "$managed_root/usr/local/lib/zakon/bin/zakon" doctor --managed --root "$managed_root" ||
            die "installed, but zakon doctor --managed found a problem (✘ above)"
    fi
    exit 0
fi
[ "$managed_root" = / ] || usage_error "--root goes with --managed"

purge_files() {
    for f in "$HOME/.claude/zakon/audit.jsonl" "$HOME/.claude/zakon/violations.jsonl" \
        "$HOME/.claude/zakon/pause.json" "$HOME/.claude/zakon/config.json" \
        "$HOME/.claude/zakon/state" \
        "$HOME/system/state/last-validator-verdict.json" "$HOME/system/state/validator-verdicts.jsonl"; do
        if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
    done
    dedup_caches
}

# claim-gate's per-session dedup caches in $TMPDIR: only this user's own files (as root, a
# wildcard there would take every user's).
dedup_caches() {
    find "${TMPDIR:-/tmp}/" -maxdepth 1 -type f -name 'last-violations-*.sha' -user "$(id -u)" 2>/dev/null || true
}

# Deletes one purged path: artifact-gate's state directory whole, anything else as a file.
purge_one() {
    if [ -d "$1" ] && [ ! -L "$1" ]; then rm -rf -- "$1"; else rm -f -- "$1"; fi
}

# The zakon beside each gate the settings register (a rough read of the JSON, only to find a
# zakon binary; `zakon hooks locate` then reads the file properly). One path per line.
zakon_from_settings() {
    [ -f "$settings" ] || return 0
    grep -o '"command": *"[^"]*"' "$settings" 2>/dev/null | while IFS= read -r line; do
        cmd=${line#*: }
        cmd=${cmd#\"}
        cmd=${cmd%\"}
        cmd=${cmd#\'}
        for g in claim-gate artifact-gate blueprint-gate; do
            case "$cmd" in
                */"$g"|*/"$g"\ *|*/"$g"\'*) printf '%s\n' "${cmd%%/"$g"*}/zakon" ;;
            esac
        done
    done
}

# The project settings in the current directory (other than the file this run edits) that
# register the install in $1; $2 is a zakon to read them with. One file a line. Removing
# that install leaves their gates pointing at nothing, so the caller warns.
project_users() {
    for f in "$(pwd)/.claude/settings.json" "$(pwd)/.claude/settings.local.json"; do
        if [ -f "$f" ] && [ "$f" != "$settings" ] &&
            "$2" hooks locate --settings "$f" 2>/dev/null | grep -Fx -- "$1" >/dev/null; then
            printf '%s\n' "$f"
        fi
    done
}

# `--uninstall --purge` after a plain uninstall: nothing is installed any more, but the data
# the first uninstall kept is still there, and the message then named this command.
purge_without_install() {
    [ "$purge" -eq 1 ] || return 0
    left=$(purge_files)
    [ -n "$left" ] || return 0
    if [ "$dry_run" -eq 1 ]; then
        for f in $left; do say "would delete (--purge) $f"; done
        exit 0
    fi
    if [ "$yes" -eq 0 ]; then
        say "zakon is not installed; --purge will delete its data:"
        printf '%s\n' "$left" | sed 's/^/  /'
        printf 'Delete these files? [y/N] '
        read -r answer || answer=""
        case "$answer" in
            y|Y|yes|YES) ;;
            *) die "not confirmed; nothing was removed" ;;
        esac
    fi
    for f in $left; do purge_one "$f"; say "deleted $f"; done
    rmdir "$HOME/.claude/zakon" 2>/dev/null || true
    say "zakon was not installed; its data is deleted."
    if [ -e "$registry_dst" ]; then say "  kept the registry $registry_dst (the organisation's rules; delete it by hand if you mean to)"; fi
    exit 0
}

if [ "$uninstall" -eq 1 ]; then
    if [ "$purge" -eq 1 ] && [ "$yes" -eq 0 ] && [ "$dry_run" -eq 0 ] && ! { [ -t 0 ] && [ -t 1 ]; }; then
        die "--purge deletes your audit log and violations and must ask first, but there is no terminal to ask on; add --yes to confirm, or run it in a terminal. Nothing was removed."
    fi
    # A zakon to read and edit the settings with: the installed one (where the registrations
    # point), else one on PATH, else this checkout's build.
    zakon=""
    for z in "$prefix/zakon" "$default_prefix/zakon" $(zakon_from_settings) \
        "${from:+$from/zakon}" "$(command -v zakon 2>/dev/null || true)" "$repo/target/release/zakon"; do
        if [ -n "$z" ] && [ -x "$z" ] && "$z" hooks locate --help >/dev/null 2>&1; then zakon=$z; break; fi
    done
    if [ -z "$zakon" ]; then
        for b in $BINS; do
            if [ -e "$prefix/$b" ] || [ -e "$default_prefix/$b" ]; then
                die "no working zakon binary in $prefix or $repo/target/release to edit the settings with; run cargo build --release first"
            fi
        done
        purge_without_install
        die "nothing to uninstall: no zakon binaries in $prefix, and no zakon to read $settings with"
    fi
    # Where zakon is installed: --prefix, else what the registrations name (their commands are
    # absolute paths), else the default directory if it holds the binaries.
    registered=$("$zakon" hooks locate --settings "$settings" 2>/dev/null || true)
    if [ "$prefix_given" -eq 1 ]; then
        dirs=$prefix
    else
        dirs=$registered
        if [ -z "$dirs" ] && [ -e "$default_prefix/zakon" ]; then dirs=$default_prefix; fi
    fi
    found=0
    for d in $dirs; do
        for b in $BINS; do if [ -e "$d/$b" ]; then found=1; fi; done
        if printf '%s\n' "$registered" | grep -Fx -- "$d" >/dev/null; then found=1; fi
    done
    # `hooks locate` leaves out registrations whose binaries are gone (an install moved or
    # deleted); with --prefix naming that directory, those stale entries are what to remove
    # (doctor's fix for them is this command).
    stale_here=0
    if [ "$prefix_given" -eq 1 ] && zakon_from_settings | grep -Fx -- "$prefix/zakon" >/dev/null; then
        stale_here=1
        found=1
    fi
    if [ "$found" -eq 0 ]; then
        purge_without_install
        die "nothing to uninstall: $settings registers no zakon gate${dirs:+ in $dirs} and no zakon binaries were found there. If you installed with --settings FILE, pass the same --settings."
    fi
    # Binaries another settings file still runs stay (uninstalling `--settings FILE` must
    # not break ~/.claude/settings.json): only this file's registrations go.
    default_settings="$HOME/.claude/settings.json"
    kept_dirs=""
    remove_dirs=$dirs
    still=""
    if [ "$settings" != "$default_settings" ] && [ -f "$default_settings" ]; then
        still=$("$zakon" hooks locate --settings "$default_settings" 2>/dev/null || true)
        remove_dirs=""
        for d in $dirs; do
            if printf '%s\n' "$still" | grep -Fx -- "$d" >/dev/null; then
                kept_dirs="$kept_dirs$d
"
            else
                remove_dirs="$remove_dirs$d
"
            fi
        done
    fi
    # Completions, man pages and the snapshot store serve whichever install is on the machine:
    # while ~/.claude/settings.json still runs an install this run does not remove (removing
    # a project's stale entries, say), they stay.
    live_elsewhere=""
    for d in $still; do
        if ! printf '%s\n' "$remove_dirs" | grep -Fx -- "$d" >/dev/null; then
            live_elsewhere="$live_elsewhere$d "
        fi
    done
    # The settings edit: --prefix's registrations, else every install the registrations name
    # (zakon finds them itself), in one write, so settings.json.zakon-backup is the file as it
    # was before this run. `which` holds one argument a line (IFS is a newline).
    registered_here=$stale_here
    for d in $dirs; do
        if printf '%s\n' "$registered" | grep -Fx -- "$d" >/dev/null; then registered_here=1; fi
    done
    which=""
    if [ "$prefix_given" -eq 1 ]; then which="--bin-dir
$prefix"; fi
    if [ "$dry_run" -eq 1 ]; then
        if [ "$registered_here" -eq 1 ]; then
            # zakon ends its own dry run with "dry run: nothing was written."; this one goes on
            # (binaries, links, data), so that line is said once, at the very end.
            # shellcheck disable=SC2086
            preview=$("$zakon" hooks uninstall $which --settings "$settings" --dry-run) ||
                die "zakon hooks uninstall --dry-run failed"
            printf '%s\n' "$preview" | grep -vx 'dry run: nothing was written\.' || true
        fi
        for d in $kept_dirs; do
            say "would keep the binaries in $d: $default_settings still registers them"
        done
        for d in $remove_dirs; do
            for b in $BINS; do
                if [ -e "$d/$b" ]; then say "would remove $d/$b"; fi
            done
            for l in $(our_links "$d"); do say "would remove the link $l"; done
        done
        if [ -n "$live_elsewhere" ]; then
            say "would keep the completions, man pages and snapshot store: $default_settings still runs zakon from ${live_elsewhere% }"
        elif [ -n "$remove_dirs" ]; then
            for f in $(generated_files); do
                if [ -e "$f" ]; then say "would remove $f"; fi
            done
            if [ -d "$HOME/.claude/zakon/snapshots" ]; then
                say "would remove the snapshot store $HOME/.claude/zakon/snapshots (only the hooks use it)"
            fi
        fi
        if [ "$purge" -eq 1 ]; then
            for f in $(purge_files); do say "would delete (--purge) $f"; done
        else
            say "would keep your data:"
            keep_note "would keep"
        fi
        say "dry run: nothing was written."
        exit 0
    fi
    if [ "$purge" -eq 1 ] && [ "$yes" -eq 0 ]; then
        say "--purge will delete:"
        purge_files | sed 's/^/  /'
        printf 'Delete these files? [y/N] '
        read -r answer || answer=""
        case "$answer" in
            y|Y|yes|YES) ;;
            *) die "not confirmed; nothing was removed" ;;
        esac
    fi
    if [ "$registered_here" -eq 1 ]; then
        # shellcheck disable=SC2086
        "$zakon" hooks uninstall $which --settings "$settings" ||
            die "the settings could not be updated; nothing was removed"
    fi
    for d in $kept_dirs; do
        say "kept the binaries in $d: $default_settings still registers them (./install.sh --uninstall removes them)"
    done
    if [ -z "$remove_dirs" ]; then
        say "zakon's hooks were removed from $settings. Your data stays (the gates $default_settings still registers use it):"
        keep_note
        exit 0
    fi
    # Without the hooks nothing restores from the snapshot store any more: remove it first,
    # with a blueprint-gate that is still there.
    clear_with=$remove_dirs
    if [ -n "$live_elsewhere" ]; then
        say "kept the completions, man pages and snapshot store: $default_settings still runs zakon from ${live_elsewhere% }"
        clear_with=""
    fi
    for d in $clear_with; do
        if [ -x "$d/blueprint-gate" ]; then
            if "$d/blueprint-gate" snapshot --clear >/dev/null; then
                say "removed the snapshot store $HOME/.claude/zakon/snapshots (only the hooks use it)"
            else
                warn "the snapshot store could not be removed"
            fi
            break
        fi
    done
    for d in $remove_dirs; do
        for f in $(project_users "$d" "$zakon"); do
            warn "warning: $f still registers the gates in $d, which this uninstall removes; its hooks will fail to run (the gates are OFF there). Remove those entries: ./install.sh --uninstall --prefix $d --settings $f (from the zakon checkout)"
        done
    done
    # The zakon running above may be one of the binaries removed below: it has done its work.
    for d in $remove_dirs; do
        for l in $(our_links "$d"); do rm -f "$l"; say "removed the link $l"; done
        for b in $BINS; do
            if [ -e "$d/$b" ]; then
                rm -f "$d/$b"
                say "removed $d/$b"
            fi
        done
        rm -f "$d/$CHECKOUT_NOTE"
        rmdir "$d" 2>/dev/null || true
    done
    if [ -z "$live_elsewhere" ]; then
        for f in $(generated_files); do
            if [ -e "$f" ]; then rm -f "$f"; say "removed $f"; fi
        done
    fi
    if [ "$purge" -eq 1 ]; then
        for f in $(purge_files); do purge_one "$f"; say "deleted $f"; done
        rmdir "$HOME/.claude/zakon" 2>/dev/null || true
        say "zakon uninstalled and its data deleted."
        if [ -e "$registry_dst" ]; then say "  kept the registry $registry_dst (the organisation's rules; delete it by hand if you mean to)"; fi
    else
        say "zakon uninstalled. Your data stays (./install.sh --uninstall --purge deletes it):"
        keep_note
    fi
    exit 0
fi

# Puts the commands on PATH: links in ~/.local/bin when that is on PATH, else the exact line
# to add. $1 = 1 for a dry run (say what would happen).
path_setup() {
    case ":$PATH:" in
        *":$prefix:"*) return ;;
    esac
    if [ "$link_path" -eq 1 ]; then
        case ":$PATH:" in
            *":$link_dir:"*)
                for b in $BINS; do
                    if [ -L "$link_dir/$b" ] && [ "$(readlink "$link_dir/$b")" = "$prefix/$b" ]; then
                        continue
                    fi
                    # A link into the install being moved: the real run removes it first
                    # (move_from), then links anew.
                    if [ "$1" -eq 1 ] && [ -L "$link_dir/$b" ] &&
                        printf '%s\n' "$moving" | grep -Fx -- "$(dirname -- "$(readlink "$link_dir/$b")")" >/dev/null; then
                        say "would relink $link_dir/$b -> $prefix/$b (was $(readlink "$link_dir/$b"))"
                        continue
                    fi
                    if [ -e "$link_dir/$b" ] || [ -L "$link_dir/$b" ]; then
                        warn "$link_dir/$b exists and is not zakon's link; left alone (run $prefix/$b by its full path)"
                        continue
                    fi
                    if [ "$1" -eq 1 ]; then
                        say "would link $link_dir/$b -> $prefix/$b"
                    else
                        mkdir -p "$link_dir"
                        ln -s "$prefix/$b" "$link_dir/$b"
                        say "linked $link_dir/$b -> $prefix/$b"
                    fi
                done
                return ;;
        esac
    fi
    say "$prefix is not on your PATH. To run claim-gate, zakon and the others by name, add this line"
    say "to your shell profile (~/.profile, ~/.bashrc or ~/.zshrc) and open a new shell:"
    say "  export PATH=\"$prefix:\$PATH\""
    # man finds ~/.local/share/man through ~/.local/bin on PATH; without it, say so too.
    say "and, for \`man zakon\`, this one (with MANPATH unset, the colon it ends with keeps the system's manuals):"
    say "  export MANPATH=\"$data_home/man:\$MANPATH\""
}

# Completions and man pages, generated by the installed zakon; a file is replaced only when
# its content changes, so a second install changes nothing and says they are up to date (as
# it says "kept your registry" and "already installed; nothing written").
install_generated() {
    gen=$(mktemp -d "${TMPDIR:-/tmp}/zakon-gen.XXXXXX")
    "$prefix/zakon" completions bash --dir "$gen/bash" >/dev/null
    "$prefix/zakon" completions zsh --dir "$gen/zsh" >/dev/null
    "$prefix/zakon" completions fish --dir "$gen/fish" >/dev/null
    "$prefix/zakon" man --dir "$gen/man" >/dev/null
    written=0
    for pair in "bash:$data_home/bash-completion/completions" "zsh:$data_home/zsh/site-functions" \
        "fish:$config_home/fish/completions" "man:$data_home/man/man1"; do
        kind=${pair%%:*}
        dest=${pair#*:}
        mkdir -p "$dest"
        for f in "$gen/$kind"/*; do
            name=$(basename "$f")
            if ! cmp -s "$f" "$dest/$name"; then
                cp "$f" "$dest/$name"
                written=$((written + 1))
            fi
        done
    done
    rm -rf "$gen"
    if [ "$written" -eq 0 ]; then
        say "completions (bash, zsh, fish) and man pages up to date under $data_home and $config_home/fish"
    else
        say "installed completions (bash, zsh, fish) and man pages under $data_home and $config_home/fish"
    fi
}

# Installs the settings register in another directory than $prefix (an install moved with
# --prefix). Installing moves it: those registrations, binaries and links are removed, so no
# gate runs twice for one call. One directory per line.
previous_installs() {
    "$src/zakon" hooks locate --settings "$settings" 2>/dev/null | while IFS= read -r d; do
        if [ "$(cd "$d" 2>/dev/null && pwd -P)" != "$(cd "$prefix" 2>/dev/null && pwd -P)" ] && [ "$d" != "$prefix" ]; then
            printf '%s\n' "$d"
        fi
    done
}

# `--replace DIR` for every directory given, one argument a line (IFS is a newline).
replace_args() {
    for d in "$@"; do printf '%s\n%s\n' --replace "$d"; done
}

# Removes the install in $1 (binaries, links; its registrations leave in the same write that
# adds the new ones: `zakon hooks install --replace`); $2 = 1 for a dry run.
move_from() {
    for f in $(project_users "$1" "$src/zakon"); do
        warn "warning: $f still registers the gates in $1, which this move removes; its hooks will fail to run (the gates are OFF there). Re-point it: $prefix/zakon hooks install --bin-dir $prefix --settings $f --replace $1"
    done
    if [ "$2" -eq 1 ]; then
        say "would move the install from $1: remove its hook registrations, binaries and links"
        return
    fi
    for l in $(our_links "$1"); do rm -f "$l"; done
    for b in $BINS; do rm -f "$1/$b"; done
    rm -f "$1/$CHECKOUT_NOTE"
    rmdir "$1" 2>/dev/null || true
    say "moved the install: removed the previous one in $1 (its registrations, binaries and links)"
}

src=$(source_dir)
if [ "$dry_run" -eq 1 ] && [ ! -x "$src/zakon" ]; then
    say "dry run: nothing is built yet in $src, and a dry run does not build."
    if [ "$no_build" -eq 1 ]; then
        say "A real run with --no-build would stop here too (it does not build). Build first (cargo build --release)"
        say "or drop --no-build, then run ./install.sh --dry-run again. Nothing was written."
        exit 0
    fi
    say "A real run would: build the release binaries (cargo build --release), copy the five binaries to $prefix,"
    say "install the default registry to $registry_dst if none exists, and merge the hook registrations"
    say "into $settings. To see the exact diff of $settings, build first (cargo build --release) and"
    say "run ./install.sh --dry-run again. Nothing was written."
    exit 0
fi
for b in $BINS; do
    [ -x "$src/$b" ] || die "$src/$b is missing; build first (cargo build --release) or pass --from DIR"
done

# Check the settings file before anything is copied: a malformed settings.json stops the
# install with nothing changed.
# (Its notes about registrations in another directory are for `zakon hooks install` run by
# hand; install.sh moves such an install below and says so.)
if ! check_err=$("$src/zakon" hooks install --bin-dir "$prefix" --settings "$settings" --dry-run 2>&1 >/dev/null); then
    printf '%s\n' "$check_err" >&2
    die "nothing was installed"
fi

if [ "$dry_run" -eq 1 ]; then
    if [ -z "$from" ] && [ "$no_build" -eq 1 ]; then
        say "dry run: comparing with the binaries already built in $src (a real run with --no-build installs these as they are; it does not rebuild)"
    elif [ -z "$from" ]; then
        say "dry run: comparing with the binaries already built in $src (a real run rebuilds first)"
    fi
    for b in $BINS; do
        if [ -e "$prefix/$b" ] && cmp -s "$src/$b" "$prefix/$b"; then
            say "unchanged $prefix/$b"
        else
            say "would install $prefix/$b"
        fi
    done
    moving=$(previous_installs)
    for d in $moving; do move_from "$d" 1; done
    path_setup 1
    if [ -e "$registry_dst" ]; then
        say "would keep your registry $registry_dst"
    elif [ -f "$registry_src" ]; then
        say "would install the default registry to $registry_dst"
    else
        say "no default registry at $registry_src; $registry_dst would stay missing"
    fi
    # The diff is the real run's: the moved install's registrations out, the new ones in.
    # shellcheck disable=SC2086 # one argument a line (IFS is a newline)
    "$src/zakon" hooks install --bin-dir "$prefix" --settings "$settings" --dry-run $(replace_args $moving) 2>/dev/null
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
# The checkout this install came from: `zakon doctor` names it in the fix for a missing
# binary (`cd CHECKOUT && ./install.sh`), since install.sh exists only there.
if [ "$(cat "$prefix/$CHECKOUT_NOTE" 2>/dev/null || true)" != "$repo" ]; then
    printf '%s\n' "$repo" >"$prefix/$CHECKOUT_NOTE"
fi
# After the copy: the new binaries may have come from the old directory (--from).
moving=$(previous_installs)

if [ -e "$registry_dst" ]; then
    say "kept your registry $registry_dst"
elif [ -f "$registry_src" ]; then
    mkdir -p "$(dirname "$registry_dst")"
    cp "$registry_src" "$registry_dst"
    say "installed the default registry to $registry_dst"
else
    warn "no default registry at $registry_src; zakon-registry and ZAKON file writes will fail closed until $registry_dst exists"
fi

# One write takes the moved install's registrations out and puts the new ones in, so the
# backup (settings.json.zakon-backup) holds the file as it was before this run, exactly as
# for an install that moves nothing.
# shellcheck disable=SC2086 # one argument a line (IFS is a newline)
"$prefix/zakon" hooks install --bin-dir "$prefix" --settings "$settings" $(replace_args $moving)
for d in $moving; do move_from "$d" 0; done

# The effects check restores guarded files from zakon's snapshot store; seed it now (the
# installed binaries, the settings just written, the config, registry and rule files) so the
# first tool call already has a baseline. See README, "The effects check".
"$prefix/blueprint-gate" snapshot --init --bin-dir "$prefix" >/dev/null ||
    die "installed, but the snapshot store could not be seeded; run $prefix/blueprint-gate snapshot --init --bin-dir $prefix"
install_generated
path_setup 0

# The doctor command to print: it checks the file this run registered in, so a run with
# --settings FILE names it (doctor's default is ~/.claude/settings.json).
# Quoted for a shell only where a path needs it, so the line runs as printed.
shq() {
    case $1 in
        *[!A-Za-z0-9_./+:=@%-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
        *) printf '%s' "$1" ;;
    esac
}
doctor_cmd="$(shq "$prefix/zakon") doctor"
if [ "$settings" != "$HOME/.claude/settings.json" ]; then
    doctor_cmd="$doctor_cmd --settings $(shq "$settings")"
fi
if [ "$doctor" -eq 1 ]; then
    if ! "$prefix/zakon" doctor --bin-dir "$prefix" --settings "$settings"; then
        die "installed, but zakon doctor found a problem (✘ above); fix it and run $doctor_cmd"
    fi
fi
say "Done: zakon is registered in $settings. Check it any time with: $doctor_cmd"
