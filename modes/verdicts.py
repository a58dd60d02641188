"""What pair and study mode add once validation has answered: the fixes that compile, in full, and
why rustc's own suggestion does not compile when it does not.

`rusta explain` prints each story's words first and these lines after the scratch-copy check, so the
first answer is not held up by cargo. A fix that removes the error but lets rustc report one it hid
("uncovers") is shown without ✓, with that error quoted, and not counted. A fix that failed is never shown; when rustc suggested it, one
line says so with the compiler's new error, since the user has just read that suggestion in rustc's
text. Rusta's own failed templates are dropped without a word: nobody has seen them.
"""

from __future__ import annotations

import re

from engine.edits import diff_side
from engine.explain.joint import ARTEFACT, JOINT_FAILS
from engine.explain.patchwords import corrected
from engine.explain.set_tests import PASSED
from engine.explain.types import Explanation, PatchOption
from modes.rendering import (
    KIND_FAILED,
    RUSTC_FAILED,
    Line,
    _cap,
    diff_lines,
    fix_block_lines,
    fix_changes,
    fix_line,
    fix_mark,
    fix_terms,
    fix_word,
    pair_lines,
    recommends,
    repeats,
)
from modes.tokendiff import LONGEST, changed


def fragment(o: PatchOption) -> str:
    """The code an option changes, as few tokens as say it: `move ||`, `report.clone()`, `&report`.

    A one-line edit is cut to the whole tokens that differ, old -> new (`dyn Shape` -> `Self`), or the
    new code alone when it only adds (`&report`); anything larger is named by the option's own name.
    """
    changes = fix_changes(o.patch)
    m = re.fullmatch(r"`([^`]*)` -> `([^`]*)`", changes)
    if not m:
        add = re.fullmatch(r"insert `([^`;]*)`", changes)
        return f"`{add.group(1)}`" if add else _named(o)
    got = changed(m.group(1), m.group(2))
    if got is None or max(len(got[0]), len(got[1])) > LONGEST:
        return _named(o)
    old, new = got
    if not new:
        return f"deleting `{old}`"
    return f"`{old}` -> `{new}`" if old else f"`{new}`"


def _named(o: PatchOption) -> str:
    """An edit too large to quote, by rustc's own words for it (its first clause)."""
    return f"suggestion ({o.name.split(';')[0].strip()})"


def fix_kinds(o: PatchOption) -> set[str]:
    """What the option did, as a way out in words would say it: borrow, clone, or add `move`."""
    kinds: set[str] = {str(o.kind)} - {"other"}
    if re.search(r"\bmove\s*\|", " ".join(o.shows)) and not any(
        re.search(r"\bmove\s*\|", ln[1:]) for ln in o.patch.splitlines() if ln.startswith("-")
    ):
        kinds.add("move")
    removed = " ".join(diff_side(o.patch, "-"))
    if re.search(r"\bFnMut\b", " ".join(o.shows)) and not re.search(r"\bFnMut\b", removed):
        kinds.add("fnmut")  # a bound made `FnMut`: "accept `FnMut`" in words is the same way out
    if re.search(r"\bdyn\b", " ".join(o.shows)) and not re.search(r"\bdyn\b", removed):
        kinds.add("dyn")  # a type parameter made a trait object: "take a trait object argument" in words
    if re.search(r"&mut self\b", " ".join(diff_side(o.patch, "+"))) and not re.search(
        r"&mut self\b", removed
    ):
        kinds.add("mut-self")  # a receiver made `&mut self`: "take &mut self" in words is the same way out
    return kinds


def failed_code(failed: tuple[PatchOption, ...]) -> tuple[str, ...]:
    """The changed code of each failed option, and the kinds of fix that failed, for
    `modes.rendering` to skip prose that repeats the code or recommends the same kind of fix."""
    rustc = (RUSTC_FAILED,) if any(o.source == "rustc" for o in failed) else ()
    kinds = tuple(sorted({KIND_FAILED + k for o in failed for k in fix_kinds(o)}))
    return (
        rustc
        + kinds
        + tuple(f.rsplit(" -> ", 1)[-1].strip("`") for o in failed if (f := fragment(o)).startswith("`"))
    )


