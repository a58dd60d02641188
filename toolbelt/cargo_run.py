"""Run cargo check / clippy / test / fmt on a crate with Rusta's limits and parse what they say."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from toolbelt.crate import find_crate_root, read_manifest
from toolbelt.diagnostics import parse_cargo_messages
from toolbelt.paths import target_dir_for
from toolbelt.process import run_limited
from toolbelt.testparse import parse_libtest
from toolbelt.types import CheckReport, FmtReport, ProcessResult, TestReport

CHECK_TIMEOUT_S = 300.0
TEST_TIMEOUT_S = 600.0


def cargo_env(target_dir: Path | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every cargo run gets: offline, no color, Rusta's own target dir."""
    env = dict(os.environ)
    env.update(
        CARGO_NET_OFFLINE="true",
        CARGO_TERM_COLOR="never",
        CARGO_TERM_PROGRESS_WHEN="never",
        RUST_BACKTRACE="0",
    )
    if target_dir is not None:
        env["CARGO_TARGET_DIR"] = str(target_dir)
    if extra:
        env.update(extra)
    return env


def _failure_sentence(proc: ProcessResult) -> str:
    """One sentence from cargo's stderr when it failed without diagnostics (broken manifest, lock...)."""
    if proc.outcome == "timeout":
        return f"cargo was {proc.note}."
    if proc.outcome == "output_cap":
        return f"cargo was {proc.note}."
    if proc.outcome == "killed":
        return "cargo was cancelled."
    lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error")]
    pick = errors[0] if errors else (lines[-1] if lines else f"cargo exited with {proc.returncode}")
    detail = ""
    if errors:
        idx = lines.index(errors[0])
        detail = " ".join(lines[idx + 1 : idx + 3])
    return (pick + (" " + detail if detail else "")).strip()


def run_check(
    crate: str | Path,
    *,
    tool: str = "check",
    timeout_s: float = CHECK_TIMEOUT_S,
    cancel: threading.Event | None = None,
    target_dir: Path | None = None,
    all_targets: bool = True,
    env_extra: dict[str, str] | None = None,
) -> CheckReport:
    """`cargo check` or `cargo clippy` with JSON diagnostics. Never "clean" unless cargo said so."""
    root = find_crate_root(crate)
    read_manifest(root)
    argv = ["cargo", tool, "--message-format=json", "--quiet"]
    if all_targets:
        argv.append("--all-targets")
    proc = run_limited(
        argv,
        cwd=root,
        env=cargo_env(target_dir or target_dir_for(root), env_extra),
        timeout_s=timeout_s,
        cancel=cancel,
    )
    diags = parse_cargo_messages(proc.stdout.splitlines(), "clippy" if tool == "clippy" else "rustc")
    if proc.outcome in ("timeout", "killed", "output_cap"):
        status, message = "timeout" if proc.outcome == "timeout" else "error", _failure_sentence(proc)
    elif proc.outcome == "ok":
        status, message = ("diagnostics" if diags else "clean"), ""
    elif any(d.level.startswith("error") for d in diags):
        status, message = "diagnostics", ""
    else:
        status, message = "failed", _failure_sentence(proc)
    return CheckReport(
        crate_root=str(root), tool=tool, status=status, diagnostics=diags, process=proc, message=message
    )


def run_test(
    crate: str | Path,
    *,
    timeout_s: float = TEST_TIMEOUT_S,
    cancel: threading.Event | None = None,
    target_dir: Path | None = None,
    test_filter: str | None = None,
    env_extra: dict[str, str] | None = None,
) -> TestReport:
    """`cargo test`: build diagnostics as JSON, each test's result parsed from libtest's output."""
    root = find_crate_root(crate)
    read_manifest(root)
    argv = ["cargo", "test", "--message-format=json", "--quiet", "--no-fail-fast"]
    argv.append("--")
    if test_filter:
        argv.append(test_filter)
    proc = run_limited(
        argv,
        cwd=root,
        env=cargo_env(target_dir or target_dir_for(root), env_extra),
        timeout_s=timeout_s,
        cancel=cancel,
    )
    out_lines = proc.stdout.splitlines()
    diags = parse_cargo_messages(out_lines)
    text = b"\n".join(ln for ln in out_lines if not ln.lstrip().startswith(b"{")).decode("utf-8", "replace")
    tests = parse_libtest(text)
    if proc.outcome == "timeout":
        status, message = "timeout", _failure_sentence(proc)
    elif proc.outcome in ("killed", "output_cap"):
        status, message = "error", _failure_sentence(proc)
    elif any(d.level.startswith("error") for d in diags):
        status, message = "build_failed", ""
    elif proc.outcome == "ok":
        status, message = "passed", ""
    elif any(t.status == "failed" for t in tests):
        status, message = "failed", ""
    else:
        status, message = "error", _failure_sentence(proc)
    return TestReport(
        crate_root=str(root), status=status, tests=tests, diagnostics=diags, process=proc, message=message
    )


def run_fmt_check(crate: str | Path, *, timeout_s: float = 60.0) -> FmtReport:
    """`cargo fmt --check`: which files rustfmt would change."""
    root = find_crate_root(crate)
    proc = run_limited(["cargo", "fmt", "--check", "--", "-l"], cwd=root, env=cargo_env(None), timeout_s=timeout_s)
    files = tuple(ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln.strip())
    if proc.outcome == "ok":
        status = "formatted"
    elif proc.outcome == "timeout":
        status = "timeout"
    elif proc.returncode == 1 and files:
        status = "unformatted"
    else:
        status = "error"
    msg = "" if status in ("formatted", "unformatted") else _failure_sentence(proc)
    return FmtReport(crate_root=str(root), status=status, files=files, process=proc, message=msg)
