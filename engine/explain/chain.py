"""Fixes finished in steps: a fix whose check reveals new errors, carried on with what rustc (or
Rusta's repair engine) suggests for those errors, until nothing new is left.

rustc suggests one step at a time. `T: Mul` removes "cannot multiply `T` by `T`" and brings "cannot
add `<T as Mul>::Output` to `T`", for which rustc then suggests the `Add` bound; `struct Lexer<'a>`
removes E0106 and brings E0726 at `impl Lexer`, for which it suggests `impl Lexer<'_>`. Each step
here is the first suggestion (most trustworthy first, then Rusta's own repairs for that code) of
the first new error that has one, applied on top of the steps before it in the scratch copy and
checked; a step is kept only when the new errors shrink or the one it answered goes. The chain ends
when no new error is left, and is given up (None) when a step finds nothing that helps, or at the
step, check or time limit. The finished patch is then tidied of the detours its steps left
(`engine.syntax.detours`: `*(&x)`, `&a * &b` in arithmetic) and built again; the tidy form is kept
only when it builds as well. Its final verdict is the caller's (`engine.explain.validation`), by the
same rules as any option's: a chain whose last build still has a new error is never shown.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import msgspec

from engine.edits import (
    APPLICABILITY_RANK,
    Edit,
    EditError,
    added_lines,
    apply_edits,
    by_file,
    edit_id,
    edits_between,
    unified_diff,
    weakest,
)
from engine.explain import blame
from engine.explain.casts import division_cost, kept_cast_cost
from engine.explain.lifetimes_left import without_unused_lifetimes
from engine.explain.options import public_derives
from engine.explain.stepwords import batch_words
from engine.explain.types import Explanation, PatchOption
from engine.explain.verdict_cache import Finished
from engine.patching.diffs import first_place
from engine.repair.registry import template_candidates
from engine.repair.suggestions import suggestion_candidates
from engine.repair.targets import phase
from engine.repair.types import Candidate
from engine.syntax.detours import tidy as without_detours
from toolbelt.types import CheckReport, Diagnostic

MAX_STEPS = 3  # steps after the fix itself
MAX_CHECKS = 4  # cargo runs one chain may spend
PER_ERROR = 2  # candidates tried for one error before the chain gives up


class Chain(msgspec.Struct, frozen=True, kw_only=True):
    """The finished fix: its edits on the original files, its diff, each step in words, and the
    report of its last check."""

    edits: tuple[Edit, ...]
    patch: str
    steps: tuple[str, ...]
    source: str  # "rustc" when every step is rustc's suggestion, else "template"
    applicability: str
    report: CheckReport
    name: str = ""  # the fix's title when a later step's edit is all its patch keeps ("" : the first step's)
    family: str = ""  # the repair family of the last step's candidate (a way out `avoid` can pass over)


def short_words(d: Diagnostic, patch: str = "") -> str:
    """An error as one short line: code, message (cut), file:line. With the `patch` it was reported
    under, the line is the user's (the diff's lines moved back) where the diff kept that line."""
    p = d.primary
    msg = " ".join(d.message.split())
    msg = msg if len(msg) <= 90 else _cut(msg, 87)
    where = f" at {p.file_name}:{_before(patch, p.file_name, p.line_start)}" if p else ""
    return f"{d.code_str + ' ' if d.code_str else ''}{msg}{where}"


def _cut(msg: str, limit: int) -> str:
    """`msg` cut to about `limit` characters at a word boundary, never inside a `code` span: a cut
    mid-word ("elements of typ...") or mid-code ("type `&...") reads as a different, broken message."""
    cut = msg[:limit]
    if " " in cut and msg[limit : limit + 1] != " ":
        cut = cut[: cut.rindex(" ")]
    if cut.count("`") % 2:  # an opened code span would be left open: end before it
        cut = cut[: cut.rindex("`")]
    return cut.rstrip(" ,;:") + " ..."


def _before(patch: str, file: str, line: int) -> int:
    """The line of the file before `patch` that the patch moved to `line`; `line` when none did."""
    if not patch:
        return line
    moved = blame.line_map(patch)
    return next((n for n in range(max(1, line - 400), line + 400) if moved(file, n) == line), line)


def _candidates(
    d: Diagnostic, read: Callable[[str], bytes | None], files: tuple[str, ...], keep: int = PER_ERROR
) -> list[Candidate]:
    rustc = sorted(suggestion_candidates(d, read), key=lambda c: APPLICABILITY_RANK.get(c.applicability, 3))
    try:
        own = template_candidates(d, read, files)
    except (ValueError, IndexError, KeyError):  # a template that cannot read this shape offers nothing
        own = []
    seen: set[str] = set()
    out = []
    for c in (*rustc, *sorted(own, key=lambda c: -c.score)):
        if c.id not in seen and c.edits:
            seen.add(c.id)
            out.append(c)
    return out[:keep]


def _skeleton(d: Diagnostic) -> tuple[str, str]:
    """An error's family: its code and its words with the named types and paths left out
    ("cannot multiply `` by ``", "cannot call non-const associated function `` in statics")."""
    return d.code_str or "", re.sub(r"`[^`]*`", "``", " ".join(d.message.split()))


Answered = tuple[set[tuple[str, str]], set[str], set[str]]


def _subject(d: Diagnostic) -> str:
    """The place or name an error is about, its first quoted word (`t.title` in "cannot move out of
    `t.title` which is behind a shared reference"), or ""."""
    m = re.search(r"`([^`]*)`", d.message)
    return m.group(1) if m else ""


def _answered(
    e: Explanation, o: PatchOption, read: Callable[[str], bytes | None], files: tuple[str, ...]
) -> Answered:
    """The story's error families, the other fixes offered alone for the error `o` answers, and the
    places its errors are about."""
    alone: set[str] = set()
    for d in e.diagnostics:
        mine = {c.description for c in _candidates(d, read, files, keep=99)}
        if any(n.lower() == o.name.lower() for n in mine):
            alone |= mine
    return {_skeleton(d) for d in e.diagnostics}, alone, {_subject(d) for d in e.diagnostics}


def _restates(
    c: Candidate,
    d: Diagnostic,
    answered: Answered,
    written: list[str],
    now: Callable[[str], bytes | None],
) -> bool:
    """A step that answers the story's own error family again (an array table whose elements still
    call `String::from`, a variable cast at one use): a fix the story was offered alone (`let k = k
    as f64;` on top of `k as f64`), or one that rewrites what the first fix wrote (`[String; 2]`
    wrapped in `LazyLock`), is a different answer to the same mistake, not a next step. The same
    error at another place (`pair[1]` after `pair[0]`) is still finished, and so is a fix worded
    like one offered alone but for another named place: `&self.tracks` leaves "cannot move out of
    `t.title`", whose "consider cloning" clones the one field, not the `Vec` the story's own clone
    copied (review A a19)."""
    families, alone, subjects = answered
    if _skeleton(d) not in families:
        return False
    if c.description in alone and not (_subject(d) and subjects and _subject(d) not in subjects):
        return True
    for ed in c.edits:
        text = now(ed.file) or b""
        old = text[ed.start : ed.end].decode(errors="replace")
        if old.strip() and any(w.strip() in old for w in written):
            return True
    return False


def _batch(
    new: list[Diagnostic],
    now: Callable[[str], bytes | None],
    files: tuple[str, ...],
    answered: Answered,
    written: list[str],
    patch: str,
) -> tuple[Candidate, str] | None:
    """The first fix of each new error, as one step, when two or more errors at different places
    have one and their edits do not overlap: a signature change breaks several callers at once
    (`Vec<&str>` in one, `&str` wanted from a `String` in another), and answering them one check at
    a time would spend the chain's steps before the last caller. None when fewer than two."""
    picked: list[tuple[Candidate, Diagnostic]] = []
    taken: list[Edit] = []
    for d in new:
        c = next((c for c in _candidates(d, now, files) if not _restates(c, d, answered, written, now)), None)
        if c is None or any(c.id == p.id for p, _ in picked):
            continue
        if any(a.file == b.file and a.start < b.end and b.start < a.end for a in c.edits for b in taken):
            continue
        if any(a.file == b.file and a.start == a.end == b.start == b.end for a in c.edits for b in taken):
            continue
        picked.append((c, d))
        taken += c.edits
    if len(picked) < 2:
        return None
    edits = tuple(sorted(taken, key=lambda e: (e.file, e.start, e.end)))
    first = picked[0][0]
    batch = msgspec.structs.replace(
        first,
        id=edit_id(edits),
        edits=edits,
        description="; ".join(c.description for c, _ in picked),
        source="rustc" if all(c.source in ("rustc", "clippy") for c, _ in picked) else "template",
        applicability=weakest([c.applicability for c, _ in picked]),
    )
    return batch, batch_words([(c.description, short_words(d, patch)) for c, d in picked])


def _goes_back(new: list[Diagnostic], left: list[Diagnostic]) -> bool:
    """A step that leaves an error of an earlier rustc pass than every error it answered went
    backwards, however few errors are left: borrow errors (moves out of a slice) are reported only
    once the crate type-checks, so `&xs[0]` trading them for one "mismatched types" is a fix that no
    longer type-checks, and the chain spent its next checks chasing that mismatch elsewhere."""
    return bool(new) and any(phase(d) < min(phase(n) for n in new) for d in left)


def _overlay(cur: dict[str, bytes], read: Callable[[str], bytes | None]) -> Callable[[str], bytes | None]:
    """The files as the steps so far left them."""
    return lambda rel: cur[rel] if rel in cur else read(rel)


def finish(
    e: Explanation,
    o: PatchOption,
    after: CheckReport,
    base: CheckReport,
    read: Callable[[str], bytes | None],
    check: Callable[[tuple[Edit, ...]], CheckReport],
    files: tuple[str, ...],
    deadline: float,
    avoid: frozenset[str] = frozenset(),
) -> Chain | None:
    """`o` carried on until its check has no new error, or None (see the module docstring).
    `read` gives the original files, `check` builds the original crate with edits on it; no step
    uses a candidate of a family in `avoid` (another way out of the same error, finished apart)."""
    cur: dict[str, bytes] = {}
    for rel, mine in by_file(o.edits).items():
        old = read(rel)
        if old is None:
            return None
        try:
            cur[rel] = apply_edits(old, mine)
        except EditError:
            return None
    orig = {rel: read(rel) or b"" for rel in cur}
    patch = o.patch
    new = blame.compare(e, patch, base, after)[1]
    steps: list[str] = []
    answered = _answered(e, o, read, files)
    written = [ed.replacement for ed in o.edits if ed.replacement.strip()]
    sources, kinds = [o.source], [o.applicability]
    names: list[str] = []
    checks, family = 0, ""
    while new:
        if len(steps) >= MAX_STEPS or checks >= MAX_CHECKS or time.monotonic() > deadline:
            return None

        now = _overlay(cur, read)
        # the story's own error again (the first fix cast one use, the error moved to the next; an
        # array table whose elements are still not const): a second fix of that family stacked on
        # the first is a different answer to the same mistake, offered alone, not a next step
        found = next(
            (
                (d, cs)
                for d in new
                if (
                    cs := [
                        c
                        for c in _candidates(d, now, files, keep=PER_ERROR + len(avoid))
                        if c.family not in avoid and not _restates(c, d, answered, written, now)
                    ][:PER_ERROR]
                )
            ),
            None,
        )
        if found is None:
            return None
        target, cands = found
        batch = _batch(new, now, files, answered, written, patch) if not avoid else None
        words = {c.id: f"{c.description} ({short_words(target, patch)})" for c in cands}
        if batch is not None:  # every new error's first fix at once, tried before one at a time
            cands = [batch[0], *cands]
            words[batch[0].id] = batch[1]
        took = None
        for c in cands:
            if checks >= MAX_CHECKS:
                return None
            tried = dict(cur)
            try:
                for rel, mine in by_file(c.edits).items():
                    old = now(rel)
                    if old is None:
                        raise EditError(rel)
                    orig.setdefault(rel, read(rel) or b"")
                    tried[rel] = once(orig[rel], apply_edits(old, mine))
            except EditError:
                continue
            edits = tuple(ed for rel in sorted(tried) for ed in edits_between(rel, orig[rel], tried[rel]))
            diff = unified_diff({k: orig[k] for k in tried}, tried)
            report = check(edits)
            checks += 1
            if report.status in ("timeout", "error", "failed"):
                return None
            stays, left = blame.compare(e, diff, base, report)
            if blame.story_stays(e, stays) or blame.at_story_or_edit(e, diff, report, base) is not None:
                continue
            if _goes_back(new, left):
                continue
            if len(left) < len(new) or not any(short_words(d) == short_words(target) for d in left):
                took = (c, tried, diff, report, left)
                break
        if took is None:
            return None
        steps.append(words[took[0].id])
        names.append(took[0].description)
        family = took[0].family
        c, cur, patch, after, new = took
        sources.append("rustc" if c.source in ("rustc", "clippy") else "template")
        kinds.append(c.applicability)
    if not steps:
        return None
    name = ""

    def builds_clean(tree: dict[str, bytes]) -> tuple[str, CheckReport] | None:
        """(its diff, its report) when `tree`, a tidier form of the finished steps, builds with the
        story's errors gone and no new one; None when it does not, so the steps' own form stays."""
        edits = tuple(ed for rel in sorted(tree) for ed in edits_between(rel, orig[rel], tree[rel]))
        diff = unified_diff({k: orig[k] for k in tree}, tree)
        report = check(edits)
        stays, left = blame.compare(e, diff, base, report)
        ok = (
            report.status not in ("timeout", "error", "failed")
            and not blame.story_stays(e, stays)
            and not left
        )
        return (diff, report) if ok else None

    tidy = {rel: without_unused_lifetimes(orig[rel], cur[rel]) for rel in cur}
    # a lifetime a later step left naming nothing: checked without it
    if tidy != cur and checks < MAX_CHECKS and (built := builds_clean(tidy)) is not None:
        cur, (patch, after) = tidy, built
        shown = "".join(added_lines(patch))
        if not any(w.strip() in shown for w in written):  # nothing of the first step is left
            name, steps = names[-1], steps[:-1] if len(names) == 1 else steps
    plain = {rel: without_detours(orig[rel], cur[rel]) for rel in cur}
    # `*(&x) as f64 * &y` the steps left: `x as f64 * y`, kept only if it builds as well
    if plain != cur and (built := builds_clean(plain)) is not None:
        cur, (patch, after) = plain, built
    edits = tuple(ed for rel in sorted(cur) for ed in edits_between(rel, orig[rel], cur[rel]))
    return Chain(
        edits=edits,
        patch=patch,
        steps=tuple(steps),
        source="rustc" if all(s == "rustc" for s in sources) else "template",
        applicability=weakest(kinds),
        report=after,
        name=name,
        family=family,
    )


def once(orig: bytes, new: bytes) -> bytes:
    """`new` with a `let` line that steps wrote twice in a row kept once: two steps answering one
    moved value each insert rustc's `let value = data.clone();` at the same place."""
    lines = new.splitlines(keepends=True)
    had = orig.splitlines(keepends=True)
    out: list[bytes] = []
    for ln in lines:
        twice = out and ln == out[-1] and ln.strip().startswith(b"let ") and lines.count(ln) > had.count(ln)
        if not twice:
            out.append(ln)
    return _one_derive(out, had)


_DERIVE = re.compile(rb"^(\s*)#\[derive\(([^()]*)\)\]\s*$")


def _one_derive(lines: list[bytes], had: list[bytes]) -> bytes:
    """A `#[derive(X)]` line a step added next to the item's own `#[derive(..)]`, merged into it:
    the spelling every other derive fix uses, so two fixes that each add `X` compose (two derives of
    one trait are E0119)."""
    out: list[bytes] = []
    for ln in lines:
        m, prev = _DERIVE.match(ln), _DERIVE.match(out[-1]) if out else None
        if m and prev and ln not in had and out[-1] in had:
            names = [n.strip() for n in prev.group(2).split(b",") if n.strip()]
            names += [n.strip() for n in m.group(2).split(b",") if n.strip() and n.strip() not in names]
            end = b"\r\n" if out[-1].endswith(b"\r\n") else b"\n"
            out[-1] = prev.group(1) + b"#[derive(" + b", ".join(names) + b")]" + end
            continue
        out.append(ln)
    return b"".join(out)


def as_option(o: PatchOption, done: Chain | Finished) -> PatchOption:
    """The finished fix as one option: `o`'s name (its first step, or the step whose edit is all the
    patch keeps), the whole diff, every step."""
    file, line = first_place(done.patch)
    return msgspec.structs.replace(
        o,
        name=done.name or o.name,
        id=edit_id(done.edits),
        edits=done.edits,
        patch=done.patch,
        shows=added_lines(done.patch),
        file=file,
        line=line,
        source=done.source,
        applicability=done.applicability,
        steps=done.steps,
        kind="other",  # a borrow finished by a conversion is no longer just a borrow
        cost="; ".join(
            filter(
                None,
                (
                    kept_cast_cost(o.cost, o.patch, done.patch),
                    # a later step's `.into()` or `as f64` may convert a quotient still made of integers
                    division_cost(done.patch, None, lambda _f: None),
                    public_derives(done.patch),
                ),
            )
        ),
        validated="not-checked",
    )
