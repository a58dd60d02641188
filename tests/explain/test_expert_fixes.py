"""Fixes an expert gives where rustc gives none, each shown only after cargo accepted it in context:
a struct field renamed to the one rustc lists (E0560), missing fields added (E0063), the bound rustc
names in words (`'b: 'a`), an owned return value for a reference into a local (E0515), a `let`
hoisted out of a bare block (E0597), `total_cmp` for floats where `Ord` is asked. Each shape also has
a program where the fix must not be offered. Real cargo on small library crates written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow


def _checked(tmp_path, name, src, text, code):
    stories = explain_lib(tmp_path, name, src)
    e = story(stories, src, text, code)
    checked = validate(list(stories), tmp_path / name).explanations
    return next(c for c in checked if c.primary == e.primary and c.code == e.code)


def _compiling(e, family_text):
    return [f for f in e.fixes if f.validated == "compiles" and family_text in "".join(f.shows)]


SETTINGS = """pub struct Settings {
    pub retries: u32,
    pub verbose_log: bool,
}

pub fn make() -> Settings {
    Settings { retries: 3, verbose: true }
}
"""


def test_an_unknown_field_is_renamed_to_the_listed_one_that_it_abbreviates(tmp_path):
    e = _checked(tmp_path, "settings", SETTINGS, "verbose: true", "E0560")
    assert _compiling(e, "verbose_log: true"), [(f.name, f.validated) for f in e.fixes]


FAR = SETTINGS.replace("verbose: true", "colour: true")


def test_no_rename_when_no_listed_field_is_close(tmp_path):
    e = _checked(tmp_path, "far", FAR, "colour: true", "E0560")
    assert not any("retries" in "".join(f.shows) or "verbose_log" in "".join(f.shows) for f in e.fixes)


SHORTHAND = """pub struct Span { pub start_pos: usize, pub len: usize }

pub fn span(start: usize) -> Span {
    Span { start, len: 0 }
}
"""


def test_a_shorthand_field_keeps_its_value_when_renamed(tmp_path):
    e = _checked(tmp_path, "shorthand", SHORTHAND, "Span { start, len", "E0560")
    assert _compiling(e, "start_pos: start"), [(f.name, f.shows) for f in e.fixes]


PLAIN = """pub struct Job {
    pub name: String,
    pub weight: f64,
    pub urgent: bool,
}

pub fn job(name: &str) -> Job {
    Job {
        name: name.to_string(),
    }
}
"""


def test_missing_fields_get_their_types_plain_values(tmp_path):
    e = _checked(tmp_path, "plain", PLAIN, "    Job {", "E0063")
    fix = _compiling(e, "weight: 0.0,")
    assert fix and "urgent: false," in "".join(fix[0].shows)


DEFAULTED = PLAIN.replace("pub struct Job", "#[derive(Debug, Default)]\npub struct Job")


def test_a_struct_with_default_takes_the_struct_base(tmp_path):
    e = _checked(tmp_path, "defaulted", DEFAULTED, "    Job {", "E0063")
    assert _compiling(e, "..Default::default()")


NO_DEFAULT = """pub struct Clock(std::time::Instant);

pub struct Timer {
    pub id: u32,
    pub clock: Clock,
}

pub fn timer() -> Timer {
    Timer { id: 1 }
}
"""


def test_a_field_whose_type_has_no_default_is_not_offered(tmp_path):
    e = _checked(tmp_path, "nodefault", NO_DEFAULT, "Timer { id: 1 }", "E0063")
    assert not any("clock:" in "".join(f.shows) for f in e.fixes)


OUTLIVES = """pub struct Dict<'a> {
    pub words: Vec<&'a str>,
}