def rustc_failed_line(failed: tuple[PatchOption, ...], e: Explanation | None = None) -> Line | None:
    """One line on rustc's own suggestion when it does not compile here, quoting the new error;
    when the same suggestion finished in steps compiles (a fix of `e`), that it needs the next step."""
    o = next((o for o in failed if o.source == "rustc"), None)
    if o is None:
        return None
    why = o.fails_because or "the check failed"
    f = next(
        (f for f in (e.fixes if e else ()) if f.steps and f.name == o.name and f.validated != "fails"), None
    )
    if f is not None:
        return Line(
            f"rustc's {fragment(o)} alone is not enough: rustc then reports {why}; {_next_step(f)}.", "yellow"
        )
    if why == ARTEFACT:  # a lint's fix for a warning that fixing the errors makes go away
        return Line(f"rustc's {fragment(o)} is not needed: {why}.", "yellow")
    if why.endswith(JOINT_FAILS):  # it compiles alone; it breaks the set of fixes shown with it
        return Line(
            f"rustc's {fragment(o)} breaks the build once the other errors are fixed: {why.removesuffix(JOINT_FAILS)}.",
            "yellow",
        )
    return Line(f"rustc's {fragment(o)} does not compile here: {why}.", "yellow")


def _next_step(f: PatchOption) -> str:
    """What rustc's suggestion finished in steps earned: "it compiles" only when the crate compiled
    with it, no error left or new (h12: a `move` then a clone of a `Vec<&[u64]>` still fails E0521),
    and said with its price when the steps edit the tests (review O, o11)."""
    if f.validated == "compiles" and not (f.errors_left or f.errors_new):
        return (
            "with the next step it compiles"
            + (" beside the other stories' fixes" if f.together_with else "")
            # o11: the steps derived Clone on a test type kept non-Clone on purpose
            + (", but only as the steps rewrite the crate's tests" if f.rewrites_tests else "")
        )
    if f.validated == "compiles":
        return "the next step fixes this error, but the crate still does not compile" + (
            f" ({f.first_error})" if f.first_error else ""
        )
    if f.validated == "uncovers":
        return f"the next step fixes this error; rustc then reports {f.fails_because or 'another error'}"
    return f"the next step {'type-checks' if f.validated == 'type-checks' else 'is not checked yet'}"


def rustc_alone_line(e: Explanation) -> Line | None:
    """rustc's suggestion that the lead fix holds with Rusta's edits added, when the crate's tests
    were run with rustc's edits alone and hung or failed (`engine.explain.rustc_alone`): it compiles,
    and the line says what the tests did, so the added edit reads as needed, not as taste."""
    lead = e.fixes[0] if e.fixes else None
    if lead is None or not lead.alone or not lead.ticked:
        return None
    o = lead.alone[0]
    return Line(f"rustc's {fragment(o)} alone compiles, but {o.fails_because}.", "yellow")


def goes_with_line(e: Explanation) -> Line | None:
    """A story another story's ✓ fix clears by changing a signature this story's code calls
    (`engine.explain.cleared_by`): its root cause is that signature, said after the check, since
    the words printed before it named rustc's span. The fix writes none of this story's lines."""
    if not e.goes_with:
        return None
    at = e.root_cause
    return Line(
        f"Root cause: {at.file}:{at.line}, {e.root_cause_reason}; this code needs no change of its own.",
        "green",
    )


def rustc_uncovers_line(e: Explanation) -> Line | None:
    """rustc's own suggestion that removes the story's error, after which rustc reports another one
    away from the edit (one the first error hid): it works, and the line says what comes next."""
    o = next((o for o in e.fixes[1:] if o.source == "rustc" and o.validated == "uncovers"), None)
    if o is None:
        return None
    then = o.fails_because or "another error"
    return Line(f"rustc's {fragment(o)} works for this error; rustc then reports {then}.", "yellow")


def _others(e: Explanation) -> Line | None:
    """The other fixes that validation showed to work, counted by the verdict study mode shows: one
    that brings new errors ("1 new error appears with it") is not counted, and one that leaves other
    errors in the crate is said to fix this error, not to compile, and one whose tests were not run
    is said so (a ✓ and "compile" beside the lead's "tests pass" would read as tested too)."""
    ok = [o for o in distinct(e.fixes)[1:] if o.validated == "compiles" and not o.errors_new]
    n = len(ok)
    if not n:
        return None
    fixes = f"+{n} other fix{'es' if n > 1 else ''}"
    if any(o.errors_left for o in ok):
        return Line(f"  {fixes} also fix{'' if n > 1 else 'es'} this error (--mode study shows them).", "dim")
    k = sum(o.untested for o in ok)  # compiled, tests not run: counted as compiling, never as passing
    untested = (
        ""
        if not k
        else (", tests not run on it" if n == 1 else f", tests not run on {'them' if k == n else k}")
    )
    return Line(f"  {fixes} compile{'' if n > 1 else 's'}{untested} (--mode study shows them).", "dim")


def _none_compiles(n: int) -> str:
    return (
        "The one fix tried does not compile here" if n == 1 else f"None of the {n} fixes tried compiles here"
    )


def _fix_name(o: PatchOption) -> str:
    """The fix by its code, else by its name in quotes: rustc's help (`Packet::Data` has a field named
    `bytes`) is the name of an edit, never a reason, so it is never said where a reason goes."""
    frag = fragment(o)
    if frag.startswith("suggestion ("):
        frag = f'"{o.name.split(";")[0].strip().rstrip(".")}"'
    return f"rustc's {frag}" if o.source == "rustc" else frag


