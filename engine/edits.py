"""Byte edits, their application and their unified diffs, and the edits rustc suggests: one module.

Explain, repair, the gym and patching all turn "replace these bytes of this file" into new files and a
`git apply`-able diff. They used to carry three copies that disagreed on overlaps, on the trailing
newline marker and on which spans count as the user's; this is the one copy. Pure: bytes in, bytes out.

Offsets are rustc's byte offsets into the UTF-8 file, so edits apply to bytes and decode afterwards.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

import msgspec

from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic, Span

# rustc's applicability levels, most trustworthy first.
APPLICABILITY_RANK = {"MachineApplicable": 0, "MaybeIncorrect": 1, "HasPlaceholders": 2, "Unspecified": 3}


class EditError(ValueError):
    """An edit that cannot apply: it overlaps another or reaches outside the file."""


class Edit(msgspec.Struct, frozen=True, kw_only=True):
    """Replace bytes [start, end) of `file` (crate-relative path) by `replacement`."""

    file: str
    start: int
    end: int
    replacement: str


# `for <item> in &v`: a name in angle brackets with no type or path before it
_ANGLE_HOLE = re.compile(r"(?:^|(?<=[\s(,=|&\[]))<[a-z_][a-z0-9_]*>(?!::)")


class Suggestion(msgspec.Struct, frozen=True, kw_only=True):
    """One of rustc's suggestions: the edits that belong together, its message and its applicability."""

    message: str
    edits: tuple[Edit, ...]
    applicability: str = "Unspecified"

    @property
    def has_placeholder(self) -> bool:
        """`/* value */`- or `<item>`-style holes rustc leaves for the user: such a suggestion can never
        compile. A `<name>` counts only where no type or path comes before it (`Vec<item>` is code)."""
        return self.applicability == "HasPlaceholders" and any(
            "/*" in e.replacement or _ANGLE_HOLE.search(e.replacement) for e in self.edits
        )


# --- applying ------------------------------------------------------------------------------------


