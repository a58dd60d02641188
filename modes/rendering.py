"""Renders an Explanation as styled lines for study, pair or silent mode (the implementation behind `modes.render`).

Lines are plain (text, style) pairs first, so `render_text` (CLI, logs, tests) and `render` (a rich
renderable for the terminal and the TUI) show exactly the same words.
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import TYPE_CHECKING, NamedTuple

import msgspec

from engine.explain.types import Explanation, Location, PatchOption
from modes.errors import UnknownMode
from modes.hunks import blank_change, change_runs, hunk_block
from modes.reasons import own_reason
from modes.rustc_words import (
    also_line,
    also_notes,
    no_toolchain_paths,
    no_unrelated_impls,
    rustc_help,
    rustc_why,
)
from modes.types import SPECS, Mode

if TYPE_CHECKING:
    from modes.study import Shown

WIDTH = 100


class Line(NamedTuple):
    text: str
    style: str = ""


def _where(loc: Location) -> str:
    return f"{loc.file}:{loc.line}:{loc.column}" if loc.line else "(no location)"


def _positions(e: Explanation) -> list[tuple[str, int, int]]:
    """Each place the story's diagnostics point at, once, in reading order (file, line, column):
    the places a fix's "clears all N places" counts too (`engine.explain.followons.one_edit_places`)."""
    return sorted({(s.file_name, s.line_start, s.column_start) for d in e.diagnostics if (s := d.primary)})


def _places(e: Explanation, shown: int = 6) -> str:
    """Where one error of one cause is reported, each place once, in reading order: "lines 18, 19,
    21:15 and 21:39" (a column only where two share a line; a file only when it is not the story's).
    rustc's order put line 32 between 26 and 30 (review F, f12)."""
    at = _positions(e)
    shown = shown if len(at) > shown + 1 else len(at)  # "and 1 more" takes the room of the one it hides
    lines = [(f, n) for f, n, _ in at]
    words = [
        (f"{f}:" if f != e.primary.file else "") + (f"{n}:{c}" if lines.count((f, n)) > 1 else f"{n}")
        for f, n, c in at[:shown]
    ]
    more = f" and {len(at) - shown} more" if len(at) > shown else ""
    head = "line" if len(at) == 1 else "lines"
    if len(words) > 1 and not more:
        return f"{head} {', '.join(words[:-1])} and {words[-1]}"
    return f"{head} {', '.join(words)}{more}"


def _heading(e: Explanation) -> Line:
    """A story of one error made in several places says how many and where (`×4 at lines 18, 19, 21:15
    and 21:39`): the places are the story's size, and rustc's text shows only the first of them."""
    level = e.level if e.level in ("error", "warning") else e.level.split(":")[0]
    code = f"[{e.code}]" if e.code else ""
    more = len(e.diagnostics) - 1
    # One lint repeated in many places is "places"; errors that one root cause produced are "same cause".
    repeated = all(d.code_str == e.code and not d.level.startswith("error") for d in e.diagnostics)
    places = "place" if more == 1 else "places"
    tail = f" (+{more} more {places if repeated else 'from the same cause'})" if more > 0 else ""
    # errors counted and places listed say which is which when they differ (two errors at one
    # place, or one at each of three lines): a fix then "clears all N places", N the places here
    k = len(_positions(e))
    if more > 0 and not repeated:
        n = f"×{more + 1}" if k in (1, more + 1) else f"{more + 1} errors"
        at = _places(e) if k in (1, more + 1) else f"{k} places: {_places(e)}"
        same = all(d.code_str == e.code and d.level.startswith("error") for d in e.diagnostics)
        tail = f" ({n} at {at})" if same else f" ({more + 1} errors from the same cause, at {at})"
    return Line(
        f"{level}{code} {_where(e.primary)}: {e.message}{tail}",
        "bold red" if level == "error" else "bold yellow",
    )


_URL_STOP = re.compile(r"(\w+://\S*[^\s.])\.(?=\s|$)")


def _wrap(text: str, indent: str = "  ", width: int = WIDTH) -> list[Line]:
    out: list[Line] = []
    for para in text.strip().split("\n\n"):
        flat = " ".join(ln.strip() for ln in para.splitlines() if ln.strip())
        flat = _URL_STOP.sub(r"\1", flat)  # a full stop glued to a URL is copied with it
        if flat:
            out.extend(
                Line(w)
                for w in textwrap.wrap(
                    flat,
                    max(24, width),
                    initial_indent=indent,
                    subsequent_indent=indent,
                    break_long_words=False,  # a URL or a path is never cut: it overflows the width
                    break_on_hyphens=False,  # `doc.rust-lang.org` is one word
                )
            )
    return out


