"""Loads and validates the knowledge base: one TOML file per rustc code or clippy lint under kb/.

The format is described in kb/FORMAT.md. Every entry is decoded into `KBEntry` with unknown fields
forbidden, so a typo in a key fails the test that loads the whole KB instead of silently vanishing.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import msgspec

from engine.explain.applicable import PREDICATES
from engine.explain.errors import KBEntryInvalid
from engine.explain.kb_cache import TomlInvalid, parse_toml
from engine.explain.types import ReferenceKind

KB_DIR = Path(__file__).parent / "kb"
KB_FORMAT_VERSION = 1

# Root-cause strategies a KB entry may name; engine/explain/rootcause.py implements each one.
RootCauseStrategy = Literal[
    "primary",
    "moved_at",
    "borrowed_at",
    "borrow_used_at",
    "dropped_at",
    "expected_due_to",
    "declared_at",
    "mutable_binding",
    "trait_bound_at",
    "definition_at",
    "first_note",
    "suggestion_at",
    "signature_at",
    "first_occurrence",
    "static_required_at",
    "temporary_at",
    "static_item",
    "closure_kind_cause",
    "closure_signature_at",
]

# Placeholders a template may use; engine/explain/placeholders.py fills them from the diagnostic.
PLACEHOLDERS = frozenset(
    {
        "code",
        "message",
        "name",
        "type",
        "expected",
        "found",
        "trait",
        "param_bound",
        "error_from",
        "error_to",
        "method",
        "op",
        "lint",
        "label",
        "root_label",
        "primary",
        "root_cause",
        "line",
        "root_line",
        "operator",
        "operand",
        "clone_cost",
        "atomic",
        "written",
        "better",
        "auto_traits",
        "crossing",
        "import_path",
        "binding",
        "sibling",
        "similar",
        "index_use",
        "place_root",
        "typed",
        "dies",
        "guard",
        "place",
        "lifetime",
        "field",
        "object",
        "param",
        "equal_call",
        "made",
        "owned_return",
        "returned_place",
    }
)
_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")


class _Base(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class KBOption(_Base, frozen=True):
    """One way out. `requires` names the facts it needs (engine/explain/applicable.py): an option
    that is impossible for this program (an impl the orphan rule forbids) is not shown."""

    name: str
    how: str
    tradeoff: str
    requires: tuple[str, ...] = ()


class KBReference(_Base, frozen=True):
    """`target` is a command for kind "explain", a path relative to the sysroot's
    share/doc/rust/html/ for "std-doc"/"book"/"reference", or an address for "url"."""

    title: str
    kind: ReferenceKind
    target: str


class KBVariant(_Base, frozen=True):
    """A refinement chosen when `when` (a regex) matches the diagnostic's message or a label, and,
    if `shape` is set, the syntax layer finds that shape at rustc's primary span (`binary_rhs`: the
    right operand of a binary operator). A shape variant may not move the root cause: root causes are
    located before the source is read."""

    when: str = ""
    shape: str | None = None
    summary: str | None = None
    why: str | None = None
    root_cause: RootCauseStrategy | None = None
    invariant: str | None = None
    title: str | None = None
    options: tuple[KBOption, ...] | None = None  # replaces the entry's options when this variant matches


class KBEntry(_Base, frozen=True):
    code: str
    title: str
    invariant: str
    summary: str
    why: str
    root_cause: RootCauseStrategy = "primary"
    family: str = ""
    version: int = KB_FORMAT_VERSION
    options: tuple[KBOption, ...] = ()
    references: tuple[KBReference, ...] = ()
    variants: tuple[KBVariant, ...] = ()


# Shapes a variant may ask for, answered by engine/explain/shapes.py from the syntax layer.
SHAPES = frozenset(
    {
        "calls_own_closure",
        "clones_reference",
        "impl_header",
        "compares_with_none",
        "binary_rhs",
        "binary_lhs",
        "assign_target",
        "assign_in_inner_block",
        "pub_writer",
        "pub_reader",
        "returns_local_borrow",
        "for_iterable",
        "tail_expression",
        "await_on",
        "in_closure",
        "in_pattern",
        "in_type_def",
        "loop_over_borrow",
        "in_loop",
        "captures_fresh",
        "static_bound",
        "mutated_copy_capture",
        "literal_conversion",
        "written_value",
        "get_mut_twice",
        "returned_earlier",
        "ref_from_shared_method",
        "stores_reference",
        "similar_binding",
        "index_only",
        "index_also_used",
        "move_same_statement",
        "use_later_in_loop",
        "use_after_loop",
        "moved_again_in_loop",
        "discarded_self_result",
        "temporary_builds_new",
        "temporary_is_guard",
        "local_copies_input",
        "elided_receiver_param",
        "elided_self_output",
        "object_lifetime_default",
        "fn_object_param",
        "feeds_question",
        "bound_on_type_parameter",
        "borrow_outlives_block",
        "keys_equal_at_call",
        "in_thread_spawn",
    }
)


def unknown_placeholders(template: str) -> set[str]:
    """Placeholder names in `template` that the filler does not know (typos in a summary)."""
    return {m.group(1) for m in _PLACEHOLDER_RE.finditer(template)} - PLACEHOLDERS


def code_for_path(path: Path) -> str:
    """The code an entry's file name promises: kb/rustc/E0382.toml -> E0382, kb/clippy/x.toml -> clippy::x."""
    return f"clippy::{path.stem}" if path.parent.name == "clippy" else path.stem


