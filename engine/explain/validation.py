"""Checks each code-showing option of a story in a scratch copy of the crate, and remembers the answer.

An option compiles when, with its edits applied, the story's error (or warning) is gone and no error
took its place: every error left was already there, or is a later-phase error (borrowck runs only once
types check) reported away from the lines the edit wrote. When a resolve or type error (one with a
code) goes and rustc then reports another of its phase away from those lines (one the first error
hid, or the same mistake elsewhere), the option "uncovers" it: it works for this error, without ✓.
Anything else fails and is no longer shown as a fix; the compiler's new error (or "the error stays")
is kept as `fails_because`, so the CLI can say why rustc's own suggestion does not work here. A check
that could not finish (timeout, cargo missing) leaves the option "not-checked".

That answer is whole only when the edit leaves no error of an earlier phase behind: rustc skips
borrow checking in a body that still has one. An option that does is "type-checks" after its own
trial, and is then checked together with the best fix of each story that owns such an error
(`engine.explain.joint`); only that joint build can make it "compiles".

`rusta explain` runs it after the stories' text is on screen (not with `--no-validate`); the app
calls `validate` from a worker, with `cancel` and `on_story`. Verdicts are cached on disk by the bytes of the files the edit touches, the edit's id and
the story's errors, so a second run over unchanged files costs no cargo run. The scratch copy is
Rusta's own (never the user's tree, never the repair engine's copy) and one validation runs at a time
per crate, across processes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import msgspec

from diary.worktree import file_lock
from engine.explain import joint
from engine.explain import options as opts
from engine.explain.errors import ExplainError
from engine.explain.joint import Key
from engine.explain.joint import counted as _counted
from engine.explain.joint import key as _key
from engine.explain.types import Explanation, PatchOption, Validation
from engine.repair.errors import RepairError
from engine.repair.targets import phase
from engine.repair.workspace import Workspace
from toolbelt.atomic_file import replace_file
from toolbelt.cargo_run import run_check
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.paths import writable_cache_dir
from toolbelt.types import CheckReport, Diagnostic

# 2: warning stories are judged on their warning; 3: errors left after the edit; 4: counted per error;
# 5: a failed verdict keeps the compiler's reason; 6: "type-checks" while earlier-phase errors remain;
# 7: "uncovers" an error the story's error hid
CACHE_VERSION = 7


class CachedVerdict(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int
    validated: Validation
    check_s: float
    errors_left: int = 0
    reason: str = ""  # why it fails, in the compiler's words
    # "type-checks": the earlier-phase errors left with the edit in (what the joint check must fix)
    hiding: tuple[Key, ...] = ()


class ValidationRun(msgspec.Struct, frozen=True, kw_only=True):
    """The explanations with their options checked, and what it cost."""

    explanations: tuple[Explanation, ...]
    checked: int = 0  # cargo runs for options (the baseline not counted)
    cached: int = 0  # verdicts read from the cache
    wall_s: float = 0.0  # the whole added latency, sync and baseline included
    check_s: tuple[float, ...] = ()  # each option's own cargo run
    # per story (in order), the options that failed, each with `fails_because`
    failed: tuple[tuple[PatchOption, ...], ...] = ()


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(CachedVerdict)


def _tool(e: Explanation) -> str:
    return "clippy" if (e.code or "").startswith("clippy::") else "check"


def _cache_key(root: Path, e: Explanation, o: PatchOption, others: tuple[PatchOption, ...] = ()) -> str:
    """The option's verdict; with `others`, its joint verdict with those companions."""
    ids = "\0".join(c.id for c in others)
    h = hashlib.sha256(f"v{CACHE_VERSION}\0{root.resolve()}\0{_tool(e)}\0{o.id}\0{ids}\0".encode())
    for rel in sorted({ed.file for ed in (*o.edits, *(ed for c in others for ed in c.edits))}):
        try:
            h.update(rel.encode() + b"\0" + hashlib.sha256((root / rel).read_bytes()).digest())
        except OSError:
            h.update(rel.encode() + b"\0missing")
    for k in sorted({_key(d) for d in e.diagnostics}):
        h.update("\0".join(k).encode())
    return h.hexdigest()


def _cache_path(key: str) -> Path:
    return writable_cache_dir() / "explain-validation" / key[:2] / f"{key}.json"


def _cached(key: str) -> CachedVerdict | None:
    try:
        v = _decoder.decode(_cache_path(key).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    return v if v.version == CACHE_VERSION else None


def _remember(key: str, verdict: CachedVerdict) -> None:
    path = _cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, _encoder.encode(verdict), durable=False)  # a cache: a hint, not a record
    except OSError:
        pass  # a read-only cache only costs the next run a cargo check


def _edited_lines(o: PatchOption) -> dict[str, set[int]]:
    """Lines (in the edited file) that the edit wrote, from the diff's new-side line numbers."""
    out: dict[str, set[int]] = {}
    file, new_no = "", 0
    for ln in o.patch.splitlines():
        if ln.startswith("+++ "):
            file = ln[4:].removeprefix("b/")
        elif ln.startswith("@@"):
            new_no = int(ln.split("+")[1].split(",")[0].split(" ")[0])
        elif ln.startswith("+"):
            out.setdefault(file, set()).add(new_no)
            new_no += 1
        elif ln.startswith(" "):
            new_no += 1
    return out


