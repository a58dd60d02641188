"""Network isolation for builds and tests: a fresh, empty network namespace where the kernel allows.

`CARGO_NET_OFFLINE=true` (set by `cargo_run.cargo_env`) stops cargo itself from fetching. A build
script or a test binary could still open sockets, so where possible every cargo run also starts in
a new network namespace (`unshare -n` as root, `unshare -rn` through a user namespace otherwise):
inside it only a private loopback exists, so nothing outside the process tree can be reached. The
private loopback is brought up when `ip` is available, so a crate's own tests that talk to
127.0.0.1 inside one process still behave as they do under plain `cargo test`.

Which mode is possible is found by trying it, once per boot and user (cached in Rusta's cache
folder under the kernel's boot id), and once per process after that.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from toolbelt.cache_root import cache_dir

IsolationMode = Literal["netns", "userns-netns", "offline-only"]

DESCRIPTIONS: dict[IsolationMode, str] = {
    "netns": "network namespace (unshare -n) + CARGO_NET_OFFLINE",
    "userns-netns": "user+network namespace (unshare -rn) + CARGO_NET_OFFLINE",
    "offline-only": "CARGO_NET_OFFLINE only (no namespace allowed)",
}

_PREFIX: dict[IsolationMode, tuple[str, ...]] = {
    "netns": ("-n",),
    "userns-netns": ("-r", "-n"),
}

# Runs inside the namespace: bring the private loopback up (best effort), then exec the real program.
_LO_UP = 'ip link set lo up >/dev/null 2>&1; exec "$@"'


def _try(argv: Sequence[str]) -> bool:
    """Whether `argv` starts and exits 0 within a few seconds; any failure means "not here"."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _detect() -> IsolationMode:
    unshare = shutil.which("unshare")
    if unshare is None:
        return "offline-only"
    if _try([unshare, "-n", "true"]):
        return "netns"
    if _try([unshare, "-r", "-n", "true"]):
        return "userns-netns"
    return "offline-only"


def _boot_key() -> str | None:
    """The kernel's boot id plus uid: namespace policy cannot change without a reboot or a sysctl,
    and a sysctl change shows up as a failed run, after which the cache is dropped (see `forget`)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    return f"{boot}-{os.getuid()}"


def _cache_file(key: str) -> Path:
    return cache_dir() / "isolation" / key


@functools.cache
def isolation_mode() -> IsolationMode:
    """The strongest isolation this kernel grants. `RUSTA_ISOLATION=offline` forces offline-only (for
    machines where namespaces misbehave)."""
    if os.environ.get("RUSTA_ISOLATION", "").lower() in ("offline", "offline-only", "none"):
        return "offline-only"
    key = _boot_key()
    if key is not None:
        try:
            cached = _cache_file(key).read_text().strip()
        except OSError:
            cached = ""
        if cached in DESCRIPTIONS:
            return cached
    mode = _detect()
    if key is not None:
        try:
            _cache_file(key).parent.mkdir(parents=True, exist_ok=True)
            _cache_file(key).write_text(mode)
        except OSError:
            pass  # best effort: detection is cheap, only not free
    return mode


def forget() -> None:
    """Drop the cached mode (in this process and on disk) so the next call tries again."""
    key = _boot_key()
    if key is not None:
        _cache_file(key).unlink(missing_ok=True)
    isolation_mode.cache_clear()


@functools.cache
def _shell_prefix() -> tuple[str, ...]:
    """`sh -c LO_UP sh` when `ip` exists (so the namespace has a working 127.0.0.1), else nothing."""
    if shutil.which("ip") is None or shutil.which("sh") is None:
        return ()
    return ("sh", "-c", _LO_UP, "sh")


def isolated_argv(
    argv: Sequence[str], mode: IsolationMode | None = None, *, loopback: bool = True
) -> list[str]:
    """`argv` wrapped so it runs without network in the given (default: detected) mode.

    `loopback=False` skips bringing the private 127.0.0.1 up (two process starts saved): builds and
    checks never need it, test binaries may. The program in `argv[0]` should be an absolute path: a
    missing program would otherwise surface as unshare's own error rather than Rusta's sentence.
    """
    mode = isolation_mode() if mode is None else mode
    if mode == "offline-only":
        return list(argv)
    unshare = shutil.which("unshare") or "unshare"
    return [unshare, *_PREFIX[mode], "--", *(_shell_prefix() if loopback else ()), *argv]