def load_entry(path: Path) -> KBEntry:
    """Decode and check one file; raises KBEntryInvalid naming the file and the problem."""
    try:
        raw = parse_toml(path)
        entry = msgspec.convert(raw, KBEntry)
    except (OSError, TomlInvalid, msgspec.ValidationError) as e:
        raise KBEntryInvalid(f"knowledge-base entry {path.name} is invalid: {e}") from e
    problems: list[str] = []
    if entry.version != KB_FORMAT_VERSION:
        problems.append(f"version {entry.version} is not {KB_FORMAT_VERSION}")
    if entry.code != code_for_path(path):
        problems.append(
            f"code {entry.code!r} does not match the file name (expected {code_for_path(path)!r})"
        )
    templates = [entry.summary] + [v.summary for v in entry.variants if v.summary]
    for t in templates:
        bad = unknown_placeholders(t)
        if bad:
            problems.append(f"unknown placeholders {sorted(bad)} in summary")
    for v in entry.variants:
        try:
            re.compile(v.when)
        except re.error as e:
            problems.append(f"variant regex {v.when!r} does not compile: {e}")
        if v.shape is not None and v.shape not in SHAPES:
            problems.append(f"variant shape {v.shape!r} is not one of {sorted(SHAPES)}")
        if v.shape is not None and v.root_cause is not None:
            problems.append(f"variant shape {v.shape!r} may not set root_cause")
        if not v.when and v.shape is None:
            problems.append("a variant needs `when` or `shape`")
    for o in (*entry.options, *(o for v in entry.variants for o in v.options or ())):
        bad = set(o.requires) - PREDICATES
        if bad:
            problems.append(f"option {o.name!r} requires unknown predicates {sorted(bad)}")
    if not entry.options:
        problems.append("no [[options]]")
    if problems:
        raise KBEntryInvalid(f"knowledge-base entry {path.name} is invalid: " + "; ".join(problems))
    return entry


def kb_files(kb_dir: Path = KB_DIR) -> list[Path]:
    return sorted([*kb_dir.glob("rustc/*.toml"), *kb_dir.glob("clippy/*.toml")])


@functools.cache
def load_kb(kb_dir: Path = KB_DIR) -> dict[str, KBEntry]:
    """Every entry keyed by code ("E0382", "clippy::needless_range_loop"); loaded once per process."""
    return {e.code: e for e in (load_entry(p) for p in kb_files(kb_dir))}


@functools.cache
def lookup(code: str | None, kb_dir: Path = KB_DIR) -> KBEntry | None:
    """The entry for one code, reading only its file: `rusta explain` never parses the whole KB."""
    if not code:
        return None
    if code.startswith("clippy::"):
        path = kb_dir / "clippy" / f"{code.removeprefix('clippy::')}.toml"
    else:
        path = kb_dir / "rustc" / f"{code}.toml"
    return load_entry(path) if path.is_file() else None
