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