def _cap(text: str) -> str:
    """Sentence case, except where the sentence starts with a name that is lower case (rustc, `x`)."""
    return text if text.startswith(("rustc", "`", "cargo", "clippy")) else text[:1].upper() + text[1:]


# a label that only points ("expected because of this") names a place, not a reason
def _change_blocks(diff: str) -> list[tuple[int, list[str], list[str]]]:
    """(old line number, removed lines, added lines) for each run of changed lines in a diff."""
    blocks = [
        (n, [r[1:].strip() for r in rows if r[0] == "-"], [r[1:].strip() for r in rows if r[0] == "+"])
        for n, rows in change_runs(diff)
    ]
    return [(n, [x for x in a if x], [x for x in b if x]) for n, a, b in blocks if any(a) or any(b)]


def _one_change(old: list[str], new: list[str]) -> str:
    a, b = "; ".join(f"`{x}`" for x in old), "; ".join(f"`{x}`" for x in new)
    if old and new:
        return f"{a} -> {b}"
    return f"insert {b}" if new else f"delete {a}"


def fix_changes(diff: str) -> str:
    """Every line a diff removes and adds, in one line: what pair mode shows of a fix, in full. A fix
    that changes several places names each place's line, so `-> &str` and `&s` never blur into one."""
    blocks: list[tuple[int, list[str], list[str]]] = []
    for n, a, b in _change_blocks(diff):  # n lines replaced by n lines: each line with its own change
        if len(a) == len(b) > 1:
            blocks.extend((n + i, [x], [y]) for i, (x, y) in enumerate(zip(a, b, strict=True)))
        else:
            blocks.append((n, a, b))
    if not blocks:  # only empty lines change: a bare "delete " showed nothing (review A a06)
        return blank_change(diff)
    if len(blocks) <= 1:
        old = [x for _, a, _ in blocks for x in a]
        new = [x for _, _, b in blocks for x in b]
        return _one_change(old, new)
    return "; ".join(f"line {n}: {_one_change(a, b)}" for n, a, b in blocks)


RUSTC_FAILED = "\0rustc"  # in `failed`: rustc's own suggestion is among the options that failed
KIND_FAILED = "\0kind:"  # in `failed`, + "borrow", "clone" or "move": an option of that kind failed
# a way out whose name (or rustc's help) leads with doing what an option of that kind did
_RECOMMENDS = {
    "borrow": re.compile(
        r"^(?:consider )?(?:borrow|take a reference|iterate by reference|match on a reference)"
    ),
    "clone": re.compile(r"^(?:consider )?(?:clon|copy out|use cloned)"),
    "move": re.compile(r"`move`|^move the captures"),
    # the closure-kind bound changed to `FnMut` (rustc's "change this to accept `FnMut`")
    "fnmut": re.compile(r"`fnmut`"),
    # a generic parameter replaced by a `dyn` trait object (E0038's "take a trait object argument")
    "dyn": re.compile(r"^(?:take|pass|use) (?:a )?trait object"),
    # a `&self` receiver made `&mut self` (rustc's "consider changing this to be a mutable reference")
    "mut-self": re.compile(r"&mut self\b|^consider changing this to be a mutable reference"),
}


def recommends(name: str, failed: tuple[str, ...]) -> bool:
    """The way out (its name, or rustc's help line) recommends what a failed option did: "borrow
    instead of moving" after the borrow was rejected, "clone it" after the clone was."""
    kinds = {f.removeprefix(KIND_FAILED) for f in failed if f.startswith(KIND_FAILED)}
    return any(_RECOMMENDS[k].search(name.strip().lower()) for k in kinds if k in _RECOMMENDS)


def repeats(text: str, failed: tuple[str, ...]) -> bool:
    """The prose names the code of an option that just failed (`move || ...` after `move ||`), or
    defers to rustc's suggestion ("as rustc suggests") when that is what failed."""
    if RUSTC_FAILED in failed and re.search(r"\brustc suggest", text):
        return True
    code = " ".join(re.findall(r"`([^`]+)`", text)).replace("...", " ")
    return any(frag and frag != RUSTC_FAILED and frag in code for frag in failed)


