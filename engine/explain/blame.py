"""Error sets compared by place: which error an option's edit left, removed or brought.

Counting errors by their words alone (code, file, message) cannot tell two "mismatched types" in one
file apart: a fix that leaves its own error and the crate's other E0308 untouched reads as "the
error stays", and the error cited was the other one; a fix that clears its E0106 but makes a new one
at another line (the struct gained `<'a>`, its uses did not) reads as a fix that changed nothing.

Here each error of the baseline keeps its line, moved through the edit's diff (a line the diff
removed has none), and the check after the edit is compared with it:
- the story's error stays where its own line (moved) or a line the edit wrote still has an error with
  its words; only such an error is cited, never one that was already elsewhere in the crate;
- the new errors are those with no baseline error of the same words at the same (moved) line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from engine.explain.joint import Key, early_errors, key, new_lines
from engine.explain.types import Explanation
from engine.patching.diffs import Row, rows
from toolbelt.diag_identity import distinct
from toolbelt.types import CheckReport, Diagnostic

Place = tuple[Key, int | None]


def line_map(patch: str) -> Callable[[str, int], int | None]:
    """old (file, line) -> its line after the diff; None for a line the diff removed."""
    by_file: dict[str, list[Row]] = {}
    for r in rows(patch):
        by_file.setdefault(r.path, []).append(r)

    def moved(name: str, line: int) -> int | None:
        delta = 0
        for r in by_file.get(name, ()):
            if r.old_line > line:
                break  # the rest of the diff lies below the line: it moves by what came before
            if r.kind != "+" and r.old_line == line:
                return r.new_line if r.kind == " " else None
            delta = (r.new_line + (r.kind != "-")) - (r.old_line + (r.kind != "+"))
        return line + delta

    return moved


def _line(d: Diagnostic) -> tuple[str, int]:
    p = d.primary
    return (p.file_name, p.line_start) if p else ("", 0)


def _kept(report: CheckReport) -> list[Diagnostic]:
    return [d for d in distinct(report.diagnostics) if d.level.startswith(("error", "warning"))]


def compare(
    e: Explanation, patch: str, base: CheckReport, after: CheckReport
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(the story's errors still there, each at its own moved line or on a line the edit wrote;
    the errors of `after` the baseline did not have at that place).

    A baseline error on a line the edit rewrote (the line has no old-to-new mapping) that is still
    there, in the same words, on a line the edit wrote is the same error, not a new one: a fix is
    judged on its own diagnostic, and another diagnostic of the same line that it leaves alone
    (three E0507 moves out of `&self` in one struct literal, one suggestion each) does not make it
    "not compile". An error in the words of the story's own is never exempt this way: the story's
    other place on that line (`p[0]` fixed, `p[1]` left) is the next step, not the old error."""
    moved, wrote = line_map(patch), new_lines(patch)
    own: set[Place] = set()
    for d in e.diagnostics:
        f, n = _line(d)
        own.add((key(d), moved(f, n)))
    keys = {k for k, _ in own}
    before: Counter[Place] = Counter()
    rewritten: Counter[tuple[Key, str]] = Counter()  # (key, file) of errors on rewritten lines
    for d in _kept(base):
        f, n = _line(d)
        at = moved(f, n)
        before[(key(d), at)] += 1
        if at is None:
            rewritten[(key(d), f)] += 1
    stays, new = [], []
    for d in _kept(after):
        f, n = _line(d)
        k = key(d)
        if k in keys and ((k, n) in own or n in wrote.get(f, ())):
            stays.append(d)
        if before[(k, n)] > 0:
            before[(k, n)] -= 1
        elif k not in keys and n in wrote.get(f, ()) and rewritten[(k, f)] > 0:
            rewritten[(k, f)] -= 1  # left on the line the edit rewrote, as it was
        elif d.level.startswith("error"):
            new.append(d)
    return stays, new


def story_stays(e: Explanation, stays: list[Diagnostic]) -> bool:
    """None of the story's errors went (by words, at its place): the edit did not touch them."""
    left, need = Counter(key(d) for d in stays), Counter(key(d) for d in e.diagnostics)
    return all(left[k] >= n for k, n in need.items())


def _moved_line(d: Diagnostic, moved: Callable[[str, int], int | None]) -> tuple[str, int | None]:
    f, n = _line(d)
    return f, moved(f, n)


def at_story_or_edit(
    e: Explanation, patch: str, after: CheckReport, base: CheckReport | None = None
) -> Diagnostic | None:
    """A resolve or type error left with the edit in at the story's own place (within the lines its
    errors' spans cover, moved through the diff) or on a line the edit wrote: the edit does not
    type-check there, so no label may say it does.

    An error of the story left as it was, in its words at its own moved line and on no line the edit
    wrote, is not such a failure: the edit fixed one of the story's errors (the caller checks that one
    went) and another of the same cause remains (`T: Clone` added, `T: Ord` still missing). The edit
    type-checks where it wrote, so the fix is one that leaves other errors, never "does not compile".

    Nor is another story's error that `base` (the crate before the edit) had in the same words on a
    line the edit rewrote, left on the line the edit wrote in its place: `c.total()` written into
    `shop::tax(c.total)` leaves that line's private-fn error as it was; the edit did not bring it.
    Nor another story's error `base` had in the same words at the same (moved) line, on a line the
    edit did not write, even where it shares the story's place: `pub` on a private method leaves the
    private-field error beside its call as it was."""
    moved, wrote = line_map(patch), new_lines(patch)
    place: dict[str, set[int]] = {f: set(ns) for f, ns in wrote.items()}
    companions = {(key(d), *_moved_line(d, moved)) for d in e.diagnostics}
    for d in e.diagnostics:
        p = d.primary
        if p is None:
            continue
        ends = [moved(p.file_name, p.line_start), moved(p.file_name, p.line_end)]
        lo, hi = (ends[0] or ends[1]), (ends[1] or ends[0])
        if lo is not None and hi is not None:
            place.setdefault(p.file_name, set()).update(range(lo, hi + 1))
    keys = {key(d) for d in e.diagnostics}
    rewritten: Counter[tuple[Key, str]] = Counter()  # (key, file) of other errors on rewritten lines
    untouched: Counter[tuple[Key, str, int]] = Counter()  # other errors on lines kept, moved
    for d in _kept(base) if base is not None else ():
        f, n = _line(d)
        if key(d) in keys:
            continue
        if (m := moved(f, n)) is None:
            rewritten[(key(d), f)] += 1
        else:
            untouched[(key(d), f, m)] += 1
    for d in early_errors(after):
        p = d.primary
        if (
            p is not None
            and rewritten[(key(d), p.file_name)] > 0
            and p.line_start in wrote.get(p.file_name, ())
        ):
            rewritten[(key(d), p.file_name)] -= 1  # left on the line the edit rewrote, as it was
            continue
        if (
            p is not None
            and untouched[(key(d), p.file_name, p.line_start)] > 0
            and not any(n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1))
        ):
            untouched[(key(d), p.file_name, p.line_start)] -= 1  # another story's, there before
            continue
        if p is None or (
            (key(d), p.file_name, p.line_start) in companions
            and not any(n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1))
        ):
            continue
        if any(n in place.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)):
            return d
    return None
