"""A DevLog writer process for crash tests and the bench: append forever, print each id once durable.

Run as `python -m diary.torture ROOT [--seed N] [--segment-bytes B] [--max-bytes B] [--open-every K]`.
Every line "ack ID KIND" on stdout is printed only after `append` returned, so a parent that
SIGKILLs this process at a random moment knows exactly which records were acknowledged. Payload
sizes vary (a few bytes to tens of KiB) so kills land in the middle of writes, rotations and
compactions. Every K-th intent is left open (never settled) so compaction must keep it.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from diary.devlog import DevLog
from diary.types import Base


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="diary.torture")
    ap.add_argument("root")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--segment-bytes", type=int, default=64 * 1024)
    ap.add_argument("--max-bytes", type=int, default=1 << 40)
    ap.add_argument("--open-every", type=int, default=4)
    ap.add_argument("--count", type=int, default=0, help="stop after this many records (0: never)")
    ap.add_argument("--session", default=None)
    ap.add_argument(
        "--chunk", type=int, default=0, help="write frames in chunks of this many bytes (slow disk)"
    )
    args = ap.parse_args(argv)
    if args.chunk:
        _slow_writes(args.chunk)
    rng = random.Random(args.seed)
    log = DevLog.open(
        args.root, session=args.session, segment_bytes=args.segment_bytes, max_bytes=args.max_bytes
    )
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    n = 0
    k = 0
    while not args.count or n < args.count:
        k += 1
        intent = log.append("intent", {"summary": f"task {k}", "pad": "i" * rng.choice((0, 10, 300, 5000))})
        out.write(f"ack {intent} {'intent' if k % args.open_every else 'open-intent'}\n")
        out.flush()
        n += 1
        for _ in range(rng.randint(0, 3)):
            pad = "x" * rng.choice((1, 50, 700, 20000))
            eid = log.append(
                "action", {"summary": "run", "op": "run", "argv": ["cargo", "check"], "pad": pad}, task=intent
            )
            out.write(f"ack {eid} action\n")
            out.flush()
            n += 1
        if k % args.open_every:
            eid = log.append("reflection", {"summary": "done", "outcome": "done"}, settles=intent)
            out.write(f"ack {eid} reflection\n")
            out.flush()
            n += 1
    log.close()
    return 0


def _slow_writes(chunk: int) -> None:
    """Make every frame reach the file in several real write(2) calls with pauses between them,
    as a slow or busy disk would, so a SIGKILL often lands with half a frame written."""
    from diary import segments

    def write_all(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(fd, view[:chunk])
            view = view[n:]
            if view:
                time.sleep(0.0002)

    segments.write_all = write_all


class Trial(Base, frozen=True):
    """One kill -9 of a writer and the recovery after it."""

    acked: int
    lost: tuple[str, ...]  # acknowledged ids missing after recovery (must be empty)
    cut_bytes: int  # bytes recovery cut off (a torn tail) and kept in quarantine
    entries: int
    verify_ok: bool
    killed_after_s: float


def kill_trial(
    root: Path,
    seed: int,
    *,
    delay_s: float,
    segment_bytes: int,
    max_bytes: int = 1 << 40,
    chunk: int = 512,
    during_open: bool = False,
) -> Trial:
    """Start a writer, SIGKILL it `delay_s` after it is ready (or after its start, `during_open`),
    recover the log and check every acknowledged record.

    With compaction off (`max_bytes` huge) every acknowledged id must be there; with it on, settled
    records may be folded away, but every acknowledged never-settled intent must be there.
    """
    from diary.verify import verify

    argv = [sys.executable, "-m", "diary.torture", str(root), "--seed", str(seed)]
    argv += ["--segment-bytes", str(segment_bytes), "--max-bytes", str(max_bytes), "--session", f"t{seed}"]
    argv += ["--chunk", str(chunk)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert child.stdout is not None
    if not during_open:
        first = child.stdout.readline()
        if first != b"ready\n":
            child.kill()
            raise RuntimeError(f"writer did not start: {first!r} {child.communicate()[1].decode()[-2000:]}")
    time.sleep(delay_s)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate()
    if child.returncode != -signal.SIGKILL:
        raise RuntimeError(f"writer exited {child.returncode} before the kill: {err.decode()[-2000:]}")
    acks = [ln.split() for ln in out.decode().split("\n")[:-1] if ln.startswith("ack ")]
    compacting = max_bytes < 1 << 40
    must = [a[1] for a in acks if not compacting or a[2] == "open-intent"]
    with DevLog.open(root) as log:
        ids = {e.id for e in log.entries()}  # decodes every entry: nothing half-read gets through
        cut = sum(d.end - d.start for d in log.recovery.damage)
    rep = verify(root)
    return Trial(
        acked=len(acks),
        lost=tuple(i for i in must if i not in ids),
        cut_bytes=cut,
        entries=len(ids),
        verify_ok=rep.ok,
        killed_after_s=delay_s,
    )


if __name__ == "__main__":
    sys.exit(main())
