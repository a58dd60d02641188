"""What the Why drawer shows: what the Explain bubble beside it does not already say.

The bubble shows the story in the mode's words (study: the question and the reveal; pair: 2-4 lines).
The drawer is the layer under it: rustc's evidence (each labelled span and each note or help, word
for word, at its place), the compiler probe's facts, then Rusta's root cause, invariant, why,
trade-offs and references, each one only when the bubble has not said it. A drawer that repeated the
bubble would make the user read the same words twice for nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console, RenderableType
from rich.text import Text

from engine.explain.types import Explanation
from modes.study import new_facts, why_text
from toolbelt.types import Diagnostic, Span

# the invariant a code without a rule of its own gets: it says nothing, so it is never shown
_NO_RULE = "The compiler's rule stated in the message."


def plain(renderable: RenderableType) -> str:
    """The words a renderable shows, lower case, whitespace collapsed: wrapping, indentation and a
    capital at a sentence's start never hide a repeat."""
    buf = io.StringIO()
    Console(width=2000, color_system=None, file=buf).print(renderable)
    return _flat(buf.getvalue())


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def _at(s: Span) -> str:
    return f"{s.file_name}:{s.line_start}:{s.column_start}"


def evidence(e: Explanation) -> Iterator[tuple[str, str]]:
    """rustc's words, each with its place (file:line:column, or "" for a note without a span):
    every labelled span, then every note and help, in rustc's order, each said once."""
    seen: set[tuple[str, str]] = set()

    def walk(d: Diagnostic, top: bool) -> Iterator[tuple[str, str]]:
        items = (
            []
            if top or not d.message.strip()
            else [(_at(d.spans[0]) if d.spans else "", f"{d.level}: {d.message}")]
        )
        items += [(_at(s), s.label) for s in d.spans if s.label]
        for item in items:
            if item not in seen:
                seen.add(item)
                yield item
        for c in d.children:
            yield from walk(c, False)

    for d in e.diagnostics:
        yield from walk(d, True)


def _said(text: str, bubble: str) -> bool:
    return _flat(text) in bubble


def _quoted(words: str, bubble: str) -> bool:
    """An evidence item the bubble already quotes (a note's or help's words without its level)."""
    return _said(words.split(": ", 1)[-1] if words.startswith(("note: ", "help: ")) else words, bubble)


def why_sections(e: Explanation, bubble: str) -> list[tuple[str, list[str]]]:
    """(heading, items) for the drawer, in reading order; `bubble` is the bubble's `plain` text.
    A section the bubble already says whole is left out, an item of a list it already says too."""
    out: list[tuple[str, list[str]]] = []

    def add(heading: str, items: list[str]) -> None:
        if kept := [i for i in items if i and not _said(i, bubble)]:
            out.append((heading, kept))

    if quoted := [f"{at} {words}".lstrip() for at, words in evidence(e) if not _quoted(words, bubble)]:
        out.append(("Evidence (rustc's words)", quoted))
    add("Facts", new_facts(e))
    rc = e.root_cause
    where = f"{rc.file}:{rc.line}:{rc.column}"
    if e.root_cause_reason and not _said(e.root_cause_reason, bubble):
        out.append(("Root cause", [f"{where}: {e.root_cause_reason}"]))
    if e.invariant != _NO_RULE:
        add("Invariant", [e.invariant])
    add("Why", [why_text(e)])
    unsaid = [c for c in e.options if not _said(c.how or c.tradeoff, bubble)]
    add("Trade-offs", [f"{c.name}: {f'{c.how} ' if c.how else ''}Cost: {c.tradeoff}" for c in unsaid])
    refs = [r for r in e.references if not _said(r.target, bubble)]
    add("References", [r.target if r.title == r.target else f"{r.title}: {r.target}" for r in refs])
    return out


def why_text_for(e: Explanation, bubble: str) -> Text:
    """The drawer's text: each section a bold heading and its items; one sentence when there is nothing to add."""
    sections = why_sections(e, bubble)
    if not sections:
        return Text("Everything Rusta knows about this story is in the Explain pane.", style="italic")
    t = Text()
    for n, (heading, items) in enumerate(sections):
        if n:
            t.append("\n")
        t.append(heading + "\n", style="bold")
        for item in items:
            t.append(f" - {item}\n")
    return t
