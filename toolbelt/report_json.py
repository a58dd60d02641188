"""A CheckReport as JSON lines: one flat object per diagnostic, for scripts, CI and `rusta check --json`.

The flat fields (code, level, message, file, line, column) point where cargo's own output points
(the user's code, not the inside of a std macro); `spans` and `children` keep rustc's data whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from toolbelt.diagnostics import primary_user_span
from toolbelt.types import CheckReport

_enc = msgspec.json.Encoder()


def json_lines(report: CheckReport) -> Iterator[bytes]:
    """One JSON object per diagnostic: the flat fields scripts want, plus every span and child in full."""
    tc = msgspec.to_builtins(report.toolchain) if report.toolchain else None
    for d in report.diagnostics:
        p = primary_user_span(d)
        yield _enc.encode(
            {
                "code": d.code_str,
                "level": d.level,
                "message": d.message,
                "file": p.file_name if p else None,
                "line": p.line_start if p else None,
                "column": p.column_start if p else None,
                "end_line": p.line_end if p else None,
                "end_column": p.column_end if p else None,
                "label": p.label if p else None,
                "tool": d.tool,
                "target": d.target,
                "crate_root": report.crate_root,
                "spans": msgspec.to_builtins(d.spans),
                "children": msgspec.to_builtins(d.children),
                "rendered": d.rendered,
                "toolchain": tc,
            }
        )
