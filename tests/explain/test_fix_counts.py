"""The count line under the checked fixes adds up, on real explain runs (#14, reviews J and P).

A property of every run, checked on crates written here with real cargo, in pair and study mode:
the count line's "checked" is the number "Checking N fixes" announced, its "shown" is the number of
fix lines printed above it, and the announced fixes it accounts for (shown, did not compile, left
out, repeated) add up to the number checked. Without a count line, the fix lines printed are the
fixes announced. The mistake it guards against: "4 fixes checked, 2 shown: 3 did not compile", and
pair counting as shown the fixes it only summarises in "+2 other fixes compile".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib
from tests.explain.programs import SHOP

# a moved `Vec` in a `for` loop, `f64 / usize`, a `&str` tail where `String` is due: several fixes
# compile per story, so pair leaves some out, and some fail
TALLY = """\
pub fn total_len(words: Vec<String>) -> usize {
    let mut n = 0;
    for w in words {
        n += w.len();
    }
    n + words.len()
}

pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len()
}

pub fn label(score: u32) -> String {
    if score > 10 {
        "high"
    } else {
        "low".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(total_len(vec!["ab".into(), "c".into()]), 5);
        assert_eq!(mean(&[1.0, 3.0]), 2.0);
        assert_eq!(label(11), "high");
    }
}
"""

_ANNOUNCED = re.compile(r"^Checking (\d+) fix(?:es)? in a scratch copy")
_FIX = re.compile(r"^(?:#\d+ )?\s*Fix(?: ✓)?[ :](?! the same edit as)")
_COUNT = re.compile(r"^\((\d+) fix(?:es)? checked, (\d+) shown: (.*)\)\.$")
_PART = re.compile(r"^(\d+) (?:is |are |was |were |fix |fixes )?(.*)$")


def _accounted(parts: str) -> tuple[int, int]:
    """(announced fixes the parts account for that are not shown, shown fixes no announced one is)."""
    gone = extra = 0
    for part in parts.split("; "):
        m = _PART.match(part)
        assert m, part
        n, what = int(m.group(1)), m.group(2)
        if what.startswith("more shown"):
            extra += n
        elif not what.startswith("shown"):  # "N fix shown is finished in steps" is among the shown
            gone += n
    return gone, extra


@pytest.mark.slow
@pytest.mark.parametrize(("name", "src"), [("tally", TALLY), ("shop", SHOP)])
def test_the_numbers_printed_are_the_fixes_listed(tmp_path: Path, name: str, src: str) -> None:
    root = write_lib(tmp_path, name, src)
    for mode in ("pair", "study"):
        out = rusta("explain", str(root), "--no-clippy", "--mode", mode, columns=200).stdout
        lines = out.splitlines()
        after = next(i for i, ln in enumerate(lines) if _ANNOUNCED.match(ln))
        announced = int(_ANNOUNCED.match(lines[after]).group(1))  # type: ignore[union-attr]
        listed = sum(bool(_FIX.match(ln)) for ln in lines[after:])
        count = next((m for ln in lines[after:] if (m := _COUNT.match(ln))), None)
        if count is None:
            assert listed == announced, (mode, out)
            continue
        checked, shown = int(count.group(1)), int(count.group(2))
        gone, extra = _accounted(count.group(3))
        assert checked == announced and shown == listed, (mode, out)
        assert shown - extra + gone == checked, (mode, count.group(0))


def test_the_cost_line_says_why_checks_outnumber_fixes_only_when_they_do() -> None:
    from engine.explain.validation import ValidationRun
    from rusta_tui.cli.explain_show import cost_words

    even = cost_words(ValidationRun(explanations=(), checked=3, cached=1, wall_s=1.0), 4)
    assert even == "rusta: 4 fixes checked in 1.0 s with 3 cargo checks and 1 answer from the cache.", even
    more = cost_words(ValidationRun(explanations=(), checked=12, cached=0, wall_s=2.6), 4)
    assert more.endswith(
        "(a fix's other spelling, later steps and fixes checked together take checks of their own)."
    )
