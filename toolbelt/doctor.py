"""`rusta doctor`'s checks: what is installed, what is isolated, where the cache is, what to do about it.

Each check returns a DoctorCheck: a verdict, what was found (versions quoted exactly) and, when it is
not ok, one fix. Required checks decide the exit code; optional tools missing are warnings. The
checks that start programs run in parallel, so the whole report costs about one rustup round trip.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import msgspec

from toolbelt.crate import find_crate_root
from toolbelt.errors import NotACrate, ToolchainMissing
from toolbelt.isolation import DESCRIPTIONS, isolation_mode
from toolbelt.paths import StorageLimits, cache_dir, cache_entries
from toolbelt.process import DEFAULT_MEMORY_BYTES, MEMORY_LIMIT_KIND, run_limited
from toolbelt.toolchain import (
    installed_toolchains,
    pinned_channel,
    require_pinned_toolchain,
    toolchain_versions,
)

CheckStatus = Literal["ok", "warn", "fail"]
MIN_FREE_BYTES = 2 * 1024**3


class DoctorCheck(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    status: CheckStatus
    required: bool
    detail: str
    fix: str = ""


class DoctorReport(msgspec.Struct, frozen=True, kw_only=True):
    checks: tuple[DoctorCheck, ...]

    @property
    def ok(self) -> bool:
        """True when every required check passed; warnings do not count."""
        return all(c.status != "fail" for c in self.checks if c.required)


def _first_line(argv: list[str], timeout_s: float = 20) -> str | None:
    """First line of a program's stdout when it ran and exited 0; None otherwise."""
    exe = shutil.which(argv[0])
    if exe is None:
        return None
    try:
        proc = run_limited([exe, *argv[1:]], cwd=Path.home(), timeout_s=timeout_s)
    except Exception:  # a program that cannot start is simply absent for the doctor
        return None
    text = proc.stdout.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if proc.outcome == "ok" and text else None


def check_python() -> DoctorCheck:
    v = sys.version_info
    found = f"Python {v.major}.{v.minor}.{v.micro}"
    if v >= (3, 11):
        return DoctorCheck(name="python", status="ok", required=True, detail=found)
    return DoctorCheck(
        name="python", status="fail", required=True, detail=found, fix="install Python 3.11 or newer"
    )


def check_toolchain() -> list[DoctorCheck]:
    tc = toolchain_versions()
    fixes = {
        "cargo": "install Rust with rustup: https://rustup.rs",
        "rustc": "install Rust with rustup: https://rustup.rs",
        "clippy": "rustup component add clippy",
        "rustfmt": "rustup component add rustfmt",
    }
    out = []
    for name in ("cargo", "rustc", "clippy", "rustfmt"):
        version = getattr(tc, name)
        if version:
            out.append(DoctorCheck(name=name, status="ok", required=True, detail=version))
        else:
            out.append(
                DoctorCheck(name=name, status="fail", required=True, detail="not found", fix=fixes[name])
            )
    return out


def check_pin(path: Path) -> DoctorCheck | None:
    """The toolchain the crate at `path` pins (rust-toolchain.toml or rust-toolchain, there or above)
    and the compiler it gets; None when `path` is no crate or pins nothing. A pin that is not
    installed fails: every cargo run on the crate would."""
    try:
        root = find_crate_root(path)
    except NotACrate:
        return None
    pin = pinned_channel(root)
    if pin is None:
        return None
    channel, file = pin
    try:
        require_pinned_toolchain(root)
    except ToolchainMissing as e:
        return DoctorCheck(
            name="toolchain pin",
            status="fail",
            required=True,
            detail=str(e),
            fix=f"rustup toolchain install {channel}, or remove the pin",
        )
    rustc = toolchain_versions(root).rustc or "rustc not found"
    return DoctorCheck(
        name="toolchain pin", status="ok", required=True, detail=f"`{channel}` from {file}: {rustc}"
    )