def _none_compiles_named(failed: tuple[PatchOption, ...]) -> str:
    """That no fix tried compiles, naming the (first) fix tried and the first error it left."""
    o = failed[0]
    why = o.fails_because.removesuffix(JOINT_FAILS)
    said = f": {why}" if why.startswith("the error stays") else f": rustc then reports {why}"
    said = said if why else ", though the check names no error"
    if len(failed) == 1:
        return f"The one fix tried, {_fix_name(o)}, does not compile here{said}"
    return f"{_none_compiles(len(failed))}; the first, {_fix_name(o)}, fails{said}"


def _next_way(e: Explanation, failed: tuple[PatchOption, ...]):  # -> Choice | None
    """The first way out in words that does not repeat a failed option's code (name only is fine)."""
    code = failed_code(failed)
    return next(
        (o for o in e.options if not repeats(f"{o.name} {o.how}", code) and not recommends(o.name, code)),
        None,
    )


def pair_verdict_lines(
    e: Explanation, failed: tuple[PatchOption, ...], earlier: dict[str, int] | None = None, number: int = 0
) -> list[Line]:
    """Pair mode after the check: rustc's failed suggestion and why, then the best fix that compiles
    in full (or one validation could not finish, still "not checked yet"), or the next way out.

    `earlier`: the patch of each fix line already printed, with its story's number (`number`,
    1-based), filled in here: one edit that fixes two stories (a derive that clears both errors) is printed once, and
    the later story points at it."""
    lines = [
        ln
        for ln in (rustc_failed_line(failed, e), rustc_alone_line(e), rustc_uncovers_line(e))
        if ln is not None
    ]
    best = fix_line(e, failed_code(failed))
    if not e.fixes and failed and best is not None and not any(o.source == "rustc" for o in failed):
        # the way out shown next is not the one just checked: say that one fails, never hide it
        lines.append(Line(_none_compiles_named(failed) + ".", "dim"))
    if best is not None and e.fixes and earlier is not None:
        patch = e.fixes[0].patch
        if patch in earlier:
            lines.append(
                Line(f"Fix{fix_mark(e.fixes[0])}: the same edit as #{earlier[patch]} above.", "green")
            )
            return lines
        earlier[patch] = number
    if best is not None:
        lines.append(best)
        lines.extend(fix_block_lines(e))
        if e.fixes and (more := _others(e)):
            lines.append(more)
    elif (o := _next_way(e, failed)) is not None:
        cost = f" Cost: {o.tradeoff}" if o.tradeoff and not o.how else ""
        lines.append(Line(f"Way out: {o.name}." + (f" {o.how}" if o.how else "") + cost, "green"))
    elif failed and not lines:
        lines.append(Line(_none_compiles_named(failed) + ".", "dim"))
    if not lines:
        lines.append(Line("Nothing to add to rustc's words here.", "dim"))
    return lines


def disproved_lines(e: Explanation, failed: tuple[PatchOption, ...]) -> list[Line]:
    """A way out in words whose kind of fix (borrow, clone, `move`) the check just disproved, with no
    fix of that kind compiling: the study printed it before the check, so one line takes it back
    with the reason ("borrow inside the closure" after `&log` failed with E0596)."""
    works = {k for f in e.fixes if f.validated != "fails" for k in fix_kinds(f)}
    code = tuple(c for c in failed_code(failed) if c.removeprefix(KIND_FAILED) not in works)
    lines: list[Line] = []
    for n, o in enumerate(e.options, 1):
        if not recommends(o.name, code):
            continue
        bad = next(
            (f for f in failed if recommends(o.name, (*(KIND_FAILED + k for k in fix_kinds(f)),))), None
        )
        if bad is None or any(f.steps and f.name == bad.name and f.validated != "fails" for f in e.fixes):
            continue  # finished in steps, the same way out compiles: nothing against it is true
        why = bad.fails_because.removesuffix(JOINT_FAILS) or "the check failed"
        if not re.match(r"E\d{4}\b|the error stays", why):
            continue  # the patch does not parse (a syntax error has no code): it disproves nothing
        if not why.startswith("the error stays"):
            # the patch cleared the error and rustc reports the next one: only the one step is
            # shown short, never the way out
            lines.append(
                Line(
                    f"Way out {n}, {o.name}: {fragment(bad)} alone is not enough: rustc then reports {why}.",
                    "yellow",
                )
            )
            continue
        lines.append(
            Line(f"Way out {n}, {o.name}, does not hold here: {fragment(bad)} fails ({why}).", "yellow")
        )
    return lines


