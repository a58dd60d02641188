"""Two writer processes on one repo never interleave frames; a reader alongside never blocks them
and never sees anything but whole records."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from diary.devlog import DevLog
from diary.verify import verify

REPO = Path(__file__).resolve().parents[2]


def _writer(root: Path, session: str, seed: int) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "diary.torture", str(root), "--seed", str(seed), "--session", session]
    argv += ["--count", "120", "--segment-bytes", "20000", "--chunk", "700"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def test_two_writers_and_a_reader(tmp_path: Path) -> None:
    DevLog.open(tmp_path).close()
    a, b = _writer(tmp_path, "wa", 1), _writer(tmp_path, "wb", 2)
    reader = DevLog.open(tmp_path, readonly=True)
    seen = 0
    reads = 0
    while a.poll() is None or b.poll() is None:
        got = list(reader.entries())  # decodes every entry it returns
        assert len(got) >= seen
        seen = len(got)
        reads += 1
        rep = verify(tmp_path)
        last = rep.segments[-1] if rep.segments else None
        assert all(d.at_tail and d.segment == last for d in rep.damage), (
            rep.damage
        )  # only a write in progress
    outs = {}
    for name, p in (("wa", a), ("wb", b)):
        out, err = p.communicate()
        assert p.returncode == 0, err.decode()
        outs[name] = [ln.split()[1] for ln in out.decode().splitlines() if ln.startswith("ack ")]
    assert reads > 3
    rep = verify(tmp_path)
    assert rep.ok and not rep.damage and not rep.problems, rep
    with DevLog.open(tmp_path) as log:
        assert log.recovery.clean
        entries = list(log.entries())
    assert len(entries) == sum(len(v) for v in outs.values()) >= 240
    for name, acked in outs.items():
        assert [e.id for e in entries if e.session == name] == acked  # each writer's order is kept
    sessions = [e.session for e in entries]
    switches = sum(1 for x, y in zip(sessions, sessions[1:], strict=False) if x != y)
    assert switches > 2, "the writers never ran at the same time; the test proved nothing"


def test_threads_sharing_one_log(tmp_path: Path) -> None:
    import threading

    log = DevLog.open(tmp_path, segment_bytes=4000)
    ids: list[list[str]] = [[] for _ in range(4)]
    errors: list[BaseException] = []

    def write(k: int) -> None:
        try:
            for j in range(40):
                ids[k].append(log.append("note", {"summary": f"t{k} n{j}", "pad": "p" * (j * 37 % 900)}))
        except BaseException as e:  # surfaced by the assertion below
            errors.append(e)

    def read() -> None:
        try:
            while any(t.is_alive() for t in writers):
                list(log.entries())
        except BaseException as e:
            errors.append(e)

    writers = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in writers:
        t.start()
    reader = threading.Thread(target=read)
    reader.start()
    for t in [*writers, reader]:
        t.join()
    assert errors == []
    got = [e.id for e in log.entries()]
    assert sorted(got) == sorted(i for chunk in ids for i in chunk) and len(got) == 160
    for chunk in ids:
        assert [i for i in got if i in set(chunk)] == chunk
    log.close()
    assert verify(tmp_path).ok
