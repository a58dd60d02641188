"""Which Rust toolchain a crate gets: exact tool versions, and a plain sentence for a missing pin.

Versions are recorded with every report (`CheckReport.toolchain`), so a result can always be tied
to the compiler that produced it. rustup's proxies pick the toolchain from the crate's folder
(`rust-toolchain.toml`), so versions are asked for with the crate as working directory and cached
per pinned channel for the life of the process.
"""

from __future__ import annotations

import shutil
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from toolbelt.errors import ToolchainMissing
from toolbelt.process import run_limited
from toolbelt.types import Toolchain

_TOOLS: dict[str, tuple[str, ...]] = {
    "rustc": ("rustc", "--version"),
    "cargo": ("cargo", "--version"),
    "clippy": ("cargo", "clippy", "--version"),
    "rustfmt": ("rustfmt", "--version"),
}
_cache: dict[tuple[str | None, str], Toolchain] = {}
_lock = threading.Lock()


def pinned_channel(root: Path) -> tuple[str, Path] | None:
    """The channel a crate pins and the file that pins it, from `rust-toolchain.toml` or `rust-toolchain`.

    Looks in the crate and its parents, as rustup does. A file that cannot be read is treated as no pin;
    rustup will complain about it in its own words.
    """
    for d in (root, *root.parents):
        for name in ("rust-toolchain.toml", "rust-toolchain"):
            f = d / name
            if not f.is_file():
                continue
            try:
                text = f.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                bare = text.strip()  # the legacy form: just a channel name on one line
                return (bare, f) if bare and "\n" not in bare else None
            channel = (
                data.get("toolchain", {}).get("channel") if isinstance(data.get("toolchain"), dict) else None
            )
            if isinstance(channel, str) and channel:
                return channel, f
            return None
    return None


def installed_toolchains() -> tuple[str, ...] | None:
    """Names rustup knows, with and without the host triple; None when rustup is not installed."""
    rustup = shutil.which("rustup")
    if rustup is None:
        return None
    proc = run_limited([rustup, "toolchain", "list"], cwd=Path.home(), timeout_s=20)
    if proc.outcome != "ok":
        return None
    names: set[str] = set()
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        name = line.split(" ")[0].strip()
        if not name or name.startswith("no installed"):
            continue
        names.add(name)
        parts = name.split("-")
        # strip a host triple such as x86_64-unknown-linux-gnu (3 or 4 dash-separated parts)
        for n in (3, 4):
            if len(parts) > n and parts[-n] in (
                "x86_64",
                "aarch64",
                "i686",
                "armv7",
                "riscv64gc",
                "powerpc64le",
                "s390x",
            ):
                names.add("-".join(parts[:-n]))
    return tuple(sorted(names))


def require_pinned_toolchain(root: Path) -> str | None:
    """Raise ToolchainMissing with one sentence when the crate's pin is not installed; return the pin."""
    pin = pinned_channel(root)
    if pin is None:
        return None
    channel, file = pin
    have = installed_toolchains()
    if have is not None and channel not in have:
        shown = ", ".join(n for n in have if "-" not in n or n.count("-") <= 3) or "none"
        raise ToolchainMissing(
            f"this crate pins Rust toolchain `{channel}` in {file.name}, which is not installed "
            f"(installed: {shown}) and cannot be downloaded offline; install it with "
            f"`rustup toolchain install {channel}` or remove the pin."
        )
    return channel


def _version(argv: tuple[str, ...], cwd: Path) -> str:
    exe = shutil.which(argv[0])
    if exe is None:
        return ""
    proc = run_limited([exe, *argv[1:]], cwd=cwd, timeout_s=30)
    if proc.outcome != "ok":
        return ""
    return proc.stdout.decode("utf-8", "replace").strip().splitlines()[0] if proc.stdout.strip() else ""


def toolchain_versions(root: str | Path | None = None) -> Toolchain:
    """rustc/cargo/clippy/rustfmt versions as seen from `root` (cached per pinned channel).

    The four version queries run in parallel: through rustup's proxies each costs tens of milliseconds.
    An absent tool gives an empty string, not an error; `rusta doctor` is where absence is judged.
    """
    cwd = Path(root).resolve() if root is not None else Path.home()
    pin = pinned_channel(cwd)
    key = (pin[0] if pin else None, str(pin[1].parent) if pin else "")
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    with ThreadPoolExecutor(max_workers=len(_TOOLS)) as pool:
        futures = {name: pool.submit(_version, argv, cwd) for name, argv in _TOOLS.items()}
        found = {name: f.result() for name, f in futures.items()}
    tc = Toolchain(pinned=pin[0] if pin else None, **found)
    with _lock:
        _cache[key] = tc
    return tc
