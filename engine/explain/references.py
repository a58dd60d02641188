"""References a user can open offline: `rustc --explain` text (cached on disk per rustc version) and
the docs rustup installed under the sysroot (std, the book, the reference). Only what exists is kept.
"""

from __future__ import annotations

import functools
import os
import re

from engine.explain.kb_loader import KBEntry
from engine.explain.types import Reference
from toolbelt.paths import cache_dir
from toolbelt.process import run_limited
from toolbelt.sysroot import doc_root, rustc_version, version_key
from toolbelt.types import Diagnostic

LOCAL_KINDS = ("std-doc", "book", "reference")
_CODE_RE = re.compile(r"^E\d{4}$")
_LINT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
LINT_LISTINGS = ("warn-by-default.html", "deny-by-default.html", "allowed-by-default.html")


def explain_text(code: str) -> str:
    """The full text of `rustc --explain CODE`, cached under cache_dir()/explain/<rustc version>/.

    Empty when the code is not a rustc error code or rustc does not know it.
    """
    if not _CODE_RE.match(code):
        return ""
    folder = cache_dir() / "explain" / version_key(rustc_version())
    cached = folder / f"{code}.md"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    proc = run_limited(["rustc", "--explain", code], cwd=os.getcwd(), timeout_s=20.0)
    if proc.outcome != "ok":
        return ""
    text = proc.stdout.decode("utf-8", "replace")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{code}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(cached)
    return text


def explain_passage(text: str, max_chars: int = 600) -> str:
    """The opening prose of an `--explain` text: the paragraphs before the first code block."""
    prose: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        if para.lstrip().startswith("```"):
            break
        if para.lstrip().startswith("#") or re.search(r"examples?:\s*$", para.strip(), re.I):
            continue
        prose.append(_FOOTNOTE.sub("", " ".join(ln.strip() for ln in para.splitlines())))
        if sum(len(p) for p in prose) >= max_chars:
            break
    # a passage ends on a sentence that says something, never on one that introduces what was cut
    # (an example, a list): "... give rise to the restrictions:" is dropped, the sentences before stay
    while prose and prose[-1].rstrip().endswith(":"):
        kept = _SENTENCE_END.split(prose[-1].rstrip())[:-1]
        if kept:
            prose[-1] = " ".join(kept)
        else:
            prose.pop()
    return "\n\n".join(prose).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])")
_FOOTNOTE = re.compile(r"\[\^\w+\]|\s*\(see below\)")


@functools.cache
def _listing(name: str) -> str:
    html = doc_root()
    path = html / "rustc" / "lints" / "listing" / name if html else None
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path else ""
    except OSError:
        return ""


def rustc_lint_page(lint: str) -> str | None:
    """The rustc book's listing page (with #anchor) that documents a rustc lint, when installed."""
    anchor = lint.replace("_", "-")
    for name in LINT_LISTINGS:
        if f'id="{anchor}"' in _listing(name):
            html = doc_root()
            assert html is not None
            return f"{html / 'rustc' / 'lints' / 'listing' / name}#{anchor}"
    return None


_UNMET = re.compile(
    r"the trait `(?:\w+::)*(\w+)(?:<[^`]*>)?` is not implemented for|cannot be (sent|shared) between threads"
)
_CLOSURE_CAPTURE = re.compile(r"captured variable in an? `Fn` closure|in an? `Fn` closure")


def _fitted(r: Reference, diag: Diagnostic) -> Reference | None:
    """The reference as it fits this diagnostic: an error code's entry lists chapters for its usual
    shapes, and some do not fit the shape in front of Rusta (review A: "Appendix C: Derivable Traits"
    for a `Send` or `FromIterator` error, "Variables and Mutability" for a `Fn` closure's capture).
    The derive appendix stays only when the unmet trait rustc names is one a derive writes; a
    closure's capture gets the closures chapter in place of the variables one."""
    from engine.explain.applicable import DERIVABLE
    from engine.explain.placeholders import texts

    said = "\n".join(texts(diag))
    if r.target.endswith("appendix-03-derivable-traits.html"):
        traits = {m.group(1) or ("Send" if m.group(2) == "sent" else "Sync") for m in _UNMET.finditer(said)}
        return r if traits and traits <= DERIVABLE else None
    if r.target.endswith("ch03-01-variables-and-mutability.html") and _CLOSURE_CAPTURE.search(said):
        path = r.target.replace("ch03-01-variables-and-mutability.html", "ch13-01-closures.html")
        return (
            Reference(title="The Rust Book, 13.1 Closures", kind=r.kind, target=path)
            if os.path.isfile(path)
            else None
        )
    return r


def resolve(entry: KBEntry | None, diag: Diagnostic, lint_url: str | None) -> tuple[Reference, ...]:
    """The entry's references with local paths made absolute; missing files dropped; defaults added."""
    out: list[Reference] = []
    html = None
    if entry is not None:
        for r in entry.references:
            if r.kind in LOCAL_KINDS:
                if html is None:
                    html = doc_root()
                if html is None:
                    continue
                path = html / r.target
                if path.is_file():
                    out.append(Reference(title=r.title, kind=r.kind, target=str(path)))
            else:
                out.append(Reference(title=r.title, kind=r.kind, target=r.target))
    out = [r for r in (_fitted(r, diag) for r in out) if r is not None]
    code = diag.code_str or ""
    have = {r.target for r in out}
    if _CODE_RE.match(code) and f"rustc --explain {code}" not in have:
        out.insert(
            0, Reference(title=f"rustc --explain {code}", kind="explain", target=f"rustc --explain {code}")
        )
    if _LINT_RE.match(code):
        page = rustc_lint_page(code)
        if page is not None:
            out.append(Reference(title=f"The rustc book: lint `{code}`", kind="reference", target=page))
    if code.startswith("clippy::"):
        lint = code.removeprefix("clippy::")
        cmd = f"cargo clippy --explain {lint}"
        if cmd not in have:
            out.insert(0, Reference(title=cmd, kind="explain", target=cmd))
        if lint_url and lint_url not in have:
            out.append(Reference(title=f"clippy lint {lint} (online)", kind="url", target=lint_url))
    return tuple(out)
