"""A fix's diff as a few short hunks under the places they go: what pair mode shows of a fix that
adds lines of code, where one line of backticked fragments cannot be read as code. Pure text."""

from __future__ import annotations

from engine.patching import diffs


def change_runs(diff: str) -> list[tuple[int, list[str]]]:
    """Each run of changed lines of a diff: the old line number it starts at, its raw rows (`-x`, `+y`).
    The one walk of a diff's hunks that pair mode's fix line and its hunk block both read, so the
    two never number a place differently; a `\\ No newline` marker belongs to the run around it."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    prev: diffs.Row | None = None
    for r in diffs.rows(diff):
        if r.kind == " ":
            current = None
        else:
            if current is None or not _next_to(prev, r):  # a new hunk starts a new run
                current = []
                runs.append((r.old_line, current))
            current.append(r.kind + r.text)
        prev = r
    return runs


def blank_change(diff: str) -> str:
    """What a diff that changes only empty lines does, in words ("delete 1 empty line"): a fix line
    built from the lines' text alone would say "delete " and show nothing."""
    signs = [r[0] for _, rows in change_runs(diff) for r in rows if r[:1] in ("-", "+")]
    n, verb = (signs.count("-"), "delete") if "+" not in signs else (signs.count("+"), "insert")
    if not n or len(set(signs)) != 1:
        return "change blank space only"
    return f"{verb} {n} empty line{'s' if n > 1 else ''}"


def _next_to(prev: diffs.Row | None, r: diffs.Row) -> bool:
    """Whether `r` is the row right after `prev` in one hunk: both files' numbering runs on."""
    return (
        prev is not None
        and prev.path == r.path
        and r.old_line == prev.old_line + (prev.kind != "+")
        and r.new_line == prev.new_line + (prev.kind != "-")
    )


def _place(start: int, rows: list[str]) -> tuple[str, list[str]]:
    """One run as a place in words ("after line 9", "line 12", "lines 9-11") and its hunk rows."""
    while rows and not rows[0][1:].strip():  # a blank line the fix adds around the code says nothing
        start += rows.pop(0).startswith("-")
    while rows and not rows[-1][1:].strip():
        rows.pop()
    removed = sum(r.startswith("-") for r in rows)
    if not removed:
        where = f"after line {start - 1}" if start > 1 else "at the top"
    else:
        where = f"line {start}" if removed == 1 else f"lines {start}-{start + removed - 1}"
    cut = min((len(r[1:]) - len(r[1:].lstrip()) for r in rows if r[1:].strip()), default=0)
    return where, [f"{r[0]} {r[1 + cut :]}" for r in rows]  # the file's indentation, less its margin


def hunk_block(diff: str) -> tuple[str, list[str]] | None:
    """A one-file fix that adds two or more lines in one place: where it goes and its lines as short
    diff hunks, each place under its line number. Such a fix flattened into backticked fragments on
    one line (`insert `}`; `impl From<..> for E {`; `fn from(..)`; `}``) cannot be read as code;
    a fix of single-line changes stays on the fix line."""
    if diff.count("\n+++ ") + diff.startswith("+++ ") > 1:
        return None
    runs = [_place(n, list(rows)) for n, rows in change_runs(diff)]
    runs = [(w, rows) for w, rows in runs if rows]
    if not any(sum(r.startswith("+") for r in rows) >= 2 for _, rows in runs):
        return None
    if len(runs) == 1:
        return runs[0]
    return "", [ln for w, rows in runs for ln in (f"{w}:", *(f"  {r}" for r in rows))]