def apply_edits(text: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply edits to one file's bytes (offsets into the original); overlapping edits are an EditError."""
    out: list[bytes] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise EditError(f"overlapping or out-of-range edit in {e.file} at byte {e.start}.")
        out.append(text[pos : e.start])
        out.append(e.replacement.encode())
        pos = e.end
    out.append(text[pos:])
    return b"".join(out)


def overlaps(a: Edit, b: Edit) -> bool:
    """Two edits touch the same bytes, or insert at the same point (their order would be a guess)."""
    if a.file != b.file:
        return False
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def first_non_overlapping(edits: Iterable[Edit]) -> list[Edit]:
    """Keep edits in order, dropping any that overlaps one kept earlier (rustc's alternatives overlap)."""
    kept: list[Edit] = []
    for e in edits:
        if e not in kept and not any(overlaps(e, k) for k in kept):
            kept.append(e)
    return kept


def by_file(edits: Iterable[Edit]) -> dict[str, list[Edit]]:
    grouped: dict[str, list[Edit]] = {}
    for e in edits:
        grouped.setdefault(e.file, []).append(e)
    return grouped


def written_lines(
    old: Mapping[str, bytes], edits: tuple[Edit, ...], own: tuple[Edit, ...] | None = None
) -> dict[str, set[int]]:
    """{file: the 1-based lines of the patched file that the `own` edits (default: all) wrote}, with
    every one of `edits` in: each edit starts on its old line moved by the lines the edits before it
    added or took away. The one count of where a patch's text lands: the lint blame and the set
    judge's culprit both read it."""
    mine_ = set(edits if own is None else own)
    out: dict[str, set[int]] = {}
    for rel, mine in by_file(edits).items():
        src = old.get(rel)
        if src is None:
            continue
        moved = 0
        lines: set[int] = set()
        for ed in sorted(mine, key=lambda e: e.start):
            first = src[: ed.start].count(b"\n") + 1 + moved
            if ed in mine_:  # a whole-line replacement's closing newline writes no line after it
                n = ed.replacement.count("\n") + (not ed.replacement.endswith("\n"))
                lines.update(range(first, first + max(n, 1)))
            moved += ed.replacement.count("\n") - src[ed.start : ed.end].count(b"\n")
        out[rel] = lines
    return out


def apply_to_files(files: Mapping[str, bytes], edits: Iterable[Edit]) -> dict[str, bytes]:
    """The new bytes of every file the edits touch (files missing from `files` are an EditError)."""
    out: dict[str, bytes] = {}
    for name, mine in by_file(edits).items():
        if name not in files:
            raise EditError(f"an edit names {name}, which is not in the crate.")
        out[name] = apply_edits(files[name], mine)
    return out


def edits_between(file: str, old: bytes, new: bytes) -> tuple[Edit, ...]:
    """The edits, by whole lines, that turn `old` into `new`: steps made one on top of another (each
    step's offsets into the bytes the step before left) as one edit set on the original bytes."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0]
    for ln in a:
        starts.append(starts[-1] + len(ln))
    return tuple(
        Edit(file=file, start=starts[i1], end=starts[i2], replacement=b"".join(b[j1:j2]).decode())
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if tag != "equal"
    )


def edit_id(edits: Iterable[Edit]) -> str:
    """A stable id for a set of edits: the same change proposed twice (rustc and a rule) is one candidate."""
    h = hashlib.sha1()
    for e in sorted(edits, key=lambda e: (e.file, e.start, e.end, e.replacement)):
        h.update(f"{e.file}\0{e.start}\0{e.end}\0{e.replacement}\0".encode())
    return h.hexdigest()[:12]


# --- diffs ---------------------------------------------------------------------------------------


def _lines(data: bytes | None, errors: str) -> list[str]:
    return [] if data is None else data.decode("utf-8", errors).splitlines(keepends=True)


Opcode = tuple[str, int, int, int, int]


def _balanced(lines: list[str]) -> bool:
    """The lines open no bracket they do not close, and close none they did not open (Rust tokens,
    so a `{` in a string or a comment does not count)."""
    from toolbelt.probe_scan import lex

    depth = 0
    for tok in lex("".join(lines))[0]:
        if tok.kind == "punct" and tok.text in "{[(":
            depth += 1
        elif tok.kind == "punct" and tok.text in "}])":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _slide_score(side: list[str], lo: int, hi: int, s: int) -> tuple[bool, bool, int]:
    """How good a place `side[lo + s : hi + s]` is for a slid block: balanced first, then a block
    that starts rather than ends with a blank line, then the nearest to where difflib put it."""
    block = side[lo + s : hi + s]
    return (not _balanced(block), not block[-1].strip() and bool(block[0].strip()), abs(s))


def _slid(ops: Sequence[Opcode], a: list[str], b: list[str]) -> list[Opcode]:
    """Each pure insertion or deletion between two unchanged runs moved, where the lines around it
    allow, to the place where it is a whole piece of code.

    The mistake it handles: a block inserted next to a line it repeats (a new `impl` after an enum's
    closing `}`) has several equally short diffs, and difflib picks the first, which starts with the
    enum's `}` and ends before the new block's own `}`: the diff reads as a stray brace. Among the
    positions the block can slide to, one whose lines are balanced wins, then one that starts
    rather than ends with a blank line, then the nearest, as git's indent heuristic chooses."""
    out = list(ops)
    for k in range(1, len(out) - 1):
        tag, i1, i2, j1, j2 = out[k]
        before, after = out[k - 1], out[k + 1]
        if tag not in ("insert", "delete") or before[0] != "equal" or after[0] != "equal":
            continue
        side = b if tag == "insert" else a
        lo, hi = (j1, j2) if tag == "insert" else (i1, i2)
        up = 0
        while up < before[2] - before[1] and side[lo - up - 1] == side[hi - up - 1]:
            up += 1
        down = 0
        while down < after[2] - after[1] and side[lo + down] == side[hi + down]:
            down += 1
        if not up and not down:
            continue

        s = min(range(-up, down + 1), key=functools.partial(_slide_score, side, lo, hi))
        if s == 0:
            continue
        out[k - 1] = ("equal", before[1], before[2] + s, before[3], before[4] + s)
        out[k] = (tag, i1 + s, i2 + s, j1 + s, j2 + s)
        out[k + 1] = ("equal", after[1] + s, after[2], after[3] + s, after[4])
    return [op for op in out if op[0] != "equal" or op[2] > op[1]]


def _range(start: int, length: int) -> str:
    """A hunk's `start,length` as unified diffs write it (difflib's own rule)."""
    begin = start + 1
    if length == 1:
        return f"{begin}"
    return f"{begin - 1 if not length else begin},{length}"


def _grouped(ops: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """The opcodes in hunks with `n` lines of context, as `SequenceMatcher.get_grouped_opcodes`
    groups them (its code, on a list of opcodes it did not compute itself)."""
    codes = list(ops) or [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _unified(a: list[str], b: list[str], from_name: str, to_name: str, n: int = 3) -> Iterator[str]:
    """`difflib.unified_diff`, with insertions and deletions slid to whole pieces of code (`_slid`)."""
    ops = _slid(difflib.SequenceMatcher(None, a, b).get_opcodes(), a, b)
    first = True
    for group in _grouped(ops, n):
        if first:
            first = False
            yield f"--- {from_name}\n"
            yield f"+++ {to_name}\n"
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        yield f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@\n"
        for tag, x1, x2, y1, y2 in group:
            if tag == "equal":
                yield from (" " + ln for ln in a[x1:x2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + ln for ln in a[x1:x2])
            if tag in ("replace", "insert"):
                yield from ("+" + ln for ln in b[y1:y2])


def unified_diff(
    before: Mapping[str, bytes | None], after: Mapping[str, bytes | None], *, errors: str = "replace"
) -> str:
    """A git-style unified diff (a/ b/ prefixes) of the files that differ, in path order.

    A file absent on one side, or None there, is an addition or a deletion (`/dev/null`); a last line
    without a newline gets git's marker, so `git apply` and `patch` read the diff back exactly.
    `errors="surrogateescape"` keeps undecodable bytes, for a diff that is applied back, not shown.
    """
    chunks: list[str] = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if a == b:
            continue
        lines = _unified(
            _lines(a, errors),
            _lines(b, errors),
            f"a/{path}" if a is not None else "/dev/null",
            f"b/{path}" if b is not None else "/dev/null",
        )
        chunks.append(
            "".join(ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n" for ln in lines)
        )
    return "".join(chunks)


def diff_of_edits(files: Mapping[str, bytes], edits: Iterable[Edit]) -> str:
    """The diff that `edits` make to `files`; "" when they change nothing."""
    after = apply_to_files(files, edits)
    return unified_diff({k: files[k] for k in after}, after)


def diff_side(diff: str, sign: str) -> list[str]:
    """The lines a unified diff adds (`sign="+"`) or removes (`"-"`), as they read in the file.

    What explain says of a patch (the casts, clones, derives and panics it writes) rests on these
    lines, and the `+++`/`---` file headers are none of them; one reader, so the modules that judge
    a patch by its text agree on which lines it wrote."""
    return [ln[1:] for ln in diff.splitlines() if ln.startswith(sign) and not ln.startswith(sign * 3)]


def added_lines(diff: str) -> tuple[str, ...]:
    """The `+` lines of a unified diff, as they will read in the file (blank ones dropped): what an
    option `shows`, so it names only what the program has or what the patch writes."""
    return tuple(ln for ln in diff_side(diff, "+") if ln.strip())


def line_col_to_byte(text: bytes, line: int, col: int) -> int:
    """rustc's 1-based line and 1-based *character* column to a byte offset."""
    lines = text.split(b"\n")
    if line < 1 or line > len(lines):
        raise EditError(f"line {line} is outside the file.")
    offset = sum(len(x) + 1 for x in lines[: line - 1])
    prefix = lines[line - 1].decode("utf-8", "replace")[: col - 1]
    return offset + len(prefix.encode())


# --- rustc's suggestions -------------------------------------------------------------------------


def _walk(d: Diagnostic) -> Iterator[Diagnostic]:
    yield d
    for c in d.children:
        yield from _walk(c)


def _edit(span: Span) -> Edit:
    return Edit(
        file=span.file_name,
        start=span.byte_start,
        end=span.byte_end,
        replacement=_indented(span, span.suggested_replacement or ""),
    )


def _indented(span: Span, text: str) -> str:
    """rustc's inserted lines given the indentation of the line they are put before.

    rustc inserts `use crate::units::Metric;\n` at the first `use` of a `mod` body, after its
    indentation: the new line gets the indentation, and the line it pushed down starts at column 1
    (review A a17). The general mistake is pasting a whole-line insertion at a column as is: when the
    insertion point has only whitespace before it on its line and the text ends with a newline, each
    line the text starts after a newline gets that whitespace, so both the new lines and the old one
    keep the block's indentation."""
    line = span.text[0].text if span.text else ""
    indent = line[: span.column_start - 1]
    if span.byte_start != span.byte_end or not indent or indent.strip() or not text.endswith("\n"):
        return text
    head, *rest = text.split("\n")
    return "\n".join([head, *(indent + ln if ln else ln for ln in rest[:-1]), indent])


def suggestions(diag: Diagnostic) -> list[Suggestion]:
    """Every suggestion rustc makes in the user's crate, in rustc's order, at every applicability.

    A help child whose spans all sit at one place offers alternatives (one suggestion each);
    otherwise its spans form one combined edit (rename here and there together). A help that begins
    "if you ..." depends on the help before it ("if you change the return type to expect trait
    objects, box the returned expressions"): the two are one suggestion, since neither compiles alone.
    """
    out: list[Suggestion] = []
    for child in _walk(diag):
        spans = [s for s in child.spans if s.suggested_replacement is not None and in_user_crate(s.file_name)]
        if not spans:
            continue
        places = {(s.file_name, s.byte_start, s.byte_end) for s in spans}
        groups = [[s] for s in spans] if len(spans) > 1 and len(places) == 1 else [spans]
        for group in groups:
            out.append(
                Suggestion(
                    message=child.message,
                    edits=tuple(_edit(s) for s in group),
                    applicability=weakest(s.suggestion_applicability or "Unspecified" for s in group),
                )
            )
    return _joined_dependents(out)


def _joined_dependents(found: list[Suggestion]) -> list[Suggestion]:
    out: list[Suggestion] = []
    for s in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and s.message.lower().startswith("if you ")
            and not any(overlaps(a, b) for a in prev.edits for b in s.edits)
        ):
            out[-1] = Suggestion(
                message=f"{prev.message}; {s.message}",
                edits=(*prev.edits, *s.edits),
                applicability=weakest((prev.applicability, s.applicability)),
            )
        else:
            out.append(s)
    return out


def weakest(applicabilities: Iterable[str]) -> str:
    """The least trustworthy of several applicabilities: a combined edit is only as good as its worst part."""
    return max(applicabilities, key=lambda a: APPLICABILITY_RANK.get(a, 3), default="Unspecified")


def best_suggestion(diag: Diagnostic) -> Suggestion | None:
    """rustc's most trustworthy suggestion (by applicability, then rustc's order)."""
    found = suggestions(diag)
    return min(found, key=lambda s: APPLICABILITY_RANK.get(s.applicability, 3)) if found else None


# --- where a change lands --------------------------------------------------------------------------


class Rewrite(msgspec.Struct, frozen=True, kw_only=True):
    """Where a change of one file landed in its new text, so a diagnostic of the new file can be told
    apart from one of code that was already there: `written` holds the 1-based new lines the change
    wrote (and, for lines it only took away, the line that now stands where they were); `spans` the
    new bytes it wrote, found within those lines character by character (a rewritten signature line
    keeps a parameter it did not touch); `origins` the old lines each new line comes from (itself for
    an untouched line, the replaced range for a written one)."""

    written: frozenset[int]
    spans: tuple[tuple[int, int], ...]
    origins: tuple[tuple[int, int], ...]  # index i: new line i+1 -> old lines [lo, hi], 1-based

    def origin(self, line: int) -> tuple[int, int]:
        """The old lines new `line` stands for; (0, 0) beyond the file."""
        return self.origins[line - 1] if 0 < line <= len(self.origins) else (0, 0)

    def wrote(self, line: int, end_line: int, start: int, end: int) -> bool:
        """Whether code at new lines `line`..`end_line` (bytes `start`..`end`) is the change's own: each
        of its lines written, and some of its bytes among those the change wrote."""
        if not all(n in self.written for n in range(line, max(end_line, line) + 1)):
            return False
        return any(
            start < b and a < max(end, start + 1) or a == b and start <= a <= end for a, b in self.spans
        )


def rewrite(old: bytes, new: bytes) -> Rewrite:
    """Where `new` differs from `old` (see `Rewrite`), by whole lines first as `edits_between` does."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0]
    for ln in b:
        starts.append(starts[-1] + len(ln))
    written: set[int] = set()
    spans: list[tuple[int, int]] = []
    origins: list[tuple[int, int]] = [(0, 0)] * len(b)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                origins[j1 + k] = (i1 + k + 1, i1 + k + 1)
            continue
        lo, hi = (i1 + 1, i2) if i2 > i1 else (i1, i1 + 1)  # an insertion stands between two old lines
        for j in range(j1, j2):
            origins[j] = (lo, hi)
        if j2 == j1:  # lines only taken away: the lines either side stand for them
            written.update((j1, j1 + 1))
            spans.append((starts[max(j1 - 1, 0)], starts[min(j1 + 1, len(b))]))
            continue
        written.update(range(j1 + 1, j2 + 1))
        was, now = b"".join(a[i1:i2]), b"".join(b[j1:j2])
        base = starts[j1]
        for op, _, _, k1, k2 in difflib.SequenceMatcher(None, was, now, autojunk=False).get_opcodes():
            if op in ("replace", "insert"):
                spans.append((base + k1, base + k2))
            elif op == "delete":
                spans.append((base + k1, base + k1))
    return Rewrite(written=frozenset(n for n in written if n > 0), spans=tuple(spans), origins=tuple(origins))
