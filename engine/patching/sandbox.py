"""Validate a patch in a scratch copy of the crate: cargo check, then cargo test, offline, time-boxed.

One persistent sandbox per crate lives in `cache_dir()/sandboxes/<crate>-<key>/` with its own
cargo target dir. It is synced to each snapshot file by file (only files whose blob differs are
rewritten, by atomic replace), so unchanged files keep their mtimes and cargo's build stays warm;
nothing in it is a hard link to the user's files, so a build script or test that writes into its
source tree can never reach them. An flock keeps two validations of one crate apart.

Verdict policy (stated in `Validation`): green when the patch adds no compile error and, once the
crate compiles, no test that passed before fails after. A failing test is re-run once by name and
counted flaky when it then passes. Only when something still fails is the baseline (the tree
without the patch) built or tested, so a green patch costs one check and one test run.
"""

from __future__ import annotations

import collections
import os
import shutil
import threading
import time
from pathlib import Path

import msgspec
from dulwich.objects import Blob

from diary import snapshots as snaps
from engine.patching.diffs import FileChange, apply_changes, parse_diff, strip_prefix, touched_paths
from engine.patching.errors import DiffParseError, PatchError
from engine.patching.lint_blame import PlacedLint, blame, denied, is_error, placed_lints, rewrites
from engine.patching.types import FileState, Patch, Proof, Validation, Verdict
from engine.patching.uncovered import uncovered
from toolbelt.atomic_file import replace_file
from toolbelt.cargo_run import run_check, run_test
from toolbelt.cargo_workspace import absolutize_outside_paths, is_manifest
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.paths import target_dir_for, writable_cache_dir
from toolbelt.selection import Selection, for_changes
from toolbelt.types import CheckReport, CheckTool, Diagnostic, TestReport

CHECK_TIMEOUT_S = 240.0
TEST_TIMEOUT_S = 300.0
RERUN_TIMEOUT_S = 120.0
MAX_RERUNS = 5
HANG_FLOOR_S = 20.0
HANG_FACTOR = 5.0


def hang_bound(suite_s: float | None, cap_s: float = TEST_TIMEOUT_S) -> float | None:
    """How long the tests may run before they count as hung: a multiple of the suite's own time.

    A patch that makes a test block (a channel whose sender is never dropped, a lock taken twice)
    runs no slower, it never ends; waiting for the whole limit costs minutes to learn that. A suite
    that took M s runs well within 5 M (and 20 s, for noise and a loaded machine); never more than
    the cap. None when no run of the suite ever finished: then only the cap stands.
    """
    if suite_s is None:
        return None
    bound = max(HANG_FLOOR_S, HANG_FACTOR * suite_s)
    return bound if bound < cap_s else None


def _seconds(t: float) -> str:
    return f"{t:.1f} s" if t >= 0.05 else "under 0.1 s"


def _suite_time(rep: TestReport) -> float | None:
    """libtest's "finished in" summed over the suites, when the run finished: the tests, not the build."""
    if rep.status not in ("passed", "failed") or not rep.suites:
        return None
    if any(s.duration_s is None for s in rep.suites):
        return None
    return sum(s.duration_s or 0.0 for s in rep.suites)


class _Manifest(msgspec.Struct, kw_only=True):
    version: int = 1
    files: dict[str, tuple[int, str, int | None]] = msgspec.field(default_factory=dict)  # mode, blob, perm
    baseline_tree: str = ""
    baseline_errors: list[str] = msgspec.field(default_factory=list)
    baseline_failing: list[str] | None = None
    baseline_built: bool = True  # False: the tests did not compile without the patch, so none passed
    lint_tree: str = ""  # the baseline key `baseline_warnings` was taken under
    baseline_warnings: list[str] = msgspec.field(default_factory=list)
    baseline_lints: list[PlacedLint] = msgspec.field(default_factory=list)  # the same, with their places
    baseline_lint_built: bool = True  # False: the crate had errors, so clippy's lint passes never ran
    suite_s: float | None = None  # libtest's own time for the whole suite, on its last run that finished
    suite_tree: str = ""  # the baseline key of the tree that run tested ("" when it was a patched tree)


def sandbox_home(root: Path) -> Path:
    key = target_dir_for(root).name  # `<crate>-<hash of its path>`
    return writable_cache_dir() / "sandboxes" / key


def _load_manifest(home: Path) -> _Manifest:
    try:
        return msgspec.json.decode((home / "manifest.json").read_bytes(), type=_Manifest)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return _Manifest()


