"""Runs clippy on a fix that makes the whole crate compile, so a fix that adds a lint says which.

The mistake it answers: a fix can compile, pass the tests and still write code clippy flags: a
borrow taken only to be copied (`(&it.name).to_string()`, needless_borrow), a `&mut Vec<T>`
parameter that only needs a slice (ptr_arg), or a signature change that turns the caller's
`&vec![..]` into a needless allocation (useless_vec). Shown with a ✓ beside a fix that adds
nothing, it reads as just as good. So each fix the test gate runs (`engine.explain.testing`) is also
linted in the scratch copy, one `cargo clippy` per distinct tree (cached on disk by the bytes of
every file; after `cargo check` on the same target it rebuilds only the crate itself), and the lints
it adds are kept on the option (`PatchOption.new_lints`): `ranking.rank` puts it below an
otherwise equal fix that adds none, and its cost line says "adds clippy::X".

Added means: not in the crate's own lints without the patch (by lint, message and file, not line:
a fix moves lines). When the crate without the patch does not compile, clippy never reached its
lint passes, so every lint would look new: then only a lint whose span lies on lines the fix writes
counts, since that code is the fix's own (the same rule as the sandbox's, engine.patching.lint_blame).
"""

from __future__ import annotations

import collections
import hashlib
import threading
from pathlib import Path

import msgspec

from engine.edits import Edit, EditError, added_lines, by_file, diff_of_edits, edit_id, written_lines
from engine.explain.slice_params import slice_edits
from engine.explain.trials import Trials
from engine.explain.types import PatchOption
from engine.explain.unused_mut import LINT as UNUSED_MUT
from engine.explain.unused_mut import flagged_names, without_mut
from engine.patching.diffs import first_place
from toolbelt.cargo_run import run_check
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.diagnostics import primary_user_span
from toolbelt.errors import ToolbeltError
from toolbelt.paths import writable_cache_dir
from toolbelt.types import CheckReport, Diagnostic, Span

LINT_TIMEOUT_S = 60.0  # one `cargo clippy` of one fix
_ON = [True]  # off for this process when the user asked for no clippy (`rusta explain --no-clippy`)


def use_clippy(on: bool) -> None:
    """Whether fixes are linted in this process: a user who turned clippy off gets no lint run."""
    _ON[0] = on


class Lint(msgspec.Struct, frozen=True):
    """One warning of a clippy run: its name ("clippy::ptr_arg", "unused_variables"), its key (name,
    message, file) and where its primary span starts."""

    name: str
    key: str
    file: str
    line: int
    snippet: str = ""  # the code its primary span marks (one line), "" when it spans more
    start: int = 0  # its primary span's bytes in the file as linted
    end: int = 0
    end_line: int = 0  # the line its primary span ends on (0: unknown, taken as `line`)


class LintRun(msgspec.Struct, frozen=True):
    """A tree's clippy verdict: `built` False when the crate had errors (its lint passes never ran)."""

    built: bool
    lints: tuple[Lint, ...] = ()


_DEC = msgspec.json.Decoder(LintRun)


def _home() -> Path:
    return writable_cache_dir() / "explain-validation" / "lints"


def _is_error(d: Diagnostic) -> bool:
    """A compile error; a clippy lint at `deny` level is a lint, not a reason the crate does not build."""
    return d.level.startswith("error") and not (d.code_str or "").startswith("clippy::")


def _snippet(p: Span | None) -> str:
    if p is None or len(p.text) != 1:
        return ""
    t = p.text[0]
    return t.text[t.highlight_start - 1 : t.highlight_end - 1]


def replaced(old: dict[str, bytes], own: tuple[Edit, ...]) -> dict[str, str]:
    """{file: the old code the `own` edits replaced}: a lint on code the fix wrote back unchanged
    (a `&mut Vec<i64>` on the signature line it rewrote for another parameter) is not the fix's."""
    out: dict[str, str] = {}
    for rel, mine in by_file(own).items():
        src = old.get(rel, b"")
        out[rel] = "\n".join(src[e.start : e.end].decode(errors="replace") for e in mine)
    return out


def writes(own: tuple[Edit, ...]) -> dict[str, str]:
    """{file: the code the `own` edits write}, to weigh against what they replaced (`replaced`)."""
    return {rel: "\n".join(e.replacement for e in mine) for rel, mine in by_file(own).items()}


def _kept(snippet: str, file: str, was: dict[str, str] | None, now: dict[str, str] | None) -> bool:
    """Whether the flagged code is only the old code written back: it is in what the fix replaced,
    and the fix writes it no more often than it was there. The mistake the count answers: a short
    snippet (`.enumerate()`) that the old line held once reads as old even where the fix wrote a new
    copy of it on a line of its own (a hoisted `let` that keeps the adapter and drops its index)."""
    for f, t in (was or {}).items():
        if not file.endswith(f) or snippet not in t:
            continue
        if now is None or (now.get(f) or "").count(snippet) <= t.count(snippet):
            return True
    return False


