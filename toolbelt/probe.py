"""The type-of probe: ask the compiler itself for the type of the expression at FILE:LINE:COL.

Method: in a scratch copy of the crate (never the user's files) the expression is rewritten as
`{ let __rusta_mark: () = 0u8; let __rusta_probe: () = EXPR; unreachable!() }`, so rustc says
"expected `()`, found `T`" (E0308) with the span of EXPR; the mark's own E0308 proves the code was
type-checked, so a missing probe error means EXPR is `()` (or `!`), never a silent wrong answer.
When the answer still holds inference holes (`Vec<_>`, `{integer}`), because the type came from
the context, a second run checks a copy of the value *after* its whole statement was type-checked.

The scratch copy and its target dir (`target_dir_for(root)` + "-probe") persist, so probes after
the first are warm. Results are cached by the crate's source fingerprint, file, line and column.
rust-analyzer is detected; when it is missing the probe says so and uses rustc alone.
"""

from __future__ import annotations

import fcntl
import functools
import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

import msgspec

from toolbelt.atomic_file import replace_file
from toolbelt.cargo_run import run_check
from toolbelt.crate import find_crate_root, read_manifest
from toolbelt.errors import ToolbeltError
from toolbelt.paths import target_dir_for, writable_cache_dir
from toolbelt.probe_rewrite import Rewrite, after_binding, after_statement, in_place, remap
from toolbelt.probe_scan import (
    ExprSpan,
    ProbeError,
    binding_at,
    enclosing_statement,
    find_expression,
)
from toolbelt.probe_scratch import Scratch, absolutize_path_deps, fingerprint, sync_tree, workspace_root
from toolbelt.process import run_limited
from toolbelt.types import Diagnostic

__all__ = ["ProbeError", "TypeProbe", "rust_analyzer_status", "type_of"]

PROBE_TIMEOUT_S = 180.0
_VAGUE = re.compile(r"(?<![A-Za-z0-9_'])_(?![A-Za-z0-9_])|\{integer\}|\{float\}")


class TypeProbe(msgspec.Struct, frozen=True, kw_only=True):
    """The compiler's answer for one expression. `type` is as rustc prints it in the E0308 label."""

    file: str  # relative to the crate root
    line: int
    col: int
    expr: str
    type: str
    detail: str = ""  # rustc's note, e.g. "found struct `Map<std::slice::Iter<'_, String>, ...>`"
    source: Literal["rustc", "rust-analyzer"] = "rustc"
    method: Literal["in_place", "after_statement"] = "in_place"
    duration_s: float = 0.0
    cached: bool = False
    note: str = ""


T = TypeVar("T")
_probe_decoder = msgspec.json.Decoder(TypeProbe)
_encoder = msgspec.json.Encoder()


@functools.cache
def rust_analyzer_status() -> tuple[bool, str]:
    """Whether a working rust-analyzer is on PATH, and one sentence saying so."""
    if shutil.which("rust-analyzer") is None:
        return False, "rust-analyzer is not on PATH; the type comes from rustc alone."
    try:
        proc = run_limited(["rust-analyzer", "--version"], cwd=Path.cwd(), timeout_s=10)
    except ToolbeltError as e:  # ToolMissing or an unstartable binary: same answer for the probe
        return False, f"rust-analyzer cannot start ({e}); the type comes from rustc alone."
    if proc.outcome != "ok":
        return (
            False,
            "rust-analyzer on PATH is a rustup proxy without the component; the type comes from rustc alone.",
        )
    version = proc.stdout.decode("utf-8", "replace").strip()
    return (
        True,
        f"{version} is installed, but Rusta's probe asks rustc; rust-analyzer hover is not wired yet.",
    )


def _in_background(fn: Callable[[], T]) -> Callable[[], T]:
    """Start `fn` on a thread now; the returned callable waits for its answer (or, when the thread
    failed, calls `fn` again here so that its exception reaches the caller)."""
    box: list[T] = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        return box[0] if box else fn()

    return result


