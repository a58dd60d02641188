"""Reading the four sources the index is built from: pure functions from repo files to examples.

Each reader returns `(code, Example)` pairs and never runs cargo: the index records what the repo's
fixtures, cases and bench results already say, so building it takes milliseconds and is
deterministic. The readers restate the small file formats they parse (the `// kb: CODE` marker, the
`//~ ROOT` marker, the bench's `episodes` list) rather than import tests/ or bench/, which an engine
package may not depend on.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from engine.diagindex.errors import SourceInvalid
from engine.diagindex.types import Example

KB_FIXTURES = Path("tests/fixtures/kb")
CASES = Path("tests/explain/cases")
KB_ENTRIES = Path("engine/explain/kb")
REPAIR_RESULTS = (
    ("dev", Path("bench/results/repair.json")),
    ("heldout", Path("bench/results/repair_heldout.json")),
)

_KB_MARK = re.compile(r"^\s*// kb: (\S+)\s*$")
_ROOT_MARK = "//~ ROOT"
_CASE_HEADER = re.compile(r"^\[\[case\]\]\s*(#.*)?$")

Pair = tuple[str, Example]


def _rel(repo: Path, path: Path) -> str:
    return path.relative_to(repo).as_posix()


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise SourceInvalid(f"{path} is not readable TOML: {e}") from e


def kb_fixture_examples(repo: Path) -> Iterator[Pair]:
    """Each `// kb: CODE` marker in tests/fixtures/kb/*/src: the item below it triggers CODE."""
    for crate in sorted(p for p in (repo / KB_FIXTURES).iterdir() if (p / "Cargo.toml").is_file()):
        for path in sorted((crate / "src").rglob("*.rs")):
            lines = path.read_text(encoding="utf-8").splitlines()
            marks = [(i + 1, m.group(1)) for i, line in enumerate(lines) if (m := _KB_MARK.match(line))]
            for k, (line, code) in enumerate(marks):
                end = marks[k + 1][0] - 1 if k + 1 < len(marks) else len(lines)
                tool = "cargo clippy" if code.startswith("clippy::") else "cargo check"
                note = f"{crate.name}, lines {line}-{end} ({tool})"
                yield code, Example(kind="kb-fixture", ref=_rel(repo, path), line=line, note=note)


def _case_blocks(text: str) -> list[int]:
    """The 1-based line where each `[[case]]` table starts, in order."""
    return [i + 1 for i, line in enumerate(text.splitlines()) if _CASE_HEADER.match(line.strip())]


def explain_case_examples(repo: Path) -> Iterator[Pair]:
    """Each case in tests/explain/cases/*.toml, at the line of its `//~ ROOT` marker in the TOML.

    The marker's line in the case file (not in the materialized crate) is what a reader can open;
    the note names the case, its family and the crate file the mistake is in.
    """
    for path in sorted((repo / CASES).glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        cases = _toml(path).get("case", [])
        starts = _case_blocks(text)
        if len(starts) != len(cases):
            raise SourceInvalid(f"{path}: {len(cases)} cases but {len(starts)} `[[case]]` headers")
        lines = text.splitlines()
        bounds = [*starts, len(lines) + 1]
        for k, case in enumerate(cases):
            name, code = case.get("name"), case.get("code")
            if not isinstance(name, str) or not isinstance(code, str):
                raise SourceInvalid(f"{path}: case {k + 1} lacks a string name or code")
            hits = [i for i in range(bounds[k], bounds[k + 1]) if _ROOT_MARK in lines[i - 1]]
            if len(hits) != 1:
                raise SourceInvalid(f"{path}: case {name} has {len(hits)} {_ROOT_MARK!r} markers, not one")
            crate_file = next((f for f, body in case.get("files", {}).items() if _ROOT_MARK in body), "?")
            note = f"case {name} ({case.get('family', '?')}, {crate_file})"
            if case.get("note"):
                note += f": {case['note']}"
            yield code, Example(kind="explain-case", ref=_rel(repo, path), line=hits[0], note=note)


def _episode_line(episode_id: str) -> int:
    """`crate:file:line:kind` -> line; file names never hold a colon in the gym's crates."""
    parts = episode_id.rsplit(":", 2)
    try:
        return int(parts[1])
    except (IndexError, ValueError) as e:
        raise SourceInvalid(f"gym episode id {episode_id!r} is not crate:file:line:kind") from e


def gym_episode_examples(repo: Path) -> Iterator[Pair]:
    """Each repair-bench episode under each error code its mistake produced.

    Codes come from the bench's `episodes` list; whether Rusta solved it comes from `outcomes`. A
    result file written before the bench recorded episodes contributes nothing.
    """
    for split, rel in REPAIR_RESULTS:
        path = repo / rel
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise SourceInvalid(f"{path} is not readable JSON: {e}") from e
        solved = {o["episode"]: o["solved"] for o in data.get("outcomes", []) if o.get("method") == "rusta"}
        for ep in data.get("episodes", []):
            verdicts: dict[object, str] = {True: "rusta solved it", False: "rusta failed"}
            verdict = verdicts.get(solved.get(ep["id"]), "rusta not run")
            note = f"{split} gym, {ep['kind']}: {verdict} ({rel.as_posix()})"
            for code in ep["codes"]:
                if code:
                    yield (
                        code,
                        Example(kind="gym-episode", ref=ep["id"], line=_episode_line(ep["id"]), note=note),
                    )


def kb_titles(repo: Path) -> dict[str, str]:
    """code -> title for every entry in engine/explain/kb/{rustc,clippy}/*.toml."""
    out: dict[str, str] = {}
    for sub in ("rustc", "clippy"):
        for path in sorted((repo / KB_ENTRIES / sub).glob("*.toml")):
            entry = _toml(path)
            code, title = entry.get("code"), entry.get("title")
            if not isinstance(code, str) or not isinstance(title, str):
                raise SourceInvalid(f"{path}: a KB entry needs a string code and title")
            out[code] = title
    return out
