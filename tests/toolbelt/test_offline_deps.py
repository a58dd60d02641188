"""A dependency cargo cannot resolve offline: named, where Rusta looked, the one fix, cargo's words kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from toolbelt import offline_deps
from toolbelt.offline_deps import missing_dependency, offline_sentence

REPO = Path(__file__).resolve().parents[2]

# cargo 1.9x, captured on this machine
NO_MATCH = """error: no matching package named `zzz-not-here` found
location searched: crates.io index
required by package `offx v0.1.0 (/tmp/offx)`
As a reminder, you're using offline mode (--offline) which can sometimes cause surprising resolution failures, if this error is too confusing you may wish to retry without `--offline`.
"""
NO_VERSION = """error: failed to select a version for the requirement `anyhow = "^99"`
candidate versions found which didn't match: 1.0.69
location searched: directory source `/usr/share/cargo/registry` (which is replacing registry `crates-io`)
required by package `offx v0.1.0 (/tmp/offx)`
perhaps a crate was updated and forgotten to be re-vendored?
"""
MISSING_PATH = """error: failed to get `shared` as a dependency of package `app v0.3.0 (/w/app)`

Caused by:
  failed to load source for dependency `shared`

Caused by:
  Unable to update /w/shared
"""


def test_the_dependency_and_the_package_needing_it_are_named() -> None:
    miss = missing_dependency(NO_MATCH)
    assert miss is not None and (miss.name, miss.required_by) == ("zzz-not-here", "offx")
    miss = missing_dependency(NO_VERSION)
    assert miss is not None and miss.name == "anyhow"
    assert missing_dependency(MISSING_PATH) is None  # a missing path dependency is not an offline problem
    assert missing_dependency("error: expected `;`") is None


def test_a_directory_source_gets_its_own_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "cargo-home"))
    vendor = tmp_path / "vendored"
    (vendor / "other-1.0.0").mkdir(parents=True)
    (tmp_path / "crate" / ".cargo").mkdir(parents=True)
    (tmp_path / "crate" / ".cargo" / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "v"\n\n[source.v]\ndirectory = "../vendored"\n'
    )
    text = offline_sentence(tmp_path / "crate", NO_MATCH)
    assert text is not None
    assert f"the directory source `v` ({tmp_path / 'crate' / '..' / 'vendored'})" in text
    assert f"`cargo vendor {tmp_path / 'crate' / '..' / 'vendored'}` while online" in text
    assert "As a reminder, you're using offline mode" in text  # cargo's own hint stays


def test_debian_registry_is_offered_when_it_ships_the_crate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "cargo-home"))
    debian = tmp_path / "debian-registry"
    (debian / "zzz-not-here-1.2.0").mkdir(parents=True)
    monkeypatch.setattr(offline_deps, "DEBIAN_REGISTRY", debian)
    text = offline_sentence(tmp_path, NO_MATCH)
    assert text is not None and 'replace-with = "debian"' in text and "cargo fetch" not in text


@pytest.mark.slow
def test_rusta_check_names_the_missing_dependency(tmp_path: Path) -> None:
    crate = tmp_path / "offline"
    (crate / "src").mkdir(parents=True)
    (crate / "src" / "lib.rs").write_text("pub fn f() {}\n")
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "offline"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nzzz-not-here = "1.2"\n'
    )
    out = rusta("check", str(crate), env={"CARGO_HOME": str(tmp_path / "cargo-home")}, timeout=300)
    assert out.returncode == 2, out.stdout + out.stderr
    line = out.stderr.strip()
    assert "Traceback" not in line and len(line.splitlines()) == 1
    assert "cannot resolve the dependency `zzz-not-here` (required by offline) offline" in line
    assert "registry (0 crates downloaded): not there" in line
    assert f"run `cargo fetch` in {crate.resolve()} once while online" in line
    assert "no matching package named `zzz-not-here` found" in line  # cargo's words
