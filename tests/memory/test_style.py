"""The repo's style, mined from one fixture crate and applied to another's real candidates.

Each rule: the habit is mined from crate A's code; crate B has a real error, its candidates are the
repair's own (`candidates_for` in a scratch `Workspace`), the rendering in A's style is checked on
them and validated the way the repair validates (the edits applied, `cargo check` again).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.memory.priors import for_repair
from engine.memory.render import render, str_elements, str_to_string
from engine.memory.style import mine
from engine.memory.types import StyleFact
from engine.repair.targets import candidates_for, errors_of
from engine.repair.types import Candidate
from engine.repair.workspace import Workspace
from tests.memory.crates import DEBIAN, crate, habits
from toolbelt.cargo_run import run_check
from toolbelt.types import Diagnostic

pytestmark = pytest.mark.slow


def repair_view(root: Path, code: str) -> tuple[Workspace, Diagnostic, list[Candidate]]:
    """The first `code` error of the crate and the repair's candidates for it, in a scratch copy."""
    ws = Workspace(root, scratch=root.parent / f"{root.name}-scratch")
    ws.sync()
    errors = errors_of(run_check(ws.root))
    target = next(d for d in errors if d.code_str == code)
    return ws, target, candidates_for(target, ws, errors)


def green(ws: Workspace, c: Candidate) -> bool:
    """What the repair asks of a candidate: its edits applied, `cargo check` has no error left."""
    before = ws.try_edits(c.edits)
    try:
        return not errors_of(run_check(ws.root))
    finally:
        ws.revert(before)


def styled(cands: list[Candidate], style: tuple[StyleFact, ...], target: Diagnostic, ws: Workspace):
    out = [(c, render(c, style, target, ws.read)) for c in cands]
    return [(c, r) for c, r in out if r is not c]


def inserted(c: Candidate) -> str:
    return "".join(e.replacement for e in c.edits)


def test_self_or_the_type_name_as_the_repo_writes_it(tmp_path: Path) -> None:
    named = mine(habits(tmp_path, "named", self_type="name"))
    selfish = mine(habits(tmp_path, "selfish", self_type="Self"))
    assert {s.name: s.value for s in named}["self-type"] == "type name"
    assert {s.name: s.value for s in selfish}["self-type"] == "Self"
    # rustc writes `Self::` for an associated fn called bare inside the impl
    b = crate(
        tmp_path,
        "meter",
        "pub struct Meter {\n    n: u32,\n}\n\nimpl Meter {\n    fn step() -> u32 {\n        3\n    }\n\n"
        "    pub fn bump(&mut self) -> u32 {\n        self.n += step();\n        self.n\n    }\n}\n",
    )
    ws, target, cands = repair_view(b, "E0425")
    pairs = styled(cands, named, target, ws)
    assert [inserted(r) for _, r in pairs] == ["Meter::"]
    assert all(inserted(c) == "Self::" for c, _ in pairs) and green(ws, pairs[0][1])
    assert styled(cands, selfish, target, ws) == []  # already the repo's way
    # the other way: a name fixed inside its own impl, in a repo that writes `Self`
    c = crate(
        tmp_path,
        "gauge",
        "pub struct Gauge {\n    v: i64,\n}\n\nimpl Gauge {\n    pub fn new() -> Gauge {\n        Gauge { v: 0 }\n    }\n\n"
        "    pub fn reset(&mut self) {\n        *self = Gaug::new();\n    }\n}\n",
    )
    ws, target, cands = repair_view(c, "E0433")
    pairs = styled(cands, selfish, target, ws)
    assert pairs and all(inserted(c) == "Gauge" and inserted(r) == "Self" for c, r in pairs)
    assert green(ws, pairs[0][1])


def test_a_string_conversion_inside_a_closure_and_the_closure_as_a_path(tmp_path: Path) -> None:
    owned_paths = mine(habits(tmp_path, "owned", strings=".to_owned()", closures="path"))
    from_closures = mine(habits(tmp_path, "from", strings="String::from", closures="closure"))
    facts = {s.name: s.value for s in owned_paths}
    assert (facts["string-from-str"], facts["closure-style"]) == (".to_owned()", "path")
    b = crate(tmp_path, "firsts", "pub fn first(v: &[&str]) -> Option<String> {\n    v.first().copied()\n}\n")
    ws, target, cands = repair_view(b, "E0308")
    assert str_elements(target) and not str_to_string(target)
    pairs = styled(cands, owned_paths, target, ws)
    assert [(inserted(c), inserted(r)) for c, r in pairs] == [
        (".map(|s| s.to_string())", ".map(str::to_owned)")
    ]
    assert green(ws, pairs[0][1])
    pairs = styled(cands, from_closures, target, ws)
    assert [inserted(r) for _, r in pairs] == [".map(|s| String::from(s))"]
    assert green(ws, pairs[0][1])
    # a u32's `to_string` is no `&str` conversion: only the closure's form changes
    n = crate(tmp_path, "nums", "pub fn first(v: &[u32]) -> Vec<String> {\n    v.iter().collect()\n}\n")
    _, target, _ = repair_view(n, "E0277")
    assert not str_elements(target)


