"""Whether miri can run here: one offline probe of `cargo +nightly miri --version`, with its reason.

Validation and `rusta doctor` both ask; both must tell the same truth, so the reason quotes what
rustup or cargo said (e.g. "'cargo-miri' is not installed for the toolchain 'nightly-...'").
Rusta never installs components itself: that needs the network.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import msgspec

from toolbelt.process import run_limited

PROBE_TIMEOUT_S = 20.0


class MiriStatus(msgspec.Struct, frozen=True, kw_only=True):
    """`available` with the version line, or not with the reason in one sentence and the fix."""

    available: bool
    version: str = ""
    reason: str = ""
    fix: str = ""


def _reason(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("error:"):
            return line.removeprefix("error:").strip()
    first = text.strip().splitlines()
    return first[0] if first else "no output"


def probe_miri(timeout_s: float = PROBE_TIMEOUT_S) -> MiriStatus:
    """Run the probe now (offline: rustup is told not to update or download anything)."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return MiriStatus(available=False, reason="cargo is not on PATH", fix="install Rust with rustup")
    env = dict(os.environ, RUSTUP_AUTO_INSTALL="0", CARGO_NET_OFFLINE="true", RUST_BACKTRACE="0")
    try:
        proc = run_limited(
            [cargo, "+nightly", "miri", "--version"], cwd=Path.home(), env=env, timeout_s=timeout_s
        )
    except OSError as e:
        return MiriStatus(available=False, reason=f"cargo could not start: {e.strerror}")
    out = proc.stdout.decode("utf-8", "replace").strip()
    err = proc.stderr.decode("utf-8", "replace")
    if proc.outcome == "ok" and out:
        return MiriStatus(available=True, version=out.splitlines()[0])
    if proc.outcome == "timeout":
        return MiriStatus(
            available=False, reason=f"`cargo +nightly miri --version` took over {timeout_s:.0f} s"
        )
    reason = _reason(err or out)
    if "toolchain 'nightly" in reason and "not installed" in reason and "miri" not in reason:
        fix = "rustup toolchain install nightly --component miri"
    else:
        fix = "rustup component add --toolchain nightly miri"
    return MiriStatus(available=False, reason=reason, fix=fix)


@functools.cache
def miri_status() -> MiriStatus:
    """The probe, once per process: validations of many patches ask the same question."""
    return probe_miri()


MIRI_TEST_TIMEOUT_S = 300.0
# the headers miri gives what it finds (a rustc-style `error:` line, not a panic); "aborting due to"
# and cargo's own "test failed" lines are not findings
_FINDINGS = (
    "Undefined Behavior",
    "memory leaked",
    "deadlock",
    "abnormal termination",
    "resource exhaustion",
    "the evaluated program leaked memory",
)
_UNSUPPORTED = "unsupported operation"


class MiriRun(msgspec.Struct, frozen=True, kw_only=True):
    """What `cargo +nightly miri test` said: tests that passed, the first finding (and in which test),
    or what miri could not run; `status` is "passed", "finding", "unsupported", "failed", "timeout"."""

    status: str
    passed: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    finding: str = ""  # miri's own header line, e.g. "Undefined Behavior: memory access failed: ..."
    test: str = ""  # the test running when miri stopped, when libtest named it
    where: str = ""  # miri's first ` --> file:line:col`
    seconds: float = 0.0


def parse_miri_test(text: str, *, exited_ok: bool) -> MiriRun:
    """Pure: the merged stdout and stderr of `cargo miri test`."""
    passed, failed = [], []
    current, finding, where, unsupported, finding_test = "", "", "", "", ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("test ") and " ... " in line:
            name, _, rest = line[5:].partition(" ... ")
            current = name.strip()
            if rest == "ok":
                passed.append(current)
            elif rest.startswith("FAILED"):
                failed.append(current)
            line = rest
        if line.startswith("error: "):
            msg = line.removeprefix("error: ")
            if not finding and msg.startswith(_FINDINGS):
                finding = msg
                finding_test = current
            elif not unsupported and msg.startswith(_UNSUPPORTED):
                unsupported, finding_test = msg, current
        elif line.startswith("--> ") and (finding or unsupported) and not where:
            where = line.removeprefix("--> ")
    if finding:
        return MiriRun(
            status="finding", passed=tuple(passed), finding=finding, test=finding_test, where=where
        )
    if unsupported:
        return MiriRun(
            status="unsupported", passed=tuple(passed), finding=unsupported, test=finding_test, where=where
        )
    if failed or not exited_ok:
        return MiriRun(status="failed", passed=tuple(passed), failed=tuple(failed))
    return MiriRun(status="passed", passed=tuple(passed))


def run_miri_tests(
    crate: Path, filters: list[str], *, target_dir: Path, timeout_s: float = MIRI_TEST_TIMEOUT_S
) -> MiriRun:
    """`cargo +nightly miri test --offline -- FILTERS` in `crate` (a scratch copy), offline."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return MiriRun(status="failed", finding="cargo is not on PATH")
    env = dict(
        os.environ,
        RUSTUP_AUTO_INSTALL="0",
        CARGO_NET_OFFLINE="true",
        CARGO_TARGET_DIR=str(target_dir),
        RUST_BACKTRACE="0",
    )
    argv = [cargo, "+nightly", "miri", "test", "--offline", "--no-fail-fast", "--", *filters]
    proc = run_limited(argv, cwd=crate, env=env, timeout_s=timeout_s, memory_bytes=None, merge_stderr=True)
    if proc.outcome == "timeout":
        return MiriRun(status="timeout", seconds=proc.duration_s)
    run = parse_miri_test(proc.stdout.decode("utf-8", "replace"), exited_ok=proc.outcome == "ok")
    return msgspec.structs.replace(run, seconds=proc.duration_s)
