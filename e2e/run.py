#!/usr/bin/env python3
"""zakon's end-to-end suite: the real Claude Code CLI, a scripted model, zakon installed the
way users install it.

    python3 e2e/run.py [SCENARIO.json | NAME ...] [--keep] [-v]

With no files, runs every e2e/scenarios/*.json in name order; an argument that is neither a
scenario file nor the name of one fails the run (exit 2) before anything runs. Exit 0 when every scenario
holds (scenarios listed in e2e/expected-failures.json may fail, loudly); 1 when one fails;
2 when the client or zakon's binaries are missing — the suite never skips.

Per scenario:
  1. a temporary root /tmp/zakon-e2e.XXXX with home/ (HOME), proj/ (cwd) and tmp/ (TMPDIR);
  2. zakon installed into it:
       mode "user":    HOME=<root>/home ./install.sh --from $ZAKON_BIN_DIR --no-doctor
       mode "plugin":  claude plugin marketplace add <a copy of .claude-plugin/ and plugin/>,
                       claude plugin install zakon@zakon (see install_plugin());
       mode "managed": ./install.sh --managed --root <root> --from $ZAKON_BIN_DIR, where
                       <root>/etc and <root>/usr/local/lib start as copies of the real ones
                       and <root>/etc/passwd gains the user "zagent" (uid 4242);
  3. the scenario's "before" shell lines (as root, HOME=<root>/home, cwd=<root>/proj);
  4. each run: mock_model.py serves the scripted replies on 127.0.0.1, then
       claude -p PROMPT --output-format stream-json --verbose
              --permission-mode bypassPermissions --debug-file <run dir>/debug.log
     In managed mode claude runs inside a private mount namespace (unshare -m) where
     <root>/etc is bind-mounted over /etc and <root>/usr/local/lib over /usr/local/lib, as
     zagent (setpriv --reuid=4242): the real client reads the installed managed settings,
     and the agent is an ordinary user. Without permission for unshare (not root) the
     scenario is reported as SKIP with the reason — the only skip there is, printed loudly
     in the summary; ZAKON_E2E_NO_SKIP=1 turns it into a failure.
  5. the "expect" checks (see check()), then the temporary root is removed (--keep keeps it).

Environment: CLAUDE_BIN (the client; default: found under $ZAKON_CC_CACHE, default
~/.cache/zakon-e2e/cc, where .ci/run installs it with npm), ZAKON_BIN_DIR (default
target/release). Nothing is written outside the temporary root and the real /etc is never
touched: the managed tree is a copy, mounted only inside the namespace.

Scenario placeholders: {root} {home} {proj} {tmp} {etc} (the /etc the client sees, on
disk) {bin} (the installed binaries, on disk) {evid} (fresh digits) {today} {python}
{e2e} (this directory). "after" shell lines run whatever happened (clean /tmp/evidence-*).
"""

import argparse
import glob
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
AGENT_UID = 4242
# "Hooks: Stop [/path/claim-gate] finished with status 2 (12ms)" in the --debug-file.
# A plugin's hook carries "(plugin zakon@zakon)" after the command.
HOOK_RUN = re.compile(r"Hooks: (\w+)(?::\S+)? \[(.+?)\] (?:\(plugin [^)]*\) )?"
                      r"(?:(?:finished|completed) with status (-?\d+)|(timed out))")


def cc_cache():
    return os.environ.get("ZAKON_CC_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "zakon-e2e", "cc")


def find_claude():
    given = os.environ.get("CLAUDE_BIN")
    if given:
        return given if os.access(given, os.X_OK) else None
    base = os.path.join(cc_cache(), "node_modules", "@anthropic-ai")
    for pattern in ("claude-code-linux-*/claude", "claude-code/bin/claude.exe"):
        for path in sorted(glob.glob(os.path.join(base, pattern))):
            if os.access(path, os.X_OK):
                return os.path.realpath(path)
    return None


def fill(obj, values):
    if isinstance(obj, str):
        for k, v in values.items():
            obj = obj.replace("{%s}" % k, v)
        return obj
    if isinstance(obj, list):
        return [fill(x, values) for x in obj]
    if isinstance(obj, dict):
        return {k: fill(v, values) for k, v in obj.items()}
    return obj


def jsonl(path):
    out = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        out.append({"unparsed": line})
    except FileNotFoundError:
        pass
    return out


def text_of(content):
    if isinstance(content, str):
        return content
    parts = []
    for b in content or []:
        if isinstance(b, dict):
            if b.get("type") == "text":
                parts.append(b.get("text", ""))
            elif b.get("type") == "tool_result":
                parts.append(text_of(b.get("content")))
    return "\n".join(parts)


def client_env(home, tmp, port, extra):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": tmp,
           "LANG": "C.UTF-8", "ANTHROPIC_API_KEY": "sk-e2e-not-a-key",
           "ANTHROPIC_BASE_URL": "http://127.0.0.1:%d" % port if port else "",
           "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1",
           "DISABLE_TELEMETRY": "1", "DISABLE_ERROR_REPORTING": "1", "IS_SANDBOX": "1"}
    env.update(extra or {})
    return {k: v for k, v in env.items() if v != ""}


