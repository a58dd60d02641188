"""The two sides of a review as sandboxes under Rusta's cache: a commit exported with dulwich, or a copy
of the working tree. Only reads the user's repository: HEAD, the index and branches are never touched.

A commit's export is immutable, so it is kept (keyed by commit id) and reused by the next review; the
working tree has one mirror per crate, synced file by file. Each sandbox has its own cargo target dir
and lists the files it holds for the user (`.rusta-files`), apart from what cargo writes there.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
from pathlib import Path

from dulwich.errors import NotGitRepository
from dulwich.object_store import iter_tree_contents
from dulwich.objects import Commit
from dulwich.objectspec import parse_commit
from dulwich.repo import Repo

from diary.gitobjects import commit_at
from diary.worktree import list_files
from engine.review.errors import NotARepo, ReviewError, RevisionNotFound
from toolbelt.paths import crate_key, writable_cache_dir

_ANCESTRY = re.compile(r"(\^|~\d*)+$")


def open_repo(crate_root: Path) -> tuple[Repo, str]:
    """The repository around the crate and the crate's folder inside it ("" at the top)."""
    try:
        repo = Repo.discover(str(crate_root))
    except NotGitRepository as e:
        raise NotARepo(f"{crate_root} is not inside a git repository; --base needs one.") from e
    top = Path(repo.path).resolve()
    rel = crate_root.resolve().relative_to(top).as_posix()
    return repo, "" if rel == "." else rel


def resolve(repo: Repo, rev: str) -> Commit:
    """The commit `rev` names: a ref, a (short) id, with `~N` and `^` steps back along first parents."""
    m = _ANCESTRY.search(rev)
    name, steps = (rev[: m.start()], m.group(0)) if m else (rev, "")
    try:
        commit = parse_commit(repo, name.encode())
    except (KeyError, ValueError) as e:
        raise RevisionNotFound(f"`{rev}` names no commit in {repo.path}.") from e
    for token in re.findall(r"\^|~\d*", steps):
        n = 1 if token in ("^", "~") else int(token[1:])
        for _ in range(n):
            if not commit.parents:
                raise RevisionNotFound(f"`{rev}` goes back past the first commit.")
            commit = commit_at(repo, commit.parents[0])
    return commit


def review_home(crate_root: Path) -> Path:
    return writable_cache_dir() / "review" / crate_key(crate_root)


def export_commit(repo: Repo, commit: Commit, crate_rel: str, crate_root: Path) -> Path:
    """The crate's files at `commit` in a folder of the cache (made once per commit, then reused)."""
    dest = review_home(crate_root) / commit.id.decode()[:16]
    done = dest / ".rusta-export-complete"
    if done.exists() and (dest / OWNED).exists():
        return dest
    tmp = dest.with_name(dest.name + f".tmp-{secrets.token_hex(3)}")
    prefix = (crate_rel + "/").encode() if crate_rel else b""
    owned: list[str] = []
    try:
        for entry in iter_tree_contents(repo.object_store, commit.tree):
            if (
                entry.path is None
                or entry.mode is None
                or entry.sha is None
                or not entry.path.startswith(prefix)
            ):
                continue
            if stat.S_ISDIR(entry.mode) or entry.mode == 0o160000:  # a submodule: not the crate's
                continue
            rel = os.fsdecode(entry.path[len(prefix) :])
            if rel.split("/", 1)[0] in (".rusta", "target"):
                continue
            out = tmp / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            owned.append(rel)
            data = repo.object_store[entry.sha].as_raw_string()
            if stat.S_ISLNK(entry.mode):
                os.symlink(os.fsdecode(data), out)
            else:
                out.write_bytes(data)
                if entry.mode & 0o111:
                    out.chmod(0o755)
        if not (tmp / "Cargo.toml").is_file():
            raise ReviewError(
                f"the crate has no Cargo.toml at {commit.id.decode()[:12]}; it did not exist yet."
            )
        _write_owned(tmp, owned)
        (tmp / ".rusta-export-complete").write_text(commit.id.decode() + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ReviewError(
            f"the crate at {commit.id.decode()[:12]} cannot be exported ({e.strerror or e})."
        ) from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def copy_worktree(crate_root: Path) -> Path:
    """The crate's working tree (tracked and untracked-not-ignored files) mirrored into the cache.

    The mirror is kept between reviews and only files whose bytes differ are rewritten, so their
    mtimes move and cargo rebuilds exactly what changed. Hold `worktree_lock` around its use.
    """
    dest = review_home(crate_root) / "worktree"
    keep = set(list_files(crate_root))
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for p in sorted(dest.rglob("*"), reverse=True):
            rel = p.relative_to(dest).as_posix()
            if rel.split("/", 1)[0] == ".rusta":
                continue
            if (p.is_file() or p.is_symlink()) and rel not in keep:
                p.unlink()
            elif p.is_dir() and not p.is_symlink() and not any(p.iterdir()):
                p.rmdir()
        for rel in sorted(keep):
            src, out = crate_root / rel, dest / rel
            if src.is_symlink():
                if out.is_symlink() and os.readlink(out) == os.readlink(src):
                    continue
                out.parent.mkdir(parents=True, exist_ok=True)
                if out.exists() or out.is_symlink():
                    out.unlink()
                os.symlink(os.readlink(src), out)
                continue
            data = src.read_bytes()
            if out.is_file() and not out.is_symlink() and out.read_bytes() == data:
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            if out.is_symlink():
                out.unlink()
            out.write_bytes(data)
            out.chmod(src.stat().st_mode & 0o777)
        _write_owned(dest, sorted(keep))
    except OSError as e:
        raise ReviewError(f"the working tree of {crate_root} cannot be copied ({e.strerror or e}).") from e
    return dest


def worktree_lock(crate_root: Path) -> Path:
    """The lock file that keeps two reviews of one crate's working tree from sharing the mirror."""
    return review_home(crate_root) / "worktree.lock"


def target_for(sandbox: Path) -> Path:
    """A cargo target dir per sandbox: cargo judges freshness by mtimes, so two sandboxes of one
    package sharing a target dir can be taken for each other (same package, older files)."""
    return sandbox.parent / f"target-{sandbox.name}"


OWNED = ".rusta-files"  # the paths a sandbox holds for the user (cargo may add a Cargo.lock)


def _write_owned(sandbox: Path, paths: list[str]) -> None:
    (sandbox / OWNED).write_text("".join(p + "\n" for p in paths), encoding="utf-8")


def all_files(sandbox: Path) -> dict[str, bytes]:
    """The user's files in a sandbox (what the commit or the working tree held, nothing cargo wrote),
    by crate-relative path; symlinks are left out."""
    out: dict[str, bytes] = {}
    for rel in (sandbox / OWNED).read_text(encoding="utf-8").splitlines():
        p = sandbox / rel
        if rel and p.is_file() and not p.is_symlink():
            out[rel] = p.read_bytes()
    return out


def source_files(sandbox: Path) -> dict[str, bytes]:
    """The Rust sources and Cargo.toml of a sandbox, by crate-relative path."""
    return {
        rel: data for rel, data in all_files(sandbox).items() if rel.endswith(".rs") or rel == "Cargo.toml"
    }
