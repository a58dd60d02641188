"""`?` whose error the fn's own error enum cannot take (E0277 "`?` couldn't convert the error", or
E0271 at `parse()?` where `parse`'s type is inferred from the error): the message into an existing
variant that holds a `String`, or a new variant holding the source error with `impl From` after the
enum. Nothing is offered when the fn's error type is not an enum of this crate. Real cargo on small
library crates written here."""

from __future__ import annotations

import pytest

from tests.explain.test_expert_fixes import _checked, _compiling

pytestmark = pytest.mark.slow


READINGS = """#[derive(Debug)]
pub enum SensorError {
    Offline,
    BadReading(String)
}

pub fn celsius(raw: &str) -> Result<f32, SensorError> {
    if raw.is_empty() {
        return Err(SensorError::Offline);
    }
    let t = raw.trim().parse::<f32>()?;
    Ok(t)
}
"""


def test_a_new_variant_holding_the_source_error_comes_with_impl_from(tmp_path):
    e = _checked(tmp_path, "readings", READINGS, "parse::<f32>()?", "E0277")
    fixes = _compiling(e, "impl From<std::num::ParseFloatError> for SensorError")
    assert fixes, [(f.name, f.validated) for f in e.fixes]
    # beside the `impl From` into the existing `BadReading(String)` (which `test_question_from` checks)
    assert any("ParseFloat(std::num::ParseFloatError)," in "".join(f.shows) for f in fixes), [
        f.shows for f in fixes
    ]


def test_the_message_goes_into_a_variant_that_holds_a_string(tmp_path):
    e = _checked(tmp_path, "readings_msg", READINGS, "parse::<f32>()?", "E0277")
    assert _compiling(e, ".map_err(|e| SensorError::BadReading(e.to_string()))?"), [
        (f.name, f.validated) for f in e.fixes
    ]


INFERRED = """#[derive(Debug)]
pub enum QueueError {
    Full,
}

pub fn capacity(spec: &str) -> Result<usize, QueueError> {
    let n: usize = spec.parse()?;
    if n > 1024 {
        return Err(QueueError::Full);
    }
    Ok(n)
}
"""


def test_parse_whose_type_is_inferred_from_the_question_mark_gets_the_new_variant(tmp_path):
    e = _checked(tmp_path, "queue", INFERRED, "spec.parse()?", "E0271")
    assert _compiling(e, "impl From<std::num::ParseIntError> for QueueError"), [
        (f.name, f.validated) for f in e.fixes
    ]


FOREIGN = """pub fn width(spec: &str) -> Result<u32, std::fmt::Error> {
    let w = spec.parse::<u32>()?;
    Ok(w)
}
"""


def test_no_variant_or_impl_when_the_error_type_is_not_this_crates_enum(tmp_path):
    e = _checked(tmp_path, "foreign", FOREIGN, "parse::<u32>()?", "E0277")
    shown = " ".join("".join(f.shows) for f in e.fixes)
    assert "impl From<" not in shown and "fmt::Error::" not in shown


# two variants hold a message; the first is for a unit the parser does not know, the second for an
# amount that is not a number. The crate's test says which one a bad amount becomes
DURATIONS = """#[derive(Debug, PartialEq)]
pub enum DurError {
    Empty,
    UnknownUnit(String),
    InvalidAmount(String),
}

pub fn seconds(spec: &str) -> Result<u64, DurError> {
    let spec = spec.trim();
    let unit = spec.chars().last().ok_or(DurError::Empty)?;
    let amount: u64 = spec[..spec.len() - unit.len_utf8()].parse()?;
    match unit {
        's' => Ok(amount),
        'm' => Ok(amount * 60),
        _ => Err(DurError::UnknownUnit(unit.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_amount_is_invalid() {
        assert!(matches!(seconds("x5m"), Err(DurError::InvalidAmount(_))));
    }
}
"""


def test_the_message_goes_into_the_variant_named_for_the_errors_kind(tmp_path):
    """A parse error's text goes into `InvalidAmount(String)`, not the first `String` variant
    (`UnknownUnit`), in `map_err` and in `impl From` alike; the title names the variant passed over,
    and the crate's test passes with the lead."""
    e = _checked(tmp_path, "durations", DURATIONS, ".parse()?", None)
    into = [f for f in e.fixes if "(e.to_string())" in "".join(f.shows)]
    assert into, [(f.name, f.validated) for f in e.fixes]
    for form in (".map_err(", "impl From<"):
        same = ["InvalidAmount" in "".join(f.shows) for f in into if form in "".join(f.shows)]
        assert same and same[0], (form, [f.shows for f in into])  # the kind's variant ranks first
    lead = into[0]
    assert "InvalidAmount" in "".join(lead.shows) and "`UnknownUnit`" in lead.name, (lead.name, lead.shows)
    assert lead.ticked and lead.tests_run == "passed", (lead.validated, lead.tests_run, lead.tests_failed)