def _save_manifest(home: Path, m: _Manifest) -> None:
    # JSON holds only UTF-8 names; a file named otherwise is simply written again at the next sync
    kept = msgspec.structs.replace(m, files={k: v for k, v in m.files.items() if snaps.utf8_name(k)})
    replace_file(home / "manifest.json", msgspec.json.encode(kept), durable=False)


def _sync(
    home: Path,
    root: Path,
    crate: Path,
    manifest: _Manifest,
    want: dict[str, snaps.FileEntry],
    overrides: dict[str, bytes],
) -> None:
    """Make the sandbox tree hold exactly `want`, touching only files whose content or mode differ.

    The manifest is removed while syncing and written back after, so a sync killed half way is
    followed by a clean copy, never trusted.
    """
    (home / "manifest.json").unlink(missing_ok=True)
    crate.mkdir(parents=True, exist_ok=True)
    if not manifest.files and any(crate.iterdir()):
        shutil.rmtree(crate)  # unknown state (first run, or a crash mid-sync): start clean
        crate.mkdir(parents=True)
    for path in list(manifest.files):
        if path not in want:
            snaps.write_entry(crate, path, None, None, durable=False)
            del manifest.files[path]
    base = str(crate) + os.sep
    todo = [
        e
        for path, e in want.items()
        if manifest.files.get(path) != (e.mode, e.blob, e.perm) or not os.path.lexists(base + path)
    ]
    blobs = snaps.read_blobs(root, [e.blob for e in todo if e.path not in overrides])
    for e in todo:
        data = overrides[e.path] if e.path in overrides else blobs[e.blob]
        if is_manifest(e.path):  # a path dependency outside the workspace is read where it is
            data = absolutize_outside_paths(data, (root / e.path).parent, root)
        snaps.write_entry(crate, e.path, e, data, durable=False)
        manifest.files[e.path] = (e.mode, e.blob, e.perm)
    _save_manifest(home, manifest)


def _error_key(d: Diagnostic) -> str:
    """An error identified by code, message and file, not line: a patch moves lines.

    Module paths are trimmed from the message: lib and lib test may name one type two ways.
    """
    p = d.primary
    return f"{d.code_str or '-'}|{trim_paths(d.message)}|{p.file_name if p else ''}"


def _error_keys(report: CheckReport) -> list[str]:
    """One key per error, each counted once however many targets reported it."""
    return [_error_key(d) for d in distinct(report.diagnostics) if is_error(d)]


def _warning_keys(report: CheckReport) -> list[str]:
    """One key per warning or lint (code, message, file: not line), counted once across targets."""
    return [
        _error_key(d)
        for d in distinct(report.diagnostics)
        if d.level == "warning" or (d.level.startswith("error") and not is_error(d))
    ]


def _first_line(d: Diagnostic) -> str:
    p = d.primary
    where = f" at {p.file_name}:{p.line_start}" if p else ""
    return f"error{f'[{d.code_str}]' if d.code_str else ''}: {d.message}{where}"


def crate_changes(root: Path, diff: str) -> tuple[FileChange, ...]:
    """The diff's file changes, relative to the crate even when made from the top of its git repo."""
    changes = parse_diff(diff)
    top = snaps.git_toplevel(root)
    if top is not None and top != root:
        changes = strip_prefix(changes, root.relative_to(top).as_posix() + "/")
    return changes


def prepare(
    root: Path, patch: Patch
) -> tuple[str, dict[str, snaps.FileEntry], dict[str, snaps.FileEntry], dict[str, bytes | None]]:
    """Snapshot the user's tree and compute the patched files: (snapshot, before, after, new contents)."""
    changes = crate_changes(root, patch.diff)
    snap, before = snaps.snapshot_entries(root, "before validation")
    for p in touched_paths(changes):
        e = before.get(p)
        if e is not None and e.mode == snaps.MODE_LINK:
            raise DiffParseError(f"{p} is a symbolic link; Rusta patches files, not links. Edit it yourself.")
        if e is None and os.path.lexists(root / p):
            raise DiffParseError(
                f"{p} is ignored (by .gitignore or as build output), so Rusta cannot snapshot it and will not "
                "patch it; un-ignore it or edit it yourself."
            )

    def read(path: str) -> bytes | None:
        e = before.get(path)
        return None if e is None else snaps.read_blob(root, e.blob)

    new = apply_changes(changes, read)
    after = dict(before)
    for path, data in new.items():
        if data is None:
            after.pop(path, None)
        else:
            old = before.get(path)
            mode = old.mode if old else snaps.MODE_FILE
            after[path] = snaps.FileEntry(
                path=path, mode=mode, blob=Blob.from_string(data).id.decode(), perm=old.perm if old else None
            )
    for p in touched_paths(changes):
        new.setdefault(p, read(p))
    return snap, before, after, new