def study_verdict_lines(e: Explanation, failed: tuple[PatchOption, ...]) -> list[Line]:
    """Study mode after the check: every fix that compiles as its diff (and those validation could
    not finish, marked so); rustc's failed suggestion in one line, and each way out above that it
    disproves; the failed templates not at all."""
    lines = [ln for ln in (rustc_failed_line(failed, e), rustc_alone_line(e)) if ln is not None]
    lines += disproved_lines(e, failed)
    lines += [  # a trade-off printed before the check that its patches contradict, taken back
        Line(f"Way out {n}, {o.name}: checked, its trade-off here is: {o.tradeoff}", "yellow")
        for n, o in enumerate(e.options, 1)
        if corrected(o.tradeoff)
    ]
    for f in distinct(e.fixes):  # [--fix M]: the M that `--apply N --fix M` takes, as --json counts it
        m = next(i for i, x in enumerate(e.fixes, 1) if x is f)
        lines.append(
            Line(f"{fix_word(f)}{fix_mark(f)}: {_cap(f.name)} ({fix_terms(f, e.code)}) [--fix {m}]", "bold")
        )
        lines.extend(diff_lines(f.patch))
    # what was tried, named by its code and the first error it left; never a verdict on the ways out
    # in words, nor a second line on rustc's one suggestion, which the line above already judged
    if not e.fixes and failed and not (len(failed) == 1 and failed[0].source == "rustc"):
        lines.append(Line(_none_compiles_named(failed) + ".", "dim"))
    return lines


def _edit(o: PatchOption) -> tuple[str, ...]:
    """The lines a fix removes and adds, blank lines aside: rustc's import and Rusta's are one edit
    when only rustc's blank line after the `use` tells them apart."""
    return tuple(
        ln
        for ln in o.patch.splitlines()
        if ln[:1] in "+-" and ln[1:].strip() and not ln.startswith(("+++", "---"))
    )


def distinct(fixes: tuple[PatchOption, ...]) -> tuple[PatchOption, ...]:
    """Each edit once, the first (best-ranked) of those that make it."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for f in fixes:
        key = _edit(f)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(f)
    return tuple(out)


def set_line(size: int, verdict: str, holes: bool = False, stories: tuple[int, ...] = ()) -> Line | None:
    """What the stories' lead ✓ fixes do applied at once, when validation built them together.
    `holes`: some of them write a `todo!()` the crate's tests run, so compiling is not green.
    `stories` (0-based) names the set ("the first fixes of #1 and #2"): in study mode, where each
    story lists several fixes, "the 2 fixes above" would not say which."""
    if size < 2 or not verdict:
        return None
    if stories:
        *rest, last = [f"#{i + 1}" for i in stories]
        them = f"the first fixes of {', '.join(rest)} and {last}"
    else:
        them = f"the {size} fixes above"
    ticked = them if stories else f"the {size} ✓ fixes above"
    if holes and (verdict == "compiles" or verdict.startswith(PASSED)):
        return Line(
            f"Together, {them} compile; the todo!() they write panics where the crate's tests"
            " run it, so write those branches first.",
            "yellow",
        )
    if verdict == "compiles":
        return Line(f"Together, {ticked} compile.", "green")
    if verdict.startswith(PASSED):  # built together, the crate's tests ran green (engine.explain.set_tests)
        tail = verdict.removeprefix(PASSED)
        return Line(f"Together, {ticked} compile, and the crate's tests pass with them{tail}.", "green")
    if verdict.startswith("compiles; "):  # built together, the crate's tests ran (engine.explain.set_tests)
        return Line(f"Together, {them} compile, but {verdict.removeprefix('compiles; ')}.", "yellow")
    return Line(
        f"Together, {ticked} do not compile: {verdict}. Apply one, then check again.",
        "yellow",
    )


def checked_lines(e: Explanation, failed: tuple[PatchOption, ...], mode: str) -> list[Line]:
    """A story once validation answered it, as the app shows it in one pane: pair mode's lines with
    the verdicts in place of the unchecked fix (what `rusta explain` prints in two steps); study
    mode's question keeps the answer hidden, so only why rustc's suggestion fails is added."""
    if mode == "pair":
        return [*pair_lines(e, pending=True), *pair_verdict_lines(e, failed)]
    return [*(ln for ln in (rustc_failed_line(failed, e),) if ln is not None), *disproved_lines(e, failed)]


def verdict_lines(
    e: Explanation,
    failed: tuple[PatchOption, ...],
    mode: str,
    earlier: dict[str, int] | None = None,
    number: int = 0,
) -> list[Line]:
    """The lines wrap where they are printed (`out.lines`), so no width is asked here."""
    if mode == "study":
        return study_verdict_lines(e, failed)
    return pair_verdict_lines(e, failed, earlier, number)
