"""Format only the items a patch changes, in the crate's own rustfmt style, before the patch is shown.

Untouched items keep whatever formatting they have (the diff shows only the change); when rustfmt is
missing or fails, the patch is left as it was and the Proof says why.
"""

from __future__ import annotations

from pathlib import Path

from engine.edits import unified_diff
from engine.patching.diffs import apply_changes
from engine.patching.sandbox import crate_changes
from engine.patching.types import Patch, Proof
from engine.syntax.fn_items import changed_items
from toolbelt.rustfmt_items import RustfmtUnavailable, format_item

FORMATTED_KINDS = ("function_item", "impl_item", "trait_item", "struct_item", "enum_item")


def _read(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None


def format_new_text(old: bytes, new: bytes, crate: Path) -> tuple[bytes, int]:
    """`new` with each item that differs from `old` formatted; (text, how many items changed)."""
    out = new
    n = 0
    for _prev, it in reversed(changed_items(old, new)):  # from the end, so offsets stay valid
        if it.kind not in FORMATTED_KINDS:
            continue
        formatted = format_item(it.text, crate).rstrip("\n")
        if formatted != it.text:
            out = out[: it.start] + formatted.encode() + out[it.end :]
            n += 1
    return out, n


def format_patch(root: Path, patch: Patch) -> tuple[Patch, Proof]:
    """The patch with its changed items formatted (a new id when that changed it), and what happened."""
    changes = crate_changes(root, patch.diff)
    if any(c.kind not in ("modify", "add") for c in changes) or "\nnew mode " in patch.diff:
        why = "rustfmt: not run: the patch renames, deletes or changes the mode of files; its diff stays as given."
        return patch, Proof(kind="rustfmt", status="skipped", detail=why)
    new = apply_changes(changes, lambda p: _read(root, p))
    before = {p: _read(root, p) for p in new}
    after = dict(new)
    formatted = 0
    try:
        for path, data in new.items():
            old = before[path]
            if data is None or not path.endswith(".rs"):
                continue
            after[path], k = format_new_text(old or b"", data, root)
            formatted += k
    except RustfmtUnavailable as e:
        return patch, Proof(kind="rustfmt", status="skipped", detail=f"rustfmt: patch left unformatted: {e}.")
    if not formatted:
        return patch, Proof(
            kind="rustfmt", status="passed", detail="rustfmt: the changed items were already formatted."
        )
    diff = unified_diff(before, after, errors="surrogateescape")
    out = Patch.new(diff, patch.explanation, patch.addresses, patch.source)
    detail = f"rustfmt: formatted {formatted} changed item(s) in the crate's style; the rest of the file is untouched."
    return out, Proof(kind="rustfmt", status="passed", detail=detail, count=formatted)