def check_nightly() -> DoctorCheck:
    have = installed_toolchains() or ()
    version = _first_line(["rustc", "+nightly", "--version"]) if "nightly" in have else None
    if version:
        return DoctorCheck(name="nightly", status="ok", required=False, detail=version)
    return DoctorCheck(
        name="nightly",
        status="warn",
        required=False,
        detail="no nightly toolchain",
        fix="rustup toolchain install nightly (for miri)",
    )


def check_miri() -> DoctorCheck:
    from toolbelt.miri import probe_miri

    st = probe_miri()
    if st.available:
        return DoctorCheck(name="miri", status="ok", required=False, detail=st.version)
    return DoctorCheck(
        name="miri", status="warn", required=False, detail=f"not available: {st.reason}", fix=st.fix
    )


def check_rust_analyzer() -> DoctorCheck:
    version = _first_line(["rust-analyzer", "--version"])
    if version:
        return DoctorCheck(name="rust-analyzer", status="ok", required=False, detail=version)
    return DoctorCheck(
        name="rust-analyzer",
        status="warn",
        required=False,
        detail="not installed (type probes use rustc)",
        fix="rustup component add rust-analyzer",
    )


def check_libfuzzer() -> DoctorCheck:
    """libFuzzer needs cargo-fuzz, a nightly and the libfuzzer-sys crate offline; Rusta's differential
    fuzzing uses its own seeded generator either way, and this row says which parts are missing."""
    from toolbelt.offline_deps import DEBIAN_REGISTRY, _has_crate, _registry_cache_has

    missing = []
    if _first_line(["cargo", "fuzz", "--version"]) is None:
        missing.append("cargo-fuzz is not installed")
    if "nightly" not in (installed_toolchains() or ()):
        missing.append("no nightly toolchain")
    if not (_has_crate(DEBIAN_REGISTRY, "libfuzzer-sys") or _registry_cache_has("libfuzzer-sys")[0]):
        missing.append("libfuzzer-sys is not among the offline crates")
    if not missing:
        return DoctorCheck(
            name="libFuzzer", status="ok", required=False, detail="cargo-fuzz and libfuzzer-sys"
        )
    return DoctorCheck(
        name="libFuzzer",
        status="warn",
        required=False,
        detail=f"not used: {'; '.join(missing)}; fuzzing uses Rusta's own seeded generator",
        fix="while online: cargo install cargo-fuzz, and cargo vendor a crate using libfuzzer-sys",
    )


def check_isolation() -> DoctorCheck:
    mode = isolation_mode()
    if mode == "offline-only":
        return DoctorCheck(
            name="network isolation",
            status="warn",
            required=False,
            detail=DESCRIPTIONS[mode],
            fix="sysctl kernel.unprivileged_userns_clone=1",
        )
    return DoctorCheck(name="network isolation", status="ok", required=False, detail=DESCRIPTIONS[mode])


def check_memory_limit() -> DoctorCheck:
    gib = DEFAULT_MEMORY_BYTES / 1024**3
    return DoctorCheck(
        name="memory limit",
        status="ok",
        required=False,
        detail=f"{MEMORY_LIMIT_KIND} {gib:g} GiB per process",
    )


