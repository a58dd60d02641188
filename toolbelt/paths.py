"""Where Rusta keeps its own files: a cache folder per user, one cargo target dir per crate.

Also what is in that cache and how big it is (`cache_entries`), so `rusta gc` can bound it and
`rusta doctor` can show it. Every per-crate entry is named `<crate>-<hash of its path>` (see
`crate_key`); `crates/<key>.json` records which path that was, and its mtime is the key's last use,
stamped by `target_dir_for` (which every cargo run, sandbox and probe goes through).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import msgspec

from toolbelt.atomic_file import replace_file
from toolbelt.cache_root import cache_dir, crate_key
from toolbelt.errors import CacheUnwritable

_usable: set[str] = set()


class StorageLimits(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How much Rusta may keep; the app's Settings takes its defaults from here.

    It lives in toolbelt, not in the app, because `rusta doctor` (toolbelt) and `rusta gc` (diary)
    read it too and may not import the app. Sizes are in MiB, as a user writes them in settings.toml.
    """

    cache_cap_mb: int = 4096  # targets, sandboxes and scratch copies under cache_dir(), all crates
    snapshot_cap_mb: int = 256  # one crate's .rusta/snapshots.git, beyond what undo still needs
    snapshot_max_age_days: int = 30  # snapshots no op needs are dropped past this age
    undo_history_ops: int = 200  # the newest ops that stay undoable; older ones are collected


CacheKind = Literal["targets", "sandboxes", "scratch"]
CACHE_KINDS: tuple[CacheKind, ...] = ("targets", "sandboxes", "scratch")
# folder under cache_dir() -> kind; anything else there (isolation, toolchains, explain, probe
# results) is small metadata that is counted but never evicted
_LAYOUT: dict[str, CacheKind] = {"targets": "targets", "sandboxes": "sandboxes", "repair": "scratch"}
_LAYOUT |= {"probes": "scratch", "shadows": "scratch", "review": "scratch"}  # review: exports + targets
_REGISTRY = "crates"


class CacheEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One evictable folder of the cache: a crate's target dir, sandbox or scratch copy."""

    kind: CacheKind
    path: str
    key: str  # `<crate>-<hash>`, shared by every entry of one crate path
    crate: str | None  # the crate path it serves, when recorded (entries made before it was are None)
    crate_exists: bool
    bytes: int
    last_used: float  # epoch seconds
    locks: tuple[str, ...]  # files whose flock a running check, validation, probe or repair holds


class CacheUsage(msgspec.Struct, frozen=True, kw_only=True):
    """Sizes of the cache by kind (plus "other", never evicted) and the cap they answer to."""

    root: str
    by_kind: dict[str, int]
    entries: tuple[CacheEntry, ...]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def writable_cache_dir() -> Path:
    """`cache_dir()`, created if missing; CacheUnwritable with one sentence when it cannot be written.

    Every tool that keeps state there (targets, sandboxes, scratch copies, probes) goes through this,
    so an unusable cache (`RUSTA_CACHE_DIR=/proc/x`, a read-only home) is named once and plainly
    instead of surfacing as cargo's "failed to create directory" or an OSError traceback.
    """
    d = cache_dir()
    if str(d) in _usable:
        return d
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CacheUnwritable(
            f"Rusta's cache folder {d} cannot be created ({e.strerror or e}); "
            "set RUSTA_CACHE_DIR to a writable folder."
        ) from e
    if not os.access(d, os.W_OK | os.X_OK):
        raise CacheUnwritable(
            f"Rusta's cache folder {d} is not writable; set RUSTA_CACHE_DIR to a writable folder."
        )
    _usable.add(str(d))
    return d


def target_dir_for(crate_root: str | Path) -> Path:
    """A target dir of Rusta's own per crate, so she never waits on the user's cargo build lock.

    Also stamps the crate's use (see the module docstring), so the least recently used go first.
    """
    root = Path(crate_root).resolve()
    key = crate_key(root)
    cache = writable_cache_dir()
    _remember(cache, key, root)
    return cache / "targets" / key