def test_a_boxed_error_becomes_the_error_crates_result(tmp_path: Path) -> None:
    a = habits(tmp_path, "uses_anyhow", deps='anyhow = "1"\n')
    facts = {s.name: s.value for s in mine(a)}
    assert facts["error-crate"] == "anyhow"
    dev_only = habits(tmp_path, "tests_anyhow", deps="", dev_deps='anyhow = "1"\n')
    assert {s.name: s.value for s in mine(dev_only)}["error-crate"] == "anyhow (dev)"
    src = 'pub fn load() {\n    let s = std::fs::read_to_string("x")?;\n    println!("{s}");\n}\n'
    b = crate(tmp_path, "loader", src, deps='anyhow = "1"\n', config=DEBIAN)
    ws, target, cands = repair_view(b, "E0277")
    pairs = styled(cands, mine(a), target, ws)
    assert len(pairs) == 1 and "Box<dyn std::error::Error>" in inserted(pairs[0][0])
    assert " -> anyhow::Result<()>" in inserted(pairs[0][1]) and green(ws, pairs[0][1])
    assert styled(cands, mine(dev_only), target, ws) == []  # library code cannot name a dev-dependency
    # where the file imports the crate's Result, the short name
    c = crate(tmp_path, "loader2", "use anyhow::Result;\n\n" + src, deps='anyhow = "1"\n', config=DEBIAN)
    ws, target, cands = repair_view(c, "E0277")
    pairs = styled(cands, mine(a), target, ws)
    assert " -> Result<()>" in inserted(pairs[0][1]) and green(ws, pairs[0][1])


def test_an_import_of_a_kind_the_file_lacks_starts_its_own_group(tmp_path: Path) -> None:
    grouped = mine(habits(tmp_path, "grouped", imports="grouped"))
    solid = mine(habits(tmp_path, "solid", imports="one block"))
    assert {s.name: s.value for s in grouped}["import-groups"] == "grouped"
    assert {s.name: s.value for s in solid}["import-groups"] == "one block"
    b = crate(
        tmp_path,
        "tally",
        "pub mod count;\npub mod names;\n",
        files={
            "src/names.rs": 'pub fn name() -> &\'static str {\n    "x"\n}\n',
            "src/count.rs": "use crate::names::name;\n\npub fn tally() -> HashMap<String, u32> {\n"
            "    let mut m = HashMap::new();\n    m.insert(name().to_owned(), 1);\n    m\n}\n",
        },
    )
    ws, target, cands = repair_view(b, "E0425")
    pairs = styled(cands, grouped, target, ws)
    assert pairs and green(ws, pairs[0][1])
    data = ws.read("src/count.rs") or b""
    before = ws.try_edits(pairs[0][1].edits)
    try:
        text = (ws.read("src/count.rs") or b"").decode()
    finally:
        ws.revert(before)
    assert text.startswith("use std::collections::HashMap;\n\nuse crate::names::name;\n\npub fn"), text
    assert styled(cands, solid, target, ws) == [] and data == ws.read("src/count.rs")


def test_the_repair_tries_the_styled_candidate_first_and_keeps_the_original(tmp_path: Path) -> None:
    b = crate(
        tmp_path,
        "meter2",
        "pub struct Meter {\n    n: u32,\n}\n\nimpl Meter {\n    pub fn new() -> Meter {\n        Meter { n: 0 }\n    }\n\n"
        "    pub fn zero() -> Meter {\n        Meter::new()\n    }\n\n    fn step() -> u32 {\n        3\n    }\n\n"
        "    pub fn bump(&mut self) -> u32 {\n        self.n += step();\n        self.n\n    }\n}\n",
    )
    ws, target, cands = repair_view(b, "E0425")
    ordered = for_repair(cands, target, b, ws.read)
    texts = [inserted(c) for c in ordered]
    assert texts.index("Meter::") == texts.index("Self::") - 1
    assert ordered[texts.index("Meter::")].id.endswith("+style")
    assert not (b / ".rusta").exists()  # the repair reads the memory, writes nothing


_PANICKY = (
    "pub fn first(v: &[u8]) -> Option<u8> {\n    let f: u8 = v.first();\n    Some(f)\n}\n\n"
    "pub fn head(v: &[u8]) -> u8 {\n    let f: u8 = v.first();\n    f\n}\n\n"
    "pub fn num(s: &str) -> u64 {\n    let n: u64 = s.parse();\n    n\n}\n"
)


