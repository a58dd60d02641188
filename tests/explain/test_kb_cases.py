"""A CI-sized sample of the localization cases (the bench runs all of them): real cargo on each
one-mistake crate, then the explain engine; Rusta must point at the marked line and meet the rubric.

The sample mixes mistakes at rustc's primary span with mistakes elsewhere (an earlier move, a
signature, a struct definition in another file, a binding without `mut`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.cases.runner import MARKER, CaseResult, evaluate, load_cases, materialize

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kb-cases")]

CASES = {c.name: c for c in load_cases()}
SAMPLE = (
    "move_then_use",  # E0382: the move two lines up
    "push_while_holding_ref",  # E0502: the shared borrow before the push
    "push_on_immutable_vec",  # E0596: the `let` without mut
    "return_type_wrong",  # E0308: the signature fixed the expected type
    "callee_param_type",  # E0308: the callee's parameter types, in another file
    "borrow_missing_at_call",  # E0308: the call site, not the callee
    "missing_debug_derive",  # E0277: the struct in another file lacks a derive
    "private_fn_other_module",  # E0603: `pub` belongs on the definition
    "undeclared_variable_typo",  # E0425: at rustc's span
    "index_loop",  # clippy::needless_range_loop
)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    tmp = tmp_path_factory.mktemp("kb-cases")
    return {name: evaluate(CASES[name], tmp / "crates", tmp / "target") for name in SAMPLE}


def test_case_set_is_big_enough_and_well_formed() -> None:
    assert len(CASES) >= 60
    for c in CASES.values():
        assert c.rubric, f"{c.name}: no rubric"
        assert c.expected_file in c.files and c.expected_line >= 1
        assert all(MARKER not in text for text in c.files.values())
    families = {c.family for c in CASES.values()}
    assert {"ownership", "borrowing", "types", "traits", "mutability", "resolution", "style"} <= families


@pytest.mark.parametrize("name", SAMPLE)
def test_rusta_points_at_the_mistake(name: str, results: dict[str, CaseResult]) -> None:
    r = results[name]
    assert r.found_code, f"{name}: {r.code} not reported; saw {r.codes_seen}"
    assert r.rusta_ok, f"{name}: expected {r.expected}, Rusta said {r.rusta_root} (rustc {r.rustc_primary})"
    assert not r.rubric_missing, f"{name}: the explanation never mentions {r.rubric_missing}"


def test_rusta_beats_rustc_primary_on_the_sample(results: dict[str, CaseResult]) -> None:
    rusta = sum(r.rusta_ok for r in results.values())
    rustc = sum(r.rustc_ok for r in results.values())
    assert rusta >= rustc + 5, (rusta, rustc)


def test_marker_is_stripped_and_line_matches(tmp_path: Path) -> None:
    case = CASES["move_then_use"]
    root = materialize(case, tmp_path)
    lines = (root / case.expected_file).read_text().splitlines()
    assert lines[case.expected_line - 1].strip() == "let kept = names;"