def lints_of(report: CheckReport) -> LintRun:
    """The warnings and lints of a clippy report, each once however many targets reported it."""
    out = []
    errors = False
    for d in distinct(report.diagnostics):
        if _is_error(d):
            errors = True
            continue
        if d.level != "warning" and not d.level.startswith("error"):
            continue
        p = primary_user_span(d)
        name = d.code_str or "warning"
        file = p.file_name if p else ""
        out.append(
            Lint(
                name=name,
                key=f"{name}|{trim_paths(d.message)}|{file}",
                file=file,
                line=p.line_start if p else 0,
                end_line=p.line_end if p else 0,
                snippet=_snippet(p),
                start=p.byte_start if p else 0,
                end=p.byte_end if p else 0,
            )
        )
    return LintRun(built=not errors, lints=tuple(out))


def written_bytes(
    old: dict[str, bytes], edits: tuple[Edit, ...], own: tuple[Edit, ...]
) -> dict[str, list[tuple[int, int]]]:
    """{file: the byte ranges of the patched file that the `own` edits wrote}, with all `edits` in."""
    mine_ = set(own)
    out: dict[str, list[tuple[int, int]]] = {}
    for rel, mine in by_file(edits).items():
        shift = 0
        for ed in sorted(mine, key=lambda e: e.start):
            n = len(ed.replacement.encode())
            if ed in mine_:
                out.setdefault(rel, []).append((ed.start + shift, ed.start + shift + n))
            shift += n - (ed.end - ed.start)
    return out


def added(
    before: LintRun,
    after: LintRun,
    wrote: dict[str, set[int]],
    was: dict[str, str] | None = None,
    spans: dict[str, list[tuple[int, int]]] | None = None,
    now: dict[str, str] | None = None,
) -> tuple[str, ...]:
    """The lints `after` has that `before` has not, by name; only those whose every line is a written
    one when the crate without the patch did not build (its lints never ran, so all would look new:
    a `collapsible_if` over a nested `if` the fix left alone is not the fix's because it rewrote the
    outer `if`'s first line), and of
    those only the ones whose marked code is not in what the fix replaced (`was`, by file; unless the
    fix writes it more often than it replaced it, `now`: then a copy is the fix's own) and, when
    the written bytes are known (`spans`), whose marked bytes overlap them."""
    more = collections.Counter(x.key for x in after.lints) - collections.Counter(x.key for x in before.lints)
    names = []
    for x in after.lints:
        if more[x.key] <= 0:
            continue
        lines = range(x.line, max(x.end_line, x.line) + 1)
        if not before.built and not any(
            x.file and (x.file.endswith(f) or f.endswith(x.file))
            for f in wrote
            if all(n in wrote[f] for n in lines)
        ):
            continue
        if not before.built and x.snippet and _kept(x.snippet, x.file, was, now):
            continue
        if not before.built and spans is not None and not _overlaps(x, spans):
            continue
        more[x.key] -= 1
        names.append(x.name)
    return tuple(sorted(set(names)))


def _overlaps(x: Lint, spans: dict[str, list[tuple[int, int]]]) -> bool:
    return any(
        x.start < b and a < max(x.end, x.start + 1)
        for f, ranges in spans.items()
        if x.file and x.file.endswith(f)
        for a, b in ranges
    )


