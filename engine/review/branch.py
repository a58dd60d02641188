"""Only when the user asks: the reviewed head plus Rusta's green fixes as a new branch in their repo.

Made with dulwich from objects alone: HEAD, the index, the checked-out branch and the working tree
are not touched, and an existing branch is never moved. A working-tree head becomes a first commit
on top of the checked-out commit. Deleting the branch (`git branch -D NAME`) undoes it all.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Mapping
from pathlib import Path

from dulwich.index import commit_tree
from dulwich.object_store import iter_tree_contents
from dulwich.objects import Blob, Commit, ObjectID
from dulwich.refs import check_ref_format
from dulwich.repo import Repo

from diary.gitobjects import commit_at, oid, ref
from engine.review.errors import ReviewError
from engine.review.stack import stack_fixes
from engine.review.types import Review

RUSTA = b"Rusta <rusta@localhost>"


def _tree(repo: Repo, base_tree: ObjectID, crate_rel: str, files: Mapping[str, bytes | None]) -> ObjectID:
    """`base_tree` with the crate's folder replaced by `files` (the rest of the repo as it was)."""
    prefix = (crate_rel + "/").encode() if crate_rel else b""
    entries: list[tuple[bytes, ObjectID, int]] = []
    modes: dict[bytes, tuple[ObjectID, int]] = {}  # the crate's files at base: kept as they were if unchanged
    for e in iter_tree_contents(repo.object_store, base_tree):
        if e.path is None or e.sha is None or e.mode is None:
            continue
        if e.path.startswith(prefix):
            modes[e.path] = (e.sha, e.mode)
        else:
            entries.append((e.path, e.sha, e.mode))
    for rel, data in sorted(files.items()):
        if data is None:
            continue
        path = prefix + rel.encode()
        blob = Blob.from_string(data)
        sha, mode = modes.get(path, (oid(b""), stat.S_IFREG | 0o644))
        if sha != blob.id:
            repo.object_store.add_object(blob)
        entries.append((path, blob.id, mode if stat.S_ISREG(mode) else stat.S_IFREG | 0o644))
    return commit_tree(repo.object_store, entries)


def _commit(repo: Repo, tree: ObjectID, parent: ObjectID, message: str, at: int) -> ObjectID:
    c = Commit()
    c.tree, c.parents = tree, [parent]
    c.author = c.committer = RUSTA
    c.author_time = c.commit_time = at
    c.author_timezone = c.commit_timezone = 0
    c.encoding = b"UTF-8"
    c.message = message.encode("utf-8")
    repo.object_store.add_object(c)
    return c.id


def make_branch(
    repo_path: Path,
    name: str,
    crate_rel: str,
    review: Review,
    head_files: Mapping[str, bytes],
) -> tuple[str, int]:
    """Create refs/heads/NAME at head plus the fixes that stack; (the new tip, fixes committed)."""
    branch = ref(b"refs/heads/" + name.encode())
    if not check_ref_format(branch):
        raise ReviewError(f"`{name}` is not a valid branch name.")
    at = int(time.time())
    with Repo(str(repo_path)) as repo:
        if branch in repo.refs:
            raise ReviewError(f"branch `{name}` exists already; Rusta never moves a branch. Pick a new name.")
        if review.head.commit is not None:
            tip = oid(review.head.commit.encode())
        else:  # the working tree, as a commit on top of the checked-out one
            parent = repo.head()
            tree = _tree(repo, commit_at(repo, parent).tree, crate_rel, head_files)
            tip = _commit(
                repo, tree, parent, f"Working-tree changes to {review.crate}, as Rusta reviewed them\n", at
            )
        base_tree = commit_at(repo, tip).tree
        stacked = stack_fixes(head_files, review.findings)
        for f, files in stacked:
            assert f.fix is not None
            message = (
                f"rusta: {f.fix.description.rstrip('.')}\n\n"
                f"Intent: answer {f.rule} at {f.place.file}:{f.place.line}: {f.message}\n"
                f"Proof: {f.fix.reason}\n"
            )
            tip = _commit(repo, _tree(repo, base_tree, crate_rel, files), tip, message, at)
        repo.refs.add_if_new(branch, tip)
    return tip.decode(), len(stacked)
