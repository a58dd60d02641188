"""kb/invariants.toml: the rule behind every rustc code without a KB entry, and behind code-less parse
errors, in Rusta's voice; real cargo shows it in place of the old pointer to `rustc --explain`."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.errors import KBEntryInvalid
from engine.explain.invariants import invariant_for, load_invariants
from engine.explain.kb_loader import KB_DIR
from engine.explain.types import Explanation
from modes.rendering import render_text
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

TABLE = load_invariants()
SENTENCES = [(code, e.invariant) for code, e in TABLE.codes.items()] + [
    (s.prefix or s.pattern, s.invariant) for s in TABLE.syntax
]
FILLER = re.compile(r"\b(simply|just|basically)\b", re.IGNORECASE)
RULE_NAME = re.compile(r"^[A-Z][A-Za-z ]*[A-Za-z]: \S")
OLD_FILLER = re.compile(r"The rule behind E\d{4}|rustc --explain E\d{4}` states it")


def test_the_file_loads_and_covers_at_least_150_codes() -> None:
    assert len(TABLE.codes) >= 150
    assert TABLE.syntax


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "invariants.toml"
    bad.write_text('version = 1\n[codes]\nE0121 = { title = "t", invariant = "Items: x.", tilte = "t" }\n')
    with pytest.raises(KBEntryInvalid, match="tilte"):
        load_invariants(bad)


def test_every_code_is_documented_by_rustc_and_has_no_kb_entry() -> None:
    kb = {p.stem for p in (KB_DIR / "rustc").glob("*.toml")}
    assert not kb & TABLE.codes.keys(), "a code with a full KB entry must leave invariants.toml"

    def explain(code: str) -> tuple[str, int, str]:
        out = subprocess.run(["rustc", "--explain", code], capture_output=True, text=True, timeout=60)
        return code, out.returncode, out.stdout

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(explain, sorted(TABLE.codes)))
    assert [c for c, rc, _ in results if rc != 0] == [], "rustc --explain does not know these codes"
    assert [c for c, _, text in results if "no longer emitted" in text.lower()] == []


@pytest.mark.parametrize(("key", "sentence"), SENTENCES, ids=[k for k, _ in SENTENCES])
def test_each_invariant_is_one_sentence_in_rustas_voice(key: str, sentence: str) -> None:
    assert RULE_NAME.match(sentence), f"{key}: starts with a capitalised rule name and a colon"
    prose = re.sub(r"`[^`]*`", "code", sentence)  # periods inside quoted code are not sentence ends
    assert prose.endswith(".") and not re.search(r"[.?]\s", prose[:-1]), f"{key}: one sentence"
    assert "!" not in prose, f"{key}: no exclamation mark"
    assert not FILLER.search(prose), f"{key}: no filler words"
    assert not re.search(r"\{[a-z_]+\}", sentence), f"{key}: no placeholders"


def test_titles_are_a_few_words() -> None:
    for code, e in TABLE.codes.items():
        assert e.title and len(e.title.split()) <= 10 and not e.title.endswith("."), code


def test_syntax_prefixes_pick_the_longest_match_and_codes_need_an_exact_entry() -> None:
    assert invariant_for(None, "expected one of `.`, `;`, found `let`")[1].startswith("Syntax: at each")
    assert invariant_for(None, "expected `,`, or `}`, found `b`")[1].startswith(
        "Syntax: the grammar requires"
    )
    assert invariant_for(None, "missing `in` in `for` loop")[0] == "`for` without `in`"
    assert invariant_for(None, "cannot find macro `x` in this scope") is None
    assert invariant_for("unused_variables", "unused variable: `x`") is None
    assert invariant_for("E0382", "borrow of moved value: `x`") is None  # has a full KB entry


# E0121 and E0252 have no KB entry; two crates so the shape is not one program's accident.
IMPORTS_AND_PLACEHOLDER = """use std::fmt::Result;
use std::io::Result;

pub fn answer() -> _ {
    42
}
"""

PLACEHOLDER_IN_A_CONST = """pub const LIMIT: _ = 8;

mod a {
    pub struct Cell;
}
mod b {
    pub struct Cell;
}
use a::Cell;
use b::Cell;
"""

MISSING_SEMICOLON = """pub fn f() -> i32 {
    let x = 1
    x
}
"""

MISMATCHED_DELIMITER = """pub fn g() -> usize {
    let v = [1, 2);
    v.len()
}
"""


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Explanation, ...]]:
    tmp = tmp_path_factory.mktemp("invariants")
    out = {}
    for name, src in (
        ("imports_a", IMPORTS_AND_PLACEHOLDER),
        ("imports_b", PLACEHOLDER_IN_A_CONST),
        ("parse_a", MISSING_SEMICOLON),
        ("parse_b", MISMATCHED_DELIMITER),
    ):
        crate = write_lib(tmp, name, src)
        out[name] = explain_report(run_check(crate, target_dir=tmp / f"target-{name}"))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("crate", ["imports_a", "imports_b"])
@pytest.mark.parametrize("code", ["E0121", "E0252"])
def test_a_code_without_a_kb_entry_shows_its_invariant_not_the_filler(
    explained: dict[str, tuple[Explanation, ...]], crate: str, code: str
) -> None:
    e = next(x for x in explained[crate] if x.code == code)
    expected = TABLE.codes[code]
    assert (e.title, e.invariant) == (expected.title, expected.invariant)
    text = " ".join(render_text(e, "study").split())  # study mode wraps the invariant
    assert expected.invariant in text and f"{code}: {expected.title}." in text
    assert not OLD_FILLER.search(text) and "The compiler's rule stated in the message." not in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("crate", "prefix"), [("parse_a", "expected `"), ("parse_b", "mismatched closing delimiter")]
)
def test_a_parse_error_without_a_code_shows_the_syntax_rule(
    explained: dict[str, tuple[Explanation, ...]], crate: str, prefix: str
) -> None:
    e = next(x for x in explained[crate] if x.code is None and x.level == "error")
    expected = next(s for s in TABLE.syntax if s.prefix == prefix)
    assert e.message.startswith(prefix)
    assert (e.title, e.invariant) == (expected.title, expected.invariant)
    assert expected.invariant in " ".join(render_text(e, "study").split())