def test_an_unwrap_or_rustcs_expect_is_written_the_way_the_repo_passes_errors_on(tmp_path: Path) -> None:
    q, e, u = (
        mine(habits(tmp_path, n, errors=h)) for n, h in (("q", "?"), ("e", ".expect("), ("u", ".unwrap()"))
    )
    assert [{s.name: s.value for s in x}["error-handling"] for x in (q, e, u)] == [
        "?",
        ".expect(",
        ".unwrap()",
    ]
    b = crate(tmp_path, "panicky", _PANICKY)
    ws, _, _ = repair_view(b, "E0308")
    errors = errors_of(run_check(ws.root))
    by_line = {d.primary.line_start: d for d in errors if d.primary is not None}
    first, head, num = by_line[2], by_line[7], by_line[12]

    def rendered(target: Diagnostic, style: tuple[StyleFact, ...]) -> list[tuple[str, str]]:
        return [
            (inserted(c), inserted(r))
            for c, r in styled(candidates_for(target, ws, errors), style, target, ws)
        ]

    # a repo that propagates: `?` where the fn returns an Option, and nowhere a `?` cannot go
    assert (".copied().unwrap()", ".copied()?") in rendered(first, q)
    assert rendered(head, q) == [] and rendered(num, q) == []
    # a repo that expects: the unwrap and rustc's placeholder name the call instead
    assert (".copied().unwrap()", '.copied().expect("first gave None")') in rendered(head, e)
    assert rendered(num, e) == [('.expect("REASON")', '.expect("parse failed")')]
    # a repo that unwraps (in library code here): no bare unwrap goes into library code, rustc's
    # placeholder names the call as in a repo that expects
    assert rendered(num, u) == [('.expect("REASON")', '.expect("parse failed")')]
    for target, style in ((first, q), (head, e), (num, e)):
        cands = candidates_for(target, ws, errors)
        r = next(r for _, r in styled(cands, style, target, ws))
        before = ws.try_edits(r.edits)
        try:  # the rendering compiles: its own error is gone
            left = errors_of(run_check(ws.root))
        finally:
            ws.revert(before)
        assert target.primary.line_start not in {d.primary.line_start for d in left if d.primary}


def test_a_changed_item_is_formatted_with_the_repos_rustfmt_config_only_if_it_was_clean(
    tmp_path: Path,
) -> None:
    lib = (
        'pub fn label(a: &str) -> String {\n    let n: u32 = a.len() + 1;\n    format!("{a}{n}")\n}\n\n'
        "pub fn messy( a: &str )->u32{ let m: u32 = a.len(); m }\n"
    )
    b = crate(tmp_path, "narrow", lib, files={"rustfmt.toml": "max_width = 40\n"})
    style = mine(b)
    assert [s.value for s in style if s.name == "config"] == ["rustfmt.toml: max_width = 40"]
    ws, _, _ = repair_view(b, "E0308")
    errors = errors_of(run_check(ws.root))
    clean, messy = sorted((d for d in errors if d.code_str == "E0308"), key=lambda d: d.primary.line_start)
    c = next(c for c in candidates_for(clean, ws, errors) if ".try_into().unwrap()" in inserted(c))
    r = render(c, style, clean, ws.read, b)
    assert "rustfmt.toml" in r.description
    before = ws.try_edits(r.edits)
    try:
        text = (ws.read("src/lib.rs") or b"").decode()
        left = [d.primary.line_start for d in errors_of(run_check(ws.root)) if d.primary]
    finally:
        ws.revert(before)
    assert left == [8]  # its own error gone; the messy fn's (line 6, two lines down) stays
    # the long line wrapped as rustfmt writes it at 40 columns; the unformatted fn untouched
    assert "    let n: u32 = (a.len() + 1)\n        .try_into()\n        .unwrap();\n" in text, text
    assert "pub fn messy( a: &str )->u32{ let m: u32 = a.len(); m }" in text
    # an item the repo keeps unformatted: the edit as written, no reformatting of its other code
    m = next(c for c in candidates_for(messy, ws, errors) if ".try_into().unwrap()" in inserted(c))
    assert "rustfmt.toml" not in render(m, style, messy, ws.read, b).description
    # without a rustfmt.toml, nothing is formatted
    plain = crate(tmp_path, "wide", lib)
    ws2, target, cands = repair_view(plain, "E0308")
    c2 = next(c for c in cands if ".try_into().unwrap()" in inserted(c))
    assert render(c2, mine(plain), target, ws2.read, plain) is c2
