"""A candidate formatted with the repo's own rustfmt config: the items it changes, and only those.

Stable rustfmt cannot format a range of lines, so each changed top-level item is formatted alone
(`toolbelt.rustfmt_items.format_item`, with the crate's `rustfmt.toml`), and only when it was
rustfmt-clean before the edit: an item the repo keeps unformatted is left as the edit wrote it, so
the diff never reformats code the fix did not touch. A new item is formatted. The result is one edit
per file, the span where the formatted file differs from the old one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from engine.edits import Edit, EditError, apply_edits, by_file
from engine.syntax.fn_items import changed_items
from toolbelt.rustfmt_items import RustfmtUnavailable, format_item, rustfmt_config

FORMATTED_KINDS = ("function_item", "impl_item", "trait_item", "struct_item", "enum_item")


@functools.lru_cache(maxsize=512)
def _formatted(text: str, crate: Path) -> str:
    return format_item(text, crate).rstrip("\n")


def _format_changed(old: bytes, new: bytes, crate: Path) -> bytes:
    out = new
    for prev, it in reversed(changed_items(old, new)):  # from the end, so offsets stay valid
        if it.kind not in FORMATTED_KINDS:
            continue
        if prev is not None and _formatted(prev.text, crate) != prev.text:
            continue  # the repo keeps this item unformatted: the edit's own lines, as written
        done = _formatted(it.text, crate)
        if done != it.text:
            out = out[: it.start] + done.encode() + out[it.end :]
    return out


def _span(old: bytes, new: bytes, file: str) -> Edit:
    """The one edit that turns `old` into `new`: their common head and tail left alone."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    while head and (new[head : head + 1] or b"\0")[0] & 0xC0 == 0x80:
        head -= 1  # not inside a character
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    while tail and new[len(new) - tail] & 0xC0 == 0x80:
        tail -= 1
    return Edit(file=file, start=head, end=len(old) - tail, replacement=new[head : len(new) - tail].decode())


def rustfmt_edits(edits: list[Edit], read: Callable[[str], bytes | None], crate: Path) -> list[Edit]:
    """`edits` with the items they change formatted in the crate's rustfmt style; `edits` itself when
    the crate has no rustfmt config, rustfmt is missing or fails, or nothing changes."""
    if rustfmt_config(crate) is None:
        return edits
    out: list[Edit] = []
    changed = False
    for file, mine in sorted(by_file(edits).items()):
        old = read(file) if file.endswith(".rs") else None
        if old is None:
            out.extend(mine)
            continue
        try:
            new = apply_edits(old, mine)
            done = _format_changed(old, new, crate)
        except (EditError, RustfmtUnavailable, UnicodeDecodeError):
            out.extend(mine)
            continue
        if done == new or done == old:
            out.extend(mine)
            continue
        out.append(_span(old, done, file))
        changed = True
    return out if changed else edits