def fix_line(e: Explanation, failed: tuple[str, ...] = ()) -> Line | None:
    """The best option that shows code, all its lines, with what validation said of it. `failed`
    holds the code of options validation rejected: a way out in words that repeats one is skipped."""
    if not e.fixes:  # no patch: rustc's own advice, unless Rusta has a way out for this very shape
        help_text = rustc_help(e)
        if help_text and (repeats(f"`{help_text}`", failed) or recommends(help_text, failed)):
            help_text = None
        if help_text and not e.shape_summary and e.level == "error":
            return Line(f"Help (rustc): {help_text}", "green")
        o = next(
            (
                o
                for o in e.options
                if o.how and not repeats(f"{o.name} {o.how}", failed) and not recommends(o.name, failed)
            ),
            None,
        )
        if o is not None:
            return Line(f"Way out: {o.name}. {o.how}", "green")
        return Line(f"Help (rustc): {help_text}", "green") if help_text else None
    f = e.fixes[0]
    terms = pair_terms(f, e.code)
    head = f"{fix_word(f)}{fix_mark(f)}{elsewhere(e, f)}"
    if (block := hunk_block(f.patch)) is not None:
        where = f"{f.file}, {block[0]}" if block[0] else f.file
        return Line(f"{head} ({terms}): {where}:", "green")
    changes = fix_changes(f.patch)
    where = f.file if changes.startswith("line ") else f"{f.file}:{f.line}"
    return Line(f"{head} ({terms}): {where} {changes}", "green")


def _old_lines(patch: str) -> dict[str, set[int]]:
    """The lines of each file (numbered before the change) that a unified diff removes or rewrites."""
    out: dict[str, set[int]] = {}
    file, n = "", 0
    for ln in patch.splitlines():
        if ln.startswith("--- "):
            file = ln[4:].strip().removeprefix("a/")
        elif ln.startswith("@@"):
            m = re.match(r"@@ -(\d+)", ln)
            n = int(m.group(1)) if m else 0
        elif ln.startswith("-"):
            out.setdefault(file, set()).add(n)
            n += 1
        elif not ln.startswith("+"):
            n += 1
    return out


def elsewhere(e: Explanation, f: PatchOption) -> str:
    """The words " for line N", when the fix changes another of the story's places than the one Rusta's words
    name (its root cause) and leaves that one as it is: one mistake reported at several lines, whose
    fix for the named place did not compile while one for another place did. The mistake it answers
    is a fix printed under a sentence about line 15 that is for line 25, read as the fix for line 15."""
    places = {(s.file_name, s.line_start) for d in e.diagnostics for s in d.spans if s.is_primary}
    root = (e.root_cause.file, e.root_cause.line)
    if len(places) < 2 or root not in places:
        return ""
    changed = _old_lines(f.patch)
    if not changed or root[1] in changed.get(root[0], set()):
        return ""
    hit = sorted(n for file, n in places if n in changed.get(file, set()) and (file, n) != root)
    if not hit:
        return ""
    return f" for line {hit[0]}, another place of this mistake, not line {root[1]}"


def suggested_by(f: PatchOption, code: str | None = None) -> str:
    """Who wrote a fix that Rusta did not: a clippy lint's suggestion is clippy's, though it reaches
    Rusta in the same JSON as rustc's; naming rustc for it credits the wrong tool."""
    if f.source != "rustc":
        return "Rusta"
    tool = "clippy" if (code or "").startswith("clippy::") else "rustc"
    return f"{tool}, {f.applicability}"


def pair_terms(f: PatchOption, code: str | None = None) -> str:
    """What a pair-mode fix line says in brackets, short enough to scan: the verdict without the
    first remaining error's full rustc message and without each step spelled out (study mode and
    `--json` carry both). A parenthetical that repeats a title and a compiler message buries the fix."""
    words = f.state_words
    if f.first_error:
        words = words.replace(f" (first: {f.first_error})", "")
    if f.steps:
        words = words.replace(f.steps_words, f", in {len(f.steps) + 1} steps")
    by = suggested_by(f, code)
    cost = f"; {f.cost}" if f.cost else ""  # pair's line does not show the title: the cost is said here
    lints = f"; {f.lint_words}" if f.new_lints else ""
    return f"{words}, {by}{cost}{lints}"


def _cost(f: PatchOption) -> str:
    """The fix's cost after its verdict, unless its title already says it: a title written from the
    finished patch often ends in what the edit costs ("..., which removes it from `v`: the later
    elements shift down, order kept"), and saying it again in the brackets repeats the line's own text."""
    if not f.cost or f.cost.strip().rstrip(".").lower() in f.name.lower():
        return ""
    return f"; {f.cost}"


def fix_block_lines(e: Explanation) -> list[Line]:
    """The code of the best fix when `fix_line` names only where it goes: a short indented hunk."""
    if not e.fixes or (block := hunk_block(e.fixes[0].patch)) is None:
        return []
    colour = {"+": "green", "-": "red"}
    return [Line("  " + r, colour.get(r.lstrip()[:1], "")) for r in block[1]]


