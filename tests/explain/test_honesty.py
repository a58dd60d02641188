"""The honesty check: every code snippet Rusta shows is the program's, rustc's, or a patch that compiled.

Real cargo on a corpus nobody tuned the knowledge base on: the error index's erroneous examples
(generated from `rustc --explain`, offline) and the explain and knowledge-base fixture crates. Each crate is explained,
its options are validated in the scratch copy, and every snippet shown in pair and study mode is
judged by `tests/explain/honesty.py` (see there for the rule).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain import honesty
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-honesty")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    fixtures = honesty.FIXTURES + honesty.CLIPPY_FIXTURES
    return honesty.build_corpus(tmp_path_factory.mktemp("honesty"), honesty.CODES, fixtures)


def test_every_shown_snippet_is_the_programs_rustcs_or_compiled(corpus: list[Path]) -> None:
    assert len(corpus) >= 20
    target = corpus[0].parent / "target"
    total, lies, stories, with_code = 0, [], 0, 0
    for crate in corpus:
        tool = "clippy" if any(crate.name == Path(c).name for c in honesty.CLIPPY_FIXTURES) else "check"
        report = run_check(crate, tool=tool, target_dir=target / crate.name)
        assert report.status in ("diagnostics", "clean"), (crate.name, report.message)
        explained = validate(explain_report(report), crate).explanations
        program = honesty.program_tokens(crate)
        for e in explained:
            stories += 1
            quotes = honesty.rustc_quotes(e.diagnostics)
            snippets = honesty.shown(e, render_text)
            with_code += bool(e.fixes)
            for s in snippets:
                total += 1
                if not honesty.judge(e, s, program, quotes):
                    lies.append(f"{crate.name} {e.code} {s.where}: `{s.code}` ({s.validated or 'text'})")
    assert stories >= 25 and total >= 100, (stories, total)
    assert with_code >= 10  # the corpus exercises patches, not only prose
    assert not lies, (
        f"{len(lies)} of {total} snippets are neither the program's nor rustc's nor compiled:\n"
        + ("\n".join(lies))
    )


def test_the_judge_catches_code_the_program_lacks(corpus: list[Path]) -> None:
    """The judge is not vacuous: a KB-style snippet naming a `v` the program lacks fails it."""
    crate = next(c for c in corpus if c.name == "explain_mixed")
    program = honesty.program_tokens(crate)
    fake = honesty.Snippet(code="&v[i]", where="text")
    assert not honesty.judge(object(), fake, program, set())
    assert honesty.judge(object(), honesty.Snippet(code="let taken = names;", where="text"), program, set())
    cut = honesty.Snippet(code="impl Pattern for std", where="text")  # a path cut to its first segment
    assert not honesty.judge(object(), cut, program, {"std :: string :: String"})
    unchecked = honesty.Snippet(code="let taken = names.clone();", where="patch", validated="not-checked")
    assert not honesty.judge(object(), unchecked, program, set())
