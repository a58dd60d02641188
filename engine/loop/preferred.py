"""The user's alternatives Rusta conceded to: what Do applies next for a story, until its files change.

`rusta explain --reject N --alternative FILE` and `--apply N` are two processes; a concession kept
only in the loop's memory was forgotten before the next Do, which then wrote Rusta's own patch
again while her answer had said "Do will apply yours" (review F, f18). The concession is kept in
`.rusta/preferred.json`, keyed by the story (code, message without module paths, file: not its
line, which an edit above moves) and by the blob of every file the diff touches: once one of them
changes, the alternative was validated against code that is gone, and it is dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from engine.explain.types import Explanation

FILE = "preferred.json"
MAX_KEPT = 50


class Preferred(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    story: str
    diff: str
    files: tuple[tuple[str, str | None], ...]  # (path in the crate, blob id then; None: it did not exist)


class PreferredFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int = 1
    items: tuple[Preferred, ...] = ()


def story_key(e: Explanation) -> str:
    from toolbelt.diag_identity import trim_paths

    return f"{e.code or e.level}|{trim_paths(e.message)}|{e.primary.file}"


def _blobs(root: Path, diff: str) -> tuple[tuple[str, str | None], ...]:
    from dulwich.objects import Blob

    from engine.patching.diffs import touched_paths
    from engine.patching.sandbox import crate_changes

    out = []
    for p in sorted(touched_paths(crate_changes(root, diff))):
        f = root / p
        out.append((p, Blob.from_string(f.read_bytes()).id.decode() if f.is_file() else None))
    return tuple(out)


def _load(root: Path) -> tuple[Preferred, ...]:
    from diary.rustadir import STORE_DIR

    try:
        return msgspec.json.decode((root / STORE_DIR / FILE).read_bytes(), type=PreferredFile).items
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return ()  # none kept, or a file from another version: Do falls back to Rusta's own fixes


def remember(root: Path, e: Explanation, diff: str) -> None:
    """Keep `diff` as the fix Do applies for `e`'s story, in place of any kept before for it."""
    from diary.rustadir import ensure_rusta_dir
    from toolbelt.atomic_file import replace_file

    key = story_key(e)
    kept = [p for p in _load(root) if p.story != key][-(MAX_KEPT - 1) :]
    kept.append(Preferred(story=key, diff=diff, files=_blobs(root, diff)))
    replace_file(ensure_rusta_dir(root) / FILE, msgspec.json.encode(PreferredFile(items=tuple(kept))))


def recall(root: Path, e: Explanation) -> str | None:
    """The alternative kept for `e`'s story, while every file it touches is as it was validated."""
    from engine.patching.errors import PatchError

    key = story_key(e)
    for p in _load(root):
        if p.story != key:
            continue
        try:
            if _blobs(root, p.diff) == p.files:
                return p.diff
        except (OSError, PatchError):
            return None
    return None
