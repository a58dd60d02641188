"""Run cargo check / clippy / test / fmt on a crate with Rusta's limits and parse what they say."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from toolbelt import cargo_early
from toolbelt.cargo_early import cargo_env, check_args
from toolbelt.crate import check_source_sizes, find_crate_root, read_manifest
from toolbelt.diagnostics import MessageStream, parse_cargo_messages
from toolbelt.errors import ToolbeltError, ToolMissing
from toolbelt.isolation import forget as forget_isolation
from toolbelt.isolation import isolated_argv
from toolbelt.paths import target_dir_for
from toolbelt.process import DEFAULT_MEMORY_BYTES, finish, run_limited
from toolbelt.selection import Selection
from toolbelt.selection import current as current_selection
from toolbelt.shadow import build_root
from toolbelt.toolchain import require_pinned_toolchain, toolchain_versions
from toolbelt.types import (
    CheckReport,
    CheckTool,
    FmtReport,
    FmtStatus,
    ProcessResult,
    ReportStatus,
    SuiteResult,
    SuiteStarted,
    TestEvent,
    TestReport,
    TestReportStatus,
    Toolchain,
)

CHECK_TIMEOUT_S = 300.0
TEST_TIMEOUT_S = 600.0


# How rustc dies when the address-space limit bites: at start-up (mapping LLVM), in an allocation, or
# when a thread's stack cannot be reserved.
_OUT_OF_MEMORY = (
    "memory allocation of",
    "failed to map segment from shared object",
    "Cannot allocate memory",
    "out of memory",
)


def _out_of_memory(line: str) -> bool:
    """A sign of the limit biting; a SIGSEGV counts only in rustc itself, never in a user's test binary."""
    return any(sign in line for sign in _OUT_OF_MEMORY) or ("SIGSEGV" in line and "rustc" in line)


def _cargo_exe(env: dict[str, str]) -> str:
    """cargo's absolute path on the run's PATH; ToolMissing in one sentence when there is none."""
    exe = shutil.which("cargo", path=env.get("PATH", os.defpath))
    if exe is None:
        raise ToolMissing("cargo is not on PATH; install Rust with rustup (https://rustup.rs) or fix PATH.")
    return exe


def _run_cargo(
    root: Path,
    args: Sequence[str],
    *,
    env: dict[str, str],
    timeout_s: float,
    cancel: threading.Event | None,
    isolate: bool = True,
    merge_stderr: bool = False,
    on_stdout_line: Callable[[bytes], None] | None = None,
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
    loopback: bool = False,
    adopt_early: bool = False,
) -> tuple[ProcessResult, Toolchain]:
    """Run cargo in `root`, network-isolated, while the toolchain versions are read in parallel.

    Checks first what would make cargo fail obscurely: cargo missing, a pinned toolchain that is not
    installed, an oversized source file; a read-only crate without Cargo.lock runs from a shadow copy.
    `adopt_early`: take over the cargo `toolbelt.cargo_early` started, if it is exactly this run.
    """
    argv = [_cargo_exe(env), *args]
    require_pinned_toolchain(root)
    check_source_sizes(root)
    workdir = build_root(root)
    holder: list[Toolchain] = []

    def read_versions() -> None:
        # Best effort, like an absent tool: a failure here must never print a thread traceback.
        try:
            holder.append(toolchain_versions(root))
        except (ToolbeltError, OSError, RuntimeError):  # RuntimeError: the interpreter is shutting down
            holder.append(Toolchain())

    probe = threading.Thread(target=read_versions, daemon=True)
    probe.start()

    def go(first: bool = False) -> ProcessResult:
        spawn = isolated_argv(argv, loopback=loopback) if isolate else argv
        early = (
            cargo_early.claim(spawn, workdir, env, memory_bytes, merge_stderr)
            if first and adopt_early
            else None
        )
        if early is not None:
            early.attach(on_stdout_line)
            return finish(early, timeout_s=timeout_s, cancel=cancel)
        return run_limited(
            spawn,
            cwd=workdir,
            env=env,
            timeout_s=timeout_s,
            cancel=cancel,
            merge_stderr=merge_stderr,
            on_stdout_line=on_stdout_line,
            memory_bytes=memory_bytes,
        )

    try:
        proc = go(first=True)
        if isolate and proc.outcome == "failed" and (proc.stderr or proc.stdout).startswith(b"unshare: "):
            forget_isolation()  # the kernel's policy changed since the mode was cached: detect again
            proc = go()
    finally:
        probe.join()  # never leave the probe running into interpreter shutdown (Ctrl-C, an error)
    return proc, holder[0] if holder else Toolchain()