def fix_word(f: PatchOption) -> str:
    """ "Fix"; "Not a fix" for one that takes a guard a later line of its block takes again (it
    deadlocks, whatever else is wrong); "Fix, not enough" for one seen to hang the crate's tests: it
    clears the error, but the hang may come from code it does not touch (e04's sender never dropped).
    A plain "Fix" line there (review E, e04 and e16) invited applying it by hand."""
    return "Not a fix" if f.relocks else "Fix, not enough" if f.tests_run == "timeout" else "Fix"


def fix_mark(f: PatchOption) -> str:
    """The ✓ of a fix that compiled in the scratch copy; nothing for any lesser verdict, nor for a
    `todo!()` hole the crate's tests run (`PatchOption.ticked`)."""
    return " ✓" if f.ticked else ""


def fix_terms(f: PatchOption, code: str | None = None) -> str:
    """What a fix line says in brackets: what validation earned, who suggested it, what it costs."""
    by = suggested_by(f, code)
    lints = f"; {f.lint_words}" if f.new_lints else ""
    return f"{f.state_words}, {by}{_cost(f)}{lints}"


def diff_lines(patch: str) -> list[Line]:
    """A fix's diff, indented, added lines green and removed ones red."""
    return [
        Line("  " + ln, "green" if ln.startswith("+") else "red" if ln.startswith("-") else "dim")
        for ln in patch.rstrip("\n").splitlines()
    ]


def pair_lines(e: Explanation, *, pending: bool = False) -> list[Line]:
    """2-4 lines that add to rustc: its reason, where the problem starts, the best fix in full.

    When there is no root cause elsewhere and no fix, Rusta says she has nothing to add. `pending`:
    the fixes are still being checked, so the lines that show no code come now, the fix later
    (`modes.verdicts`), and "nothing to add" waits for the verdicts.
    """
    lines = [_heading(e)]
    grouped = len(e.diagnostics) > 1  # the summary says how the grouped diagnostics hang together
    if grouped and e.summary:
        lines.append(Line(e.summary.splitlines()[0]))
    why = rustc_why(e)
    if why and e.shape_summary and why.startswith("expected "):
        why = None  # rustc only restates the two types; Rusta's reason for this shape says more
    root_elsewhere = (e.root_cause.file, e.root_cause.line) != (e.primary.file, e.primary.line)
    root_shown = f"{e.root_cause.file}:{e.root_cause.line}" in " ".join(ln.text for ln in lines)
    if root_elsewhere and not root_shown:
        lines.append(
            Line(f"Root cause: {_where(e.root_cause)} ({e.root_cause.label or e.root_cause_reason}).")
        )
    fix = None if pending else fix_line(e)
    if fix is not None:
        lines.append(fix)
    if why and len(lines) < 4:
        lines.insert(1 + (grouped and bool(e.summary)), Line(f"Why (rustc): {why}"))
    elif (
        not why
        and not grouped
        and e.shape_summary
        and e.summary
        and not e.summary.lower().startswith("expected ")  # a restatement of the two types is no reason
        and len(lines) < 4
    ):
        lines.insert(1, Line(f"Why: {e.summary.splitlines()[0]}"))  # Rusta's, from a fact or the syntax
    if len(lines) == 1 + bool(why) and not pending:  # no line of Rusta's own: say so rather than pad
        lines.append(Line("Nothing to add to rustc's words here.", "dim"))
    lines = lines[:4]
    if fix is not None and fix in lines:
        lines.extend(fix_block_lines(e))
    return lines