class Skip(Exception):
    pass


class Scenario:
    def __init__(self, path, claude, bin_dir, keep, verbose):
        with open(path, encoding="utf-8") as f:
            self.spec = json.load(f)
        self.file = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.claude, self.bin_dir, self.keep, self.verbose = claude, bin_dir, keep, verbose
        self.mode = self.spec.get("mode", "user")
        self.managed = self.mode == "managed"
        self.root = tempfile.mkdtemp(prefix="zakon-e2e.", dir="/tmp")
        os.chmod(self.root, 0o755)
        self.home, self.proj, self.tmp = (os.path.join(self.root, d)
                                          for d in ("home", "proj", "tmp"))
        for d in (self.home, self.proj, self.tmp):
            os.makedirs(d)
        self.values = {
            "root": self.root, "home": self.home, "proj": self.proj, "tmp": self.tmp,
            "etc": os.path.join(self.root, "etc") if self.managed else "/etc",
            "bin": os.path.join(self.root, "usr/local/lib/zakon/bin") if self.managed
            else os.path.join(self.home, ".claude/zakon/bin"),
            "evid": str(random.randint(10 ** 8, 10 ** 9 - 1)),
            "today": time.strftime("%Y-%m-%d", time.gmtime()), "python": sys.executable,
            "e2e": HERE}
        self.spec = fill(self.spec, self.values)
        self.runs = []

    def sh(self, line, timeout=60):
        env = client_env(self.home, self.tmp, None, {"ZAKON_E2E_ROOT": self.root})
        r = subprocess.run(["sh", "-c", line], cwd=self.proj, env=env, capture_output=True,
                           text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("`%s` exited %d: %s" % (line, r.returncode,
                                                       (r.stdout + r.stderr)[-2000:]))
        return r.stdout

    def install(self):
        if self.mode == "plugin":
            self.install_plugin()
            return
        if not self.managed:
            self.sh("%s --from %s --no-doctor" % (os.path.join(REPO, "install.sh"),
                                                  self.bin_dir), timeout=120)
            return
        probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
        if probe.returncode != 0:
            raise Skip("unshare -m is not permitted here (%s)" % probe.stderr.strip())
        # The client reads the real /etc/claude-code: build a copy of /etc and
        # /usr/local/lib, install into it, and mount it only inside the namespace.
        etc = os.path.join(self.root, "etc")
        subprocess.run(["cp", "-a", "/etc", etc], check=True)
        os.makedirs(os.path.join(self.root, "usr/local"))
        subprocess.run(["cp", "-a", "/usr/local/lib", os.path.join(self.root, "usr/local")],
                       check=True)
        for stale in ("claude-code", "zakon"):
            shutil.rmtree(os.path.join(etc, stale), ignore_errors=True)
        with open(os.path.join(etc, "passwd"), "a") as f:
            f.write("zagent:x:%d:%d:zakon e2e agent:%s:/bin/sh\n" % (AGENT_UID, AGENT_UID,
                                                                     self.home))
        with open(os.path.join(etc, "group"), "a") as f:
            f.write("zagent:x:%d:\n" % AGENT_UID)
        self.sh("%s --managed --root %s --from %s" % (os.path.join(REPO, "install.sh"),
                                                       self.root, self.bin_dir), timeout=120)
        open(os.path.join(self.root, "claude"), "w").close()

    def install_plugin(self):
        """The marketplace way, with the real client: a copy of this repository's marketplace
        (.claude-plugin/ and plugin/, links kept) whose target/release holds $ZAKON_BIN_DIR's
        binaries, then
        `claude plugin marketplace add` and `claude plugin install zakon@zakon`. The registry
        is copied by hand, as the README says (the plugin does not install it)."""
        mk = os.path.join(self.root, "marketplace")
        release = os.path.join(mk, "target", "release")
        os.makedirs(release)
        for d in (".claude-plugin", "plugin"):
            subprocess.run(["cp", "-a", os.path.join(REPO, d), mk], check=True)
        # Copies, not a link to $ZAKON_BIN_DIR: the client skips links that lead out of the
        # marketplace directory when it copies a plugin into its cache.
        for b in ("claim-gate", "artifact-gate", "blueprint-gate", "zakon-registry", "zakon"):
            shutil.copy2(os.path.join(self.bin_dir, b), release)
        rules = os.path.join(self.home, "system", "rules")
        os.makedirs(rules)
        shutil.copy(os.path.join(REPO, "registry", "zakon-registry.json"), rules)
        env = client_env(self.home, self.tmp, None, None)
        for args in (["plugin", "marketplace", "add", mk], ["plugin", "install", "zakon@zakon"]):
            r = subprocess.run([self.claude] + args, cwd=self.proj, env=env,
                               capture_output=True, text=True, timeout=120,
                               stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                raise RuntimeError("claude %s exited %d: %s" % (
                    " ".join(args), r.returncode, (r.stdout + r.stderr)[-2000:]))

    def hand_over(self):
        """In managed mode the agent owns its home, project and temp dir; nothing else."""
        if self.managed:
            for d in (self.home, self.proj, self.tmp):
                subprocess.run(["chown", "-R", "%d:%d" % (AGENT_UID, AGENT_UID), d],
                               check=True)

    def command(self, args):
        if not self.managed:
            return [self.claude] + args
        mounts = ('mount --bind "$R/etc" /etc && '
                  'mount --bind "$R/usr/local/lib" /usr/local/lib && '
                  'mount --bind "$C" "$R/claude" && '
                  'exec setpriv --reuid=%d --regid=%d --clear-groups -- "$R/claude" "$@"'
                  % (AGENT_UID, AGENT_UID))
        return ["env", "R=" + self.root, "C=" + self.claude, "unshare", "-m",
                "--propagation", "private", "--", "sh", "-c", mounts, "sh"] + args

    def run_client(self, i, run):
        d = os.path.join(self.root, "run%d" % i)
        os.makedirs(d)
        if self.managed:
            os.chown(d, AGENT_UID, AGENT_UID)
        script = {"agents": run.get("agents", []), "latency_s": run.get("latency_s", 0.2)}
        with open(os.path.join(d, "script.json"), "w") as f:
            json.dump(script, f)
        port_file = os.path.join(d, "port")
        mock = subprocess.Popen([sys.executable, os.path.join(HERE, "mock_model.py"),
                                 "--script", os.path.join(d, "script.json"), "--log",
                                 os.path.join(d, "requests.jsonl"), "--port-file", port_file],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(d, "mock.err"), "w"))
        try:
            port = None
            for _ in range(200):
                if os.path.exists(port_file):
                    port = int(open(port_file).read())
                    break
                time.sleep(0.05)
            if port is None:
                raise RuntimeError("mock_model.py did not start (see %s/mock.err)" % d)
            debug = os.path.join(d, "debug.log")
            args = ["-p", run["prompt"], "--output-format", "stream-json", "--verbose",
                    "--permission-mode", "bypassPermissions", "--debug-file", debug]
            args += run.get("args", [])
            env = client_env(self.home, self.tmp, port, run.get("env"))
            t0 = time.time()
            with open(os.path.join(d, "stream.jsonl"), "w") as out, \
                    open(os.path.join(d, "stderr.txt"), "w") as err:
                p = subprocess.Popen(self.command(args), cwd=self.proj, env=env, stdout=out,
                                     stderr=err, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
                try:
                    code = p.wait(run.get("timeout", 120))
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    code = "timeout"
        finally:
            mock.terminate()
            mock.wait(10)
        gates = []
        for line in open(debug, errors="replace") if os.path.exists(debug) else []:
            m = HOOK_RUN.search(line)
            if m:
                status = int(m.group(3)) if m.group(3) else "timeout"
                gates.append({"event": m.group(1), "command": m.group(2), "status": status})
        self.runs.append({"dir": d, "code": code, "wall": time.time() - t0, "gates": gates,
                          "requests": jsonl(os.path.join(d, "requests.jsonl")),
                          "stream": jsonl(os.path.join(d, "stream.jsonl"))})

    def check(self, c):
        """One expectation; returns None when it holds, else what was seen."""
        kind = c["kind"]
        run = self.runs[c.get("run", 0)]
        if kind == "exit":
            return None if run["code"] == c["code"] else "exit %s, want %s" % (
                run["code"], c["code"])
        if kind == "gate":
            # Hook runs of one gate for one event, in order (from claude's debug log).
            st = [g["status"] for g in run["gates"]
                  if g["event"] == c["event"] and c["gate"] in g["command"]]
            if "statuses" in c and st != c["statuses"]:
                return "%s %s statuses %s, want %s" % (c["event"], c["gate"], st,
                                                      c["statuses"])
            if "includes" in c and c["includes"] not in st:
                return "%s %s statuses %s lack %s" % (c["event"], c["gate"], st,
                                                     c["includes"])
            if "all" in c and (not st or any(s != c["all"] for s in st)):
                return "%s %s statuses %s, want all %s" % (c["event"], c["gate"], st,
                                                           c["all"])
            return None
        if kind == "requests":
            n = len([r for r in run["requests"] if r.get("kind") == "agent"
                     and r.get("agent") == c.get("agent", "main")])
            return self.count(c, n)
        if kind == "model_saw":
            # What the model was sent at reply number `turn`: the user-side messages after
            # its last reply (or the whole request with "scope": "all").
            reqs = [r for r in run["requests"] if r.get("kind") == "agent"
                    and r.get("agent") == c.get("agent", "main") and r["turn"] == c["turn"]]
            if not reqs:
                return "no request for reply %d of %s" % (c["turn"], c.get("agent", "main"))
            msgs = reqs[-1]["body"].get("messages", [])
            if c.get("scope") == "all":
                text = json.dumps(reqs[-1]["body"], ensure_ascii=False)
            else:
                last = max([i for i, m in enumerate(msgs) if m.get("role") == "assistant"],
                           default=-1)
                text = "\n".join(text_of(m.get("content")) for m in msgs[last + 1:])
            return self.text(c, text)
        if kind == "file":
            p = c["path"]
            if "exists" in c and os.path.exists(p) != c["exists"]:
                return "%s %s" % (p, "exists" if os.path.exists(p) else "is missing")
            if any(k in c for k in ("contains", "not_contains")):
                try:
                    return self.text(c, open(p, errors="replace").read())
                except OSError as e:
                    return "cannot read %s: %s" % (p, e)
            return None
        if kind == "audit":
            lines = jsonl(os.path.join(self.home, ".claude/zakon/audit.jsonl"))
            hits = [x for x in lines if all(x.get(k) == v for k, v in c["where"].items())]
            return self.count(c, len(hits))
        if kind == "result":
            res = [r for r in run["stream"] if r.get("type") == "result"]
            if not res:
                return "no result line in the stream"
            return self.text(c, res[-1].get("result") or "")
        return "unknown check kind %r" % kind

    @staticmethod
    def count(c, n):
        for key, ok in (("count", lambda w: n == w), ("min", lambda w: n >= w),
                        ("max", lambda w: n <= w)):
            if key in c and not ok(c[key]):
                return "count %d, want %s %d" % (n, key, c[key])
        return None

    @staticmethod
    def text(c, text):
        for s in c.get("contains", []):
            if s not in text:
                return "lacks %r (text starts %r)" % (s, text[:300])
        for s in c.get("not_contains", []):
            if s in text:
                return "has %r" % s
        return None

    def play(self):
        """(status, problems): status is PASS, FAIL or SKIP."""
        problems = []
        try:
            self.install()
            for line in self.spec.get("before", []):
                self.sh(line)
            self.hand_over()
            for i, run in enumerate(self.spec["runs"]):
                self.run_client(i, run)
            for c in self.spec.get("expect", []):
                try:
                    why = self.check(c)
                except Exception as e:  # a check that cannot be evaluated fails
                    why = "check error %r" % (e,)
                if why:
                    problems.append("%s: %s" % (c.get("name", c["kind"]), why))
        except Skip as e:
            return "SKIP", [str(e)]
        except Exception as e:
            problems.append("error: %s" % e)
        finally:
            for line in self.spec.get("after", []):
                subprocess.run(["sh", "-c", line], cwd="/tmp", capture_output=True,
                               timeout=30)
            if not self.keep:
                shutil.rmtree(self.root, ignore_errors=True)
        return ("FAIL" if problems else "PASS"), problems

    def summary(self):
        return "; ".join("run%d exit=%s %.1fs gates=%s" % (
            i, r["code"], r["wall"], ",".join("%s:%s=%s" % (
                g["event"], os.path.basename(g["command"].split()[0].strip('"')), g["status"])
                for g in r["gates"] if "zakon" in g["command"] or "-gate" in g["command"]))
            for i, r in enumerate(self.runs))


def all_names():
    return [os.path.splitext(os.path.basename(p))[0]
            for p in sorted(glob.glob(os.path.join(HERE, "scenarios", "*.json")))]


def select(args):
    """The scenario files to run: every one without arguments; else each argument as a
    file, or as a name in e2e/scenarios/ (with or without .json). Returns (files, the
    arguments that match none)."""
    if not args:
        return sorted(glob.glob(os.path.join(HERE, "scenarios", "*.json"))), []
    files, unknown = [], []
    for arg in args:
        named = os.path.join(HERE, "scenarios", arg if arg.endswith(".json") else arg + ".json")
        if os.path.isfile(arg) and arg.endswith(".json"):
            files.append(arg)
        elif os.path.isfile(named):
            files.append(named)
        else:
            unknown.append(arg)
    return files, unknown


def main():
    ap = argparse.ArgumentParser(description="zakon e2e in the real Claude Code CLI")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--keep", action="store_true", help="keep each temporary root")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    # The scenarios first: a filter that names nothing must fail, not run nothing and pass.
    files, unknown = select(a.scenarios)
    if unknown or not files:
        print("e2e: FAIL: no scenario matches %s; the scenarios are e2e/scenarios/*.json "
              "(give a file or a name: %s). Nothing was run."
              % (", ".join(repr(u) for u in unknown) or "(none found)",
                 ", ".join(all_names())), file=sys.stderr)
        return 2
    claude = find_claude()
    if not claude:
        print("e2e: FAIL: no Claude Code client. Install it with:\n  npm install --prefix "
              "%s @anthropic-ai/claude-code@2.1.328\nor set CLAUDE_BIN." % cc_cache(),
              file=sys.stderr)
        return 2
    bin_dir = os.path.abspath(os.environ.get("ZAKON_BIN_DIR",
                                             os.path.join(REPO, "target", "release")))
    missing = [b for b in ("claim-gate", "artifact-gate", "blueprint-gate", "zakon-registry",
                           "zakon") if not os.access(os.path.join(bin_dir, b), os.X_OK)]
    if missing:
        print("e2e: FAIL: %s missing in %s (cargo build --release)" % (missing, bin_dir),
              file=sys.stderr)
        return 2
    with open(os.path.join(HERE, "expected-failures.json")) as f:
        expected = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    version = subprocess.run([claude, "--version"], capture_output=True, text=True,
                             timeout=60).stdout.strip()
    print("e2e: %s at %s; zakon from %s" % (version, claude, bin_dir), flush=True)
    tally = {"PASS": 0, "FAIL": 0, "SKIP": 0, "XFAIL": 0, "XPASS": 0}
    t0 = time.time()
    for path in files:
        sc = Scenario(path, claude, bin_dir, a.keep, a.verbose)
        started = time.time()
        status, problems = sc.play()
        until = expected.get(sc.name)
        if until and status == "FAIL":
            status = "XFAIL"
        elif until and status == "PASS":
            status = "XPASS"
        tally[status] += 1
        print("%-5s %s (%.1fs) %s" % (status, sc.name, time.time() - started, sc.summary()),
              flush=True)
        if until:
            print("      !!! listed in e2e/expected-failures.json: expected to fail until %s%s"
                  % (until, "; it passes now: remove it from the list" if status == "XPASS"
                     else ""))
        for p in problems:
            print("      - %s" % p)
        if sc.keep:
            print("      kept %s" % sc.root)
    print("e2e: %d passed, %d failed, %d expected failures, %d unexpectedly passing, "
          "%d skipped (%.0fs)" % (tally["PASS"], tally["FAIL"], tally["XFAIL"],
                                  tally["XPASS"], tally["SKIP"], time.time() - t0))
    if tally["XFAIL"]:
        print("e2e: !!! %d scenario(s) FAIL and are tolerated only because "
              "e2e/expected-failures.json lists them (see above)" % tally["XFAIL"])
    if tally["SKIP"]:
        print("e2e: !!! %d managed scenario(s) SKIPPED: unshare -m is not permitted here "
              "(run as root to prove managed mode in the real client)" % tally["SKIP"])
    no_skip = os.environ.get("ZAKON_E2E_NO_SKIP") == "1"
    bad = tally["FAIL"] or (tally["SKIP"] and no_skip) or not files
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