def reason_words(d: Diagnostic) -> str:
    """One line in the compiler's words: code, message, and its primary label when it says more."""
    p = d.primary
    label = " ".join((p.label or "").split()) if p else ""
    where = f" at {p.file_name}:{p.line_start}" if p else ""
    head = f"{d.code_str + ' ' if d.code_str else ''}{trim_paths(d.message)}"
    return head + (f" ({label})" if label and label not in d.message else "") + where


def judge(e: Explanation, o: PatchOption, before: Counter[Key], after: CheckReport) -> tuple[Validation, str]:
    """Pure: the verdict and, when it fails, why: the new error that disqualified it, in the
    compiler's words, or that the story's own error stays."""
    if after.status in ("timeout", "error", "failed"):
        return "not-checked", ""
    now = _counted(after)
    targets = {_key(d) for d in e.diagnostics}
    if not any(now[k] < before[k] for k in targets):
        stays = next((d for d in distinct(after.diagnostics) if _key(d) in targets), None)
        return "fails", "the error stays" + (f": {reason_words(stays)}" if stays else "")
    target_phase = min((phase(d) for d in e.diagnostics), default=0)
    wrote = _edited_lines(o)
    extra = now - before
    new = [d for d in distinct(after.diagnostics) if _key(d) in extra and d.level.startswith("error")]

    def on_edit(d: Diagnostic) -> bool:
        p = d.primary
        return p is not None and any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        )

    for d in new:
        if on_edit(d) or (phase(d) <= target_phase and target_phase >= joint.BORROWCK):
            return "fails", reason_words(d)
    # a resolve or type error stops rustc short in its body: a new one away from the edit is one the
    # story's error hid (or the same mistake made elsewhere), not a flaw of this edit. A syntax error
    # (no code) is not judged so: after one, the parser's recovery decides what rustc says next
    early = [d for d in new if phase(d) <= target_phase]
    coded = all(d.code_str for d in (*e.diagnostics, *early))
    if early:
        return ("uncovers", reason_words(early[0])) if coded else ("fails", reason_words(early[0]))
    return "compiles", ""


