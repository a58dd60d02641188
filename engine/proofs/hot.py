"""The fns the user marks as hot, kept in `<crate>/.rusta/hot.json`, and which of them a patch touches.

A hot fn gets a before/after benchmark whenever a patch changes it, as `--bench` would give it, with
the Settings allowance (`rusta hot add`, the app's `H` on the Code screen). A fn is named by its file
under the crate and its label (`name`, or `Type::name` for a method of an inherent impl), so a mark
survives edits that move it.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from engine.patching.diffs import apply_changes
from engine.patching.sandbox import crate_changes
from engine.patching.types import Patch
from engine.syntax.fn_items import changed_items, changed_methods, method_items, top_items
from engine.syntax.tree import parse
from toolbelt.atomic_file import replace_file
from toolbelt.cargo_workspace import package_dirs

VERSION = 1


class HotFn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    path: str  # relative to the crate root, e.g. src/lib.rs
    name: str  # the fn's name, or Type::name for a method


class HotList(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int = VERSION
    fns: tuple[HotFn, ...] = ()


class HotError(Exception):
    """A hot mark that names no fn, or a hot file Rusta cannot read; the message is for the user."""

    user_facing = True


_DEC = msgspec.json.Decoder(HotList)
_ENC = msgspec.json.Encoder()


def hot_path(root: Path) -> Path:
    return Path(root) / ".rusta" / "hot.json"


def load(root: Path) -> HotList:
    try:
        data = hot_path(root).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return HotList()  # no list yet; a `.rusta` that is not a folder holds none (its writer says so)
    except OSError as e:
        raise HotError(f"cannot read {hot_path(root)}: {e.strerror}.") from e
    try:
        return _DEC.decode(data)
    except msgspec.ValidationError as e:
        raise HotError(f"{hot_path(root)} is not a hot-fn list Rusta wrote ({e}).") from e


def _save(root: Path, hot: HotList) -> None:
    path = hot_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, _ENC.encode(hot) + b"\n")


def fns_of(source: bytes) -> list[tuple[str, int, int]]:
    """(label, first row, last row) of each free fn and each method of an inherent impl; rows from 0."""
    out = [(it.name, it.row_start, it.row_end) for it in top_items(source) if it.kind == "function_item"]
    for n in parse(source).root_node.named_children:
        if n.type == "impl_item" and n.child_by_field_name("trait") is None:
            ty = n.child_by_field_name("type")
            owner = (ty.text or b"").decode() if ty is not None else ""
            out += [(f"{owner}::{m.name}", m.row_start, m.row_end) for m in method_items(n, owner)]
    return out


def fn_at(root: Path, path: str, line: int) -> str | None:
    """The label of the innermost fn holding `line` (1-based) of `path`, or None."""
    try:
        source = (Path(root) / path).read_bytes()
    except OSError:
        return None
    holding = [(end - start, label) for label, start, end in fns_of(source) if start <= line - 1 <= end]
    return min(holding)[1] if holding else None


def src_dirs(root: Path) -> list[Path]:
    """The src/ folder of each package of the workspace (the crate's own when it stands alone)."""
    root = Path(root)
    dirs = [root / d / "src" for d in package_dirs(root)] or [root / "src"]
    return [d for d in dirs if d.is_dir()]


def find(root: Path, spec: str, here: Path | None = None) -> HotFn:
    """The fn a user names: `FILE:LINE` (the fn holding that line; FILE relative to `here`, the
    package the user is in, else to the workspace root) or a label (`parse`, `Type::parse`) found in
    exactly one file under a src/ (of `here`'s package first, then of the whole workspace)."""
    root = Path(root).resolve()
    here = Path(here).resolve() if here is not None else root
    file, _, line = spec.rpartition(":")
    if file and line.isdigit() and not file.endswith(":"):
        if here != root and (here / file).is_file():  # as the shell reads it, from inside a member
            file = (here / file).relative_to(root).as_posix()
        label = fn_at(root, file, int(line))
        if label is None:
            raise HotError(f"no fn holds line {line} of {file}.")
        return HotFn(path=file, name=label)
    found: list[HotFn] = []
    for dirs in ([here / "src"] if here != root else [], src_dirs(root)):
        found = [
            HotFn(path=p.relative_to(root).as_posix(), name=spec)
            for d in dirs
            if d.is_dir()
            for p in sorted(d.rglob("*.rs"))
            if any(label == spec for label, _, _ in fns_of(p.read_bytes()))
        ]
        if found:
            break
    if not found:
        raise HotError(f"no fn named {spec} under src/ (name a method as Type::name, or give FILE:LINE).")
    if len(found) > 1:
        where = ", ".join(f.path for f in found)
        raise HotError(f"{spec} is defined in {where}; say which with FILE:LINE.")
    return found[0]


def mark(root: Path, fn: HotFn) -> bool:
    """Marks `fn` hot; False when it already was."""
    hot = load(root)
    if fn in hot.fns:
        return False
    _save(root, HotList(fns=(*hot.fns, fn)))
    return True


def unmark(root: Path, fn: HotFn) -> bool:
    """False when `fn` was not hot."""
    hot = load(root)
    if fn not in hot.fns:
        return False
    _save(root, HotList(fns=tuple(f for f in hot.fns if f != fn)))
    return True


def changed_fns(root: Path, patch: Patch) -> list[HotFn]:
    """Every fn and inherent method whose text the patch changes (new ones included), by file."""
    root = Path(root)
    changes = crate_changes(root, patch.diff)
    out: list[HotFn] = []
    for path, new in sorted(apply_changes(changes, lambda p: _read(root, p)).items()):
        if new is None or not path.endswith(".rs"):
            continue
        old = _read(root, path) or b""
        for _, it in changed_items(old, new) + changed_methods(old, new):
            if it.kind == "function_item":
                out.append(HotFn(path=path, name=f"{it.owner}::{it.name}" if it.owner else it.name))
    return out


def touched(root: Path, patch: Patch) -> list[HotFn]:
    """The hot fns the patch changes."""
    hot = set(load(root).fns)
    return [f for f in changed_fns(root, patch) if f in hot] if hot else []


def _read(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None