def _failure_sentence(proc: ProcessResult, root: Path | None = None) -> str:
    """One sentence from cargo's stderr when it failed without diagnostics (broken manifest, lock...).

    With `root`, a dependency cargo cannot resolve offline is named with where Rusta looked and the fix.
    """
    if root is not None and proc.outcome == "failed":
        from toolbelt.build_script import build_script_sentence  # only when cargo failed: saves start-up
        from toolbelt.offline_deps import offline_sentence

        said = (proc.stderr or proc.stdout).decode("utf-8", "replace")
        found = offline_sentence(root, said) or build_script_sentence(said)
        if found is not None:
            return found
    if proc.outcome == "timeout":
        return f"cargo was {proc.note}."
    if proc.outcome == "output_cap":
        return f"cargo was {proc.note}."
    if proc.outcome == "killed":
        return "cargo was cancelled."
    text = (proc.stderr or proc.stdout).decode("utf-8", "replace")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("{")]
    if any("no such command: `clippy`" in ln for ln in lines):
        return "cargo clippy is not installed; run `rustup component add clippy`, or use --no-clippy."
    if any(_out_of_memory(ln) for ln in lines):
        return (
            "the compiler ran out of memory or crashed under Rusta's per-process memory limit "
            "(RLIMIT_AS); the crate may need more than the limit allows."
        )
    if any("no such command: `fmt`" in ln for ln in lines):
        return "rustfmt is not installed; run `rustup component add rustfmt`."
    errors = [i for i, ln in enumerate(lines) if ln.startswith("error")]
    if not errors:
        return (lines[-1] if lines else f"cargo exited with {proc.returncode}").rstrip(".") + "."
    first = errors[0]
    parts = [lines[first].removeprefix("error:").strip()]
    # cargo explains with "Caused by:" blocks; keep up to two causes, dropping the headers.
    for ln in lines[first + 1 : first + 12]:
        if ln.startswith(("error", "warning", "note: ", "help: ")) or len(parts) >= 3:
            break
        if ln != "Caused by:" and not re.match(r"^(\d+\s*)?[|^]", ln):  # skip source-snippet lines
            parts.append(ln)
    return ": ".join(p.rstrip(".:") for p in parts if p) + "."


