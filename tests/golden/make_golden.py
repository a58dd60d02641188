"""Make the golden DevLogs under tests/golden/ and describe what any log replays to.

Golden logs are made once, committed, and never made again: `tests/diary/test_golden.py` checks
that today's code reads each one to exactly its recorded `<name>.expected.json`, forever. When a
schema version is added, add new golden logs written by it (`python -m tests.golden.make_golden
NAME`); never regenerate an old one. `--expected NAME` rewrites only the expected JSON of an
existing log, for a reviewed change of what `describe` reports (a new field), not of the format.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from diary import frames
from diary.devlog import DevLog
from diary.replay import check_repo, replay
from diary.verify import verify

HERE = Path(__file__).parent

V0 = "pub fn total(v: Vec<u32>) -> u32 {\n    let w = v;\n    v.iter().sum()\n}\n"
V1 = "pub fn total(v: Vec<u32>) -> u32 {\n    let w = v.clone();\n    v.iter().sum()\n}\n"
V2 = "pub fn total(v: Vec<u32>) -> u32 {\n    let _w = v.clone();\n    v.iter().sum()\n}\n"
V3 = "pub fn sum_all(v: Vec<u32>) -> u32 {\n    let w = v.clone();\n    v.iter().sum()\n}\n"


def h(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


class Clock:
    def __init__(self, start: float = 1795600000.0, step: float = 1.5) -> None:
        self.t = start
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def _patch(log: DevLog, task: str, op: str, pid: str, old: str, new: str, summary: str) -> str:
    payload = {
        "summary": summary,
        "op": op,
        "patch_id": pid,
        "files": ["src/lib.rs"],
        "before": {"src/lib.rs": h(old)},
        "after": {"src/lib.rs": h(new)},
    }
    return log.append("action", payload, task=task)


def make_loop(root: Path) -> None:
    """A fix loop settled, a patch applied/undone/redone/undone and rejected, one task interrupted."""
    rs = {"snapshot": "snap-0001", "rustc": "rustc 1.95.0", "cargo": "cargo 1.95.0"}
    with DevLog.open(root, session="golden-loop", clock=Clock()) as log:
        log.append(
            "note", {"summary": "Started on the borrow_error fixture.", "author": "user", "text": "Started."}
        )
        t1 = log.append(
            "intent",
            {
                "summary": "fix E0382 in src/lib.rs",
                "goal": "cargo check green",
                "mode": "pair",
                "codes": ["E0382"],
            },
            repo_state=rs,
        )
        log.append(
            "action",
            {
                "summary": "cargo check",
                "op": "run",
                "argv": ["cargo", "check"],
                "outcome": "failed",
                "returncode": 101,
            },
            task=t1,
        )
        log.append(
            "validation",
            {
                "summary": "1 error",
                "tool": "check",
                "ok": False,
                "errors": 1,
                "diagnostics": [
                    {
                        "level": "error",
                        "code": "E0382",
                        "message": "borrow of moved value: `v`",
                        "file": "src/lib.rs",
                        "line": 3,
                    }
                ],
            },
            task=t1,
        )
        _patch(log, t1, "apply", "p1", V0, V1, "clone v before the move")
        log.append(
            "validation",
            {"summary": "cargo check is green", "tool": "check", "ok": True, "errors": 0},
            task=t1,
        )
        log.append(
            "reflection",
            {
                "summary": "fixed by cloning",
                "outcome": "done",
                "why": "The Vec is small and the caller keeps using it.",
            },
            settles=t1,
        )
        t2 = log.append("intent", {"summary": "silence the unused variable warning", "mode": "pair"})
        _patch(log, t2, "apply", "p2", V1, V2, "prefix w with an underscore")
        log.append("validation", {"summary": "green, no warnings", "tool": "clippy", "ok": True}, task=t2)
        _patch(log, t2, "undo", "p2", V2, V1, "the user undid it")
        _patch(log, t2, "redo", "p2", V1, V2, "the user redid it")
        _patch(log, t2, "undo", "p2", V2, V1, "the user undid it again")
        log.append(
            "reflection",
            {"summary": "left as it was", "outcome": "rejected", "why": "The user prefers to delete w."},
            settles=t2,
        )
        t3 = log.append("intent", {"summary": "rename total to sum_all"})
        _patch(log, t3, "apply", "p3", V1, V3, "rename the function")
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "lib.rs").write_text(V3)


def make_damaged(root: Path) -> None:
    """Several segments; then a bit flipped inside a sealed segment and a torn append at the end."""
    with DevLog.open(root, session="golden-damaged", clock=Clock(1795700000.0), segment_bytes=400) as log:
        for k in range(6):
            t = log.append("intent", {"summary": f"task {k}"})
            log.append(
                "action", {"summary": f"cargo test {k}", "op": "run", "argv": ["cargo", "test"]}, task=t
            )
            if k != 4:
                log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)
        segs = log.segment_files()
    first = bytearray(segs[0].read_bytes())
    first[frames.SEGMENT_HEADER_SIZE + 20] ^= 0x10
    segs[0].write_bytes(bytes(first))
    with open(segs[-1], "ab") as f:
        f.write(b"\xd7\x1a\x01\x00\xff\x00\x00\x00torn")


def make_compacted(root: Path) -> None:
    """Thirty settled patch tasks and one open one, compacted, then more records."""
    with DevLog.open(root, session="golden-compacted", clock=Clock(1795800000.0), segment_bytes=900) as log:
        old = V0
        for k in range(30):
            t = log.append("intent", {"summary": f"patch {k}"})
            new = V0 + f"// {k}\n"
            _patch(log, t, "apply", f"p{k}", old, new, f"patch {k}")
            old = new
            if k % 7 == 3:
                _patch(log, t, "undo", f"p{k}", new, V0 + (f"// {k - 1}\n" if k else ""), f"undo {k}")
                old = V0 + f"// {k - 1}\n"
            if k != 5:
                log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)
        log.compact(1500)
        t = log.append("intent", {"summary": "after compaction"})
        log.append("reflection", {"summary": "done", "outcome": "done"}, settles=t)
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "lib.rs").write_text(old)


MAKERS: dict[str, Callable[[Path], None]] = {
    "loop_v1": make_loop,
    "damaged_v1": make_damaged,
    "compacted_v1": make_compacted,
    "loop_v2": make_loop,  # the same history as loop_v1, written with typed payloads (schema v2)
}


def install(name: str, dest: Path) -> Path:
    """Copy golden log NAME into `dest` as a repo root (files, and the log in .rusta/devlog)."""
    src = HERE / name
    if (src / "repo").exists():
        shutil.copytree(src / "repo", dest, dirs_exist_ok=True)
    shutil.copytree(src / "devlog", dest / ".rusta" / "devlog")
    return dest


def describe(root: Path) -> dict[str, Any]:
    """What today's code makes of the log at `root`: verify before repair, recovery, entries, replay."""
    v = verify(root)
    log = DevLog.open(root)
    entries = list(log.entries())
    state = replay(entries)
    return {
        "verify": {
            "ok": v.ok,
            "damage": [[d.segment, d.start, d.end, d.reason, d.at_tail] for d in v.damage],
            "problems": [[p.segment, p.offset, p.entry_id, p.problem, p.severity] for p in v.problems],
        },
        "recovery": [[d.segment, d.start, d.end, d.reason, d.at_tail, d.action] for d in log.recovery.damage],
        "entries": msgspec.to_builtins(entries),
        "replay": msgspec.to_builtins(state),
        "repo": msgspec.to_builtins(check_repo(state, root)),
        "verify_after": verify(root).ok,
    }


def _expected(name: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        got = describe(install(name, Path(d) / "r"))
    (HERE / f"{name}.expected.json").write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="make_golden")
    ap.add_argument("names", nargs="*", default=list(MAKERS))
    ap.add_argument("--expected", action="store_true", help="rewrite only the expected JSON")
    args = ap.parse_args(argv)
    for name in args.names:
        if not args.expected:
            if (HERE / name).exists():
                print(f"{name}: exists; golden logs are never made again", file=sys.stderr)
                return 2
            with tempfile.TemporaryDirectory() as d:
                root = Path(d) / "r"
                root.mkdir()
                MAKERS[name](root)
                shutil.copytree(root / ".rusta" / "devlog", HERE / name / "devlog")
                if (root / "src").exists():
                    shutil.copytree(root / "src", HERE / name / "repo" / "src")
        _expected(name)
        print(f"{name}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
