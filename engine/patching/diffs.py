"""Unified diffs: parse with unidiff, apply to file contents. Pure: text in, bytes out, no IO.

Context and removed lines must match exactly (no fuzz). A hunk may sit at another line than its
header says, like `git apply`, but only where its lines match exactly; the nearest such place wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import msgspec
from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from engine.edits import unified_diff
from engine.patching.errors import ContextMismatch, DiffParseError

FORBIDDEN_TOP = (".git", ".rusta", "target")


class Hunk(msgspec.Struct, frozen=True, kw_only=True):
    header: str
    source_start: int
    source: tuple[str, ...]  # context + removed lines, with their line endings
    target: tuple[str, ...]  # context + added lines


class FileChange(msgspec.Struct, frozen=True, kw_only=True):
    """One file of a diff. `old_path` is None for a new file, `new_path` None for a deletion."""

    old_path: str | None
    new_path: str | None
    hunks: tuple[Hunk, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for p in (self.old_path, self.new_path) if p))

    @property
    def kind(self) -> str:
        if self.old_path is None:
            return "add"
        if self.new_path is None:
            return "delete"
        return "rename" if self.old_path != self.new_path else "modify"


def _clean_path(raw: str, prefix: str) -> str | None:
    if raw == "/dev/null":
        return None
    path = raw.split("\t", 1)[0]
    if path.startswith(prefix):
        path = path[len(prefix) :]
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise DiffParseError(f"the diff names an unsafe path `{raw}`; paths must stay inside the crate.")
    if parts[0] in FORBIDDEN_TOP:
        raise DiffParseError(
            f"the diff touches `{path}`, which belongs to git, cargo or Rusta, not to the crate."
        )
    return path


def parse_diff(text: str) -> tuple[FileChange, ...]:
    """Every file change of a unified diff; DiffParseError for binary patches or broken hunks."""
    try:
        ps = PatchSet(text)
    except UnidiffParseError as e:
        raise DiffParseError(f"the diff cannot be parsed: {e}.") from e
    if not len(ps):
        raise DiffParseError("the text holds no file changes; is it a unified diff?")
    changes: list[FileChange] = []
    for pf in ps:
        if pf.is_binary_file:
            raise DiffParseError(f"{pf.path}: binary patches are not supported; edit binary files yourself.")
        src, dst = pf.source_file, pf.target_file
        git_style = (src.startswith("a/") or src == "/dev/null") and (
            dst.startswith("b/") or dst == "/dev/null"
        )
        old = _clean_path(src, "a/" if git_style else "")
        new = _clean_path(dst, "b/" if git_style else "")
        # unidiff also calls a change to or from an *empty* file added/removed (by its -0,0 hunk);
        # only /dev/null or git's own "new/deleted file mode" header says a file appears or goes.
        header = "\n".join(getattr(pf, "patch_info", None) or [])
        if "\nnew file mode" in "\n" + header:
            old = None
        if "\ndeleted file mode" in "\n" + header:
            new = None
        hunks = []
        for h in pf:
            source: list[str] = []
            target: list[str] = []
            last = ""
            for line in h:
                if line.line_type == "\\":  # "\ No newline at end of file" ends the previous line
                    if last in (" ", "-") and source:
                        source[-1] = source[-1].removesuffix("\n")
                    if last in (" ", "+") and target:
                        target[-1] = target[-1].removesuffix("\n")
                    continue
                if line.line_type in (" ", "-"):
                    source.append(line.value)
                if line.line_type in (" ", "+"):
                    target.append(line.value)
                last = line.line_type
            header = f"@@ -{h.source_start},{h.source_length} +{h.target_start},{h.target_length} @@"
            hunks.append(
                Hunk(header=header, source_start=h.source_start, source=tuple(source), target=tuple(target))
            )
        changes.append(FileChange(old_path=old, new_path=new, hunks=tuple(hunks)))
    return tuple(changes)


class Row(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a diff's hunks, numbered in both files: what the readers of a fix's patch (where it
    first changes the file, which lines it writes) take from the diff, so that none of them walks hunk
    headers itself and two of them never number one place differently."""

    path: str  # the file the diff writes (the old one for a deletion), without git's a/ and b/
    kind: str  # " " context, "-" removed, "+" added
    old_line: int  # for an added line, the old line the hunk has reached (the one it goes before)
    new_line: int  # for a removed line, the new line the hunk has reached
    text: str  # without the marker and the line end


def rows(text: str) -> tuple[Row, ...]:
    """The context, removed and added lines of a unified diff, in order; () for text that is no diff.

    Unlike `parse_diff`, which guards the paths a patch will write, this only reads: a fix's own diff,
    numbered for showing and blaming, never refused."""
    try:
        ps = PatchSet(text)
    except UnidiffParseError:
        return ()
    out: list[Row] = []
    for pf in ps:
        src, dst = pf.source_file, pf.target_file
        path = src.removeprefix("a/") if dst == "/dev/null" else dst.removeprefix("b/")
        for h in pf:
            old, new = h.source_start, h.target_start
            for line in h:
                if line.line_type not in (" ", "-", "+"):
                    continue  # "\ No newline at end of file" is no line of either file
                kind = line.line_type
                value = line.value.rstrip("\r\n")
                out.append(Row(path=path, kind=kind, old_line=old, new_line=new, text=value))
                old += kind != "+"
                new += kind != "-"
    return tuple(out)