def trials_dir(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return writable_cache_dir() / "explain-validation" / "scratch" / f"{root.name}-{key}"


class _Trials:
    """The scratch copy and its baselines, set up on the first option the cache cannot answer."""

    def __init__(self, root: Path, cancel: threading.Event | None) -> None:
        self.ws = Workspace(root, trials_dir(root))
        self.cancel = cancel
        self.synced = False
        self.baselines: dict[str, Counter[Key]] = {}

    def baseline(self, tool: str) -> Counter[Key] | None:
        if not self.synced:
            self.ws.sync()
            self.synced = True
        if tool not in self.baselines:
            report = run_check(self.ws.root, tool=tool, cancel=self.cancel)
            if report.status in ("timeout", "error", "failed"):
                return None
            self.baselines[tool] = _counted(report)
        return self.baselines[tool]

    def trial(self, e: Explanation, o: PatchOption) -> tuple[Validation, float, int, str, tuple[Key, ...]]:
        """The verdict, its seconds, how many errors the crate still has with the edit in, why it
        fails when it does, and, for "type-checks", the earlier-phase errors that kept borrowck away."""
        tool = _tool(e)
        before = self.baseline(tool)
        if before is None:
            return "not-checked", 0.0, 0, "", ()
        t0 = time.monotonic()
        try:
            after = self._check(o.edits, tool)
        except RepairError as err:
            return "fails", 0.0, 0, f"the edit does not apply: {err}", ()
        # every error left counts, three "mismatched types" in one file included (distinct() already
        # folds the same error reported by two targets)
        left = sum(1 for d in distinct(after.diagnostics) if d.level.startswith("error"))
        state, why = judge(e, o, before, after)
        hidden = joint.hiding(e, after) if state == "compiles" else ()
        return ("type-checks" if hidden else state), time.monotonic() - t0, left, why, hidden

    def _check(self, edits: tuple, tool: str) -> CheckReport:
        saved = self.ws.try_edits(edits)
        try:
            return run_check(self.ws.root, tool=tool, cancel=self.cancel)
        finally:
            self.ws.revert(saved)

    def joint_trial(
        self, e: Explanation, o: PatchOption, others: tuple[PatchOption, ...]
    ) -> tuple[Validation, str]:
        """`o` checked with `others` (the companions, `joint.companions`) in the crate at once."""
        tool = _tool(e)
        before = self.baseline(tool)
        wrote = joint.written_lines(self.ws.read, o, others)
        if before is None or wrote is None:
            return "type-checks", ""
        rest = tuple(ed for c in others for ed in c.edits)
        try:
            after = self._check((*o.edits, *rest), tool)
        except RepairError:
            return "type-checks", ""

        def alone() -> CheckReport | None:
            try:
                return self._check(rest, tool)
            except RepairError:
                return None

        return joint.joint_judge(e, before, after, wrote, alone, reason_words)  # type: ignore[return-value]


def validate(
    explanations: Iterable[Explanation],
    crate_root: str | Path,
    *,
    cancel: threading.Event | None = None,
    on_story: Callable[[int, Explanation], None] | None = None,
    on_failed: Callable[[int, tuple[PatchOption, ...]], None] | None = None,
) -> ValidationRun:
    """Every story's options checked in the scratch copy (or read from the cache), failed ones removed.

    `on_story(i, explanation)` is called as each story is done, so the app can show each answer as
    it arrives; `on_failed(i, options)` just before it, with the story's failed options (each with
    its `fails_because`), so the CLI can say why rustc's own suggestion does not compile. A story
    with an option that only type-checks alone is answered after every story's own trials, once the
    joint check (with the other stories' best fixes) has run.
    """
    t0 = time.monotonic()
    root = Path(crate_root).resolve()
    stories = tuple(explanations)
    run = _Run(root, cancel)
    out: list[Explanation] = []
    waiting: list[int] = []
    with file_lock(trials_dir(root).with_suffix(".lock")):
        for i, e in enumerate(stories):
            out.append(msgspec.structs.replace(e, fixes=opts.rank(run.alone(i, e, o) for o in e.fixes)))
            if any(o.validated == "type-checks" for o in out[i].fixes):
                waiting.append(i)
            else:
                run.answer(i, out[i], on_failed, on_story)
        for i in waiting:
            out[i] = msgspec.structs.replace(
                out[i], fixes=opts.rank(run.together(i, o, out) for o in out[i].fixes)
            )
            run.answer(i, out[i], on_failed, on_story)
    return ValidationRun(
        explanations=tuple(out),
        checked=run.checked,
        cached=run.cached,
        wall_s=time.monotonic() - t0,
        check_s=tuple(run.durations),
        failed=tuple(run.failed[i] for i in range(len(stories))),
    )


class _Run:
    """One `validate` call: the trials (set up on the first cache miss), the counts, the failures."""

    def __init__(self, root: Path, cancel: threading.Event | None) -> None:
        self.root, self.cancel = root, cancel
        self.trials: _Trials | None = None
        self.checked = self.cached = 0
        self.durations: list[float] = []
        self.hiding: dict[tuple[int, str], tuple[Key, ...]] = {}
        self.failed: dict[int, tuple[PatchOption, ...]] = {}
        self.tried: dict[int, list[PatchOption]] = {}

    def _trials(self) -> _Trials:
        self.trials = self.trials or _Trials(self.root, self.cancel)
        return self.trials

    def _stopped(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def alone(self, i: int, e: Explanation, o: PatchOption) -> PatchOption:
        """The option's own trial (or its cached verdict)."""
        if self._stopped():
            return o
        key = _cache_key(self.root, e, o)
        hit = _cached(key)
        if hit is not None:
            self.cached += 1
            done = opts.with_state(o, hit.validated, 0.0, hit.errors_left, hit.reason)
            self.hiding[(i, o.id)] = hit.hiding
        else:
            try:
                state, took, left, why, hidden = self._trials().trial(e, o)
            except RepairError as err:
                raise ExplainError(str(err)) from err
            self.checked += 1
            self.durations.append(took)
            if state != "not-checked":
                verdict = CachedVerdict(
                    version=CACHE_VERSION,
                    validated=state,
                    check_s=took,
                    errors_left=left,
                    reason=why,
                    hiding=hidden,
                )
                _remember(key, verdict)
            self.hiding[(i, o.id)] = hidden
            done = opts.with_state(o, state, took, left, why)
        self.tried.setdefault(i, []).append(done)
        return done

    def together(self, i: int, o: PatchOption, stories: list[Explanation]) -> PatchOption:
        """A "type-checks" option checked with the companions that fix what hid borrowck from it."""
        e = stories[i]
        keys = self.hiding.get((i, o.id), ())
        if o.validated != "type-checks" or self._stopped():
            return o
        others = joint.companions(i, o, keys, stories) if keys else None
        if not others:
            return o
        key = _cache_key(self.root, e, o, others)
        hit = _cached(key)
        if hit is not None:
            self.cached += 1
            state, why = hit.validated, hit.reason
        else:
            t0 = time.monotonic()
            try:
                state, why = self._trials().joint_trial(e, o, others)
            except RepairError as err:
                raise ExplainError(str(err)) from err
            took = time.monotonic() - t0
            self.checked += 1
            self.durations.append(took)
            _remember(key, CachedVerdict(version=CACHE_VERSION, validated=state, check_s=took, reason=why))
        done = opts.with_state(o, state, o.check_s, o.errors_left, why)
        self.tried[i] = [done if t.id == o.id else t for t in self.tried.get(i, [])]
        return done

    def answer(self, i: int, e: Explanation, on_failed, on_story) -> None:  # noqa: ANN001 - validate's callbacks
        self.failed[i] = tuple(t for t in self.tried.get(i, []) if t.validated == "fails")
        if on_failed is not None:
            on_failed(i, self.failed[i])
        if on_story is not None:
            on_story(i, e)