# --- reading rustc's answer ---------------------------------------------------------------------


def _found(d: Diagnostic) -> tuple[str, str]:
    """(type, detail) from an E0308 'expected `()`, found ...' diagnostic."""
    label = (d.primary.label if d.primary else None) or ""
    detail = ""
    for child in d.children:
        for ln in child.message.splitlines():
            if ln.strip().startswith("found "):
                detail = ln.strip()
    note_type = detail[detail.index("`") + 1 : detail.rindex("`")] if detail.count("`") >= 2 else ""
    m = re.match(r"expected `[^`]*`, found (.*)$", label, re.S)
    rest = m.group(1) if m else ""
    if rest.startswith("`") and rest.endswith("`") and "..." not in rest:
        return rest[1:-1], detail
    if note_type:
        return note_type, detail
    return {"integer": "{integer}", "floating-point number": "{float}"}.get(rest, rest or label), detail


def _byte(text: str, off: int) -> int:
    return len(text[:off].encode("utf-8"))


def _in_file(d: Diagnostic, sc: Scratch) -> list[tuple[int, int]]:
    """Primary spans in the probed file (cargo names files relative to the workspace root)."""
    return [
        (s.byte_start, s.byte_end)
        for s in d.spans
        if s.is_primary and (sc.ws / s.file_name).resolve() == sc.file.resolve()
    ]


def _check_rewrite(sc: Scratch, rw: Rewrite, e: ExprSpan) -> tuple[str, str]:
    """Compile the rewrite in the scratch copy; (type, detail) or a ProbeError saying why not."""
    sc.file.write_text(rw.text, encoding="utf-8")
    report = run_check(sc.crate, target_dir=sc.target, timeout_s=PROBE_TIMEOUT_S)
    if report.status in ("timeout", "error", "failed"):
        raise ProbeError(f"cargo check on the probe copy failed: {report.message}")
    pb = (_byte(rw.text, rw.probe[0]), _byte(rw.text, rw.probe[1]))
    mb = (_byte(rw.text, rw.mark[0]), _byte(rw.text, rw.mark[1]))
    rb = (_byte(rw.text, rw.region[0]), _byte(rw.text, rw.region[1]))
    best: tuple[int, Diagnostic] | None = None
    mark_seen = False
    others: list[Diagnostic] = []
    for d in report.diagnostics:
        for a, b in _in_file(d, sc):
            label = (d.primary.label if d.primary else "") or ""
            if d.code_str == "E0308" and (a, b) == mb:
                mark_seen = True
            elif d.code_str == "E0308" and pb[0] <= a and b <= pb[1] and label.startswith("expected `()`"):
                if best is None or b - a > best[0]:
                    best = (b - a, d)
            elif d.level.startswith("error") and a < rb[1] and b > rb[0]:
                others.append(d)
    if best is not None:
        return _found(best[1])
    if mark_seen and not others:
        return "()", "rustc accepted it where `()` is expected: its type is `()` (or `!`, which coerces)."
    if others:
        raise ProbeError(
            f'`{_short(e.text)}` cannot be probed in place: rustc says "{others[0].message}" '
            "(is it a pattern, a binding or a macro argument rather than an expression?)."
        )
    errors = [d for d in report.diagnostics if d.level.startswith("error")]
    why = f"; first error: {errors[0].message}" if errors else ""
    raise ProbeError(
        f"rustc never type-checked `{_short(e.text)}`: it is in code that is not compiled "
        f"(cfg, a macro definition) or errors elsewhere stop rustc earlier{why}."
    )


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 60 else one[:57] + "..."


