"""`rusta check` against raw cargo: same diagnostics, and how much Rusta adds on a warm target dir.

For the demo crate and for real Debian crates (`make crates`; copied out of /usr/share/cargo/registry
with their dev-dependencies dropped, built offline against the Debian registry) this bench

1. warms Rusta's target dir with one `rusta check`,
2. times `rusta check --json` (the whole CLI: Python start, isolation, toolchain, clippy, parsing) and
   `cargo clippy --all-targets --message-format=json --keep-going` on the same warm target dir,
3. compares the distinct diagnostics cargo emitted with the ones Rusta printed.

The goal is an overhead of at most 0.15 s per run. Not part of CI: Debian crates are not there.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.quick import quick, size
from engine.gym.crates import CONFIG, REGISTRY, strip_manifest

DEBIAN_CRATES = () if quick() else ("semver-1", "anyhow-1", "gimli-0.27")
RUNS = size(5, 1)
GOAL_S = 0.15
MANY = 0 if quick() else 520  # warnings in the generated crate: the goal holds "at any number"


def _many_warnings(into: Path, n: int) -> Path:
    """A generated crate with one error and `n` warnings (an unused variable and a needless return
    each), the shape of the 51k-line Debian crate the issue measured (1 error, 523 warnings)."""
    root = into / "many-warnings"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "many"\nversion = "0.1.0"\nedition = "2021"\n')
    body = ['pub fn e() -> u32 { "x" }']
    body += [f"pub fn f{i}(a: u32) -> u32 {{ let unused_{i} = a + 1; return a; }}" for i in range(n)]
    (root / "src" / "lib.rs").write_text("\n".join(body) + "\n")
    return root


def _prepare_debian(prefix: str, into: Path) -> Path | None:
    """Copy a registry crate out, as /work/shared/crates.md says: no dev-deps, tests, benches, examples."""
    found = sorted(REGISTRY.glob(f"{prefix}*")) if REGISTRY.is_dir() else []
    if not found:
        return None
    src = found[-1]
    dest = into / src.name
    shutil.copytree(src, dest)
    for name in ("Cargo.lock", ".cargo-checksum.json"):
        (dest / name).unlink(missing_ok=True)
    for sub in ("tests", "benches", "examples"):
        shutil.rmtree(dest / sub, ignore_errors=True)
    manifest = dest / "Cargo.toml"
    manifest.write_text(strip_manifest(manifest.read_text()))  # the gym's rules, one copy of them
    (dest / ".cargo").mkdir(exist_ok=True)
    (dest / ".cargo" / "config.toml").write_text(CONFIG)
    return dest


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _compile_bytecode() -> None:
    """What `pip install` does: byte-compile every package, so no timed run compiles a module.

    The timed runs also drop PYTHONDONTWRITEBYTECODE (set in some environments), so the cached
    bytecode is read rather than ignored; the bench's own imports are not timed.
    """
    top = Path(__file__).resolve().parent.parent
    pkgs = [str(top / p) for p in ("rusta_tui", "toolbelt", "diary", "modes")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *pkgs], env=env, capture_output=True, check=False
    )


def _rusta(root: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    # Python as a user runs it: bytecode cached (see _compile_bytecode).
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "check", "--json", str(root)],
        capture_output=True,
        text=True,
        env=env,
    )
    return time.perf_counter() - t0, r


def _cargo(root: Path, env: dict[str, str], fmt: str = "short") -> tuple[float, subprocess.CompletedProcess]:
    """`short`: what cargo shows a user, for the diagnostics' set; `json`: the very stream Rusta reads."""
    t0 = time.perf_counter()
    r = subprocess.run(
        ["cargo", "clippy", "--all-targets", f"--message-format={fmt}", "--keep-going", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    return time.perf_counter() - t0, r


_SHORT = re.compile(
    r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<level>[a-z]+)(?:\[(?P<code>[^\]]+)\])?: (?P<msg>.*)$"
)