impl<'a> Dict<'a> {
    pub fn pick<'c>(&self, wanted: &'c [&'c str]) -> Option<&'a str> {
        wanted.iter().find(|w| self.words.contains(w)).copied()
    }
}
"""


def test_the_bound_rustc_names_in_words_goes_on_the_lifetime_parameter(tmp_path):
    e = _checked(tmp_path, "outlives", OUTLIVES, "wanted.iter()", None)
    assert _compiling(e, "pick<'c: 'a>")


OWNED = """pub fn first_line(raw: &[u8]) -> &str {
    let text = String::from_utf8_lossy(raw).into_owned();
    if text.is_empty() {
        return "";
    }
    text.lines().next().unwrap_or("")
}
"""


def test_a_slice_of_a_local_is_returned_owned_at_every_return(tmp_path):
    e = _checked(tmp_path, "owned", OWNED, "text.lines()", "E0515")
    fix = _compiling(e, "-> String")
    assert fix, [(f.name, f.validated, f.shows) for f in e.fixes]
    shows = "".join(fix[0].shows)
    assert 'return "".to_string();' in shows and 'unwrap_or("").to_string()' in shows


BY_REF = """pub struct Config { pub port: u16 }

pub fn config() -> &'static Config {
    let c = Config { port: 80 };
    &c
}
"""


def test_no_owned_return_for_a_type_without_an_owned_form(tmp_path):
    e = _checked(tmp_path, "byref", BY_REF, "&c", "E0515")
    assert not any(".to_string()" in "".join(f.shows) or "to_vec" in "".join(f.shows) for f in e.fixes)


HOIST = """pub fn longest() -> usize {
    let best;
    {
        let names = vec![String::from("ab"), String::from("abc")];
        best = names.iter().max_by_key(|n| n.len()).unwrap();
    }
    best.len()
}
"""


def test_a_let_dropped_at_a_bare_blocks_end_moves_before_the_block(tmp_path):
    e = _checked(tmp_path, "hoist", HOIST, "best = names", "E0597")
    fix = _compiling(e, "let names = vec!")
    assert fix and fix[0].patch.index("+    let names") < fix[0].patch.index("-        let names")


LOOP = """pub fn longest(rounds: usize) -> usize {
    let mut best = &String::new();
    for i in 0..rounds {
        let names = vec![String::from("ab"), i.to_string()];
        best = names.iter().max_by_key(|n| n.len()).unwrap();
    }
    best.len()
}
"""


def test_no_hoist_out_of_a_loop_body(tmp_path):
    e = _checked(tmp_path, "loop", LOOP, "best = names", "E0597")
    assert not any("let names" in "".join(f.shows) for f in e.fixes)


FLOATS = """pub struct Reading { pub celsius: f64 }

pub fn hottest(rs: &[Reading]) -> Option<&Reading> {
    rs.iter().max_by_key(|r| r.celsius)
}

pub fn lowest(xs: &[f32]) -> f32 {
    xs.iter().copied().min().unwrap_or(0.0)
}
"""


def test_floats_are_ordered_with_total_cmp(tmp_path):
    e = _checked(tmp_path, "floats", FLOATS, "max_by_key", "E0277")
    assert _compiling(e, "max_by(|a, b| a.celsius.total_cmp(&b.celsius))")
    e = _checked(tmp_path, "floats2", FLOATS, "min()", "E0277")
    assert _compiling(e, "min_by(|a, b| a.total_cmp(b))")


TUPLES = """pub fn best(v: &[(f64, u32)]) -> Option<&(f64, u32)> {
    v.iter().max()
}
"""


def test_no_total_cmp_for_a_float_inside_a_tuple(tmp_path):
    e = _checked(tmp_path, "tuples", TUPLES, "v.iter().max()", "E0277")
    assert not any("total_cmp" in "".join(f.shows) for f in e.fixes)


MACHINE = """pub enum Phase {
    Empty,
    Loading(Vec<u8>),
    Loaded { bytes: Vec<u8>, checksum: u32 },
}

pub struct Loader {
    pub phase: Phase,
    pub warnings: u32,
}

impl Loader {
    pub fn complete(&mut self) {
        match self.phase {
            Phase::Loading(bytes) => {
                let checksum = bytes.iter().map(|b| *b as u32).sum();
                self.phase = Phase::Loaded { bytes, checksum };
            }
            Phase::Empty => self.warnings += 1,
            _ => self.warnings += 2,
        }
    }
}
"""


def test_a_state_moved_out_of_a_match_on_a_field_is_replaced_and_restored(tmp_path):
    e = _checked(tmp_path, "machine", MACHINE, "match self.phase", "E0507")
    fix = _compiling(e, "std::mem::replace(&mut self.phase, Phase::Empty)")
    assert fix, [(f.name, f.validated, f.shows) for f in e.fixes]
    shows = "\n".join(fix[0].shows)
    assert "other => { self.warnings += 2; self.phase = other; }" in shows
    assert "Phase::Empty => self.warnings += 1" not in shows  # the placeholder is that state already


KEEPS = MACHINE.replace(
    "_ => self.warnings += 2,", "Phase::Loaded { checksum, .. } => self.warnings += checksum,"
)


def test_no_replace_when_an_arm_that_keeps_the_state_binds_from_it(tmp_path):
    e = _checked(tmp_path, "keeps", KEEPS, "match self.phase", "E0507")
    assert not any("mem::replace" in "".join(f.shows) for f in e.fixes)