def run_check(
    crate: str | Path,
    *,
    tool: CheckTool = "check",
    timeout_s: float = CHECK_TIMEOUT_S,
    cancel: threading.Event | None = None,
    target_dir: Path | None = None,
    all_targets: bool = True,
    env_extra: dict[str, str] | None = None,
    isolate: bool = True,
    on_stdout_line: Callable[[bytes], None] | None = None,
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
    selection: Selection | None = None,
) -> CheckReport:
    """`cargo check` or `cargo clippy` with JSON diagnostics. Never "clean" unless cargo said so.

    Clippy runs rustc underneath, so a clippy report holds every rustc diagnostic too: one clippy run
    replaces check + clippy. `--keep-going` lets every crate of a workspace report, not only the first
    one that fails. `selection` (default: the process's, see toolbelt.selection) picks packages,
    features and targets; its targets replace `all_targets` when it names some.
    """
    root = find_crate_root(crate)  # the manifest is parsed only if cargo fails (see below): 8 ms saved
    sel = selection if selection is not None else current_selection()
    argv = check_args(tool, sel.package_args(), sel.check_target_args("all" if all_targets else "default"))
    stream = MessageStream("clippy" if tool == "clippy" else "rustc")
    fed = [0]

    def on_line(line: bytes) -> None:
        stream.feed(line)  # decoded as it arrives, while cargo works
        fed[0] += len(line)
        if on_stdout_line is not None:
            on_stdout_line(line)

    proc, toolchain = _run_cargo(
        root,
        argv,
        env=cargo_env(target_dir or target_dir_for(root), env_extra),
        timeout_s=timeout_s,
        cancel=cancel,
        isolate=isolate,
        on_stdout_line=on_line,
        memory_bytes=memory_bytes,
        adopt_early=True,
    )
    # The stream saw every byte unless a retry (isolation re-detected) or a failing feed broke it.
    diags = (
        stream.result()
        if fed[0] == len(proc.stdout)
        else parse_cargo_messages(proc.stdout.splitlines(), stream.tool)
    )
    status: ReportStatus
    if proc.outcome in ("timeout", "killed", "output_cap"):
        status, message = "timeout" if proc.outcome == "timeout" else "error", _failure_sentence(proc)
    elif proc.outcome == "ok":
        status, message = ("diagnostics" if diags else "clean"), ""
    elif any(d.level.startswith("error") for d in diags):
        status, message = "diagnostics", ""
    else:
        read_manifest(root)  # a broken Cargo.toml is said in Rusta's sentence, naming the line
        status, message = "failed", _failure_sentence(proc, root)
    return CheckReport(
        crate_root=str(root),
        tool=tool,
        status=status,
        diagnostics=diags,
        process=proc,
        toolchain=toolchain,
        message=message,
    )


