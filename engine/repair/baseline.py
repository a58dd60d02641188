"""The test baseline: which of the crate's tests already failed at the last state that compiled.

A fix is judged against it, not against "every test passes": a doctest that depends on the platform
or a test that needs an absent dev-dependency fails before the mistake and after any fix, and is
never the patch's fault. The state is HEAD's tree when the crate is in a git repo, else the last
snapshot a tested green patch was applied to, else there is none and every test must pass.

The suite runs once per tree, in a copy under Rusta's cache that shares the repair's warm target
dir, and its per-test outcomes are cached by git tree id: the same HEAD is never tested twice.
"""

from __future__ import annotations

import re
import shutil
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import msgspec
from dulwich.errors import NotGitRepository
from dulwich.objects import Tree
from dulwich.repo import Repo

from diary import snapshots as snaps
from diary.devlog import DevLog
from diary.gitobjects import commit_at, tree_at
from diary.worktree import file_lock, git_toplevel
from engine.repair.errors import RepairError
from engine.repair.types import Baseline, BaselineTest
from toolbelt.cargo_run import run_test
from toolbelt.errors import ToolbeltError
from toolbelt.paths import writable_cache_dir
from toolbelt.types import TestResult

_DEC = msgspec.json.Decoder(Baseline)
_LINE = re.compile(r" \(line \d+\)$")
# Build settings that are often untracked; HEAD's tree is built with the working tree's copy of them.
_BUILD_FILES = ("Cargo.lock", ".cargo/config.toml", ".cargo/config", "rust-toolchain", "rust-toolchain.toml")

Materialize = Callable[[Path], None]


def test_key(name: str) -> str:
    """A test's identity across edits: a doctest's `(line N)` moves whenever lines above it do."""
    return _LINE.sub("", name)


def failed_keys(baseline: Baseline | None) -> frozenset[str]:
    if baseline is None or not baseline.usable:
        return frozenset()
    return frozenset(test_key(t.name) for t in baseline.tests if t.status == "failed")


