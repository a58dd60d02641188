"""The reviewed change and Rusta's green patches as a `git format-patch` series and one mbox.

Each commit of base..head becomes one message (dulwich's patch writer) whose body keeps the author's
message and adds Rusta's rationale: what she found in the files it touches. A working-tree head
becomes one message of its own. Every fix the sandbox judged green follows as a patch authored by
Rusta, its message holding the intent, the explanation and the proof that ran. Nothing is written
to the repository: the commits for Rusta's messages exist only in the files written here.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from dulwich.objects import Commit
from dulwich.patch import write_commit_patch, write_tree_diff
from dulwich.repo import Repo

from diary.gitobjects import commit_at
from engine.edits import unified_diff
from engine.review.stack import stack_fixes
from engine.review.types import Finding, Review

RUSTA = b"Rusta <rusta@localhost>"


def _rationale(findings: list[Finding]) -> str:
    if not findings:
        return "Rusta's review: nothing to flag in the files this patch touches."
    lines = ["Rusta's review of the files this patch touches:"]
    for f in findings:
        where = f"{f.place.file}:{f.place.line}" if f.place.file else "tests"
        lines.append(f"- {f.level} [{f.rule}] {where}: {f.message}")
        lines.append(f"  Why: {f.explanation}")
    return "\n".join(lines)


def _touched(diff: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^\+\+\+ b/(\S+)", diff, re.M)} | {
        m.group(1) for m in re.finditer(r"^--- a/(\S+)", diff, re.M)
    }


def _relevant(review: Review, touched: set[str], rel: str) -> list[Finding]:
    prefix = f"{rel}/" if rel else ""
    return [f for f in review.findings if not f.place.file or prefix + f.place.file in touched]


def _in_repo(diff: str, rel: str) -> str:
    """A crate-relative diff made repo-relative (git's a/ and b/ paths start at the repo's top)."""
    if not rel:
        return diff
    return re.sub(r"^(---|\+\+\+) (a|b)/", lambda m: f"{m.group(1)} {m.group(2)}/{rel}/", diff, flags=re.M)


def _commit(message: str, at: int, author: bytes = RUSTA) -> Commit:
    c = Commit()
    c.tree = b"4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # the empty tree: the message is what matters
    c.author = c.committer = author
    c.author_time = c.commit_time = at
    c.author_timezone = c.commit_timezone = 0
    c.encoding = b"UTF-8"
    c.message = message.encode("utf-8")
    return c


def _range(repo: Repo, base: bytes, head: bytes) -> list[Commit]:
    out: list[Commit] = []
    c = commit_at(repo, head)
    while c.id != base:
        out.append(c)
        if not c.parents:
            break
        c = commit_at(repo, c.parents[0])
    return list(reversed(out))


def write_series(
    dest: Path,
    repo_path: Path,
    crate_rel: str,
    review: Review,
    worktree_files: tuple[dict[str, bytes], dict[str, bytes]] | None,
    head_files: dict[str, bytes] | None = None,
) -> list[Path]:
    """Write NNNN-*.patch files and review.mbox under `dest`; returns the files, mbox last."""
    messages: list[tuple[Commit, str]] = []
    now = int(time.time())
    with Repo(str(repo_path)) as repo:
        if review.head.commit is not None and review.base.commit is not None:
            for c in _range(repo, review.base.commit.encode(), review.head.commit.encode()):
                buf = io.BytesIO()
                parent_tree = commit_at(repo, c.parents[0]).tree if c.parents else None
                write_tree_diff(buf, repo.object_store, parent_tree, c.tree)
                diff = buf.getvalue().decode("utf-8", "replace")
                body = c.message.decode("utf-8", "replace").rstrip("\n")
                msg = f"{body}\n\n{_rationale(_relevant(review, _touched(diff), crate_rel))}\n"
                rebuilt = _commit(msg, c.author_time, c.author)
                messages.append((rebuilt, diff))
        elif worktree_files is not None:
            diff = _in_repo(unified_diff(*worktree_files), crate_rel)
            msg = (
                f"Working-tree changes to {review.crate} since {review.base.label}\n\n"
                f"{_rationale(_relevant(review, _touched(diff), crate_rel))}\n"
            )
            messages.append((_commit(msg, now), diff))
    stacked = [f for f, _ in stack_fixes(head_files, review.findings)] if head_files is not None else []
    for f in stacked:  # the green fixes that still apply one after another, as `git am` will
        assert f.fix is not None
        msg = (
            f"rusta: {f.fix.description.rstrip('.')}\n\n"
            f"Intent: answer {f.rule} at {f.place.file}:{f.place.line}: {f.message}\n"
            f"Explanation: {f.explanation}\n"
            f"Proof: the sandbox ran cargo check and cargo test on the patched head: {f.fix.reason}\n"
            f"Applicability: {f.fix.applicability} ({f.fix.source})\n"
        )
        messages.append((_commit(msg, now), _in_repo(f.fix.diff, crate_rel)))
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    mbox = io.BytesIO()
    for i, (commit, diff) in enumerate(messages, 1):
        buf = io.BytesIO()
        write_commit_patch(
            buf, commit, diff.encode("utf-8"), (i, len(messages)), version="rusta 0.1.0", encoding="utf-8"
        )
        subject = commit.message.split(b"\n", 1)[0].decode("utf-8", "replace")
        slug = re.sub(r"[^A-Za-z0-9]+", "-", subject).strip("-")[:52] or "patch"
        path = dest / f"{i:04d}-{slug}.patch"
        path.write_bytes(buf.getvalue())
        mbox.write(buf.getvalue())
        written.append(path)
    (dest / "review.mbox").write_bytes(mbox.getvalue())
    written.append(dest / "review.mbox")
    return written


def patch_message(subject: str, body: str, diff: str, *, at: int | None = None) -> bytes:
    """One patch as a format-patch mail (Subject, Rusta's rationale, then the diff after `---`).

    `git am` takes it as a commit; `git apply` and `rusta apply` read past the mail header to the diff.
    """
    message = f"{subject.strip().rstrip('.')}\n\n{body.strip()}\n" if body.strip() else subject.strip()
    buf = io.BytesIO()
    commit = _commit(message, int(time.time()) if at is None else at)
    write_commit_patch(buf, commit, diff.encode("utf-8"), (1, 1), version="rusta 0.1.0", encoding="utf-8")
    return buf.getvalue()
