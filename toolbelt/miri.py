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
