"""`rusta fix --yes` and the Confidence head: a real process on a real crate. Nobody reads a `--yes`
fix before it lands, so a fix the head doubts is shown and held back (exit 3), with its reason in
the output and the DevLog; the threshold comes from --min-confidence, else the crate's settings."""

from __future__ import annotations

import json
import re

from diary.devlog import DevLog
from rusta_tui.cli.exitcodes import EXIT_REFUSED
from rusta_tui.settings import save
from rusta_tui.types import Settings
from tests.cli_runner import rusta


def _declines(root) -> list[str]:
    with DevLog.open(root) as log:
        return [
            e.payload["why"]
            for e in log.entries()
            if e.kind == "reflection" and e.payload.get("outcome") == "rejected"
        ]


def test_yes_holds_back_below_the_settings_threshold_and_applies_above_it(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    lib = root / "src" / "lib.rs"
    before = lib.read_bytes()
    save(root, Settings(fix_min_confidence=1.0))  # no fix is certain: every rated fix is held back
    held = rusta("fix", str(root), "--yes", "--no-tests")
    assert held.returncode == EXIT_REFUSED, held.stdout + held.stderr
    assert lib.read_bytes() == before
    said = " ".join(held.stdout.split())
    assert "+ let taken = names.clone();" in said  # the candidate is shown
    reason = next(line for line in held.stdout.splitlines() if line.startswith("Held back:"))
    assert re.search(r"only \d+(\.\d)?% likely to be the fix a developer would write", reason)
    assert "below the 100.0% `--yes` needs. Review it and apply it yourself." in reason
    assert "Applied as" not in said
    assert _declines(root) == [reason]

    as_json = rusta("fix", str(root), "--yes", "--no-tests", "--json")
    assert as_json.returncode == EXIT_REFUSED and lib.read_bytes() == before
    out = json.loads(as_json.stdout)
    assert out["status"] == "held-back" and out["applied"] is None and out["threshold"] == 1.0
    assert 0 < out["confidence"] < 1 and out["message"] == reason and "names.clone()" in out["diff"]

    # the flag outranks the setting for one run; 0 applies every green fix
    done = rusta("fix", str(root), "--yes", "--no-tests", "--json", "--min-confidence", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "applied" and out["threshold"] == 0.0 and out["confidence"] > 0
    assert b"names.clone()" in lib.read_bytes()


def test_a_dry_run_reports_the_confidence_and_a_bad_threshold_is_a_usage_error(fixture_crate) -> None:
    root = fixture_crate("borrow_error")
    shown = rusta("fix", str(root), "--dry-run", "--no-tests", "--json", "--min-confidence", "0.5")
    assert shown.returncode == 0, shown.stderr
    out = json.loads(shown.stdout)
    assert out["threshold"] == 0.5 and 0.5 <= out["confidence"] <= 1
    bad = rusta("fix", str(root), "--yes", "--min-confidence", "80%")
    assert bad.returncode == 2 and "expected a number from 0 to 1" in bad.stderr
