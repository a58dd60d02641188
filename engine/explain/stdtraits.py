"""Whether a std type implements a trait, read from the std documentation rustup installed.

A fact, not a list: `std/all.html` names the page of every std item, and a type's page carries an
`impl-Clone-for-..` anchor exactly when std implements `Clone` for it. A name that several std
modules define (`Receiver` in `mpsc` and `mpmc`) counts only when every page agrees; no docs, no
page, or pages that disagree is unknown (None).
"""

from __future__ import annotations

import functools
import re

from engine.explain.references import doc_root


@functools.cache
def _pages(name: str) -> tuple[str, ...]:
    root = doc_root()
    if root is None or not re.fullmatch(r"\w+", name):
        return ()
    try:
        listing = (root / "std" / "all.html").read_text(errors="replace")
    except OSError:
        return ()
    return tuple(dict.fromkeys(re.findall(rf'href="([\w/]+/(?:struct|enum)\.{name}\.html)"', listing)))


@functools.cache
def std_implements(name: str, trait: str) -> bool | None:
    """Whether std's type `name` implements `trait` (`Clone`), or None when the docs cannot say."""
    root, answers = doc_root(), set()
    for page in _pages(name):
        try:
            text = (root / "std" / page).read_text(errors="replace")  # type: ignore[operator]
        except OSError:
            return None
        answers.add(f'id="impl-{trait}-for-' in text)
    return answers.pop() if len(answers) == 1 else None
