"""A CheckReport as JSON lines: one flat object per diagnostic, for scripts, CI and `rusta check --json`.

The flat fields (code, level, message, file, line, column) point where cargo's own output points
(the user's code, not the inside of a std macro); `spans` and `children` keep rustc's data whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from toolbelt.diagnostics import primary_user_span
from toolbelt.types import CheckReport, Diagnostic, Span, Toolchain

_enc = msgspec.json.Encoder()


class _Line(msgspec.Struct, frozen=True, kw_only=True):
    """One output line, encoded in one pass by msgspec (the Structs inside it included), in this order."""

    code: str | None
    level: str
    message: str
    file: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    label: str | None
    tool: str
    target: str
    crate_root: str
    spans: tuple[Span, ...]
    children: tuple[Diagnostic, ...]
    rendered: str | None
    toolchain: Toolchain | None


def json_lines(report: CheckReport) -> Iterator[bytes]:
    """One JSON object per diagnostic: the flat fields scripts want, plus every span and child in full."""
    tc, root = report.toolchain, report.crate_root
    for d in report.diagnostics:
        p = primary_user_span(d)
        yield _enc.encode(
            _Line(
                code=d.code_str,
                level=d.level,
                message=d.message,
                file=p.file_name if p else None,
                line=p.line_start if p else None,
                column=p.column_start if p else None,
                end_line=p.line_end if p else None,
                end_column=p.column_end if p else None,
                label=p.label if p else None,
                tool=d.tool,
                target=d.target,
                crate_root=root,
                spans=d.spans,
                children=d.children,
                rendered=d.rendered,
                toolchain=tc,
            )
        )
