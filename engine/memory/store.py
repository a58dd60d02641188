"""`.rusta/memory/`: load, sync from the DevLog, forget, export. The memory's only IO.

Sync is incremental: the memory keeps a cursor (the last record folded and its frame) and reads
only the frames after it (`DevLog.since`). If the cursor's record moved or vanished (a compaction
folded it), the records newer than its time are folded instead. Deleting the folder and syncing
rebuilds the same memory from the DevLog alone; forgetting is a DevLog note, so a rebuild forgets
it too. Nothing here opens a socket: the memory never leaves the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from diary.devlog import DevLog
from diary.errors import DiaryError
from diary.payloads import ForgetBody
from diary.records import file_hashes
from diary.rustadir import ensure_rusta_dir
from diary.segments import log_dir, write_file_durably
from engine.memory.errors import MemoryStoreError, NoSuchItem
from engine.memory.fold import edited_since, fold
from engine.memory.style import mine
from engine.memory.types import MEMORY_VERSION, Cursor, Memory, SyncReport

MEMORY_DIR = "memory"
MEMORY_FILE = "memory.json"

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Memory)


def memory_path(root: str | Path) -> Path:
    return Path(root) / ".rusta" / MEMORY_DIR / MEMORY_FILE


def load(root: str | Path) -> Memory | None:
    """The saved memory, or None when there is none (or it is from another version: rebuilt)."""
    path = memory_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise MemoryStoreError(f"cannot read {path}: {e.strerror or e}") from e
    try:
        m = _decoder.decode(data)
    except msgspec.DecodeError:
        return None  # damaged or from an older Rusta: the DevLog rebuilds it
    return m if m.version == MEMORY_VERSION else None


def save(root: str | Path, m: Memory) -> Path:
    path = memory_path(root)
    try:
        ensure_rusta_dir(root)
        path.parent.mkdir(exist_ok=True)
        write_file_durably(path, msgspec.json.format(_encoder.encode(m), indent=1))
    except (OSError, DiaryError) as e:
        raise MemoryStoreError(f"cannot write {path}: {e}") from e
    return path


def sync(root: str | Path, *, save_it: bool = True) -> SyncReport:
    """Fold the DevLog records written since the last sync into the memory and save it (not with
    `save_it=False`: a reader such as the repair, which must leave the crate's files alone)."""
    root = Path(root)
    old = load(root)
    m = old or Memory()
    if not log_dir(root).is_dir():
        new = msgspec.structs.replace(m, style=_style(root, m))
        if save_it:
            save(root, new)
        return SyncReport(folded=0, rebuilt=old is None, memory=new)
    try:
        with DevLog.open(root, readonly=True) as log:
            c = m.cursor
            here = log.locate(c.entry) if c.entry else None
            if not c.entry or (here is not None and (here.segment, here.offset) == (c.segment, c.offset)):
                pairs = list(log.since(c.segment, c.offset))
            else:  # compacted since: fold what is newer than the cursor
                pairs = [(e, loc) for e, loc in log.locations() if e.ts > c.ts and e.id != c.entry]
    except DiaryError as e:
        raise MemoryStoreError(f"cannot read the DevLog: {e}") from e
    new = fold(
        m, ((e, Cursor(entry=e.id, ts=e.ts, segment=loc.segment, offset=loc.offset)) for e, loc in pairs)
    )
    new = _edits(root, new)
    new = msgspec.structs.replace(new, style=_style(root, new))
    if save_it and new != old:
        save(root, new)
    return SyncReport(folded=len(pairs), rebuilt=old is None, memory=new)


def _edits(root: Path, m: Memory) -> Memory:
    """Applied patches whose files the user changed by hand since, with no Rusta operation after
    to notice it (that operation's `before` hashes would): edited afterwards, as of the edit."""
    files = {f for p in m.patches if p.state == "applied" for f in p.after}
    if not files:
        return m
    now = {f: h for f, h in file_hashes(root, sorted(files)).items() if h is not None}  # gone: not an edit
    times = [(root / f).stat().st_mtime for f in now]
    return edited_since(m, now, max(times, default=m.cursor.ts))


def _style(root: Path, m: Memory) -> tuple:
    return tuple(s for s in mine(root) if s.key not in m.forgotten)


def keys(m: Memory) -> list[str]:
    out = [p.key for p in m.prefs] + [x.key for x in m.mistakes] + [s.key for s in m.style]
    if m.voice.argued:
        out.append(m.voice.key)
    return out


def forget(root: str | Path, item: str) -> SyncReport:
    """Forget one item (a key from `rusta memory show`, or "all"): a DevLog note, then a sync."""
    root = Path(root)
    m = sync(root).memory
    if item != "all" and item not in keys(m):
        near = [k for k in keys(m) if item.lower() in k.lower()]
        hint = f"; did you mean {', '.join(near[:3])}?" if near else "; `rusta memory show` lists them."
        raise NoSuchItem(f"Rusta remembers no item {item!r}{hint}")
    try:
        with DevLog.open(root) as log:
            log.append("note", ForgetBody(summary=f"forget {item}", op="memory.forget", item=item))
            if item == "all":
                for s in m.style:
                    log.append("note", ForgetBody(summary=f"forget {s.key}", op="memory.forget", item=s.key))
    except DiaryError as e:
        raise MemoryStoreError(f"cannot record the forgetting in the DevLog: {e}") from e
    return sync(root)


def export(m: Memory) -> bytes:
    """The memory as indented JSON, for the user to read or keep (it is never sent anywhere)."""
    return msgspec.json.format(_encoder.encode(m), indent=2) + b"\n"


def remove(root: str | Path) -> None:
    """Delete the memory file (the DevLog keeps the evidence; the next sync rebuilds it)."""
    path = memory_path(root)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