def _cargo_set(text: str) -> set[tuple]:
    """What cargo shows a user (`--message-format=short`, stderr): file, line, column, level, code."""
    out = set()
    for line in text.splitlines():
        if m := _SHORT.match(line):
            out.add((m["file"], int(m["line"]), int(m["col"]), m["level"], m["code"] or ""))
    return out


def _rusta_set(stdout: str) -> set[tuple]:
    rows = [json.loads(line) for line in stdout.splitlines() if line.strip()]

    def shown_code(code: str | None) -> str:  # cargo's short form names only rustc's E-codes
        return code if code and re.fullmatch(r"E\d{4}", code) else ""

    return {(r["file"], r["line"], r["column"], r["level"], shown_code(r["code"])) for r in rows if r["file"]}


def _cpu_of(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median user+sys seconds of `argv` run `runs` times."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cpu = []
    for _ in range(runs):
        c0 = _child_cpu()
        subprocess.run(argv, env=env, capture_output=True, check=False)
        cpu.append(_child_cpu() - c0)
    return statistics.median(cpu)


def _where_time_goes(env: dict[str, str], crates: list[tuple[str, Path]]) -> list[str]:
    """What Rusta's CPU on top of cargo is made of: Python's start, the check's imports, and per crate
    the decoding of cargo's stream and the JSON lines written, timed in this process."""
    from toolbelt.diagnostics import MessageStream
    from toolbelt.paths import target_dir_for
    from toolbelt.report_json import json_lines
    from toolbelt.types import CheckReport

    runs = size(9, 1)
    bare = _cpu_of([sys.executable, "-S", "-c", "pass"], env, runs)
    start = _cpu_of([sys.executable, "-c", "pass"], env, runs)
    imports = _cpu_of([sys.executable, "-c", "import rusta_tui.cli.main, rusta_tui.cli.check"], env, runs)
    notes = [
        f"where Rusta's CPU goes (medians of {runs}): Python itself {bare:.3f} s, its site and .pth files "
        f"+{start - bare:.3f} s (an editable install's import finder is most of it; `pip install .` has none), "
        f"the check's imports +{imports - start:.3f} s (msgspec about half)"
    ]
    for name, root in crates:
        cargo_env = dict(env, CARGO_TARGET_DIR=str(target_dir_for(root)), CARGO_NET_OFFLINE="true")
        out = subprocess.run(
            ["cargo", "clippy", "--all-targets", "--message-format=json", "--keep-going", "--quiet"],
            cwd=root, env=cargo_env, capture_output=True, check=False,
        ).stdout.splitlines()  # fmt: skip
        t0 = time.process_time()
        stream = MessageStream("clippy")
        for line in out:
            stream.feed(line)
        diags = stream.result()
        t1 = time.process_time()
        report = CheckReport(crate_root=str(root), tool="clippy", status="diagnostics", diagnostics=diags)
        sum(len(b) for b in json_lines(report))
        t2 = time.process_time()
        notes.append(
            f"  {name}: {len(diags)} diagnostics from {len(out)} lines: decode {1000 * (t1 - t0):.1f} ms, "
            f"JSON lines {1000 * (t2 - t1):.1f} ms"
        )
    return notes


def _bench_one(name: str, root: Path, env: dict[str, str]) -> dict:
    from toolbelt.paths import target_dir_for

    t_cold, first = _rusta(root, env)
    cargo_env = dict(env, CARGO_TARGET_DIR=str(target_dir_for(root)), CARGO_NET_OFFLINE="true")
    _cargo(root, cargo_env)  # settle anything the first run left
    rusta_t, cargo_t, rusta_cpu, cargo_cpu, json_t, json_cpu = [], [], [], [], [], []
    last_r = last_c = None
    for _ in range(RUNS):
        c0 = _child_cpu()
        dt, last_r = _rusta(root, env)
        c1 = _child_cpu()
        rusta_t.append(dt)
        rusta_cpu.append(c1 - c0)
        dt, last_c = _cargo(root, cargo_env)
        c2 = _child_cpu()
        cargo_t.append(dt)
        cargo_cpu.append(c2 - c1)
        json_t.append(_cargo(root, cargo_env, "json")[0])
        json_cpu.append(_child_cpu() - c2)
    assert last_r is not None and last_c is not None
    r_set, c_set = _rusta_set(last_r.stdout), _cargo_set(last_c.stderr)
    r_med, c_med = statistics.median(rusta_t), statistics.median(cargo_t)
    # each rusta run is paired with the cargo run right after it: the pair's difference holds when
    # the machine's speed drifts between pairs
    paired = statistics.median(r - c for r, c in zip(rusta_t, cargo_t, strict=True))
    paired_cpu = statistics.median(r - c for r, c in zip(rusta_cpu, cargo_cpu, strict=True))
    # against the JSON stream Rusta itself asks cargo for: what Rusta adds to the same cargo work
    paired_json = statistics.median(r - c for r, c in zip(rusta_t, json_t, strict=True))
    paired_json_cpu = statistics.median(r - c for r, c in zip(rusta_cpu, json_cpu, strict=True))
    return {
        "crate": name,
        "exit": last_r.returncode,
        "diagnostics (cargo)": len(c_set),
        "diagnostics (rusta)": len(r_set),
        "same": r_set == c_set,
        "cold rusta s": round(t_cold, 2),
        "warm cargo s": round(c_med, 3),
        "warm rusta s": round(r_med, 3),
        "overhead s": round(paired, 3),
        "cpu overhead s": round(paired_cpu, 3),
        "warm cargo json s": round(statistics.median(json_t), 3),
        "overhead over json s": round(paired_json, 3),
        "cpu overhead over json s": round(paired_json_cpu, 3),
        "goal met": paired <= GOAL_S,
        "stderr": first.stderr.strip()[:120],
    }


def run() -> dict:
    from toolbelt import demo

    notes: list[str] = []
    rows: list[dict] = []
    if not quick():  # --quick judges no timing: no need to pay for compiling every module
        _compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="rusta-bench-check-") as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ, RUSTA_CACHE_DIR=str(tmp_path / "cache"))
        crates: list[tuple[str, Path]] = [("demo-crate", demo.reset(tmp_path / "demo-crate"))]
        missing = []
        for prefix in DEBIAN_CRATES:
            root = _prepare_debian(prefix, tmp_path)
            if root is None:
                missing.append(prefix)
            else:
                crates.append((root.name + " (Debian)", root))
        if MANY:
            crates.append((f"generated, 1 error + {MANY} warnings", _many_warnings(tmp_path, MANY)))
        if missing:
            notes.append(
                f"Debian crates not installed, not measured: {', '.join(missing)} (run `make crates`)."
            )
        for name, root in crates:
            rows.append(_bench_one(name, root, env))
        notes.extend(_where_time_goes(env, crates))
    notes.append(
        "cargo = `cargo clippy --all-targets --keep-going --message-format=short` (what a user runs and "
        "sees); cargo json = the same with --message-format=json, the stream Rusta reads (cargo's own JSON "
        "costs it some 20-30 ms of CPU more at 520 diagnostics); the 'over json' columns are what Rusta "
        "adds to the very same cargo work."
    )
    notes.append(
        f"{RUNS} warm runs each, rusta, cargo and cargo json in turn; overhead = median of the paired differences; "
        "`rusta check` is the whole CLI (python start-up, network namespace, toolchain versions, clippy, "
        "parsing, JSON) with its bytecode compiled beforehand, as `pip install` does; goal: "
        f"overhead <= {GOAL_S} s at any number of diagnostics."
    )
    notes.append(
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wall times on a busy "
        "machine are noisy, cpu overhead (user+sys of all child processes) much less so."
    )
    notes.append(
        "same = the distinct (file, line, column, level, E-code) sets are equal: cargo's from what it shows "
        "a user (--message-format=short), Rusta's from `rusta check --json`."
    )
    return {"title": "rusta check vs cargo clippy (warm target dir)", "rows": rows, "notes": notes}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