def first_place(text: str) -> tuple[str, int]:
    """(file, old line) where a diff first removes or adds a line: the place a fix is shown at."""
    first = next((r for r in rows(text) if r.kind != " "), None)
    return (first.path, first.old_line) if first else ("", 0)


def strip_prefix(changes: tuple[FileChange, ...], prefix: str) -> tuple[FileChange, ...]:
    """Paths relative to the crate when the diff was made from the repo's top (`crate/src/x.rs`).

    Only when every path of the diff starts with `prefix` (e.g. "crate/"); otherwise unchanged.
    """
    if not prefix or not all(p.startswith(prefix) for c in changes for p in c.paths):
        return changes
    cut = len(prefix)
    return tuple(
        msgspec.structs.replace(
            c,
            old_path=c.old_path[cut:] if c.old_path else None,
            new_path=c.new_path[cut:] if c.new_path else None,
        )
        for c in changes
    )


def touched_paths(changes: tuple[FileChange, ...]) -> tuple[str, ...]:
    """Every path the diff reads or writes (both sides of a rename), sorted, without duplicates."""
    return tuple(sorted({p for c in changes for p in c.paths}))


def _decode(data: bytes) -> list[str]:
    return data.decode("utf-8", "surrogateescape").splitlines(keepends=True)


def _where(lines: list[str], hunk: Hunk, start: int, expected: int) -> int | None:
    n = len(hunk.source)
    if n == 0:
        return min(max(expected, start), len(lines))
    candidates = [i for i in range(start, len(lines) - n + 1) if lines[i : i + n] == list(hunk.source)]
    if not candidates:
        return None
    return min(candidates, key=lambda i: (abs(i - expected), i))


def _mismatch(path: str, lines: list[str], hunk: Hunk, at: int) -> str:
    for k, want in enumerate(hunk.source):
        have = lines[at + k] if at + k < len(lines) else None
        if have != want:
            shown = "end of file" if have is None else f"`{have.rstrip()}`"
            return (
                f"{path}: hunk {hunk.header} does not match the file: line {at + k + 1} is {shown} "
                f"where the patch expects `{want.rstrip()}`."
            )
    return f"{path}: hunk {hunk.header} does not match the file."


def apply_change(path: str, old: bytes | None, change: FileChange) -> bytes | None:
    """The new content of one file; None when the change deletes it. Exact context, or ContextMismatch."""
    if change.old_path is None:
        if old is not None:
            raise ContextMismatch(f"{path} already exists; the patch wants to create it.")
        lines: list[str] = []
    else:
        if old is None:
            raise ContextMismatch(f"{path} does not exist; the patch expects to change it.")
        lines = _decode(old)
    out: list[str] = []
    pos = 0
    for hunk in change.hunks:
        expected = max(hunk.source_start - 1, 0) if hunk.source else hunk.source_start
        at = _where(lines, hunk, pos, expected)
        if at is None:
            raise ContextMismatch(_mismatch(path, lines, hunk, max(min(expected, len(lines) - 1), pos)))
        out.extend(lines[pos:at])
        out.extend(hunk.target)
        pos = at + len(hunk.source)
    out.extend(lines[pos:])
    text = "".join(out)
    if change.new_path is None:
        if text:
            raise ContextMismatch(
                f"{path}: the patch deletes the file but its content differs from what the patch removes."
            )
        return None
    return text.encode("utf-8", "surrogateescape")


def apply_changes(
    changes: tuple[FileChange, ...], read: Callable[[str], bytes | None]
) -> dict[str, bytes | None]:
    """New content per touched path (None = delete), given a reader of the current contents."""
    result: dict[str, bytes | None] = {}

    def current(path: str) -> bytes | None:
        return result[path] if path in result else read(path)

    for c in changes:
        if c.old_path is None:
            assert c.new_path is not None
            result[c.new_path] = apply_change(c.new_path, current(c.new_path), c)
            continue
        new = apply_change(c.old_path, current(c.old_path), c)
        if c.new_path is None or c.new_path == c.old_path:
            result[c.old_path] = new
            continue
        if current(c.new_path) is not None:
            raise ContextMismatch(
                f"{c.new_path} already exists; the patch wants to rename {c.old_path} onto it."
            )
        result[c.old_path] = None
        result[c.new_path] = new
    return result


def render(changes: Mapping[str, tuple[bytes | None, bytes | None]]) -> str:
    """A unified diff of path -> (before, after), for showing the user what undo would overwrite."""
    return unified_diff(
        {p: a for p, (a, _) in changes.items()},
        {p: b for p, (_, b) in changes.items()},
        errors="surrogateescape",
    )
