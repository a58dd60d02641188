"""`rusta check` starts cargo before Rusta's imports and takes it over only when it is exactly the run
the ordinary path makes; a wrong guess is killed and replaced, an unclaimed one never outlives Rusta."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolbelt import cargo_early
from toolbelt.cargo_run import run_check
from toolbelt.selection import Selection

pytestmark = pytest.mark.slow

# Runs the CLI in a fresh process, then says on stderr what became of the early start.
RUN = (
    "import sys; from rusta_tui.cli import main as m; from toolbelt import cargo_early as e; "
    "rc = m.{entry}(sys.argv[1:]); print('EARLY', e.last, rc, file=sys.stderr)"
)


def _cli(entry: str, *args: str, cache: Path) -> tuple[str, int, list[dict]]:
    env = dict(os.environ, RUSTA_CACHE_DIR=str(cache))
    r = subprocess.run(
        [sys.executable, "-c", RUN.format(entry=entry), *args], capture_output=True, text=True, env=env
    )
    last = r.stderr.strip().splitlines()[-1].split()
    assert last[0] == "EARLY", r.stderr
    return last[1], int(last[2]), [json.loads(ln) for ln in r.stdout.splitlines()]


def _crate(root: Path, name: str, body: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(body)
    return root


BODY = 'pub fn f(a: u32) -> u32 { let unused = a; return a; }\npub fn e() -> u32 { "x" }\n'


def test_a_plain_crate_is_taken_over_and_prints_what_the_ordinary_path_prints(tmp_path) -> None:
    crate = _crate(tmp_path / "plain", "plain", BODY)
    cache = tmp_path / "cache"
    how, rc, early_rows = _cli("main", "check", "--json", str(crate), cache=cache)
    assert how == "adopted" and rc == 1
    how, rc2, plain_rows = _cli("_main", "check", "--json", str(crate), cache=cache)
    assert how == "none" and rc2 == rc
    assert early_rows == plain_rows and {r["code"] for r in plain_rows} >= {"E0308", "unused_variables"}


def test_a_workspace_member_starts_nothing_early_and_still_selects_itself(tmp_path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "Cargo.toml").write_text('[workspace]\nmembers = ["app", "lib2"]\nresolver = "2"\n')
    _crate(ws / "app", "app", BODY)
    _crate(ws / "lib2", "lib2", 'pub fn g() -> u32 { "y" }\n')
    how, rc, rows = _cli("main", "check", "--json", str(ws / "app"), cache=tmp_path / "cache")
    assert how == "none" and rc == 1
    assert {r["file"] for r in rows} == {"app/src/lib.rs"}  # -p app, as the ordinary path decides


def test_features_the_app_saved_start_nothing_early_and_are_checked(tmp_path) -> None:
    """The selection the app saved in .rusta/settings.toml is the CLI's default (#18): the guess, which
    knows no settings, starts nothing, and the check covers the saved feature's code."""
    crate = _crate(
        tmp_path / "saved",
        "saved",
        'pub fn one() -> u8 {\n    1\n}\n#[cfg(feature = "extra")]\npub fn two() -> u8 {\n    "two"\n}\n',
    )
    with (crate / "Cargo.toml").open("a") as f:
        f.write("\n[features]\nextra = []\n")
    (crate / ".rusta").mkdir()
    (crate / ".rusta" / "settings.toml").write_text('features = ["extra"]\n')
    how, rc, rows = _cli("main", "check", "--json", str(crate), cache=tmp_path / "cache")
    assert how == "none" and rc == 1
    assert {r["code"] for r in rows if r["level"] == "error"} == {"E0308"}


def test_a_wrong_guess_is_killed_before_the_real_run(tmp_path) -> None:
    """The guess is `--all-targets`; a caller that asks for the lib alone gets a fresh run of that."""
    crate = _crate(tmp_path / "guess", "guess", BODY + "#[cfg(test)]\nmod t { fn x() -> u8 { 300 } }\n")
    os.environ["RUSTA_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        cargo_early.start_check(["--json", str(crate)])
        early = cargo_early._pending
        assert early is not None
        report = run_check(crate, tool="clippy", selection=Selection(targets="lib"))
    finally:
        os.environ.pop("RUSTA_CACHE_DIR")
    assert cargo_early.last == "replaced"
    assert early.proc.returncode is not None  # reaped before the real run started
    assert "--lib" in report.process.argv and "--all-targets" not in report.process.argv
    assert not any("overflow" in d.message or "literal out of range" in d.message for d in report.diagnostics)
    assert any(d.code_str == "E0308" for d in report.diagnostics)


def test_bad_input_after_the_early_start_leaves_no_cargo_running(tmp_path) -> None:
    """The source-size check runs after cargo started; refusing must take cargo down with it."""
    crate = _crate(tmp_path / "big", "big", BODY)
    (crate / "src" / "huge.rs").write_bytes(b"//" + b"x" * (17 * 1024 * 1024))
    code = (
        "import sys; from rusta_tui.cli.main import main; from toolbelt import cargo_early as e; "
        "started = []; orig = e.start_limited\n"
        "def spy(*a, **k):\n    s = orig(*a, **k); started.append(s); return s\n"
        "e.start_limited = spy; rc = main(['check', '--json', sys.argv[1]])\n"
        "print('RC', rc, len(started), [s.proc.returncode is not None for s in started], file=sys.stderr)"
    )
    env = dict(os.environ, RUSTA_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, "-c", code, str(crate)], capture_output=True, text=True, env=env)
    assert "over Rusta's 16 MB limit" in r.stderr, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "RC 2 1 [True]", r.stderr


def test_the_early_start_imports_no_msgspec_and_nothing_heavy() -> None:
    code = (
        "import sys; from toolbelt import cargo_early; "
        "print(','.join(m for m in ('msgspec', 'rich', 'engine', 'tomllib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_explain_takes_the_early_check_over_and_says_what_the_ordinary_path_says(tmp_path) -> None:
    crate = _crate(tmp_path / "expl", "expl", BODY)
    cache = tmp_path / "cache"
    args = ("explain", "--json", "--no-validate", "--no-log", "--mode", "pair", str(crate))
    how, rc, early_rows = _cli("main", *args, cache=cache)
    assert how == "adopted" and rc == 0
    how, rc2, plain_rows = _cli("_main", *args, cache=cache)
    assert how == "none" and rc2 == rc
    assert early_rows == plain_rows and {r["code"] for r in plain_rows} >= {"E0308"}


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("explain", ["--mode", "study", "--code=E0308", "--no-validate", "c"], ("clippy", "c")),
        ("explain", ["--no-clippy", "--at", "src/lib.rs:3", "--json"], ("check", None)),
        ("explain", ["-p", "app", "c"], None),  # a selection changes cargo's arguments
        ("explain", ["--mode"], None),  # argparse refuses it; nothing starts
        ("explain", ["--no-val", "c"], None),  # an abbreviation argparse may expand: not guessed
        ("check", ["--mode", "study", "c"], None),  # check has no --mode
        ("check", ["--json", "c"], ("clippy", "c")),
    ],
)
def test_the_guess_reads_each_commands_options_or_starts_nothing(command, args, expected) -> None:
    assert cargo_early._tool_and_path(command, args) == expected
