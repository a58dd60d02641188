"""`rusta review` as CI runs it: a real subprocess on the demo crate, JSON out, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real cargo on the demo crate

RUSTA = Path(sys.executable).with_name("rusta")

MOVE_FIX = """--- a/src/lib.rs
+++ b/src/lib.rs
@@ -30,5 +30,5 @@
     /// Adds a whole delivery and says how many items it brought.
     pub fn restock(&mut self, delivery: Vec<Item>) -> usize {
-        self.items.extend(delivery);
+        self.items.extend(delivery.clone());
         delivery.len()
     }
"""

BREAKS_MORE = MOVE_FIX.replace("delivery.clone());", 'delivery.clone()); let x: u8 = "no";')


def review(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUSTA), "review", *args], capture_output=True, text=True, timeout=300)


def test_review_crate_fails_on_errors_and_passes_when_told(demo_crate: Path) -> None:
    out = review(str(demo_crate), "--json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["verdict"] == "fail" and data["errors"] >= 4
    assert any(f["code"] == "E0382" and f["fix"] for f in data["findings"])
    text = review(str(demo_crate), "--fail-on", "never")
    assert text.returncode == 0, text.stderr
    assert "E0382" in text.stdout and "Verdict: pass" in text.stdout


def test_review_diff_green_and_red_never_applied(demo_crate: Path, tmp_path: Path) -> None:
    lib = demo_crate / "src" / "lib.rs"
    before = lib.read_bytes()
    good, bad = tmp_path / "good.patch", tmp_path / "bad.patch"
    good.write_text(MOVE_FIX)
    bad.write_text(BREAKS_MORE)
    green = review(str(demo_crate), "--diff", str(good), "--fail-on", "never", "--json")
    assert green.returncode == 0, green.stdout + green.stderr
    assert json.loads(green.stdout)["diff"]["verdict"] == "green"
    red = review(str(demo_crate), "--diff", str(bad), "--fail-on", "never")
    assert red.returncode == 1
    assert "red" in red.stdout
    assert lib.read_bytes() == before


def test_review_outside_a_crate_says_so(tmp_path: Path) -> None:
    out = review(str(tmp_path))
    assert out.returncode == 2
    assert "not inside a Rust crate" in out.stderr and "Traceback" not in out.stderr


def test_headless_parts_import_no_textual() -> None:
    code = (
        "import sys, rusta_tui.cli.review, rusta_tui.cli.tui, rusta_tui.views, rusta_tui.settings, rusta_tui.terminal;"
        "bad = [m for m in ('textual', 'jax', 'flax') if m in sys.modules]; assert not bad, bad"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_an_error_lib_and_lib_test_both_report_counts_once(demo_crate: Path) -> None:
    """cargo check names E0369's type `&Item` for lib and `&inventory::Item` for lib test: one error."""
    plain = json.loads(review(str(demo_crate), "--no-clippy", "--fail-on", "never", "--json").stdout)
    assert plain["errors"] == 4, plain
    out = review(str(demo_crate), "--validate-fixes", "--json")
    data = json.loads(out.stdout)
    move = next(f for f in data["findings"] if f["code"] == "E0382")
    assert move["fix"]["verdict"] == "green", move
    assert "fixes 1 compile error(s) and adds none; 3 remain" in move["fix"]["reason"], move
