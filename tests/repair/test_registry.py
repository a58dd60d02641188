"""The template registry: each row names real codes, and a code reaches exactly the rows serving it."""

from __future__ import annotations

import re

from engine.repair import registry
from engine.repair.registry import NO_CODE, TEMPLATES, template_candidates
from toolbelt.types import Diagnostic, DiagnosticCode, Span


def test_rows_name_codes_rustc_uses_and_no_template_twice() -> None:
    for t in TEMPLATES:
        assert t.codes, t.make.__name__
        # a rustc error code, or a clippy lint a rewrite answers (clippy::needless_range_loop)
        assert all(c == NO_CODE or re.fullmatch(r"E0\d{3}|clippy::[a-z_]+", c) for c in t.codes), t.codes
    names = [t.make.__name__ for t in TEMPLATES]
    assert len(names) == len(set(names)), "a template listed twice runs twice"


def test_a_code_runs_only_the_templates_that_serve_it(monkeypatch) -> None:
    called: list[str] = []

    def spy(t: registry.Template) -> registry.Template:
        def make(*args: object) -> list:
            called.append(t.make.__name__)
            return []

        return registry.Template(t.codes, make, t.needs_files)

    monkeypatch.setattr(registry, "TEMPLATES", tuple(spy(t) for t in TEMPLATES))
    monkeypatch.setenv("RUSTA_NO_GRAMMAR", "1")
    span = Span(
        file_name="src/lib.rs",
        byte_start=0,
        byte_end=1,
        line_start=1,
        line_end=1,
        column_start=1,
        column_end=2,
        is_primary=True,
    )
    d = Diagnostic(
        level="error",
        message="cannot borrow `v` as mutable",
        code=DiagnosticCode(code="E0596"),
        spans=(span,),
    )
    template_candidates(d, lambda _path: "fn f() {}\n", ("src/lib.rs",))
    assert (
        called
        == [t.make.__name__ for t in TEMPLATES if "E0596" in t.codes]
        == [
            "fnmut_object_lifetime",
            "mut_sibling",
            "fnmut_bound",
            "cell_capture",
            "field_cell",
            "arc_mutex",
            "add_mut",
        ]
    )
