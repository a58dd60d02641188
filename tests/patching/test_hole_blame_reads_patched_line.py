"""A refusal names who wrote the line a test panicked in, read from the patched tree (#14). The
mistake: the panic's line was read from the sandbox after the baseline run had put the old tree
back, so a `todo!()` the refused patch itself inserts (rustc's `_ => todo!()` arm for E0004) was
reported as one "which the crate already had before this patch". Real cargo on a crate written
here: a match over a tuple that misses pairs a test reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

LIGHTS = """\
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Light {
    Red,
    Green,
}

#[derive(Clone, Copy)]
pub enum Press {
    Go,
    Stop,
}

pub fn next(l: Light, p: Press) -> Light {
    match (l, p) {
        (Light::Red, Press::Go) => Light::Green,
        (Light::Green, Press::Stop) => Light::Red,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_on_red_stays_red() {
        assert_eq!(next(Light::Red, Press::Stop), Light::Red);
    }
}
"""


def test_a_hole_the_refused_patch_writes_is_blamed_on_it(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "lights", LIGHTS)
    before = (root / "src/lib.rs").read_text()
    r = rusta(
        "explain", str(root), "--apply", "1", "--no-clippy", env={"RUSTA_CACHE_DIR": str(tmp_path / "c")}
    )
    refusal = next((ln for ln in r.stdout.splitlines() if ln.startswith("Refused")), "")
    assert r.returncode == 3 and refusal, r.stdout + r.stderr
    assert "already had" not in refusal, refusal
    assert "fail with the patch" in refusal, refusal
    assert (root / "src/lib.rs").read_text() == before
