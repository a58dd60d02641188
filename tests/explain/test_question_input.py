"""`?` whose parse error needs converting into the crate's error enum, where a variant is named for
the error's kind (`BadCount(String)`, `InvalidPort(String)`) beside one named for something else:
no fix puts the error into the other variant, and the fix that keeps the input that failed (the
`?` operand's receiver, `map_err(|_| ..(raw.to_string()))`) is offered beside the one that keeps
the parser's message; where the crate's test expects the input, it leads with a ✓ and the test
passes (review O, o09). Real cargo on small crates written here, their tests run with the lead."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import crate_tests_with, explain_lib

pytestmark = pytest.mark.slow

# E0277 at an explicit `parse::<u32>()?`: the count that does not parse is reported as typed
ORDERS = """#[derive(Debug, PartialEq)]
pub enum OrderError {
    UnknownColor(String),
    BadCount(String),
}

pub fn order(line: &str) -> Result<(String, u32), OrderError> {
    let (color, raw) = line.split_once(' ').unwrap_or((line, ""));
    if color != "red" && color != "blue" {
        return Err(OrderError::UnknownColor(color.to_string()));
    }
    let n = raw.parse::<u32>()?;
    Ok((color.to_string(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_count_names_the_input() {
        assert_eq!(order("red 3"), Ok(("red".to_string(), 3)));
        assert_eq!(order("red x"), Err(OrderError::BadCount("x".into())));
        assert_eq!(order("green 1"), Err(OrderError::UnknownColor("green".into())));
    }
}
"""

# E0271 at `self.port.parse()?` whose type comes from the `let`: the receiver is a field path
ADDRS = """#[derive(Debug, PartialEq)]
pub enum AddrError {
    UnknownHost(String),
    InvalidPort(String),
}

pub struct Addr {
    pub host: String,
    pub port: String,
}

impl Addr {
    pub fn port_number(&self) -> Result<u16, AddrError> {
        if self.host.is_empty() {
            return Err(AddrError::UnknownHost(String::new()));
        }
        let p: u16 = self.port.parse()?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_port_names_the_input() {
        let a = Addr { host: "h".into(), port: "80x".into() };
        assert_eq!(a.port_number(), Err(AddrError::InvalidPort("80x".into())));
    }
}
"""


@pytest.mark.parametrize(
    "name,src,good,other,recv",
    [
        ("orders", ORDERS, "BadCount", "UnknownColor", "raw"),
        ("addrs", ADDRS, "InvalidPort", "UnknownHost", "self.port"),
    ],
)
def test_the_input_goes_into_the_variant_named_for_the_error(
    tmp_path, monkeypatch, name, src, good, other, recv
):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name)
    e = next(e for e in run.explanations if e.code in ("E0277", "E0271"))
    shown = [(f.name, f.validated, f.tests_run, f.shows) for f in e.fixes]
    assert not any(f"::{other}(e" in "".join(f.shows) for f in e.fixes), shown
    lead = e.fixes[0]
    assert f".map_err(|_| {name_of(src)}::{good}({recv}.to_string()))" in "".join(lead.shows), shown
    assert lead.ticked and lead.tests_run == "passed", shown
    assert crate_tests_with(tmp_path, name, lead) == "ok"


def name_of(src: str) -> str:
    return src.split("pub enum ", 1)[1].split()[0]