def check_cache() -> list[DoctorCheck]:
    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-"):
            pass
        writable = DoctorCheck(name="cache", status="ok", required=True, detail=f"{root} is writable")
    except OSError as e:
        writable = DoctorCheck(
            name="cache",
            status="fail",
            required=True,
            detail=f"{root}: {e.strerror or e}",
            fix="set RUSTA_CACHE_DIR to a writable folder",
        )
    probe = root if root.exists() else next((p for p in root.parents if p.exists()), Path("/"))
    free = shutil.disk_usage(probe).free
    detail = f"{free / 1024**3:.1f} GiB free at {probe}"
    if free < MIN_FREE_BYTES:
        disk = DoctorCheck(
            name="disk space",
            status="warn",
            required=False,
            detail=detail,
            fix=f"free {MIN_FREE_BYTES // 1024**3} GiB or set RUSTA_CACHE_DIR",
        )
    else:
        disk = DoctorCheck(name="disk space", status="ok", required=False, detail=detail)
    return [writable, disk, check_cache_size()]


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def check_cache_size(limits: StorageLimits | None = None) -> DoctorCheck:
    """What each kind of cache entry takes, against the cap `rusta gc` brings it under."""
    limits = limits or StorageLimits()
    usage = cache_entries()
    count = {k: sum(e.kind == k for e in usage.entries) for k in usage.by_kind}
    parts = [f"{k} {_size(n)}" + (f" ({count[k]})" if count[k] else "") for k, n in usage.by_kind.items()]
    evictable = sum(e.bytes for e in usage.entries)
    cap = limits.cache_cap_mb * 1024**2
    detail = ", ".join(parts) + f"; cap {_size(cap)} (cache_cap_mb) on all but other"
    gone = sum(not e.crate_exists for e in usage.entries)
    why = []
    if evictable > cap:
        why.append(f"over the cap by {_size(evictable - cap)}")
    if gone:
        why.append(f"{gone} entr{'y' if gone == 1 else 'ies'} of deleted crates")
    if why:
        return DoctorCheck(
            name="cache size",
            status="warn",
            required=False,
            detail=f"{detail}; {', '.join(why)}",
            fix="run `rusta gc`",
        )
    return DoctorCheck(name="cache size", status="ok", required=False, detail=detail)


def checkpoint_dir() -> Path | None:
    """Where the shipped byte-LM checkpoint lives, found without importing the engine (no JAX)."""
    spec = importlib.util.find_spec("engine")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "bytelm" / "checkpoints" / "small"


def check_model() -> DoctorCheck:
    """Present is not working: load the checkpoint and score a snippet, in a process of its own
    (toolbelt imports no ML)."""
    where = checkpoint_dir()
    if where is None or not where.is_dir() or not any(where.iterdir()):
        return DoctorCheck(
            name="model checkpoint",
            status="warn",
            required=False,
            detail=f"not built yet ({where})" if where else "not built yet",
            fix="run `make model`",
        )
    res = run_limited(
        [sys.executable, "-m", "engine.bytelm.selfcheck", str(where)],
        cwd=where.parents[2].parent,
        timeout_s=60,
    )
    try:
        out = json.loads(res.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        out = {
            "ok": False,
            "error": (res.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1],
        }
    if out.get("ok"):
        detail = (
            f"{out['preset']}, step {out['step']}, {'net + counts' if out['counts'] else 'net only'}: "
            f"loads and scores a snippet at {out['sample_bpb']} bpb in {out['seconds']} s"
        )
        return DoctorCheck(name="model checkpoint", status="ok", required=False, detail=detail)
    return DoctorCheck(
        name="model checkpoint",
        status="warn",
        required=False,
        detail=f"{where} does not load: {out.get('error', 'unknown error')}",
        fix="run `make model`",
    )


def run_doctor(crate: Path | None = None) -> DoctorReport:
    """Every check, the slow ones in parallel, in a fixed order for the table; with `crate`, the
    toolchain it pins as well."""
    jobs: list[Callable[[], DoctorCheck | list[DoctorCheck] | None]] = [
        check_python,
        check_toolchain,
        *([lambda: check_pin(crate)] if crate is not None else []),
        check_nightly,
        check_miri,
        check_rust_analyzer,
        check_libfuzzer,
        check_isolation,
        check_memory_limit,
        check_cache,
        check_model,
    ]
    with ThreadPoolExecutor(max_workers=min(len(jobs), (os.cpu_count() or 2) * 2)) as pool:
        results = [f.result() for f in [pool.submit(j) for j in jobs]]
    checks: list[DoctorCheck] = []
    for r in results:
        checks.extend(r if isinstance(r, list) else [] if r is None else [r])
    return DoctorReport(checks=tuple(checks))
