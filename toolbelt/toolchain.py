"""Which Rust toolchain a crate gets: exact tool versions, and a plain sentence for a missing pin.

Versions are recorded with every report (`CheckReport.toolchain`), so a result can always be tied
to the compiler that produced it. rustup's proxies pick the toolchain from the crate's folder
(`rust-toolchain.toml`), so versions are asked for with the crate as working directory and cached
per pinned channel for the life of the process, and on disk under a fingerprint of everything that
chooses the binaries (four rustup round trips cost more than a warm `cargo check`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import msgspec

from toolbelt.atomic_file import replace_file
from toolbelt.errors import ToolchainMissing
from toolbelt.paths import cache_dir
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
            import tomllib  # only for a pin: its import costs every check 8 ms

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


_followed: tuple[str, Path] | None = None


def follow_pin(root: str | Path) -> str | None:
    """Make the pin of the user's crate at `root` (or of a folder above it) the toolchain of every
    cargo run and version query of this process, the copies Rusta builds in included: a sandbox or
    scratch copy lives under Rusta's cache, where rustup would not find a pin kept above the
    copied folder. Called once per command, as the selection is; returns the channel, or None."""
    global _followed
    _followed = pinned_channel(Path(root).resolve())
    from toolbelt import cargo_early

    cargo_early.follow_toolchain(_followed[0] if _followed else None)
    return _followed[0] if _followed else None


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
    pin = pinned_channel(root.resolve())
    if pin is None:
        return None
    channel, file = pin
    have = installed_toolchains()
    if have is not None and channel not in have:
        shown = ", ".join(n for n in have if "-" not in n or n.count("-") <= 3) or "none"
        # the file by its name when it sits in the crate, by its real path when it sits above it
        where = file.name if file.parent == root.resolve() else str(file)
        raise ToolchainMissing(
            f"this crate pins Rust toolchain `{channel}` in {where}, which is not installed "
            f"(installed: {shown}) and cannot be downloaded offline; install it with "
            f"`rustup toolchain install {channel}` or remove the pin."
        )
    return channel


def _version(argv: tuple[str, ...], cwd: Path, env: dict[str, str] | None = None) -> str:
    exe = shutil.which(argv[0])
    if exe is None:
        return ""
    proc = run_limited([exe, *argv[1:]], cwd=cwd, env=env, timeout_s=30)
    if proc.outcome != "ok":
        return ""
    return proc.stdout.decode("utf-8", "replace").strip().splitlines()[0] if proc.stdout.strip() else ""


def _fingerprint(pin: tuple[str, Path] | None) -> str:
    """What decides which binaries run: PATH, the pin, rustup's settings and installed toolchains.

    Any rustup install, update or default change touches one of these files, so a version cached
    under this fingerprint is as good as asking the binaries again, at the cost of a few stats.
    """
    parts: list[str] = [os.environ.get("PATH", ""), os.environ.get("RUSTUP_TOOLCHAIN", ""), repr(pin)]
    rustup_home = Path(os.environ.get("RUSTUP_HOME") or Path.home() / ".rustup")
    watched = [rustup_home / "settings.toml"]
    toolchains = rustup_home / "toolchains"
    if toolchains.is_dir():
        for tc in sorted(toolchains.iterdir()):
            watched += [
                tc,
                tc / "lib" / "rustlib" / "multirust-channel-manifest.toml",
                tc / "lib" / "rustlib" / "components",
            ]
    for tool in ("rustc", "cargo", "rustfmt", "cargo-clippy"):
        exe = shutil.which(tool)
        if exe:
            watched += [Path(exe), Path(exe).resolve()]
    for f in watched:
        try:
            st = f.stat()
            parts.append(f"{f}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{f}:-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _disk_get(key: str) -> Toolchain | None:
    try:
        return msgspec.json.decode((cache_dir() / "toolchains" / f"{key}.json").read_bytes(), type=Toolchain)
    except (OSError, msgspec.DecodeError):
        return None


def _disk_put(key: str, tc: Toolchain) -> None:
    """Best effort: a cache that cannot be written only costs the next run a few process starts."""
    folder = cache_dir() / "toolchains"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(folder / f"{key}.json", msgspec.json.encode(tc), durable=False)
    except OSError:
        pass


def toolchain_versions(root: str | Path | None = None) -> Toolchain:
    """rustc/cargo/clippy/rustfmt versions as seen from `root` (cached per pinned channel).

    The four version queries run in parallel: through rustup's proxies each costs tens of milliseconds.
    An absent tool gives an empty string, not an error; `rusta doctor` is where absence is judged.
    """
    cwd = Path(root).resolve() if root is not None else Path.home()
    own = pinned_channel(cwd)
    pin = own or _followed  # a copy without the pin file builds with the followed pin (follow_pin)
    env = None
    if own is None and _followed is not None and not os.environ.get("RUSTUP_TOOLCHAIN"):
        env = dict(os.environ, RUSTUP_TOOLCHAIN=_followed[0])
    key = (pin[0] if pin else None, str(pin[1].parent) if pin else "")
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    disk_key = _fingerprint(pin)
    tc = _disk_get(disk_key)
    if tc is None:
        from concurrent.futures import ThreadPoolExecutor  # only on a cache miss: saves import time

        with ThreadPoolExecutor(max_workers=len(_TOOLS)) as pool:
            futures = {name: pool.submit(_version, argv, cwd, env) for name, argv in _TOOLS.items()}
            found = {name: f.result() for name, f in futures.items()}
        tc = Toolchain(pinned=pin[0] if pin else None, **found)
        if not all(found.values()):  # never cache an absence: installing the tool must show at once
            return tc
        _disk_put(disk_key, tc)
    with _lock:
        _cache[key] = tc
    return tc
