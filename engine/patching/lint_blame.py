"""Which clippy warnings a patch adds, and which it only lets clippy see, from where each one points.

The mistake it answers: clippy lints a crate only once it compiles, so a fix for a compile error
makes every lint the crate already had appear at once. Counted against the broken crate's (empty)
list, they read as "the patch adds 3 (clippy::type_complexity, ...)" for lints on lines the patch
never touched. And counted by name alone against a compiling crate, a patch that moves one warning
elsewhere (or adds one where another of the same name went away) reads as adding none.

So each warning keeps its place (the primary span in the user's code), and the patch's changes are
mapped line by line (`engine.edits.rewrite`):
- when the crate without the patch compiled, a warning is added when no warning of the same lint,
  message and file stood at the old lines its line comes from;
- when it did not compile (its lint passes never ran), a warning is the patch's only when every line
  of its span is one the patch writes and some of its bytes are written ones; one on lines the
  patch rewrote but on none of the bytes it wrote is said as on a line the patch rewrote (neither
  "not written" nor surely the patch's); every other warning is reported apart, with its place,
  and never held against the patch. Most were in the code all
  along, hidden by the errors; not all (a `move` fix leaves `x += 1` assigning a copy, so
  unused_assignments fires on a line it did not write), so they are not called old either.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping, Sequence

import msgspec

from engine.edits import Rewrite, rewrite
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.diagnostics import primary_user_span
from toolbelt.types import CheckReport, Diagnostic


class PlacedLint(msgspec.Struct, frozen=True, kw_only=True):
    """One warning of a check: its key (lint, message, file; not line) and where its span lies."""

    key: str
    name: str  # "clippy::ptr_arg", "unused_variables", "warning" for a code-less one
    file: str
    line: int = 0
    end_line: int = 0
    start: int = 0
    end: int = 0
    # clippy's JSON level: "error" for a lint at deny level (deny-by-default, clippy::correctness),
    # on which `cargo clippy` fails; such a lint is no compile error, and no warning either
    level: str = "warning"

    @property
    def place(self) -> str:
        return f"{self.name} at {self.file}:{self.line}" if self.file else self.name


class Blame(msgspec.Struct, frozen=True, kw_only=True):
    """The patch's warnings by lint name, and the unseen ones on code it did not write (`name at file:line`)."""

    added: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    # unseen before, on lines the patch rewrote but on none of the bytes it wrote there (`name at
    # file:line`): neither the patch's own for sure nor "on code it did not write"
    rewritten: tuple[str, ...] = ()


def is_error(d: Diagnostic) -> bool:
    """A compile error; a clippy lint at `deny` level is a lint, not a reason the crate does not build."""
    return d.level.startswith("error") and not (d.code_str or "").startswith("clippy::")


def placed_lints(report: CheckReport) -> tuple[PlacedLint, ...]:
    """Every warning or lint of a check, once however many targets reported it, with its place."""
    out = []
    for d in distinct(report.diagnostics):
        if not (d.level == "warning" or (d.level.startswith("error") and not is_error(d))):
            continue
        p = primary_user_span(d)
        name = d.code_str or "warning"
        file = p.file_name if p else ""
        out.append(
            PlacedLint(
                key=f"{d.code_str or '-'}|{trim_paths(d.message)}|{file}",
                name=name,
                file=file,
                line=p.line_start if p else 0,
                end_line=p.line_end if p else 0,
                start=p.byte_start if p else 0,
                end=p.byte_end if p else 0,
                level="error" if d.level.startswith("error") else "warning",
            )
        )
    return tuple(out)


def denied(lints: tuple[PlacedLint, ...] | list[PlacedLint]) -> tuple[str, ...]:
    """The lints at error level (deny), by key once: the general mistake this prevents is counting
    them as warnings, so a proof says "0 error(s)" while `cargo clippy` ends with `error:`."""
    return tuple(dict.fromkeys(x.key for x in lints if x.level == "error"))


def _rewrite_of(file: str, changes: Mapping[str, Rewrite]) -> Rewrite | None:
    """The change of the file a span names (rustc's path may carry a workspace prefix)."""
    if not file:
        return None
    return next((r for f, r in changes.items() if file == f or file.endswith("/" + f)), None)


def rewrites(files: Mapping[str, tuple[bytes | None, bytes | None]]) -> dict[str, Rewrite]:
    """{path: where the patch's change of it landed}, for each file it changes or creates."""
    return {p: rewrite(old or b"", new) for p, (old, new) in files.items() if new is not None}


def blame(
    before: Sequence[PlacedLint],
    before_built: bool,
    after: Sequence[PlacedLint],
    changes: Mapping[str, Rewrite],
) -> Blame:
    """Split the patched crate's warnings (`after`) into the patch's and the hidden ones (see module)."""
    added: list[str] = []
    hidden: list[str] = []
    if before_built:
        left = collections.defaultdict(list)
        for b in before:
            left[b.key].append(b)
        for x in after:
            r = _rewrite_of(x.file, changes)
            lo, hi = r.origin(x.line) if r is not None else (x.line, x.line)  # other files: unmoved
            pool = left[x.key]
            match = next((b for b in pool if lo <= b.line <= hi), None)
            if match is None:
                added.append(x.name)
            else:
                pool.remove(match)
        return Blame(added=tuple(sorted(added)))
    counts = collections.Counter(b.key for b in before)  # rustc's own warnings ran even so
    rewrote: list[str] = []
    for x in after:
        if counts[x.key] > 0:
            counts[x.key] -= 1
            continue
        r = _rewrite_of(x.file, changes)
        if r is not None and r.wrote(x.line, x.end_line, x.start, x.end):
            added.append(x.name)
        elif (
            r is not None
            and x.line
            and all(n in r.written for n in range(x.line, max(x.end_line, x.line) + 1))
        ):
            # `<T: Copy>` written beside a `where T: Add` clause: clippy's multiple_bound_locations
            # points at the `T` the patch kept on the line it rewrote; "on code the patch did not
            # write" would be false, and the patch's own cannot be shown from the bytes
            rewrote.append(x.place)
        else:
            hidden.append(x.place)
    return Blame(added=tuple(sorted(added)), hidden=tuple(hidden), rewritten=tuple(rewrote))