class _Owner(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int = 1
    path: str


_owner_enc = msgspec.json.Encoder()
_owner_dec = msgspec.json.Decoder(_Owner)


def _remember(cache: Path, key: str, root: Path) -> None:
    """Record `key -> root` once and stamp its use; best effort, since a stamp is only a hint."""
    rec = cache / _REGISTRY / f"{key}.json"
    try:
        os.utime(rec)
        return
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        rec.parent.mkdir(exist_ok=True)
        replace_file(rec, _owner_enc.encode(_Owner(path=str(root))), durable=False)
    except OSError:
        pass  # a registry that cannot be written only makes this entry's crate unknown to gc


def _owner(cache: Path, key: str) -> tuple[str | None, float]:
    """The crate path recorded for `key` and the time of its last use (0 when unknown)."""
    rec = cache / _REGISTRY / f"{key}.json"
    try:
        return _owner_dec.decode(rec.read_bytes()).path, rec.stat().st_mtime
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None, 0.0


def forget(key: str) -> None:
    """Drop the registry record of `key` once none of its entries is left."""
    (cache_dir() / _REGISTRY / f"{key}.json").unlink(missing_ok=True)


def tree_bytes(path: Path) -> int:
    """Disk space the tree at `path` takes (allocated blocks, each hard-linked inode once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    stack = [path]
    while stack:
        d = stack.pop()
        try:
            st = os.lstat(d)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        total += st.st_blocks * 512
        if not os.path.isdir(d) or os.path.islink(d):
            continue
        try:
            with os.scandir(d) as it:
                stack.extend(Path(e.path) for e in it)
        except OSError:
            continue
    return total


def _cargo_locks(folder: Path) -> list[Path]:
    """cargo's build lock in each profile folder (`debug/.cargo-lock`, `<triple>/debug/.cargo-lock`)."""
    return [*folder.glob("*/.cargo-lock"), *folder.glob("*/*/.cargo-lock")]


def _last_used(path: Path, stamp: float) -> float:
    """The newest of the registry stamp and the mtimes of the entry and its first level.

    Entries made before the registry existed have only their own mtimes: a build that adds files
    updates the folders they go into.
    """
    newest = stamp
    try:
        newest = max(newest, path.stat().st_mtime)
        with os.scandir(path) as it:
            for e in it:
                try:
                    newest = max(newest, e.stat(follow_symlinks=False).st_mtime)
                except OSError:
                    continue
    except OSError:
        pass
    return newest


def _locks_for(cache: Path, folder: str, entry: Path, key: str) -> list[Path]:
    if folder == "targets":
        return _cargo_locks(entry)
    if folder == "sandboxes":
        return [entry / "lock", *_cargo_locks(entry / "target")]
    if folder in ("repair", "probes"):
        return [cache / folder / f"{key}.lock"]
    return _cargo_locks(cache / "targets" / key)  # shadows: cargo runs on them with the crate's target


def cache_entries(*, sizes: bool = True) -> CacheUsage:
    """Every evictable entry of the cache with its crate, size, last use and locks.

    Walking a big cache costs a second or two (one stat per file); `sizes=False` skips the walk
    (bytes are then 0) for callers that only need the list.
    """
    cache = cache_dir()
    by_kind: dict[str, int] = {k: 0 for k in (*CACHE_KINDS, "other")}
    out: list[CacheEntry] = []
    try:
        tops = sorted(os.scandir(cache), key=lambda e: e.name)
    except OSError:
        return CacheUsage(root=str(cache), by_kind=by_kind, entries=())
    for top in tops:
        kind = _LAYOUT.get(top.name)
        if kind is None or not top.is_dir(follow_symlinks=False):
            if sizes:
                by_kind["other"] += tree_bytes(Path(top.path))
            continue
        for e in sorted(os.scandir(top.path), key=lambda e: e.name):
            p = Path(e.path)
            if not e.is_dir(follow_symlinks=False) or e.name == "results":
                if sizes:  # lock files, probe results: small, kept
                    by_kind["other"] += tree_bytes(p)
                continue
            key = e.name.removesuffix("-probe")
            crate, stamp = _owner(cache, key)
            size = tree_bytes(p) if sizes else 0
            by_kind[kind] += size
            out.append(
                CacheEntry(
                    kind=kind,
                    path=str(p),
                    key=key,
                    crate=crate,
                    crate_exists=crate is None or Path(crate).is_dir(),
                    bytes=size,
                    last_used=_last_used(p, stamp),
                    locks=tuple(str(x) for x in _locks_for(cache, top.name, p, key)),
                )
            )
    return CacheUsage(root=str(cache), by_kind=by_kind, entries=tuple(out))


def age_words(seconds: float) -> str:
    """`3 min`, `5 h`, `12 days`: how long ago, for tables."""
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} days"