def validate(
    root: Path,
    patch: Patch,
    env_extra: dict[str, str] | None = None,
    cancel: threading.Event | None = None,
    lints: bool = True,
) -> Validation:
    """Run the patched crate through cargo check and cargo test in the sandbox; never touches `root`.

    With `lints` (and clippy installed) the check is cargo clippy, and the crate without the patch
    is linted once too (cached by its tree), so the proof says how many warnings the patch adds: a
    patch can compile and still write `*(&x)` or `&a * &b`, and "0 warning(s)" from a check that ran
    no lint would call that clean."""
    t0 = time.monotonic()
    root = root.resolve()
    snap, before, after, new = prepare(root, patch)
    files = sorted(new)
    sel = for_changes(root, files)
    base = tuple(FileState(path=p, blob=before[p].blob if p in before else None) for p in files)
    result = tuple(FileState(path=p, blob=after[p].blob if p in after else None) for p in files)
    overrides = {p: d for p, d in new.items() if d is not None}
    home = sandbox_home(root)
    crate, target = home / "crate", home / "target"
    baseline_key = ",".join(f"{e.path}:{e.blob}" for e in sorted(before.values(), key=lambda e: e.path))
    baseline_key += "|" + ",".join(f"{k}={v}" for k, v in sorted((env_extra or {}).items()))
    baseline_key += "|" + " ".join(sel.package_args())
    baseline_key += "|errors-v2"  # error keys trim module paths now: baselines cached before are stale
    baseline_key = Blob.from_string(baseline_key.encode("utf-8", "surrogateescape")).id.decode()
    fields: dict = dict(patch_id=patch.id, snapshot_before=snap, base=base, result=result)
    # each changed file as it was and as the patch writes it: the miri proof, the lint blame and the
    # error judgement all compare the two, so the old blobs are read once here
    pairs = {p: (snaps.read_blob(root, before[p].blob) if p in before else None, d) for p, d in new.items()}
    fields["proofs"] = _unsafe_proofs(pairs)

    tool: list[CheckTool] = ["clippy" if lints else "check"]

    def check() -> CheckReport:
        """cargo check of the sandbox as it is now synced: the patched tree, or the baseline."""
        return run_check(
            crate,
            tool=tool[0],
            target_dir=target,
            timeout_s=CHECK_TIMEOUT_S,
            env_extra=env_extra,
            cancel=cancel,
            selection=sel,
        )

    with snaps.file_lock(home / "lock"):
        m = _load_manifest(home)
        try:
            _sync(home, root, crate, m, after, overrides)
        except (OSError, snaps.SnapshotError) as e:
            raise PatchError(f"cannot prepare the sandbox in {crate}: {e}") from e
        chk = check()
        if tool[0] == "clippy" and chk.status == "failed" and "clippy" in chk.message:
            tool[0] = "check"  # clippy is not installed: the check stands without lints
            chk = check()
        fields["check_s"] = chk.process.duration_s if chk.process else 0.0
        errors = _error_keys(chk)
        fields["errors_after"] = len(errors)
        fields["lint_errors_after"] = len(denied(placed_lints(chk)))  # deny lints: not warnings
        fields["warnings_after"] = len(_warning_keys(chk)) - fields["lint_errors_after"]
        fields["check_status"] = chk.status
        fields["check_tool"] = tool[0]
        # baselines linted before lints kept their places and levels are stale
        lint_key = baseline_key + "|placed|level"
        if tool[0] == "clippy" and chk.status in ("clean", "diagnostics"):
            if m.lint_tree != lint_key:
                _sync(home, root, crate, m, before, {})
                base_lints = check()
                _sync(home, root, crate, m, after, overrides)  # the patched tree again, for the tests
                if base_lints.status in ("clean", "diagnostics"):
                    m.lint_tree, m.baseline_warnings = lint_key, _warning_keys(base_lints)
                    m.baseline_lints = list(placed_lints(base_lints))
                    m.baseline_lint_built = not _error_keys(base_lints)
                    _save_manifest(home, m)
            if m.lint_tree == lint_key:
                found = blame(m.baseline_lints, m.baseline_lint_built, placed_lints(chk), rewrites(pairs))
                fields["lint_errors_before"] = len(denied(m.baseline_lints))
                fields["warnings_before"] = len(m.baseline_warnings) - fields["lint_errors_before"]
                fields["new_warnings"] = found.added
                fields["hidden_warnings"] = found.hidden
                fields["rewritten_warnings"] = found.rewritten
        if chk.status in ("failed", "timeout", "error"):
            return _done(fields, t0, "red", f"cargo check did not finish: {chk.message}")
        if errors:
            if m.baseline_tree != baseline_key:
                _sync(home, root, crate, m, before, {})
                base_chk = check()
                if base_chk.status not in ("clean", "diagnostics"):
                    why = f"cargo check of the crate without the patch did not finish: {base_chk.message}"
                    return _done(fields, t0, "red", why)
                m.baseline_tree, m.baseline_errors, m.baseline_failing = (
                    baseline_key,
                    _error_keys(base_chk),
                    None,
                )
                _save_manifest(home, m)
            return _judge_errors(fields, t0, chk, m.baseline_errors, rewrites(pairs))
        return _test(root, crate, target, m, home, before, baseline_key, fields, t0, env_extra, cancel, sel)


