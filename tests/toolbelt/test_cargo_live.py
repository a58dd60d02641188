"""The runners on real cargo: tests parsed per outcome, a hanging build script is a timeout, the
toolchain is recorded, and everything still works under Rusta's memory limit."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from toolbelt.cargo_run import run_check, run_test
from toolbelt.errors import ToolchainMissing
from toolbelt.paths import target_dir_for
from toolbelt.process import DEFAULT_MEMORY_BYTES

pytestmark = pytest.mark.slow


def test_libtest_every_outcome_live(fixture_crate) -> None:
    report = run_test(fixture_crate("libtest_mix"))
    seen = report.process.stdout.decode(errors="replace")[-3000:] if report.process else ""
    assert report.status == "failed", (report.status, report.message, seen)
    got = {t.name: t.status for t in report.tests}
    assert got == {
        "tests::passes": "ok",
        "tests::fails": "failed",
        "tests::ignored": "ignored",
        "tests::panics_as_expected": "ok",
    }
    fails = next(t for t in report.tests if t.name == "tests::fails")
    assert "double is wrong" in fails.output and "about to compare" in fails.output
    assert report.toolchain is not None and report.toolchain.rustc.startswith("rustc "), report.toolchain


def test_check_records_toolchain_and_runs_under_the_memory_limit(fixture_crate) -> None:
    assert DEFAULT_MEMORY_BYTES == 8 * 1024**3  # the limit every run above and below ran under
    report = run_check(fixture_crate("borrow_error"))
    assert report.status == "diagnostics"
    assert [d.code_str for d in report.diagnostics] == ["E0382"]
    tc = report.toolchain
    assert tc is not None
    cargo = subprocess.run(["cargo", "--version"], capture_output=True, text=True).stdout.strip()
    assert tc.cargo == cargo and tc.clippy.startswith("clippy ") and tc.rustfmt.startswith("rustfmt ")


def _build_scripts_alive(target: Path) -> list[int]:
    pids = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            exe = os.readlink(p / "exe")
            state = (p / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if exe.startswith(str(target)) and state not in ("Z", "X"):
            pids.append(int(p.name))
    return pids


def test_hanging_build_script_is_a_timeout_and_is_killed(fixture_crate) -> None:
    root = fixture_crate("hanging_build")
    t0 = time.monotonic()
    report = run_check(root, timeout_s=4)
    assert report.status == "timeout"
    assert time.monotonic() - t0 < 30
    assert "4 s" in report.message
    deadline = time.monotonic() + 5
    while _build_scripts_alive(target_dir_for(root)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _build_scripts_alive(target_dir_for(root)) == [], "the build script outlived the timeout"


def test_missing_pinned_toolchain_is_one_sentence(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    (root / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "1.56.0"\n')
    with pytest.raises(ToolchainMissing) as err:
        run_check(root)
    msg = str(err.value)
    assert "`1.56.0`" in msg and "rust-toolchain.toml" in msg and "rustup toolchain install 1.56.0" in msg
    (root / "rust-toolchain.toml").unlink()
    (root / "rust-toolchain").write_text("nightly\n")  # installed here: must just work
    assert run_check(root).toolchain.pinned == "nightly"


def test_fixed_demo_runs_clean_without_isolation_too(tmp_path: Path) -> None:
    """isolate=False is the escape hatch; the result must not depend on it."""
    from toolbelt import demo

    root = demo.reset(tmp_path / "d")
    for src in demo.fixed_dir().rglob("*.rs"):
        shutil.copyfile(src, root / src.relative_to(demo.fixed_dir()))
    assert run_check(root, tool="check", isolate=False).status == "clean"


def test_memory_limit_binds_and_is_reported_plainly(fixture_crate) -> None:
    """Far below what rustc needs, the limit bites and the report says so in one sentence; 8 GiB
    (every other test here) leaves rustc ample room: it checks small crates in under 600 MiB."""
    root = fixture_crate("borrow_error")
    starved = run_check(root, tool="check", memory_bytes=200 * 1024**2)
    assert starved.status == "failed"
    assert "memory limit" in starved.message, starved.message
    assert run_check(root, tool="check", memory_bytes=1024**3).status == "diagnostics"


def test_diagnostics_decoded_as_they_stream_equal_a_parse_of_the_whole_output(tmp_path: Path) -> None:
    """run_check decodes cargo's lines in the reader thread while cargo works; what it reports must be
    what a parse of the whole captured stream gives, diagnostic for diagnostic (lib and test targets
    both report the demo's, so the de-duplication is exercised too)."""
    from toolbelt import demo
    from toolbelt.diagnostics import parse_cargo_messages

    root = demo.reset(tmp_path / "demo")
    seen: list[bytes] = []
    report = run_check(root, tool="clippy", on_stdout_line=seen.append)
    assert report.diagnostics and b"".join(seen) == report.process.stdout
    assert report.diagnostics == parse_cargo_messages(report.process.stdout.splitlines(), "clippy")