class Linter:
    """The clippy runs of one explain run, on the scratch copy the fixes were checked in."""

    def __init__(self, trials: Trials, cancel: threading.Event | None = None) -> None:
        self.trials, self.cancel = trials, cancel
        self._before: LintRun | None = None
        self.runs = 0

    def _tree_key(self) -> str:
        h = hashlib.sha256(b"clippy v4\0")  # v4: lints carry the line their span ends on
        for rel in sorted(self.trials.ws.files()):
            h.update(rel.encode() + b"\0" + (self.trials.ws.read(rel) or b"") + b"\0")
        return h.hexdigest()[:32]

    def _run(self) -> LintRun | None:
        """The scratch copy as it is now, linted (or its cached verdict); None when clippy did not finish."""
        if not _ON[0]:
            return None
        key = self._tree_key()
        path = _home() / f"{key}.json"
        try:
            return _DEC.decode(path.read_bytes())
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            pass
        try:
            rep = run_check(self.trials.ws.root, tool="clippy", timeout_s=LINT_TIMEOUT_S, cancel=self.cancel)
        except ToolbeltError:
            return None
        self.runs += 1
        if rep.status not in ("clean", "diagnostics"):
            return None  # clippy missing, a timeout: no claim either way, and nothing cached
        run = lints_of(rep)
        _home().mkdir(parents=True, exist_ok=True)
        path.write_bytes(msgspec.json.encode(run))
        return run

    def before(self) -> LintRun | None:
        if self._before is None:
            self._before = self._run()
        return self._before

    def _after(self, edits: tuple[Edit, ...]) -> tuple[LintRun | None, dict[str, bytes]]:
        old = {rel: self.trials.ws.read(rel) or b"" for rel in by_file(edits)}
        saved = self.trials.ws.try_edits(edits)
        try:
            return self._run(), old
        finally:
            self.trials.ws.revert(saved)

    def new_lints(self, o: PatchOption, beside: tuple[Edit, ...] = ()) -> tuple[str, ...] | None:
        """The lints the option's edits add, by name, with `beside` (other stories' fixes, without
        which the crate does not build) in too; None when a run did not finish or did not build."""
        return self._added(o.edits, beside)

    def _added(self, edits: tuple[Edit, ...], beside: tuple[Edit, ...]) -> tuple[str, ...] | None:
        base = self.before()
        if base is None:
            return None
        after, old = self._after((*edits, *beside))
        if after is None or not after.built:
            return None
        every = (*edits, *beside)
        return added(
            base,
            after,
            written_lines(old, every, edits),
            replaced(old, edits),
            written_bytes(old, every, edits),
            writes(edits),
        )

    def slice_form(self, o: PatchOption, beside: tuple[Edit, ...] = ()) -> PatchOption | None:
        """The fix with the `&Vec<T>`/`&String` parameter it writes as a slice (`engine.explain.
        slice_params`), when clippy::ptr_arg flags it and the slice form builds adding no such lint."""
        if "clippy::ptr_arg" not in o.new_lints:
            return None
        old = {rel: self.trials.ws.read(rel) or b"" for rel in by_file(o.edits)}
        got = slice_edits(old, o.edits, written_lines(old, o.edits))
        if got is None:
            return None
        edits, _, params = got
        lints = self._added(edits, beside)
        if lints is None or "clippy::ptr_arg" in lints:
            return None
        alt = _reformed(o, old, edits, f"{o.name}, taking a slice: `{params}`", lints)
        return msgspec.structs.replace(alt, source="template", steps=(), first_step="") if alt else None

    def unmut_form(self, o: PatchOption, beside: tuple[Edit, ...] = ()) -> PatchOption | None:
        """The fix with the `mut` it leaves unneeded removed (`engine.explain.unused_mut`), when the
        lint run of the patched tree flags `unused_mut` on a binding the fix's code names and the
        form without it builds adding no `unused_mut`."""
        if UNUSED_MUT not in o.new_lints:
            return None
        after, old = self._after((*o.edits, *beside))
        if after is None:
            return None
        before = {x.key for x in (self.before() or LintRun(built=False, lints=())).lints}
        names = flagged_names(x.snippet for x in after.lints if x.name == UNUSED_MUT and x.key not in before)
        full = {rel: self.trials.ws.read(rel) or b"" for rel in by_file(o.edits)}
        edits = without_mut(full, o.edits, names) if names else None
        if edits is None:
            return None
        lints = self._added(edits, beside)
        if lints is None or UNUSED_MUT in lints:
            return None
        gone = ", ".join(f"`{n}`" for n in sorted(names))
        return _reformed(o, full, edits, f"{o.name}; {gone} no longer needs `mut`", lints)

    def marked(self, o: PatchOption, beside: tuple[Edit, ...] = ()) -> list[PatchOption]:
        """The fix with its lints, after its slice form when that is the one that adds none; in its
        form without the `mut` it leaves unneeded, when there is one, in its place."""
        o = self.mark(o, beside)
        alt = self.slice_form(o, beside)
        if alt is not None:
            return [alt, o]
        unmut = self.unmut_form(o, beside)
        return [unmut] if unmut is not None else [o]

    def builds(self, edits: tuple[Edit, ...]) -> bool:
        """Whether the crate builds with `edits` in (the lint run of that tree, cached like the rest)."""
        after, _ = self._after(edits)
        return after is not None and after.built

    def mark(self, o: PatchOption, beside: tuple[Edit, ...] = ()) -> PatchOption:
        got = self.new_lints(o, beside)
        return msgspec.structs.replace(o, new_lints=got) if got else o


def _reformed(
    o: PatchOption, files: dict[str, bytes], edits: tuple[Edit, ...], name: str, lints: tuple[str, ...]
) -> PatchOption | None:
    """The fix rewritten as `edits` (a lint-free form of it): its diff, lines and place anew, and its
    test verdict cleared, since the tests ran on the old form. None when the edits do not apply."""
    try:
        diff = diff_of_edits(files, edits)
    except EditError:
        return None
    file, line = first_place(diff)
    return msgspec.structs.replace(
        o,
        id=edit_id(edits),
        name=name,
        edits=edits,
        patch=diff,
        shows=added_lines(diff),
        file=file,
        line=line,
        new_lints=lints,
        tests_run="",
        tests_failed=(),
        untested=False,
        plain=(),
    )
