"""std's own source, read offline from the rust-docs component's source pages.

rustc's notes point into the standard library by a path like
`/rustc/<hash>/library/core/src/char/methods.rs:343`. Without the rust-src component that file is
not on disk, but rustup's rust-docs ships every std source file as a rendered page
(`share/doc/rust/html/src/core/char/methods.rs.html`). From it Rusta reads what a note names: the
item's signature (its parameters' names) and its doc comment's `# Panics` section. Those are facts
the diagnostic itself does not carry; when the page is missing, nothing is claimed.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import msgspec

from toolbelt.sysroot import doc_root
from toolbelt.types import Diagnostic

_STD_PATH = re.compile(r"^/rustc/[0-9a-f]+/library/(?P<krate>\w+)/src/(?P<rest>.+\.rs)$")
_LINE = re.compile(r"<a href=#(\d+) id=\1 data-nosnippet>\1</a>")
_TAG = re.compile(r"<[^>]+>")
_PARAM = re.compile(r"(?:mut\s+)?(?P<name>[a-z_]\w*)\s*:\s*(?P<ty>[^,]+)")


class StdItem(msgspec.Struct, frozen=True):
    """A std function as its source declares it."""

    name: str
    params: tuple[str, ...]  # parameter names in order, `self` left out
    panics: str = ""  # the first sentence of the doc comment's `# Panics` section, or ""


def page_for(rustc_path: str, docs: Path | None) -> Path | None:
    """The rendered source page of a `/rustc/<hash>/library/...` path, when rust-docs has it."""
    m = _STD_PATH.match(rustc_path)
    if m is None or docs is None:
        return None
    page = docs / "src" / m["krate"] / f"{m['rest']}.html"
    return page if page.is_file() else None


def source_lines(page_html: str) -> dict[int, str]:
    """Line number to source text of a rendered source page. Pure."""
    parts = _LINE.split(page_html)
    # split gives [before, n1, text1, n2, text2, ...]; a line's text runs to the next anchor
    lines: dict[int, str] = {}
    for i in range(1, len(parts) - 1, 2):
        text = html.unescape(_TAG.sub("", parts[i + 1]))
        lines[int(parts[i])] = text.split("\n", 1)[0]
    return lines


def item_at(lines: dict[int, str], line: int) -> StdItem | None:
    """The fn declared at `line` (its header may run over several lines) and its doc's panics. Pure."""
    header, n = "", line
    while n in lines and n < line + 12:
        header += " " + lines[n].strip()
        if "{" in lines[n] or lines[n].rstrip().endswith(";"):
            break
        n += 1
    m = re.search(r"\bfn\s+(?P<name>\w+)\s*(?:<[^(]*>)?\s*\((?P<args>[^)]*)\)", header)
    if m is None:
        return None
    params = tuple(
        p["name"] for a in m["args"].split(",") if (p := _PARAM.match(a.strip())) and p["name"] != "self"
    )
    return StdItem(name=m["name"], params=params, panics=_panics(lines, line))


def _panics(lines: dict[int, str], line: int) -> str:
    """The `# Panics` section's first sentence from the doc comment above `line`."""
    doc: list[str] = []
    n = line - 1
    while n in lines:
        text = lines[n].strip()
        if text.startswith("///"):
            doc.append(text[3:].strip())
        elif not text or (text.endswith(("}", "{", ";")) and not text.startswith("#[")):
            break  # the item above ends here; attributes and their continued lines are skipped
        n -= 1
    doc.reverse()
    if "# Panics" not in doc:
        return ""
    body = []
    for text in doc[doc.index("# Panics") + 1 :]:
        if text.startswith("#"):
            break
        if text:
            body.append(text)
        elif body:
            break
    sentence = " ".join(body)
    return sentence.split(". ")[0].rstrip(".") + "." if sentence else ""


@functools.lru_cache(maxsize=64)
def _lines_of(page: Path) -> dict[int, str]:
    try:
        return source_lines(page.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return {}


def std_item(rustc_path: str, line: int) -> StdItem | None:
    """The std fn a note points at (`/rustc/<hash>/library/...`, line), or None when unknown."""
    page = page_for(rustc_path, doc_root() if _STD_PATH.match(rustc_path) else None)
    return item_at(_lines_of(page), line) if page is not None else None


def std_callee(diag: Diagnostic) -> StdItem | None:
    """The std fn a diagnostic's "… defined here" note points at (E0061's missing argument), or None."""
    for child in diag.children:
        if not child.message.endswith("defined here"):
            continue
        for span in child.spans:
            if span.file_name.startswith("/rustc/"):
                return std_item(span.file_name, span.line_start)
    return None