def judge(tests: Iterable[TestResult], baseline: Baseline | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(newly failing, already failing) among `tests` that fail now. Pure.

    Only a test that failed at a usable baseline is excused; a test the baseline passed or never ran
    has no evidence of being broken before, so it is blamed. Without a baseline every failure is.
    """
    old = failed_keys(baseline)
    failing = sorted({t.name for t in tests if t.status == "failed"})
    pre = tuple(n for n in failing if test_key(n) in old)
    return tuple(n for n in failing if test_key(n) not in old), pre


def _head(root: Path) -> tuple[str, str, Materialize] | None:
    """(tree id, label, writer) of the crate's folder in HEAD's tree; None outside a repo or without it."""
    top = git_toplevel(root)
    if top is None:
        return None
    try:
        repo = Repo(str(top))
    except (NotGitRepository, OSError):
        return None
    try:
        try:
            head = repo.head()
            tree_id = commit_at(repo, head).tree
        except KeyError:  # a repo with no commit yet
            return None
        for part in root.resolve().relative_to(top).parts:
            tree = tree_at(repo, tree_id)
            try:
                mode, tree_id = tree[part.encode()]
            except KeyError:  # the crate is untracked or ignored
                return None
            if not stat.S_ISDIR(mode):
                return None
    finally:
        repo.close()

    def write(dest: Path) -> None:
        with Repo(str(top)) as again:
            for rel, (mode, data) in _tree_files(again, tree_id).items():
                _write(dest, rel, mode, data)

    return tree_id.decode(), f"HEAD ({head.decode()[:7]})", write


def _tree_files(repo: Repo, tree_id: bytes) -> dict[str, tuple[int, bytes]]:
    out: dict[str, tuple[int, bytes]] = {}

    def walk(tid: bytes, prefix: str) -> None:
        tree = repo[tid]
        assert isinstance(tree, Tree)
        for item in tree.iteritems():
            name = prefix + item.path.decode("utf-8", "surrogateescape")
            if stat.S_ISDIR(item.mode):
                walk(item.sha, name + "/")
            elif stat.S_ISREG(item.mode) or stat.S_ISLNK(item.mode):  # gitlinks (submodules) have no bytes
                out[name] = (item.mode, repo[item.sha].as_raw_string())

    walk(tree_id, "")
    return out


def _write(dest: Path, rel: str, mode: int, data: bytes) -> None:
    path = dest / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if stat.S_ISLNK(mode):
        path.symlink_to(data.decode("utf-8", "surrogateescape"))
        return
    path.write_bytes(data)
    if mode & 0o111:
        path.chmod(0o755)


def last_green_snapshot(root: Path) -> str | None:
    """The snapshot after the last applied patch whose validation compiled the crate and ran its tests."""
    if not (root / ".rusta" / "devlog").is_dir() or not (snaps.store_path(root) / "objects").is_dir():
        return None
    log = DevLog.open(root, readonly=True)
    try:
        tested: dict[str, str] = {}
        last = None
        for e in log.entries():
            p = e.payload
            if e.kind == "validation" and e.task and p.get("tool") == "test" and p.get("ok") is True:
                if p.get("written_ok") is True and p.get("errors", 0) == 0:
                    tested[e.task] = str(e.repo_state.get("snapshot") or "")
            elif e.kind == "action" and p.get("op") == "apply" and p.get("status") == "done":
                snap = tested.get(e.settles or "")
                if snap and snap == p.get("snapshot_after"):
                    last = snap
        return last
    finally:
        log.close()


def _snapshot(root: Path) -> tuple[str, str, Materialize] | None:
    snap = last_green_snapshot(root)
    if snap is None:
        return None
    try:
        with Repo(str(snaps.store_path(root))) as repo:
            tree_id = commit_at(repo, snap.encode()).tree.decode()
        entries = snaps.entries(root, snap)
    except (KeyError, OSError, NotGitRepository, snaps.SnapshotError):
        return None

    def write(dest: Path) -> None:
        blobs = snaps.read_blobs(root, (e.blob for e in entries.values()))
        for rel, e in entries.items():
            _write(dest, rel, e.mode, blobs[e.blob])

    return tree_id, f"snapshot {snap[:7]}", write


def _home() -> Path:
    return writable_cache_dir() / "repair" / "baselines"


def cached(tree: str) -> Baseline | None:
    try:
        return _DEC.decode((_home() / f"{tree}.json").read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


def load(
    root: Path,
    *,
    target_dir: Path | None = None,
    cancel: threading.Event | None = None,
) -> Baseline:
    """The usable baseline of `root` (HEAD, else the last green snapshot), or one saying why there is none.

    `target_dir` is the cargo target dir to build in (the repair's, whose dependencies are warm).
    """
    root = root.resolve()
    notes = []
    for source, found in (("head", _head), ("snapshot", _snapshot)):
        try:
            state = found(root)
        except (OSError, snaps.SnapshotError) as e:
            notes.append(f"the {source} could not be read ({e})")
            continue
        if state is None:
            continue
        tree, label, write = state
        base = cached(tree) or _run(root, source, tree, label, write, target_dir, cancel)
        # The outcomes belong to the tree; the name is today's (another commit or snapshot may hold it).
        base = msgspec.structs.replace(base, source=source, label=label) if base.source != "none" else base
        if base.usable:
            return base
        notes.append(f"{label} {base.note or 'has no test results'}")
    if not notes:
        notes.append("not in a git repo with a commit, and no tested fix applied")
    return Baseline(source="none", note="; ".join(notes))


def _run(
    root: Path,
    source: str,
    tree: str,
    label: str,
    write: Materialize,
    target_dir: Path | None,
    cancel: threading.Event | None,
) -> Baseline:
    home = _home()
    home.mkdir(parents=True, exist_ok=True)
    dest = home / tree
    with file_lock(home / f"{tree}.lock"):
        again = cached(tree)
        if again is not None:
            return again
        try:
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir(parents=True)
            write(dest)
            for rel in _BUILD_FILES:
                if not (dest / rel).exists() and (root / rel).is_file():
                    _write(dest, rel, 0o100644, (root / rel).read_bytes())
        except OSError as e:
            raise RepairError(f"cannot write {label}'s tree to {dest} to test it: {e.strerror or e}.") from e
        try:
            rep = run_test(dest, target_dir=target_dir, cancel=cancel)
        except ToolbeltError as e:  # e.g. a workspace member whose manifest inherits from the workspace
            return Baseline(
                source="none",
                tree=tree,
                label=label,
                note=f"cannot be tested on its own: {str(e).replace(str(dest), label)}",
            )
        finally:
            shutil.rmtree(dest, ignore_errors=True)
        if cancel is not None and cancel.is_set():
            return Baseline(source="none", note="cancelled")
        note = {
            "build_failed": "does not compile",
            "timeout": "did not finish its tests in time",
            "error": f"could not run its tests: {rep.message}",
        }.get(rep.status, "")
        base = Baseline(
            source=source,  # type: ignore[arg-type]
            tree=tree,
            label=label,
            status=rep.status,
            tests=tuple(BaselineTest(name=t.name, status=t.status, suite=t.suite) for t in rep.tests),
            note=note,
        )
        if rep.status in ("passed", "failed", "build_failed"):  # a timeout may pass next time: not cached
            (home / f"{tree}.json").write_bytes(msgspec.json.encode(base))
        return base