def _judge_errors(fields: dict, t0: float, chk: CheckReport, baseline: list[str], wrote: dict) -> Validation:
    """The crate still has errors: green only if the patch adds none and removes at least one. An error
    of a later rustc pass than one it fixed, on no line it wrote, it uncovers (`uncovered`), not adds."""
    errors = _error_keys(chk)
    fields["errors_before"] = len(baseline)
    added = collections.Counter(errors) - collections.Counter(baseline)
    gone = collections.Counter(baseline) - collections.Counter(errors)
    fixed = [k.split("|", 1)[0] for k in gone.elements()]
    new = [d for d in distinct(chk.diagnostics) if is_error(d) and _error_key(d) in added]
    hid = [d for d in new if uncovered(d, fixed, wrote)]
    fields["new_errors"] = tuple(_first_line(d) for d in new if d not in hid)[:10]
    fields["uncovered_errors"] = tuple(_first_line(d) for d in hid)[:10]
    if fields["new_errors"]:
        why = f"the patch adds {len(new) - len(hid)} compile error(s): {fields['new_errors'][0]}."
        return _done(fields, t0, "red", why)
    if not fixed:
        why = "the patch fixes no compile error and the crate still does not compile, so tests cannot run."
        return _done(fields, t0, "red", why)
    why = f"the patch fixes {len(fixed)} compile error(s) and adds none"
    if hid:  # named, so `--apply` never hides what the next build shows, nor calls them the patch's
        them = "; ".join(_first_line(d) for d in hid[:3]) + (f"; and {len(hid) - 3} more" if hid[3:] else "")
        why += (
            f"; rustc then reports {len(hid)} error(s) it had hidden behind {'them' if fixed[1:] else 'it'}"
            f" (a later pass), on lines the patch did not write: {them}"
        )
    return _done(fields, t0, "green", why + f"; {len(errors)} remain, so tests cannot run yet.")


