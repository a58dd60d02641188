"""Reviewing many crates: bounded parallelism, a time limit per crate, and a state file to resume.

Each crate is reviewed by its own process (the argv the caller builds), killed with its process
group when it runs past the limit. Every finished crate is appended to the state file as one JSON
line and fsynced, so a run interrupted midway starts again after the last crate it finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import msgspec

from engine.patching.types import Proof
from engine.proofs.collect import proof_lines
from engine.review.errors import ReviewError
from toolbelt.paths import writable_cache_dir
from toolbelt.process import run_limited

STATE_VERSION = 1
BatchStatus = Literal["pass", "fail", "no_verdict", "timeout"]


class BatchRow(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One crate's line in the state file and on stdout."""

    version: int = STATE_VERSION
    crate: str
    status: BatchStatus
    exit_code: int | None
    findings: int = 0
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    reason: str = ""
    proofs: tuple[str, ...] = ()  # "file:line proof <status>: <detail>" for each validated fix (and the diff)


_decoder = msgspec.json.Decoder(BatchRow)
_encoder = msgspec.json.Encoder()


def default_state_file(crates: Sequence[Path], options: Sequence[str]) -> Path:
    """A state file named after the crates and options: the same command resumes the same run."""
    key = "\0".join([*sorted(str(c.resolve()) for c in crates), *options])
    return writable_cache_dir() / "review" / f"batch-{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsonl"


def load_state(path: Path) -> dict[str, BatchRow]:
    """The crates a previous run finished; a torn last line (a kill mid-write) is ignored."""
    done: dict[str, BatchRow] = {}
    if not path.is_file():
        return done
    for line in path.read_bytes().splitlines():
        try:
            row = _decoder.decode(line)
        except msgspec.ValidationError as e:
            raise ReviewError(f"{path} is not a review state file ({e}); remove it to start over.") from e
        except msgspec.DecodeError:
            continue
        done[row.crate] = row
    return done


def _append(path: Path, row: BatchRow, lock: threading.Lock) -> None:
    with lock, open(path, "ab") as f:
        f.write(_encoder.encode(row) + b"\n")
        f.flush()
        os.fsync(f.fileno())


def row_from_output(
    crate: str, returncode: int | None, stdout: bytes, seconds: float, timed_out: bool
) -> BatchRow:
    """One crate's row from its review process: the JSON it printed and the exit code it gave."""
    if timed_out:
        return BatchRow(
            crate=crate, status="timeout", exit_code=None, seconds=seconds, reason="ran past the time limit"
        )
    try:
        data = json.loads(stdout.decode("utf-8", "replace") or "null")
    except json.JSONDecodeError:
        data = None
    if returncode not in (0, 1) or not isinstance(data, dict):
        return BatchRow(
            crate=crate, status="no_verdict", exit_code=returncode, seconds=seconds, reason="no review"
        )
    findings = data.get("findings") or []
    levels = [f.get("level", "") for f in findings]
    proofs = [
        f"{where} {line}"
        for where, got in [
            *(
                (f"{f.get('file', '')}:{f.get('line', '')}", (f.get("fix") or {}).get("proofs"))
                for f in findings
            ),
            (str((data.get("diff") or {}).get("file", "diff")), (data.get("diff") or {}).get("proofs")),
        ]
        for line in proof_lines(msgspec.convert(got or [], tuple[Proof, ...]), "")
    ]
    return BatchRow(
        crate=crate,
        status="pass" if returncode == 0 else "fail",
        exit_code=returncode,
        findings=len(findings),
        errors=sum(1 for lv in levels if lv.startswith("error")),
        warnings=sum(1 for lv in levels if lv == "warning"),
        seconds=round(seconds, 2),
        reason=str(data.get("reason", "")),
        proofs=tuple(proofs),
    )


def run_batch(
    crates: Sequence[Path],
    argv_for: Callable[[Path], list[str]],
    *,
    state: Path,
    jobs: int,
    time_limit_s: float,
    on_row: Callable[[BatchRow, bool], None] | None = None,
) -> list[BatchRow]:
    """Review every crate not already in `state`, `jobs` at a time; rows in the crates' order.

    `on_row(row, resumed)` hears each row as it is known (resumed: from the state file).
    """
    state.parent.mkdir(parents=True, exist_ok=True)
    done = load_state(state)
    lock = threading.Lock()
    rows: dict[str, BatchRow] = {}
    for c in crates:
        key = str(c.resolve())
        if key in done:
            rows[key] = done[key]
            if on_row is not None:
                on_row(done[key], True)

    cancel = threading.Event()

    def one(c: Path) -> None:
        key = str(c.resolve())
        if cancel.is_set():
            return
        proc = run_limited(argv_for(c), cwd=c, timeout_s=time_limit_s, memory_bytes=None, cancel=cancel)
        if cancel.is_set():  # interrupted: this crate has no verdict and is reviewed again on resume
            return
        row = row_from_output(key, proc.returncode, proc.stdout, proc.duration_s, proc.outcome == "timeout")
        _append(state, row, lock)
        rows[key] = row
        if on_row is not None:
            with lock:
                on_row(row, False)

    todo = [c for c in crates if str(c.resolve()) not in rows]
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        for fut in [pool.submit(one, c) for c in todo]:
            fut.result()
    except BaseException:  # Ctrl-C: stop the running reviews now; the state file keeps what finished
        cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [rows[str(c.resolve())] for c in crates]


def summary_table(rows: Sequence[BatchRow]) -> str:
    width = max([len(Path(r.crate).name) for r in rows] + [5])
    lines = [
        f"{'crate':<{width}}  {'status':<10} {'findings':>8} {'errors':>6} {'warnings':>8} {'seconds':>8}"
    ]
    for r in rows:
        lines.append(
            f"{Path(r.crate).name:<{width}}  {r.status:<10} {r.findings:>8} {r.errors:>6} {r.warnings:>8} {r.seconds:>8.1f}"
        )
        lines += [f"  {p}" for p in r.proofs]  # which proofs ran for each validated fix, as review lists them
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("pass", "fail", "no_verdict", "timeout")}
    lines.append(", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n) or "no crates")
    return "\n".join(lines)
