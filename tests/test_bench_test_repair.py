"""The test-repair bench's localization table: a row for each signal alone, the shipped combination,
and each fitted combination, with the LM column saying which rows use the LM; dev and held-out side
by side. Real cargo on a tiny crate gives the failing test the rows rank."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_test_repair import SHIPPED, VALUES, localization_rows
from engine.gym.semantic import SemanticEpisode
from engine.testrepair.fit import WITH_VALUES, fit
from engine.testrepair.grammar import mutants
from engine.testrepair.types import FEATURES
from tests.testrepair.crates import COUNT, failing_lines, write_crate

pytestmark = pytest.mark.slow


def test_the_table_has_each_signal_alone_and_each_combination_with_its_lm_column(tmp_path: Path) -> None:
    failing, lines = failing_lines(write_crate(tmp_path / "counting", COUNT), COUNT)
    assert failing
    slip = next(i for i, ln in enumerate(lines) if "if *x <= limit" in ln.text)
    data = [(lines, slip)]
    lm_model = fit(data, (*WITH_VALUES, "lm"), "test")
    m = next(m for m in mutants(COUNT, "src/lib.rs") if m.line == lines[slip].line)
    ep = SemanticEpisode(
        crate="counting", split="dev", seed=0, mutant=m, failing=tuple(failing), passing=(), seconds=0.0
    )
    rows, notes = localization_rows(
        {"dev": data, "heldout": data},
        {"dev": [ep], "heldout": [ep]},
        {VALUES: fit(data, WITH_VALUES, "test"), "with lm": lm_model},
    )
    by_name = {r["signal"]: r for r in rows}
    assert set(FEATURES) - {"lm"} <= set(by_name)  # each signal alone
    assert by_name["values"]["LM"] == "no" and by_name[SHIPPED]["LM"] == "no"
    assert by_name["with lm"]["LM"] == "yes" and by_name[VALUES]["LM"] == "no"
    assert by_name["values_gap"]["dev top1/5/10"] == by_name["values_gap"]["heldout top1/5/10"]
    assert by_name["values_gap"]["dev top1/5/10"].endswith("/100%")  # the slip is in its top 10
    assert any("not shipped" in n for n in notes)