def _test(
    root: Path,
    crate: Path,
    target: Path,
    m: _Manifest,
    home: Path,
    before: dict[str, snaps.FileEntry],
    baseline_key: str,
    fields: dict,
    t0: float,
    env_extra: dict[str, str] | None,
    cancel: threading.Event | None,
    sel: Selection,
) -> Validation:
    def suite(
        timeout_s: float,
        test_filter: str | None = None,
        run_timeout_s: float | None = None,
        run_timeout_why: str = "",
    ) -> TestReport:
        """cargo test of the sandbox as it is now synced (the patched tree, or the baseline), under
        this validation's package selection and environment."""
        return run_test(
            crate,
            target_dir=target,
            timeout_s=timeout_s,
            test_filter=test_filter,
            env_extra=env_extra,
            cancel=cancel,
            selection=sel,
            run_timeout_s=run_timeout_s,
            run_timeout_why=run_timeout_why,
        )

    bound = hang_bound(m.suite_s)
    took = "before the patch" if m.suite_tree == baseline_key else "on its last run that finished"
    rep = suite(
        TEST_TIMEOUT_S,
        run_timeout_s=bound,
        run_timeout_why=f" (the suite took {_seconds(m.suite_s or 0.0)} {took}): a hang",
    )
    if (ran := _suite_time(rep)) is not None:
        m.suite_s, m.suite_tree = ran, ""
        _save_manifest(home, m)
    fields["test_s"] = rep.process.duration_s if rep.process else 0.0
    fields["tests_run"] = sum(t.status != "ignored" for t in rep.tests)
    if rep.status == "passed":
        fields["test_status"] = "passed"
        return _done(
            fields, t0, "green", f"cargo check is clean of errors and all {fields['tests_run']} tests pass."
        )
    if rep.status in ("build_failed", "timeout", "error"):
        fields["test_status"] = rep.status
        # run_test's sentences end with their own full stop and name cargo: say it once
        said = rep.message.rstrip(".").replace("cargo was ", "cargo test was ", 1)
        why = {
            "build_failed": "the tests do not compile",
            "timeout": said or "cargo test timed out",
            "error": f"cargo test failed to run: {said}",
        }[rep.status]
        return _done(fields, t0, "red", why + ".")
    failing = sorted({t.name for t in rep.tests if t.status == "failed"})
    from engine.patching.holes_blame import panic_lines

    panicked = panic_lines(crate, rep.tests)  # read now: the baseline run below puts the old tree back
    flaky = []
    for name in failing[:MAX_RERUNS]:
        again = suite(RERUN_TIMEOUT_S, test_filter=name)
        fields["test_s"] += again.process.duration_s if again.process else 0.0
        if any(t.name == name and t.status == "ok" for t in again.tests):
            flaky.append(name)
    still = [n for n in failing if n not in flaky]
    fields["flaky_tests"] = tuple(flaky)
    fields["failing_tests"] = tuple(still)
    if not still:
        fields["test_status"] = "passed"
        return _done(
            fields,
            t0,
            "green",
            f"all tests pass; {len(flaky)} failed once and passed on re-run (flaky): {', '.join(flaky)}.",
        )
    if m.baseline_tree != baseline_key or m.baseline_failing is None:
        _sync(home, root, crate, m, before, {})
        base = suite(TEST_TIMEOUT_S)
        fields["test_s"] += base.process.duration_s if base.process else 0.0
        if (ran := _suite_time(base)) is not None:
            m.suite_s, m.suite_tree = ran, baseline_key
        if base.status not in ("passed", "failed", "build_failed"):
            fields["failing_tests"] = tuple(still)
            fields["test_status"] = "failed"
            return _done(
                fields,
                t0,
                "red",
                f"{len(still)} test(s) fail and the tests without the patch did not finish: {base.message}",
            )
        if m.baseline_tree != baseline_key:
            m.baseline_errors = []
        m.baseline_tree = baseline_key
        m.baseline_failing = sorted(t.name for t in base.tests if t.status == "failed")
        m.baseline_built = base.status != "build_failed"
        _save_manifest(home, m)
    pre = [n for n in still if n in m.baseline_failing]
    blamed = [n for n in still if n not in pre]
    fields["preexisting_failures"] = tuple(pre)
    fields["failing_tests"] = tuple(blamed)
    fields["test_status"] = "failed"
    if blamed:
        from engine.patching.holes_blame import elsewhere

        # "passed before" only when a baseline run built and ran them; a panic in a line the patch
        # did not write (a hole the crate had, a line an earlier Rusta patch wrote) is named, not
        # blamed on this patch: then the tests fail "once the crate compiles", not "with the patch"
        notes = elsewhere(root, panicked, [t for t in rep.tests if t.name in blamed and t.status == "failed"])
        said = (
            f"{len(blamed)} test(s) that passed before fail with the patch: {', '.join(blamed)}."
            if m.baseline_built
            else f"{len(blamed)} test(s) fail once the crate compiles: {', '.join(blamed)}; the crate did not "
            "compile without this patch, so they never ran before."
            if set(blamed) <= set(notes)
            else f"{len(blamed)} test(s) fail with the patch: {', '.join(blamed)}; the crate did not "
            "compile without it, so they never ran before."
        )
        return _done(fields, t0, "red", " ".join([said, *notes.values()]))
    return _done(
        fields,
        t0,
        "green",
        f"no test that passed before fails; {len(pre)} already failed before the patch: {', '.join(pre)}.",
    )


def _unsafe_proofs(pairs: dict[str, tuple[bytes | None, bytes | None]]) -> tuple[Proof, ...]:
    """The miri proof (installed or not, and that it did not run) when changed items hold `unsafe`."""
    from engine.proofs.collect import miri_proof, unsafe_changed

    proof = miri_proof(unsafe_changed({p: pair for p, pair in pairs.items() if p.endswith(".rs")}))
    return () if proof is None else (proof,)


def _done(fields: dict, t0: float, verdict: Verdict, reason: str) -> Validation:
    from engine.proofs.collect import run_proofs

    fields = dict(fields, proofs=run_proofs(fields) + tuple(fields.get("proofs", ())))
    return Validation(verdict=verdict, reason=reason, total_s=round(time.monotonic() - t0, 3), **fields)