def run_test(
    crate: str | Path,
    *,
    timeout_s: float = TEST_TIMEOUT_S,
    cancel: threading.Event | None = None,
    target_dir: Path | None = None,
    test_filter: str | None = None,
    env_extra: dict[str, str] | None = None,
    isolate: bool = True,
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
    test_filters: Sequence[str] = (),
    exact: bool = False,
    backtrace: bool = False,
    on_event: Callable[[TestEvent], None] | None = None,
    selection: Selection | None = None,
    doc: bool = False,
    run_timeout_s: float | None = None,
    run_timeout_why: str = "",
) -> TestReport:
    """`cargo test`: build diagnostics as JSON, each test's result parsed from libtest's output.

    stderr is merged into stdout so cargo's `Running ...` lines name the suite of the results that
    follow; libtest's default (pretty) format gives one `test NAME ... ok` line per test.
    `test_filters` (with `test_filter`) are libtest filters, matched exactly with `exact`;
    `backtrace` sets RUST_BACKTRACE=1 so a failure names its frames; `on_event` hears each suite and
    test as the output streams in (on a reader thread). `doc` runs the doctests alone (`--doc`, in place
    of the selection's targets): how one doctest is re-run, see `toolbelt.testparse.doc_filter`.
    `run_timeout_s` bounds the tests' own running, counted from the first `running N tests`: the
    build before it may take minutes on a cold target, the tests of a suite that took a second do
    not, so a hung test is stopped without waiting for `timeout_s`; the report then says "the tests
    did not finish within N s" and `run_timeout_why` (why N was enough).
    """
    from toolbelt.testparse import LibtestAnalyzer, parse_run  # not on `rusta check`'s start-up path

    root = find_crate_root(crate)
    read_manifest(root)
    # No --quiet: cargo would pass it on to every harness, and libtest's terse output has no names.
    sel = selection if selection is not None else current_selection()
    argv = [
        "test",
        "--message-format=json",
        "--no-fail-fast",
        *sel.package_args(),
        *(["--doc"] if doc else sel.target_args("default")),
    ]
    filters = ([test_filter] if test_filter else []) + list(test_filters)
    if filters or exact:
        argv += ["--", *(["--exact"] if exact else []), *filters]
    env_base = {"RUST_BACKTRACE": "1"} if backtrace else {}
    on_line = None
    hung = _RunBound(cancel)
    if on_event is not None or run_timeout_s is not None:
        stream = LibtestAnalyzer()

        def on_line(raw: bytes) -> None:
            if not raw.lstrip().startswith(b"{"):
                for event in stream.feed(raw.decode("utf-8", "replace")):
                    if run_timeout_s is not None and isinstance(event, SuiteStarted):
                        hung.start(run_timeout_s)
                    if on_event is not None:
                        on_event(event)

    proc, toolchain = _run_cargo(
        root,
        argv,
        env=cargo_env(target_dir or target_dir_for(root), {**env_base, **(env_extra or {})}),
        timeout_s=timeout_s,
        cancel=hung if run_timeout_s is not None else cancel,
        isolate=isolate,
        merge_stderr=True,
        on_stdout_line=on_line,
        memory_bytes=memory_bytes,
        loopback=True,  # a crate's own tests may serve and connect on 127.0.0.1
    )
    out_lines = proc.stdout.splitlines()
    diags = parse_cargo_messages(out_lines)
    text = b"\n".join(ln for ln in out_lines if not ln.lstrip().startswith(b"{")).decode("utf-8", "replace")
    tests, suites, running = parse_run(text)
    hung.stop()
    status: TestReportStatus
    if proc.outcome == "killed" and hung.fired and run_timeout_s is not None:
        said = f"the tests did not finish within {run_timeout_s:g} s{run_timeout_why}."
        status, message = "timeout", said + _still_running(suites, running)
    elif proc.outcome == "timeout":
        status, message = "timeout", _failure_sentence(proc) + _still_running(suites, running)
    elif proc.outcome in ("killed", "output_cap"):
        status, message = "error", _failure_sentence(proc)
    elif any(d.level.startswith("error") for d in diags):
        status, message = "build_failed", ""
    elif proc.outcome == "ok":
        status, message = "passed", ""
    elif any(t.status == "failed" for t in tests):
        status, message = "failed", ""
    else:
        status, message = "error", _failure_sentence(proc, root)
    return TestReport(
        crate_root=str(root),
        status=status,
        tests=tests,
        suites=suites,
        diagnostics=diags,
        process=proc,
        toolchain=toolchain,
        message=message,
    )


class _RunBound(threading.Event):
    """The cancel `finish` watches: the caller's own cancel, or the tests' run bound once it fired.

    An Event, because `finish` only asks `is_set()`; `fired` tells the bound from the caller's cancel.
    """

    def __init__(self, user: threading.Event | None) -> None:
        super().__init__()
        self._user = user
        self._timer: threading.Timer | None = None
        self.fired = False

    def start(self, limit_s: float) -> None:
        if self._timer is None:  # the first suite starts the clock; later suites share it
            self._timer = threading.Timer(limit_s, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        self.set()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def is_set(self) -> bool:
        return super().is_set() or (self._user is not None and self._user.is_set())


def _still_running(suites: tuple[SuiteResult, ...], running: str | None) -> str:
    """Which suite a timeout stopped, and how far it got: the hung test is among its unfinished ones."""
    if running is None:
        return ""
    s = suites[-1]
    done = s.passed + s.failed + s.ignored
    return f" The suite {running} was still running: {done} of {s.planned} tests had finished."


def run_fmt_check(crate: str | Path, *, timeout_s: float = 60.0) -> FmtReport:
    """`cargo fmt --check`: which files rustfmt would change."""
    root = find_crate_root(crate)
    env = cargo_env(None)
    proc = run_limited(
        [_cargo_exe(env), "fmt", "--check", "--", "-l"], cwd=root, env=env, timeout_s=timeout_s
    )
    files = tuple(ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln.strip())
    status: FmtStatus
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
