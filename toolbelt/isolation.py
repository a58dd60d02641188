"""Network isolation for builds and tests: a fresh, empty network namespace where the kernel allows.

`CARGO_NET_OFFLINE=true` (set by `cargo_run.cargo_env`) stops cargo itself from fetching. A build
script or a test binary could still open sockets, so where possible every cargo run also starts in
a new network namespace (`unshare -n` as root, `unshare -rn` through a user namespace otherwise):
inside it only a private loopback exists, so nothing outside the process tree can be reached. The
private loopback is brought up when `ip` is available, so a crate's own tests that talk to
127.0.0.1 inside one process still behave as they do under plain `cargo test`.

Which mode is possible is found once per process, by trying it, and cached.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence
from typing import Literal

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


@functools.cache
def isolation_mode() -> IsolationMode:
    """The strongest isolation this kernel grants, tried once and cached. `RUSTA_ISOLATION=offline`
    forces offline-only (for machines where namespaces misbehave)."""
    if os.environ.get("RUSTA_ISOLATION", "").lower() in ("offline", "offline-only", "none"):
        return "offline-only"
    unshare = shutil.which("unshare")
    if unshare is None:
        return "offline-only"
    if _try([unshare, "-n", "true"]):
        return "netns"
    if _try([unshare, "-r", "-n", "true"]):
        return "userns-netns"
    return "offline-only"


@functools.cache
def _shell_prefix() -> tuple[str, ...]:
    """`sh -c LO_UP sh` when `ip` exists (so the namespace has a working 127.0.0.1), else nothing."""
    if shutil.which("ip") is None or shutil.which("sh") is None:
        return ()
    return ("sh", "-c", _LO_UP, "sh")


def isolated_argv(argv: Sequence[str], mode: IsolationMode | None = None) -> list[str]:
    """`argv` wrapped so it runs without network in the given (default: detected) mode.

    The program in `argv[0]` should be an absolute path: a missing program would otherwise surface
    as unshare's own error rather than Rusta's sentence.
    """
    mode = isolation_mode() if mode is None else mode
    if mode == "offline-only":
        return list(argv)
    unshare = shutil.which("unshare") or "unshare"
    return [unshare, *_PREFIX[mode], "--", *_shell_prefix(), *argv]
