"""Start the cargo of `rusta check` and `rusta explain` before the rest of Rusta is imported; hand it
over only when it is exactly the run that was asked for.

Python's start-up and Rusta's imports (msgspec, the Structs, the parsers, the settings) cost tens of
milliseconds on every check: time in which a warm `cargo check` could already be running. So
`start_check` guesses, from the command line and a few stats, the command `run_check` is about to
make, and starts it with the standard library alone. `run_check` then works its command out the
usual way, every check included (toolchain pin, source sizes, read-only crate, workspace member,
settings) and `claim`s the early process only when program, arguments, folder, environment and
limits are all identical; otherwise the early process group is killed and reaped first. A wrong
guess costs a wasted start, never a different result. Cases the guess does not cover start nothing
early: a flag that changes what cargo runs (a selection flag) or one the guess does not know, a crate
inside another manifest's folder (a workspace member gets `-p`), a toolchain pin (rustup might try to
install it), a read-only crate without Cargo.lock (it runs from a shadow copy), a
`.rusta/settings.toml` that sets check_targets, packages or features.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from toolbelt import isolation
from toolbelt.cache_root import cache_dir, crate_key
from toolbelt.process import DEFAULT_MEMORY_BYTES, Started, start_limited
from toolbelt.shadow import has_lockfile

_lock = threading.Lock()
_pending: Started | None = None
last = "none"  # what became of the last early start: "none", "adopted" or "replaced" (for tests)


_toolchain: str | None = None  # the user's crate's pinned channel (toolbelt.toolchain.follow_pin)


def follow_toolchain(channel: str | None) -> None:
    """Make every cargo run of this process use `channel` (None: whatever rustup picks in its folder)."""
    global _toolchain
    _toolchain = channel


def cargo_env(target_dir: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every cargo run gets: offline, no color, Rusta's own target dir, and the
    toolchain the user's crate pins, so that a copy of it (sandbox, scratch, probe) that lies outside
    the folder holding the pin builds with the same compiler. A RUSTUP_TOOLCHAIN of the user's wins."""
    env = dict(os.environ)
    env.update(
        CARGO_NET_OFFLINE="true",
        CARGO_TERM_COLOR="never",
        CARGO_TERM_PROGRESS_WHEN="never",
        RUST_BACKTRACE="0",
    )
    if _toolchain is not None and not os.environ.get("RUSTUP_TOOLCHAIN"):
        env["RUSTUP_TOOLCHAIN"] = _toolchain
    if target_dir is not None:
        env["CARGO_TARGET_DIR"] = str(target_dir)
    if extra:
        env.update(extra)
    return env


def check_args(tool: str, package_args: Sequence[str], target_args: Sequence[str]) -> list[str]:
    """cargo's arguments for a check: JSON diagnostics, every crate of a workspace reporting."""
    return [tool, "--message-format=json", "--quiet", "--keep-going", *package_args, *target_args]


def _crate_root(path: str) -> Path | None:
    p = Path(path).resolve()
    if not p.exists():
        return None
    start = p if p.is_dir() else p.parent
    return next((d for d in (start, *start.parents) if (d / "Cargo.toml").is_file()), None)


def _sets_check_targets(root: Path) -> bool:
    f = root / ".rusta" / "settings.toml"
    if not f.is_file():
        return False
    import tomllib

    try:
        saved = tomllib.loads(f.read_text(encoding="utf-8"))
        # the selection the app saved is the CLI's default too (rusta_tui.cli.argtypes)
        return any(saved.get(k) for k in ("check_targets", "packages", "features"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # broken: the settings module says so in its own words; start nothing


# The options of each command that leave its check unchanged: flags, and those that take a value
# (`--mode study` or `--mode=study`). Anything else (a selection flag, an abbreviation) starts nothing.
_FLAGS = {
    "check": frozenset({"--json"}),
    "explain": frozenset({"--json", "--probe", "--no-rustc", "--validate", "--no-validate", "--no-log"}),
}
_VALUED = {
    "check": frozenset[str](),
    "explain": frozenset({"--code", "--at", "--mode", "--apply", "--reject", "--reason", "--alternative"}),
}


def _tool_and_path(command: str, args: Sequence[str]) -> tuple[str, str | None] | None:
    """(clippy or check, the PATH argument) as the command's parser would read ARGS; None when unsure."""
    tool, path = "clippy", None
    flags, valued = _FLAGS[command], _VALUED[command]
    it = iter(args)
    for a in it:
        if a in flags:
            continue
        if a == "--no-clippy":
            tool = "check"
        elif a in valued:
            if next(it, None) is None:
                return None  # argparse refuses it
        elif a.partition("=")[0] in valued and "=" in a:
            continue
        elif a.startswith("-") or path is not None:
            return None
        else:
            path = a
    return tool, path


def guess_check(args: Sequence[str], command: str = "check") -> tuple[list[str], Path, dict[str, str]] | None:
    """The argv, folder and environment `run_check` will most likely use for `rusta COMMAND ARGS`
    (check, or explain, whose first cargo run is the same check), or None when the common case does
    not apply."""
    read = _tool_and_path(command, args)
    if read is None:
        return None
    tool, path = read
    root = _crate_root(path or ".")
    if root is None:
        return None
    for d in (root, *root.parents):
        if d != root and (d / "Cargo.toml").is_file():
            return None
        if (d / "rust-toolchain.toml").is_file() or (d / "rust-toolchain").is_file():
            return None
    if not has_lockfile(root) and not os.access(root, os.W_OK):
        return None
    if _sets_check_targets(root):
        return None
    env = cargo_env(cache_dir() / "targets" / crate_key(root))
    cargo = shutil.which("cargo", path=env.get("PATH", os.defpath))
    if cargo is None:
        return None
    argv = [cargo, *check_args(tool, (), ("--all-targets",))]
    return isolation.isolated_argv(argv, loopback=False), root, env


def start_check(args: Sequence[str], command: str = "check") -> None:
    """Start the guessed cargo run of `rusta COMMAND ARGS` now, if there is a guess; never raises."""
    global _pending
    try:
        plan = guess_check(args, command)
        if plan is None:
            return
        argv, cwd, env = plan
        started = start_limited(argv, cwd=cwd, env=env, memory_bytes=DEFAULT_MEMORY_BYTES)
    except Exception:  # anything odd: the ordinary path meets it again and says it in its own words
        return
    with _lock:
        _pending = started
    atexit.register(discard)


def claim(
    argv: Sequence[str],
    cwd: str | Path,
    env: Mapping[str, str],
    memory_bytes: int | None,
    merge_stderr: bool = False,
) -> Started | None:
    """The early process when it runs exactly `argv` in `cwd` with `env`, the memory limit and the
    same stderr; otherwise None, after the early one (if any) has been killed and reaped."""
    global _pending, last
    with _lock:
        started, _pending = _pending, None
    if started is None:
        return None
    same = (
        started.argv == tuple(str(a) for a in argv)
        and started.cwd == str(cwd)
        and dict(started.env or {}) == dict(env)
        and started.memory_bytes == memory_bytes
        and started.merge_stderr == merge_stderr
    )
    if same:
        last = "adopted"
        return started
    last = "replaced"
    started.kill()
    return None


def discard() -> None:
    """Kill and reap an early process nobody claimed (the check stopped on bad input or an error)."""
    global _pending
    with _lock:
        started, _pending = _pending, None
    if started is not None:
        started.kill()
