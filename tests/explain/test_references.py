"""Every reference Rusta prints for the demo crate opens offline: the file exists or the command exits 0.
`rustc --explain` text is cached on disk per rustc version."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from engine.explain import references
from engine.explain.api import explain_report
from toolbelt import sysroot as toolbelt_sysroot
from toolbelt.paths import cache_dir
from toolbelt.types import CheckReport

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-engine")]


def test_every_reference_for_the_demo_crate_resolves(demo: CheckReport) -> None:
    stories = explain_report(demo)
    assert stories
    commands: set[str] = set()
    local = 0
    for e in stories:
        assert e.references, e.code
        for r in e.references:
            if r.kind == "explain":
                commands.add(r.target)
            elif r.kind == "url":
                assert r.target.startswith("https://")
            else:
                assert Path(r.target.split("#")[0]).is_file(), r
                local += 1
    assert local > 0, "no local std/book/reference docs were linked; is rust-docs installed?"
    for cmd in sorted(commands):
        proc = subprocess.run(shlex.split(cmd), cwd=demo.crate_root, capture_output=True, timeout=120)
        assert proc.returncode == 0, (cmd, proc.stderr[-500:])
        assert proc.stdout.strip(), cmd


def test_explain_text_is_cached_per_rustc_version() -> None:
    text = references.explain_text("E0382")
    assert "moved" in text
    cached = list((cache_dir() / "explain").glob("*/E0382.md"))
    assert len(cached) == 1 and cached[0].read_text() == text
    # a second call reads the cache: make the cached copy recognisable
    cached[0].write_text(text + "\nRUSTA-CACHED\n")
    assert references.explain_text("E0382").endswith("RUSTA-CACHED\n")
    os.remove(cached[0])


def test_explain_passage_is_prose_before_the_first_example() -> None:
    passage = references.explain_passage(references.explain_text("E0382"))
    assert passage.startswith("A variable was used after its contents have been moved")
    assert "```" not in passage and "Erroneous code" not in passage


def test_non_codes_have_no_explain_text() -> None:
    assert references.explain_text("clippy::len_zero") == ""
    assert references.explain_text("unused_variables") == ""


def test_sysroot_is_cached_on_disk_per_rustc_version(demo: CheckReport, tmp_path: Path) -> None:
    assert demo.toolchain is not None and demo.toolchain.rustc.startswith("rustc ")
    toolbelt_sysroot.remember_rustc_version(demo.toolchain.rustc)
    toolbelt_sysroot.sysroot.cache_clear()
    real = toolbelt_sysroot.sysroot()
    assert real is not None and (real / "share" / "doc" / "rust" / "html").is_dir()
    cached = toolbelt_sysroot._sysroot_cache()
    assert cached is not None and cached.read_text().strip() == str(real)
    # the next process reads the file instead of running rustc: prove it by planting another folder
    cached.write_text(str(tmp_path))
    toolbelt_sysroot.sysroot.cache_clear()
    assert toolbelt_sysroot.sysroot() == tmp_path
    cached.unlink()
    toolbelt_sysroot.sysroot.cache_clear()
    assert toolbelt_sysroot.sysroot() == real
