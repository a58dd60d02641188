"""`rusta review --batch`: three crates, bounded jobs, a state file; a run killed midway resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real cargo on three tiny crates

RUSTA = Path(sys.executable).with_name("rusta")
CRATES = {
    "clean": "pub fn one() -> u32 {\n    1\n}\n",
    "warns": "pub fn two() -> u32 {\n    let spare = 1;\n    2\n}\n",
    "broken": 'pub fn three() -> u32 {\n    "three"\n}\n',
}


def make_crates(root: Path) -> list[Path]:
    out = []
    for name, lib in CRATES.items():
        c = root / name
        (c / "src").mkdir(parents=True)
        (c / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
        (c / "src" / "lib.rs").write_text(lib)
        out.append(c)
    return out


def test_a_batch_killed_midway_resumes_where_it_stopped(tmp_path: Path) -> None:
    crates = make_crates(tmp_path)
    state = tmp_path / "state.jsonl"
    argv = [
        str(RUSTA),
        "review",
        "--batch",
        *map(str, crates),
        "--jobs",
        "1",
        "--state",
        str(state),
        "--no-clippy",
    ]
    first = subprocess.Popen(
        [*argv, "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (state.exists() and state.read_bytes().count(b"\n") >= 1):
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the whole batch: the parent and the crate it is on
    first.wait(timeout=30)
    done_before = [json.loads(line)["crate"] for line in state.read_text().splitlines()]
    assert 1 <= len(done_before) < 3
    assert done_before[0] == str(crates[0].resolve())

    second = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert second.returncode == 1, second.stdout + second.stderr  # `broken` has an error
    resumed = [ln for ln in second.stderr.splitlines() if "(from the last run)" in ln]
    assert len(resumed) == len(done_before) and resumed[0].startswith("clean:")
    rows = [json.loads(line) for line in state.read_text().splitlines()]
    assert sorted(r["crate"] for r in rows) == sorted(str(c.resolve()) for c in crates)  # none twice
    status = {Path(r["crate"]).name: r for r in rows}
    assert status["clean"]["status"] == "pass" and status["warns"]["status"] == "pass"
    assert status["warns"]["warnings"] == 1
    assert status["broken"]["status"] == "fail" and status["broken"]["errors"] >= 1
    table = second.stdout.splitlines()
    assert table[0].split() == ["crate", "status", "findings", "errors", "warnings", "seconds"]
    assert any(ln.split()[:2] == ["broken", "fail"] for ln in table)
    assert "2 pass, 1 fail" in second.stdout


def test_a_crate_past_its_time_limit_is_a_timeout_and_the_batch_exits_2(tmp_path: Path) -> None:
    (crate,) = make_crates(tmp_path)[:1]
    out = subprocess.run(
        [
            str(RUSTA),
            "review",
            "--batch",
            str(crate),
            "--time-limit",
            "0.2",
            "--state",
            str(tmp_path / "s.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2, out.stdout + out.stderr
    assert any(ln.split()[:2] == ["clean", "timeout"] for ln in out.stdout.splitlines())


def test_ctrl_c_stops_the_running_review_at_once_and_keeps_what_finished(tmp_path: Path) -> None:
    crates = make_crates(tmp_path)
    state = tmp_path / "state.jsonl"
    argv = [str(RUSTA), "review", "--batch", *map(str, crates), "--jobs", "1", "--state", str(state)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (state.exists() and state.read_bytes().count(b"\n") >= 1):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)  # the parent only, as a terminal's Ctrl-C would reach it
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert time.monotonic() - t0 < 20  # the crate under review was killed, not waited for
    rows = [json.loads(line) for line in state.read_text().splitlines()]
    assert 1 <= len(rows) < 3 and all(r["status"] in ("pass", "fail") for r in rows)
