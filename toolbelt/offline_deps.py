"""When cargo cannot resolve a dependency offline: which one, where Rusta looked, and the one fix.

Rusta runs cargo offline, always. A dependency that was never downloaded then fails with cargo's
resolver words, which name the crate but not the way out. This reads cargo's stderr (pure), looks
where crates can come from on this machine (the registry cache under CARGO_HOME, a directory source
or `[source]` replacement in any `.cargo/config.toml` cargo would read, Debian's packaged registry),
and says which single step fixes it. cargo's own lines are kept, quoted after Rusta's.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import msgspec

DEBIAN_REGISTRY = Path("/usr/share/cargo/registry")

DEBIAN_SNIPPET = '[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n'

# cargo's resolver and downloader, in the words of cargo 1.7x-1.9x
_PATTERNS = (
    re.compile(r"no matching package named `([^`]+)` found"),
    re.compile(r"failed to select a version for the requirement `([^`= ]+) = "),
    re.compile(r"failed to download `([^` ]+) v[^`]*`"),
    re.compile(r"failed to get `([^`]+)` as a dependency of"),
    re.compile(r"failed to download replaced source registry `([^`]+)`"),
)
_PATH_SOURCE = re.compile(r"Unable to update (/|[A-Za-z]:\\)")  # a path dependency that is missing
_REQUIRED_BY = re.compile(r"required by package `([^` ]+)")


class MissingDependency(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    required_by: str = ""
    cargo_lines: tuple[str, ...] = ()


class SourceSeen(msgspec.Struct, frozen=True, kw_only=True):
    """One place a crate could come from, and whether it holds the missing one."""

    where: str
    has_it: bool
    directory: str = ""  # a directory source's folder


def missing_dependency(stderr: str) -> MissingDependency | None:
    """The dependency cargo could not resolve, from its stderr; None for any other failure."""
    if _PATH_SOURCE.search(stderr):
        return None
    for pat in _PATTERNS:
        m = pat.search(stderr)
        if m:
            by = _REQUIRED_BY.search(stderr)
            lines = tuple(
                ln.strip()
                for ln in stderr.splitlines()
                if ln.strip() and not ln.lstrip().startswith("{") and not ln.strip().startswith("Blocking")
            )
            return MissingDependency(
                name=m.group(1), required_by=by.group(1) if by else "", cargo_lines=lines[:8]
            )
    return None


def cargo_home() -> Path:
    return Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")


def _config_files(root: Path) -> list[Path]:
    """The config files cargo reads for `root`, nearest first, CARGO_HOME's last."""
    out: list[Path] = []
    for d in (root, *root.parents):
        for name in ("config.toml", "config"):
            f = d / ".cargo" / name
            if f.is_file():
                out.append(f)
                break
    for name in ("config.toml", "config"):
        f = cargo_home() / name
        if f.is_file() and f not in out:
            out.append(f)
            break
    return out


def _has_crate(directory: Path, name: str) -> bool:
    try:
        return any(
            p.name == name
            or p.name.startswith(f"{name}-")
            and p.name[len(name) + 1 : len(name) + 2].isdigit()
            for p in directory.iterdir()
        )
    except OSError:
        return False


def _registry_cache_has(name: str) -> tuple[bool, int]:
    """(the crate is in CARGO_HOME's registry cache, how many crates that cache holds)."""
    cache = cargo_home() / "registry" / "cache"
    count, found = 0, False
    try:
        for index in cache.iterdir():
            for f in index.iterdir():
                count += 1
                found = found or (f.name.startswith(f"{name}-") and f.name.endswith(".crate"))
    except OSError:
        pass
    return found, count


def sources_seen(root: Path, name: str) -> tuple[SourceSeen, ...]:
    """Every place on this machine the crate could come from, as cargo is configured for `root`."""
    found, count = _registry_cache_has(name)
    home = cargo_home()
    shown_home = "~/.cargo" if home == Path.home() / ".cargo" else str(home)
    seen = [
        SourceSeen(
            where=f"{shown_home}/registry ({count} crate{'s' if count != 1 else ''} downloaded)",
            has_it=found,
        )
    ]
    for f in _config_files(root):
        try:
            conf = tomllib.loads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for src_name, src in (conf.get("source") or {}).items():
            if not isinstance(src, dict):
                continue
            if isinstance(src.get("directory"), str):
                d = Path(src["directory"])
                d = d if d.is_absolute() else f.parent.parent / d
                seen.append(
                    SourceSeen(
                        where=f"the directory source `{src_name}` ({d}) set in {f}",
                        has_it=_has_crate(d, name),
                        directory=str(d),
                    )
                )
            elif isinstance(src.get("replace-with"), str):
                seen.append(
                    SourceSeen(
                        where=f"`{src_name}`, replaced by `{src['replace-with']}` in {f}", has_it=False
                    )
                )
    for vendor in (root / "vendor",):
        if vendor.is_dir() and not any(s.directory == str(vendor) for s in seen):
            seen.append(
                SourceSeen(
                    where=f"{vendor} (vendored, but no .cargo/config.toml points cargo at it)",
                    has_it=_has_crate(vendor, name),
                    directory=str(vendor),
                )
            )
    return tuple(seen)


def the_fix(root: Path, name: str, seen: tuple[SourceSeen, ...]) -> str:
    """The one step that makes the dependency resolve offline next time."""
    dirs = [s for s in seen if s.directory and "no .cargo/config.toml" not in s.where]
    if dirs:
        d = Path(dirs[0].directory)
        if d == DEBIAN_REGISTRY:
            return (
                f"install it into Debian's registry: `apt-get install librust-{name.replace('_', '-')}-dev`"
            )
        return f"add it to {d}: `cargo vendor {d}` while online"
    unpointed = [s for s in seen if s.directory and s.has_it]
    if unpointed:
        vendored = unpointed[0].directory
        return (
            f'point cargo at the vendored copy: a .cargo/config.toml with [source.crates-io] replace-with = "vendored" '
            f'and [source.vendored] directory = "{vendored}"'
        )
    if _has_crate(DEBIAN_REGISTRY, name):
        snippet = DEBIAN_SNIPPET.replace("\n\n", " ").replace("\n", " ").strip()
        return f"Debian ships it: use its registry with this in {root}/.cargo/config.toml: {snippet}"
    return f"run `cargo fetch` in {root} once while online"


def offline_sentence(root: Path, stderr: str) -> str | None:
    """Rusta's words for an unresolvable dependency, with cargo's own lines after; None otherwise."""
    miss = missing_dependency(stderr)
    if miss is None:
        return None
    seen = sources_seen(root, miss.name)
    by = f" (required by {miss.required_by})" if miss.required_by else ""
    looked = "; ".join(f"{s.where}: {'has it' if s.has_it else 'not there'}" for s in seen)
    return (
        f"cargo cannot resolve the dependency `{miss.name}`{by} offline. Rusta looked in {looked}. "
        f"To fix it, {the_fix(root, miss.name, seen)}. cargo said: {' | '.join(miss.cargo_lines)}"
    )
