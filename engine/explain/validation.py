"""Checks each code-showing option of a story in a scratch copy of the crate, and remembers the answer.

An option compiles when, with its edits applied, the story's error (or warning) is gone and no error
took its place: every error left was already there, or is a later-phase error (borrowck runs only once types
check) reported away from the lines the edit wrote. Anything else fails and is no longer shown as a
fix; the compiler's new error (or "the error stays") is kept as `fails_because`, so the CLI can say
why rustc's own suggestion does not work here. A check that could not finish (timeout, cargo
missing) leaves the option "not-checked".

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
from engine.explain import options as opts
from engine.explain.errors import ExplainError
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
# 5: a failed verdict keeps the compiler's reason
CACHE_VERSION = 5

Key = tuple[str, str, str, str]  # level, code, file, message without module paths


class CachedVerdict(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int
    validated: Validation
    check_s: float
    errors_left: int = 0
    reason: str = ""  # why it fails, in the compiler's words


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


def _key(d: Diagnostic) -> Key:
    p = d.primary
    return (d.level, d.code_str or "", p.file_name if p else "", trim_paths(d.message))


def _counted(report: CheckReport) -> Counter[Key]:
    """Errors and warnings (a warning story's target is a warning; only new errors disqualify)."""
    keep = [d for d in distinct(report.diagnostics) if d.level.startswith(("error", "warning"))]
    return Counter(_key(d) for d in keep)


def _tool(e: Explanation) -> str:
    return "clippy" if (e.code or "").startswith("clippy::") else "check"


def _cache_key(root: Path, e: Explanation, o: PatchOption) -> str:
    h = hashlib.sha256(f"v{CACHE_VERSION}\0{root.resolve()}\0{_tool(e)}\0{o.id}\0".encode())
    for rel in sorted({ed.file for ed in o.edits}):
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


def verdict(e: Explanation, o: PatchOption, before: Counter[Key], after: CheckReport) -> Validation:
    """Pure: what one trial's check says of the option (see the module docstring)."""
    return judge(e, o, before, after)[0]


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
    for d in distinct(after.diagnostics):
        if _key(d) not in extra or not d.level.startswith("error"):
            continue
        p = d.primary
        on_edit = p is not None and any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        )
        if phase(d) <= target_phase or on_edit:
            return "fails", reason_words(d)
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

    def trial(self, e: Explanation, o: PatchOption) -> tuple[Validation, float, int, str]:
        """The verdict, its seconds, how many errors the crate still has with the edit in, and why
        it fails when it does."""
        tool = _tool(e)
        before = self.baseline(tool)
        if before is None:
            return "not-checked", 0.0, 0, ""
        t0 = time.monotonic()
        try:
            saved = self.ws.try_edits(o.edits)
        except RepairError as err:
            return "fails", 0.0, 0, f"the edit does not apply: {err}"
        try:
            after = run_check(self.ws.root, tool=tool, cancel=self.cancel)
        finally:
            self.ws.revert(saved)
        # every error left counts, three "mismatched types" in one file included (distinct() already
        # folds the same error reported by two targets)
        left = sum(1 for d in distinct(after.diagnostics) if d.level.startswith("error"))
        state, why = judge(e, o, before, after)
        return state, time.monotonic() - t0, left, why


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
    its `fails_because`), so the CLI can say why rustc's own suggestion does not compile.
    """
    t0 = time.monotonic()
    root = Path(crate_root).resolve()
    stories = tuple(explanations)
    trials: _Trials | None = None
    out: list[Explanation] = []
    failed: list[tuple[PatchOption, ...]] = []
    checked = cached = 0
    durations: list[float] = []
    with file_lock(trials_dir(root).with_suffix(".lock")):
        for i, e in enumerate(stories):
            fixes: list[PatchOption] = []
            for o in e.fixes:
                if cancel is not None and cancel.is_set():
                    fixes.append(o)
                    continue
                key = _cache_key(root, e, o)
                hit = _cached(key)
                if hit is not None:
                    cached += 1
                    fixes.append(opts.with_state(o, hit.validated, 0.0, hit.errors_left, hit.reason))
                    continue
                trials = trials or _Trials(root, cancel)
                try:
                    state, took, left, why = trials.trial(e, o)
                except RepairError as err:
                    raise ExplainError(str(err)) from err
                checked += 1
                durations.append(took)
                if state != "not-checked":
                    _remember(
                        key,
                        CachedVerdict(
                            version=CACHE_VERSION,
                            validated=state,
                            check_s=took,
                            errors_left=left,
                            reason=why,
                        ),
                    )
                fixes.append(opts.with_state(o, state, took, left, why))
            done = msgspec.structs.replace(e, fixes=opts.rank(fixes))
            out.append(done)
            failed.append(tuple(o for o in fixes if o.validated == "fails"))
            if on_failed is not None:
                on_failed(i, failed[-1])
            if on_story is not None:
                on_story(i, done)
    return ValidationRun(
        explanations=tuple(out),
        checked=checked,
        cached=cached,
        wall_s=time.monotonic() - t0,
        check_s=tuple(durations),
        failed=tuple(failed),
    )
