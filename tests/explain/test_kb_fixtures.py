"""Every knowledge-base code is triggered by its fixture under real cargo, and the explain engine
turns that diagnostic into an Explanation carrying the entry's invariant and options.

Four crates, one cargo run each (module-scoped): kb_resolve, kb_types, kb_borrow (cargo check) and
kb_clippy (cargo clippy). They are split by compiler phase because resolution errors stop type
checking for the whole crate and clippy lints run only on a crate that compiles.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from engine.explain.api import explain_diagnostics
from engine.explain.kb_loader import load_kb
from engine.explain.placeholders import FALLBACK
from engine.explain.types import Explanation
from tests.explain.cases.fixture_markers import CRATE_TOOL, KB_FIXTURES, markers
from toolbelt.cargo_run import run_check
from toolbelt.types import CheckReport, Diagnostic

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kb-fixtures")]

KB = load_kb()
CRATES = sorted(CRATE_TOOL)
# A fallback inside backticks reads as code that is not there: "`its type` has no field".
_FALLBACK_AS_CODE = re.compile("`(" + "|".join(re.escape(v) for v in FALLBACK.values()) + ")`")
_UNFILLED = re.compile(
    r"\{(code|message|name|type|expected|found|trait|method|lint|label|root_label|primary|root_cause|line|root_line)\}"
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckReport]:
    tmp = tmp_path_factory.mktemp("kb-fixtures")
    out: dict[str, CheckReport] = {}
    for crate in CRATES:
        dest = tmp / crate
        shutil.copytree(KB_FIXTURES / crate, dest, ignore=shutil.ignore_patterns("target"))
        # One shared target dir: the four crates have distinct names, so nothing is rebuilt twice.
        out[crate] = run_check(dest, tool=CRATE_TOOL[crate], target_dir=tmp / "target", all_targets=False)
    return out


@pytest.fixture(scope="module")
def explanations(reports: dict[str, CheckReport]) -> dict[str, tuple[Explanation, ...]]:
    return {crate: explain_diagnostics(r.diagnostics, r.crate_root) for crate, r in reports.items()}


def _diag_for(diags: tuple[Diagnostic, ...], code: str, file: str, lo: int, hi: int) -> Diagnostic | None:
    for d in diags:
        p = d.primary
        if d.code_str == code and p is not None and p.file_name == file and lo <= p.line_start <= hi:
            return d
    return None


@pytest.mark.parametrize("crate", CRATES)
def test_every_marked_code_is_triggered_by_its_item(crate: str, reports: dict[str, CheckReport]) -> None:
    report = reports[crate]
    assert report.status == "diagnostics", f"{crate}: {report.status} {report.message}"
    missing = [
        f"{code} ({file}:{lo}-{hi})"
        for code, file, lo, hi in markers(crate)
        if _diag_for(report.diagnostics, code, file, lo, hi) is None
    ]
    assert not missing, f"{crate}: markers whose code rustc/clippy did not report in that item: {missing}"


def test_clippy_fixture_has_no_stray_warnings(reports: dict[str, CheckReport]) -> None:
    """Each lint fires once, in its own function: nothing else in the crate is flagged."""
    marked = {m[0] for m in markers("kb_clippy")}
    codes = [d.code_str for d in reports["kb_clippy"].diagnostics if d.level in ("warning", "error")]
    assert sorted(c for c in codes if c not in marked) == []
    assert sorted(codes) == sorted(set(codes))


@pytest.mark.parametrize("crate", CRATES)
def test_engine_explains_every_kb_code_with_the_entry(
    crate: str, explanations: dict[str, tuple[Explanation, ...]]
) -> None:
    exps = explanations[crate]
    problems: list[str] = []
    for code in sorted({m[0] for m in markers(crate)} & set(KB)):
        entry = KB[code]
        mine = [e for e in exps if e.code == code]
        if not mine:
            problems.append(f"{code}: no explanation")
            continue
        ex = mine[0]
        invariants = {entry.invariant, *(v.invariant for v in entry.variants if v.invariant)}
        if ex.invariant not in invariants:
            problems.append(f"{code}: invariant {ex.invariant!r} is not the entry's")

        # an option whose every sentence shows code this program lacks is dropped (evidence.py)
        def _in_order(own: tuple, shown: tuple = ex.options) -> bool:
            names = iter(o.name for o in own)
            return all(any(n == o.name for n in names) for o in shown)

        sets = [entry.options, *(v.options for v in entry.variants if v.options)]
        if not any(_in_order(own) for own in sets):  # a variant may replace the entry's options
            problems.append(f"{code}: options {[o.name for o in ex.options]} are not the entry's, in order")
        if not (ex.options or ex.fixes):
            problems.append(f"{code}: no option at all")
        if ex.title != entry.title:
            problems.append(f"{code}: title {ex.title!r}")
        for text in (ex.summary, ex.why, *(o.how for o in ex.options)):
            if _UNFILLED.search(text):
                problems.append(f"{code}: unfilled placeholder in {text[:80]!r}")
            if _FALLBACK_AS_CODE.search(text):
                problems.append(
                    f"{code}: a placeholder the diagnostic cannot fill, shown as code: {text[:80]!r}"
                )
        if ex.root_cause.line <= 0 or ex.root_cause.file.startswith("/"):
            problems.append(f"{code}: root cause outside the crate: {ex.root_cause}")
        if not any(r.kind == "explain" for r in ex.references):
            problems.append(f"{code}: no `--explain` reference")
    assert not problems, "\n".join(problems)


def test_kb_fixture_crates_are_dependency_free() -> None:
    for crate in CRATES:
        manifest = (KB_FIXTURES / crate / "Cargo.toml").read_text()
        assert manifest.rstrip().endswith("[dependencies]"), f"{crate} has dependencies"
        assert Path(KB_FIXTURES / crate / "Cargo.lock").is_file()
