"""`rusta doctor` tells the truth: each verdict is checked against asking the machine directly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from toolbelt.doctor import checkpoint_dir
from toolbelt.isolation import DESCRIPTIONS, isolation_mode

RUSTA = [sys.executable, "-m", "rusta_tui.cli.main", "doctor"]


def _works(*argv: str) -> bool:
    exe = shutil.which(argv[0])
    if exe is None:
        return False
    return subprocess.run([exe, *argv[1:]], capture_output=True).returncode == 0


def test_doctor_json_matches_the_machine() -> None:
    r = subprocess.run([*RUSTA, "--json"], capture_output=True, text=True, timeout=120)
    body = json.loads(r.stdout)
    checks = {c["name"]: c for c in body["checks"]}
    assert set(checks) >= {
        "python",
        "cargo",
        "rustc",
        "clippy",
        "rustfmt",
        "nightly",
        "miri",
        "rust-analyzer",
        "libFuzzer",
        "network isolation",
        "memory limit",
        "cache",
        "disk space",
        "model checkpoint",
    }
    for tool, argv in {
        "cargo": ["cargo", "--version"],
        "rustc": ["rustc", "--version"],
        "rustfmt": ["rustfmt", "--version"],
        "clippy": ["cargo", "clippy", "--version"],
    }.items():
        out = subprocess.run(argv, capture_output=True, text=True)
        assert checks[tool]["status"] == "ok" and checks[tool]["detail"] == out.stdout.strip().splitlines()[0]
        assert checks[tool]["required"] is True
    assert checks["miri"]["status"] == ("ok" if _works("cargo", "+nightly", "miri", "--version") else "warn")
    assert checks["rust-analyzer"]["status"] == ("ok" if _works("rust-analyzer", "--version") else "warn")
    assert checks["nightly"]["status"] == ("ok" if _works("rustc", "+nightly", "--version") else "warn")
    fuzz = checks["libFuzzer"]
    assert fuzz["status"] == ("warn" if not _works("cargo", "fuzz", "--version") else fuzz["status"])
    if fuzz["status"] == "warn":  # said plainly, with what fuzzing uses instead
        assert fuzz["detail"].startswith("not used: ") and "Rusta's own seeded generator" in fuzz["detail"]
    for optional in ("miri", "rust-analyzer", "nightly", "libFuzzer", "model checkpoint"):
        assert checks[optional]["required"] is False
        if checks[optional]["status"] != "ok":
            assert checks[optional]["fix"], optional
    assert checks["network isolation"]["detail"] == DESCRIPTIONS[isolation_mode()]
    ckpt = checkpoint_dir()
    has_model = ckpt is not None and ckpt.is_dir() and any(ckpt.iterdir())
    assert checks["model checkpoint"]["status"] == ("ok" if has_model else "warn")
    if not has_model:
        assert checks["model checkpoint"]["fix"] == "run `make model`"
    else:  # present is not enough: the check loaded it and scored a snippet
        assert "loads and scores a snippet" in checks["model checkpoint"]["detail"]
    assert checks["memory limit"]["detail"].startswith("RLIMIT_AS 8 GiB")
    assert body["ok"] is True and r.returncode == 0


def test_doctor_table_and_missing_cargo(tmp_path) -> None:
    r = subprocess.run(
        RUSTA,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/nonexistent",
            "HOME": str(tmp_path),
            "RUSTA_CACHE_DIR": str(tmp_path / "cache"),
            "COLUMNS": "160",
        },
    )
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "FAIL" in r.stdout and "https://rustup.rs" in r.stdout
    assert "Missing what Rusta needs: cargo, rustc, clippy, rustfmt" in r.stdout


def test_unwritable_cache_fails_with_a_fix(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    import os

    env = dict(os.environ, RUSTA_CACHE_DIR=str(blocker / "cache"))
    r = subprocess.run([*RUSTA, "--json"], capture_output=True, text=True, timeout=120, env=env)
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert checks["cache"]["status"] == "fail" and "RUSTA_CACHE_DIR" in checks["cache"]["fix"]
    assert r.returncode == 1
