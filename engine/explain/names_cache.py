"""The types and traits each file of a crate defines, kept on disk between runs.

An option that needs to know whether a type is the crate's own (the orphan rule) asks for the names
every file defines, and answering parses every `.rs` file of the crate with tree-sitter: ~0.25 s for
a 1,000-file crate, on the path to the first story of each `rusta explain` that meets an E0277,
E0369, E0599 or E0608. Per file, the names are kept with the file's mtime and size (what cargo's
own fingerprints trust, and Rusta's patch path writes mtimes from the precise clock); a later run
re-parses only the files whose stamp changed. One cache file per crate, holding only the files the
crate has now; one that cannot be read or written costs the parse, never a different answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import msgspec

from toolbelt.atomic_file import replace_file
from toolbelt.cache_root import cache_dir, crate_key

CACHE_VERSION = 3


class _File(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    mtime_ns: int
    size: int
    types: tuple[str, ...]
    traits: tuple[str, ...]
    clones: tuple[str, ...]  # the types the file gives `Clone` (a derive or an impl)


class _Crate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int
    files: dict[str, _File]


_decoder = msgspec.msgpack.Decoder(_Crate)
_encoder = msgspec.msgpack.Encoder()


def cache_path(root: str | Path) -> Path:
    return cache_dir() / "explain" / f"names-v{CACHE_VERSION}" / f"{crate_key(root)}.msgpack"


def _load(path: Path) -> dict[str, _File]:
    try:
        found = _decoder.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}  # none yet, or damaged: every file is parsed
    return dict(found.files) if found.version == CACHE_VERSION else {}


def crate_defined_names(root: str | Path, rels: Iterable[str]) -> dict[str, frozenset[str]]:
    """{"type": ..., "trait": ..., "clone": ...}: the names the files `rels` (relative to `root`)
    define, and the types among them they give `Clone`."""
    from engine.syntax.tree import defined_names  # tree-sitter only when a file must be parsed

    path = cache_path(root)
    old = _load(path)
    new: dict[str, _File] = {}
    out: dict[str, set[str]] = {"type": set(), "trait": set(), "clone": set()}
    parsed = False
    for rel in rels:
        f = Path(root) / rel
        try:
            st = f.stat()  # before the read: a file that changes after it is parsed again next time
            hit = old.get(rel)
            if hit is None or (hit.mtime_ns, hit.size) != (st.st_mtime_ns, st.st_size):
                names = defined_names(f.read_bytes())
                hit = _File(
                    mtime_ns=st.st_mtime_ns,
                    size=st.st_size,
                    types=tuple(sorted(names["type"])),
                    traits=tuple(sorted(names["trait"])),
                    clones=tuple(sorted(names["clone"])),
                )
                parsed = True
        except OSError:
            continue
        new[rel] = hit
        out["type"].update(hit.types)
        out["trait"].update(hit.traits)
        out["clone"].update(hit.clones)
    if parsed or new.keys() != old.keys():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, _encoder.encode(_Crate(version=CACHE_VERSION, files=new)), durable=False)
        except OSError:
            pass  # a read-only cache costs the next run its parses
    return {k: frozenset(v) for k, v in out.items()}
