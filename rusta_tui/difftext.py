"""A unified diff as the user reads it in a narrow pane: line numbers, the changed columns marked.

Pure (rich Text, no Textual), so it is tested on the engine's real diffs without an app. The file
headers become one bold line per file; `@@` lines become line numbers in a gutter; a removed line
and the added line that replaces it have the columns that differ shown in reverse, so a one-character
fix (`&`, `.clone()`, `mut `) is seen at a glance.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

from rich.text import Text

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
GAP = "..."
MINUS, PLUS = "red", "green"
CHANGED = "bold reverse"  # on top of the line's colour: a red or green block under the changed columns


class Line(NamedTuple):
    tag: str  # " ", "-" or "+"
    number: int  # the old line number for "-", the new one otherwise
    text: str


class FileDiff(NamedTuple):
    path: str
    hunks: tuple[tuple[Line, ...], ...]


def _path(header: str) -> str:
    name = header[4:].split("\t", 1)[0].strip()
    return name[2:] if name[:2] in ("a/", "b/") else name


def parse(diff: str) -> list[FileDiff]:
    """Files and hunks of a unified diff. A hunk's `@@` counts say where it ends, so a removed line
    that starts with `--` is never read as the next file's header."""
    files: list[FileDiff] = []
    path = ""
    hunks: list[tuple[Line, ...]] = []
    current: list[Line] = []
    old = new = left_old = left_new = 0

    def close_file() -> None:
        if path and hunks:
            files.append(FileDiff(path, tuple(hunks)))

    for raw in diff.splitlines():
        if left_old > 0 or left_new > 0:
            if raw.startswith("\\"):
                continue  # "\ No newline at end of file"
            tag, text = (raw[0], raw[1:]) if raw else (" ", "")
            if tag == "-":
                current.append(Line("-", old, text))
                old, left_old = old + 1, left_old - 1
            elif tag == "+":
                current.append(Line("+", new, text))
                new, left_new = new + 1, left_new - 1
            else:
                current.append(Line(" ", new, text))
                old, new, left_old, left_new = old + 1, new + 1, left_old - 1, left_new - 1
            if left_old <= 0 and left_new <= 0:
                hunks.append(tuple(current))
            continue
        if raw.startswith("--- "):
            close_file()
            path, hunks = _path(raw), []
        elif raw.startswith("+++ "):
            if (new_path := _path(raw)) != "/dev/null":
                path = new_path
        elif m := _HUNK.match(raw):
            old, new = int(m.group(1)), int(m.group(3))
            left_old = int(m.group(2)) if m.group(2) is not None else 1
            left_new = int(m.group(4)) if m.group(4) is not None else 1
            current = []
    if current and (left_old > 0 or left_new > 0):
        hunks.append(tuple(current))  # a diff cut short: show what there is
    close_file()
    return files


def _trim(hunk: tuple[Line, ...], context: int | None) -> list[Line | None]:
    """The hunk with context lines farther than `context` from a change left out (None marks a gap)."""
    if context is None:
        return list(hunk)
    changed = [i for i, ln in enumerate(hunk) if ln.tag != " "]
    keep = {j for i in changed for j in range(i - context, i + context + 1)}
    out: list[Line | None] = []
    for i, ln in enumerate(hunk):
        if i in keep:
            out.append(ln)
        elif out and out[-1] is not None:
            out.append(None)
    while out and out[-1] is None:
        out.pop()
    return out


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _tokens(line: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]


def changed_columns(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges that differ, in `old` and in `new`, compared word by word (an identifier,
    a run of spaces, one punctuation mark) as `git diff --word-diff` does, so `mut ` is marked
    rather than `t mu`; nothing when the lines barely resemble each other."""
    a, b = _tokens(old), _tokens(new)
    sm = difflib.SequenceMatcher(None, [t[0] for t in a], [t[0] for t in b], autojunk=False)
    if sm.ratio() < 0.4:
        return [], []
    gone: list[tuple[int, int]] = []
    came: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("replace", "delete") and i2 > i1:
            gone.append(_strip(old, a[i1][1], a[i2 - 1][2]))
        if op in ("replace", "insert") and j2 > j1:
            came.append(_strip(new, b[j1][1], b[j2 - 1][2]))
    return gone, came


def _strip(line: str, start: int, end: int) -> tuple[int, int]:
    """The range without the spaces at its edges, unless spaces are all it changed."""
    text = line[start:end]
    if not text.strip():
        return start, end
    return start + len(text) - len(text.lstrip()), end - (len(text) - len(text.rstrip()))


def _line(ln: Line, width: int, marks: list[tuple[int, int]]) -> Text:
    colour = {"-": MINUS, "+": PLUS}.get(ln.tag, "")
    t = Text()
    t.append(f"{ln.number:>{width}} ", style="dim")
    t.append(f"{ln.tag} ", style=colour or "dim")
    body = Text(ln.text, style=colour)
    for start, end in marks:
        body.stylize(CHANGED, start, end)
    t.append_text(body)
    return t


def _marks(lines: list[Line | None]) -> dict[int, list[tuple[int, int]]]:
    """For each run of removed lines followed by added lines, pair them in order and mark columns."""
    marks: dict[int, list[tuple[int, int]]] = {}
    i = 0
    while i < len(lines):
        minus = []
        while i < len(lines) and (ln := lines[i]) is not None and ln.tag == "-":
            minus.append(i)
            i += 1
        plus = []
        while i < len(lines) and (ln := lines[i]) is not None and ln.tag == "+":
            plus.append(i)
            i += 1
        for a, b in zip(minus, plus, strict=False):
            old, new = lines[a], lines[b]
            if old is not None and new is not None:  # both are, by how the runs were collected
                marks[a], marks[b] = changed_columns(old.text, new.text)
        if not minus and not plus:
            i += 1
    return marks


def render(diff: str, *, context: int | None = None) -> Text:
    """The diff for a pane; `context` keeps that many unchanged lines around each change (None: all)."""
    files = parse(diff)
    if not files:
        return Text(diff.rstrip("\n"))
    out = Text()
    for f in files:
        if out:
            out.append("\n")
        out.append(f.path, style="bold")
        width = len(str(max(ln.number for h in f.hunks for ln in h)))
        for n, hunk in enumerate(f.hunks):
            lines = _trim(hunk, context)
            if n:
                out.append("\n" + " " * width + " " + GAP, style="dim")
            marks = _marks(lines)
            for i, ln in enumerate(lines):
                out.append("\n")
                if ln is None:
                    out.append(" " * width + " " + GAP, style="dim")
                else:
                    out.append_text(_line(ln, width, marks.get(i, [])))
    return out


def first_change(diff: str, *, context: int | None = None) -> int:
    """The row of the first changed line in `render(diff, context=context)`: where a pane scrolls to."""
    for row, line in enumerate(render(diff, context=context).plain.splitlines()):
        if re.match(r"^\s*\d+ [-+] ", line):
            return row
    return 0