def _probe(
    sc: Scratch, src: str, expr: ExprSpan, rel: str, binding: bool
) -> tuple[str, str, Literal["in_place", "after_statement"]]:
    """In place first (exact for the expression itself); after its statement when context decides."""
    stmt = enclosing_statement(src, expr.start, expr.end)
    if binding:
        if stmt is None:
            raise ProbeError(f"the `let {expr.text}` statement has no `;` to probe after.")
        rw = after_binding(src, expr, stmt)
        ty, detail = _check_rewrite(sc, rw, expr)
        return remap(ty, rw, src, rel), remap(detail, rw, src, rel), "after_statement"
    rw = in_place(src, expr)
    try:
        ty, detail = _check_rewrite(sc, rw, expr)
        failure: ProbeError | None = None
    except ProbeError as e:
        if stmt is None:
            raise
        ty, detail, failure = "", "", e
    if stmt is not None and (failure is not None or _VAGUE.search(ty)):
        rw2 = after_statement(src, expr, stmt)
        try:
            ty2, detail2 = _check_rewrite(sc, rw2, expr)
        except ProbeError:
            if failure is not None:
                raise failure from None
        else:
            if failure is not None or len(_VAGUE.findall(ty2)) < len(_VAGUE.findall(ty)):
                return remap(ty2, rw2, src, rel), remap(detail2, rw2, src, rel), "after_statement"
    return remap(ty, rw, src, rel), remap(detail, rw, src, rel), "in_place"


# --- the probe ----------------------------------------------------------------------------------


def type_of(
    crate_root: str | Path, file: str | Path, line: int, col: int, *, use_cache: bool = True
) -> TypeProbe:
    """The compiler's type for the expression at file:line:col (1-based; columns in characters).

    `file` is absolute or relative to the crate root. Raises ProbeError (user-facing) when there is
    no expression there or rustc gives no type for it; the user's files are only ever read.
    """
    started = time.monotonic()
    root = find_crate_root(crate_root)
    read_manifest(root)
    path = Path(file)
    path = (path if path.is_absolute() else root / path).resolve()
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError as e:
        raise ProbeError(f"{file} is not inside the crate at {root}.") from e
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ProbeError(f"cannot read {file}: {e.strerror}.") from e
    try:
        src = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProbeError(f"{file} is not valid UTF-8 (byte {e.start}); rustc would reject it too.") from e
    probes = writable_cache_dir() / "probes"
    ws = workspace_root(root)
    key = fingerprint(ws, raw, rel, line, col)
    cached_at = probes / "results" / f"{key}.json"
    if use_cache and cached_at.is_file():  # before the scan: an answer cached for these bytes stands
        try:
            hit = _probe_decoder.decode(cached_at.read_bytes())
            return msgspec.structs.replace(hit, cached=True, duration_s=time.monotonic() - started)
        except (msgspec.DecodeError, OSError):
            pass  # a damaged cache entry is just a miss
    bound = binding_at(src, line, col)
    expr = bound or find_expression(src, line, col)
    ra_status = _in_background(rust_analyzer_status)  # its --version costs 0.4 s through rustup
    scratch_ws = probes / target_dir_for(ws).name
    scratch_ws.mkdir(parents=True, exist_ok=True)
    sc = Scratch(
        ws=scratch_ws,
        crate=scratch_ws / root.relative_to(ws),
        file=scratch_ws / path.relative_to(ws),
        target=Path(str(target_dir_for(root)) + "-probe"),
    )
    with open(probes / f"{scratch_ws.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sync_tree(ws, scratch_ws)
        absolutize_path_deps(scratch_ws, ws)
        try:
            ty, detail, method = _probe(sc, src, expr, path.relative_to(ws).as_posix(), bound is not None)
        finally:
            shutil.copy2(path, sc.file)  # the next sync sees an unmodified copy
    ra_ok, ra_note = ra_status()
    result = TypeProbe(
        file=rel,
        line=line,
        col=col,
        expr=expr.text,
        type=ty,
        detail=detail,
        method=method,
        duration_s=time.monotonic() - started,
        note="" if ra_ok else ra_note,
    )
    try:
        cached_at.parent.mkdir(parents=True, exist_ok=True)
        replace_file(cached_at, _encoder.encode(result), durable=False)
    except OSError:
        pass  # a read-only cache costs speed, not correctness
    return result