def __getattr__(name: str):  # noqa: ANN202 - module attribute hook
    """Study mode lives in `modes.study`; `from modes.rendering import study_question` still works."""
    if name in ("study_question", "study_answer"):
        from modes import study

        return getattr(study, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MORE_INFO = re.compile(r"^(?:For more information about|Some errors have detailed explanations)")


def rustc_lines(e: Explanation, *, same_twice: bool = True) -> list[Line]:
    """rustc's own rendering of the story's lead diagnostic, below its first line, which the heading
    already says: pair mode adds to rustc and drops nothing of the error it explains. A second
    diagnostic folded into the story (the heading's "+1 more from the same cause") is one location
    line, not its whole rendering again. `same_twice=False`: a second diagnostic with the lead's
    message word for word (the same fact at another place, which the story lists, with the same
    help: E0425 and E0433 on one missing import) gets no line at all."""
    diags = e.diagnostics if len(e.diagnostics) <= 2 else e.diagnostics[:1]
    if not same_twice and diags:
        lead = diags[0]
        diags = tuple(d for d in diags if d is lead or d.message != lead.message)
    out: list[Line] = []
    for i, d in enumerate(diags):
        if i:  # folded into the heading's "+1 more": one line, not rustc's 25 again (the JSON has it)
            while out and not out[-1].text.strip():
                out.pop()
            out.append(Line(also_line(d), "dim"))
            out.extend(Line(n, "dim") for n in also_notes(d, diags[0].rendered or ""))
            continue
        text = (d.rendered or "").rstrip("\n")
        rows = no_unrelated_impls(
            no_toolchain_paths([r for r in text.splitlines() if not _MORE_INFO.match(r)])
        )
        if i == 0 and rows and e.message in rows[0]:
            rows = rows[1:]
        out.extend(Line(r, "dim") for r in rows if r.strip() or out)
    while out and not out[-1].text.strip():
        out.pop()
    return out


def lines_for(
    e: Explanation,
    mode: Mode,
    width: int = WIDTH,
    recall: str = "",
    *,
    with_rustc: bool = False,
    pending: bool = False,
    shown: Shown | None = None,
) -> list[Line]:
    """What one mode shows of a story; `with_rustc` puts rustc's own text under pair mode's heading
    (the CLI, where rustc's output is not on screen otherwise). `pending`: the story's fixes are
    being checked and come later, so no code is shown now. `shown`: what earlier stories of the run
    said (study mode points at them instead of repeating them)."""
    if mode not in SPECS:
        raise UnknownMode(f"unknown mode {mode!r}; choose study, pair or silent.")
    if mode == "silent":
        return []
    pending = pending and bool(e.fixes)
    if mode == "pair":
        lines = pair_lines(e, pending=pending)
        if not with_rustc:
            return lines
        # rustc's reason and help are in its own text now: Rusta's lines are only what she adds
        own = [ln for ln in lines[1:] if not ln.text.startswith(("Why (rustc):", "Help (rustc):"))]
        if len(own) < len(lines) - 1 and (reason := own_reason(e, own)) is not None:
            own.insert(0, reason)  # rustc's reason is in its text above; Rusta's own takes its slot
        if not own and pending:
            return [lines[0], *rustc_lines(e)]
        if not own or own[0].text.startswith("Nothing to add"):
            own = [Line("Rusta: nothing to add to rustc's words here.", "dim")]
        else:
            own = [Line(f"Rusta: {own[0].text}", own[0].style), *own[1:]]
        return [lines[0], *rustc_lines(e), *own]
    from modes.study import study_answer, study_question

    if pending:  # the code comes with its verdict (modes.verdicts)
        e = msgspec.structs.replace(e, fixes=())
    return [*study_question(e, recall), Line("-" * 40, "dim"), *study_answer(e, width=width, shown=shown)]


def render_text(
    e: Explanation, mode: Mode, recall: str = "", *, with_rustc: bool = False, pending: bool = False
) -> str:
    """Plain text, no styles: what the CLI prints without a terminal and what tests read."""
    return "\n".join(
        ln.text for ln in lines_for(e, mode, recall=recall, with_rustc=with_rustc, pending=pending)
    )


def to_rich(lines: list[Line]):  # -> rich.console.RenderableType
    from rich.console import Group
    from rich.text import Text

    return Group(*(Text(ln.text, style=ln.style or "", overflow="fold") for ln in lines))


class Rendered:
    """A rich renderable that lays the explanation out for the width it is given (terminal, TUI pane)."""

    def __init__(
        self, e: Explanation, mode: Mode, *, with_rustc: bool = False, pending: bool = False
    ) -> None:
        lines_for(e, mode)  # refuse an unknown mode now, not at print time
        self.explanation, self.mode, self.with_rustc, self.pending = e, mode, with_rustc, pending

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - rich protocol
        from rich.text import Text

        width = max(40, options.max_width - 2)
        for ln in lines_for(
            self.explanation, self.mode, width=width, with_rustc=self.with_rustc, pending=self.pending
        ):
            yield Text(ln.text, style=ln.style or "", overflow="fold")


def render(e: Explanation, mode: Mode, *, with_rustc: bool = False, pending: bool = False) -> Rendered:
    """A rich renderable; empty for silent mode."""
    return Rendered(e, mode, with_rustc=with_rustc, pending=pending)


def render_ansi(e: Explanation, mode: Mode, *, color: bool = True, width: int = WIDTH) -> str:
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width, color_system="standard" if color else None, force_terminal=color).print(
        render(e, mode)
    )
    return buf.getvalue()
