"""The localization quality bar: load one-mistake cases, build each as a real crate, run cargo and
the explain engine, and score where Rusta and rustc point against where the mistake really is.

A case file (`tests/explain/cases/*.toml`) holds `[[case]]` tables. Each case's source files carry
exactly one `//~ ROOT` marker on the line where the mistake is (where a careful reviewer would put
the fix); the marker is stripped before the crate is written, so neither rustc nor Rusta sees it.
`rubric` lists what a correct explanation must mention: each item is a set of alternatives
separated by `|`, matched case-insensitively against the explanation's words.

Used by `bench/bench_explain.py` (all cases) and `tests/explain/test_kb_cases.py` (a sample).
"""

from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path
from typing import Literal

import msgspec

from engine.explain.api import explain_diagnostics
from engine.explain.types import Explanation
from toolbelt.cargo_run import run_check

CASES_DIR = Path(__file__).parent
MARKER = "//~ ROOT"
_MARKER_RE = re.compile(r"\s*//~ ROOT\s*$")


class Case(msgspec.Struct, frozen=True, kw_only=True):
    """One crate with exactly one mistake and the line where that mistake is."""

    name: str
    family: str
    code: str  # the diagnostic code the mistake produces ("E0382", "clippy::len_zero")
    files: dict[str, str]  # relative path -> content, marker stripped
    expected_file: str
    expected_line: int
    rubric: tuple[str, ...] = ()
    tool: Literal["check", "clippy"] = "check"
    note: str = ""  # one line: what the mistake is and why the root cause is (not) at rustc's span
    source: str = ""  # the case file's stem: "ownership", "heldout", ...


class _RawCase(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: str
    family: str
    code: str
    files: dict[str, str]
    rubric: tuple[str, ...] = ()
    tool: Literal["check", "clippy"] = "check"
    note: str = ""


class _CaseFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    case: tuple[_RawCase, ...]


class CaseResult(msgspec.Struct, frozen=True, kw_only=True):
    """How one case went: the located lines, the verdicts and the time the engine took."""

    name: str
    family: str
    code: str
    source: str
    expected: str  # "src/lib.rs:12"
    found_code: bool  # the expected code was among the diagnostics
    rustc_primary: str
    rusta_root: str
    rustc_ok: bool
    rusta_ok: bool
    rubric_missing: tuple[str, ...]
    explain_s: float  # explain_diagnostics alone
    cargo_s: float
    codes_seen: tuple[str, ...] = ()


def _strip(case_name: str, files: dict[str, str]) -> tuple[dict[str, str], str, int]:
    out: dict[str, str] = {}
    hits: list[tuple[str, int]] = []
    for path, text in files.items():
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if MARKER in line:
                hits.append((path, i + 1))
                lines[i] = _MARKER_RE.sub("", line)
        out[path] = "\n".join(lines).lstrip("\n")
    if len(hits) != 1:
        raise ValueError(f"case {case_name}: expected exactly one {MARKER!r} marker, found {len(hits)}")
    path, line = hits[0]
    # lstrip("\n") above removed leading blank lines that TOML's ''' leaves; shift the line to match.
    lead = len(files[path]) - len(files[path].lstrip("\n"))
    return out, path, line - lead


def load_cases(cases_dir: Path = CASES_DIR) -> list[Case]:
    """Every case in every `*.toml` under `cases_dir`, in file then declaration order."""
    cases: list[Case] = []
    for f in sorted(cases_dir.glob("*.toml")):
        raw = msgspec.convert(tomllib.loads(f.read_text(encoding="utf-8")), _CaseFile)
        for rc in raw.case:
            files, path, line = _strip(rc.name, rc.files)
            cases.append(
                Case(
                    name=rc.name,
                    family=rc.family,
                    code=rc.code,
                    files=files,
                    expected_file=path,
                    expected_line=line,
                    rubric=rc.rubric,
                    tool=rc.tool,
                    note=rc.note,
                    source=f.stem,
                )
            )
    names = [c.name for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"duplicate case names: {sorted(dupes)}")
    return cases


def materialize(case: Case, parent: Path) -> Path:
    """Write the case as a dependency-free edition-2021 crate under `parent`; return its root."""
    crate = "case_" + case.name
    root = parent / crate
    root.mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(
        f'[package]\nname = "{crate}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
    )
    (root / "Cargo.lock").write_text(f'version = 4\n\n[[package]]\nname = "{crate}"\nversion = "0.1.0"\n')
    for rel, text in case.files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def explanation_text(ex: Explanation) -> str:
    """Everything a reader sees in study mode, as one lower-case string for the rubric."""
    parts = [ex.title, ex.summary, ex.why, ex.invariant, *ex.facts]
    for o in ex.options:
        parts += [o.name, o.how, o.tradeoff]
    return "\n".join(parts).lower()


def rubric_missing(rubric: tuple[str, ...], ex: Explanation | None) -> tuple[str, ...]:
    if ex is None:
        return rubric
    text = explanation_text(ex)
    return tuple(item for item in rubric if not any(alt.strip().lower() in text for alt in item.split("|")))


def pick(explanations: tuple[Explanation, ...], code: str) -> Explanation | None:
    """The explanation whose story contains the expected code (the first such), else None."""
    for ex in explanations:
        if ex.code == code or any(d.code_str == code for d in ex.diagnostics):
            return ex
    return None


def _at(file: str, line: int) -> str:
    return f"{file}:{line}"


def evaluate(case: Case, parent: Path, target_dir: Path) -> CaseResult:
    """Build the case, run cargo (check or clippy) and the engine, and score both locations.

    A location is correct when its file and line equal the marked line (columns are ignored).
    """
    root = materialize(case, parent)
    t0 = time.perf_counter()
    report = run_check(root, tool=case.tool, target_dir=target_dir, all_targets=False)
    cargo_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    exps = explain_diagnostics(report.diagnostics, root)
    explain_s = time.perf_counter() - t1
    ex = pick(exps, case.code)
    want = (case.expected_file, case.expected_line)
    codes = tuple(sorted({d.code_str or "" for d in report.diagnostics if d.level in ("error", "warning")}))
    if ex is None:
        return CaseResult(
            name=case.name,
            family=case.family,
            code=case.code,
            source=case.source,
            expected=_at(*want),
            found_code=False,
            rustc_primary="-",
            rusta_root="-",
            rustc_ok=False,
            rusta_ok=False,
            rubric_missing=case.rubric,
            explain_s=explain_s,
            cargo_s=cargo_s,
            codes_seen=codes,
        )
    prim, rootl = ex.primary, ex.root_cause
    return CaseResult(
        name=case.name,
        family=case.family,
        code=case.code,
        source=case.source,
        expected=_at(*want),
        found_code=True,
        rustc_primary=_at(prim.file, prim.line),
        rusta_root=_at(rootl.file, rootl.line),
        rustc_ok=(prim.file, prim.line) == want,
        rusta_ok=(rootl.file, rootl.line) == want,
        rubric_missing=rubric_missing(case.rubric, ex),
        explain_s=explain_s,
        cargo_s=cargo_s,
        codes_seen=codes,
    )
