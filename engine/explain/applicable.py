"""Whether a knowledge-base option applies to the program in front of Rusta, decided by facts.

A KB option is written for every program with one error code; some of them are only possible for
some programs. "Implement or derive it" is impossible for `u32: Add<usize>` (the orphan rule: the
crate owns neither the type nor the trait), and "relax the bound" is impossible when the bound is
std's. An option lists the predicates it needs in `requires`; an option whose predicate no fact
supports is not shown. Predicates, each a fact and nothing else:

- `local_type`: the type the story is about is defined in the user's crate (syntax layer);
- `foreign_type`: the type the story is about is known and not defined in the user's crate (a
  number, a std type): "the value is the wrong one" presupposes it is not the crate's own struct;
- `local_type_or_trait`: the type or the unsatisfied trait is the crate's own (an impl is allowed);
- `local_bound`: rustc's "required by this bound in" note (or the bound that makes a closure
  `Fn`/`FnMut`) points into the user's crate;
- `user_callee`: rustc's "function defined here" points into the user's crate;
- `binding_not_mut`: rustc offers to make a binding `mut` (so it is not `mut` yet);
- `behind_reference`: rustc says the place is behind a `&` reference;
- `declaration_editable`: the place that fixed the expected type is not a signature a trait
  imposes (an `impl Display for T` method's return type is the trait's, not the crate's to change);
- `in_async`, `in_sync_fn`: the syntax layer puts rustc's primary span inside an `async fn` or
  block, or inside a plain fn (where `.await` is impossible);
- `match_value_unused`: the `match` at rustc's span is a statement whose value nobody uses (so an
  `if let` can replace it; a `match` that must give a value for every case cannot become one);
- `literal_conversion`: rustc's span converts a string literal (`String::from("x")`), so a
  `&'static str` holds the same text;
- `iterator_types`: the expected or found type rustc names is one of std's iterators or iterator
  adapters (`Iter`, `Filter`, `Map`, ...): "build the same chain" presumes a chain;
- `std_get_disjoint_mut`: the installed rustc is 1.86 or later, whose std has `get_disjoint_mut` on
  slices and `HashMap` (never offered to a toolchain that lacks it); `std_lacks_get_disjoint_mut`, its
  opposite, for the older ways round it;
- `type_parameter`: the type a trait is missing on (the story's type, or a plain type in an unmet
  bound rustc lists) is a generic parameter declared around rustc's span (syntax layer): only a bound
  on its declaration gives it the trait; `not_type_parameter`, its opposite (a derive or an impl);
- `option_place`: rustc says the moved place has type `Option<..>` ("move occurs because `*r` has type
  `Option<Box<Node>>`"): only then can `Option::take` leave `None` behind;
- `consuming_receiver`: rustc says a method "takes ownership of the receiver `self`";
- `clone_possible`: the value can be cloned: for a type the crate defines, a derive or an `impl` of
  `Clone` gives it one (rustc's "consider cloning" may be about another value, a field the borrow
  takes); else rustc's help says "consider cloning", or the type is not a std type whose installed
  documentation shows no `Clone` impl (`File`, `mpsc::Receiver`);
- `owned_copy_possible`: `ToOwned` on the borrowed data gives an owned copy: the data's declared type
  is a `str`, or a reference to (or slice of) a type `clone_possible` holds for. `to_owned()` on a
  `&Job` whose `Job` is not `Clone` gives another `&Job`, so the owned copy is no way out there;
- `not_moved_into_spawn`: no span rustc labels "value moved into closure here" is a closure passed to
  `thread::spawn` (which needs `'static`, so a borrow from the caller can never go in);
- `static_atomic_type`, `static_other_type`: rustc says a `static` item cannot be written to, and
  its declared type (syntax layer) is an integer or `bool`, which std has a stable atomic for, or not;
- `arc_atomic_type`, `arc_other_type`: rustc says the code changes the data in an `Arc`, and the
  type its help names inside the `Arc` is an integer or `bool` (a std atomic exists), or not;
- `local_impl_trait`: rustc's span is in an `impl Trait for T` whose trait the crate defines (syntax
  layer): only then can the trait's declaration change (a default body, a new item);
- `rustc_enum_alternative`, `generic_method`: rustc's words say so (its help offers an enum of the
  implementing types; its note says the method is generic), see `RUSTC_SAYS`;
- `numeric_operands`, `option_operand`: rustc's unmet operator trait (`the trait `Add<u32>` is not
  implemented for `u64``) has a numeric primitive on both sides, so a conversion (`as`, `From`,
  `TryFrom`) applies; or its operand is an `Option<..>`, where no cast applies and the `None` case is
  the question (`unwrap_or`, `?`, `match`);
- `thread_ends_in_fn`: rustc's spans name a thread (a `spawn(..)` call, or the closure is its
  argument) and the function does not hand it out (no `JoinHandle` in its return type, the spawn is
  not its tail), so a `std::thread::scope` inside it can hold the thread; a closure given to an
  iterator adapter or returned has no thread to scope;
- `spawn_per_element`: a `spawn(..)` call rustc's spans cover runs once per element of an iteration
  that borrows its collection (`.iter()`, `&v`): only then is `into_iter` a way to own each element;
- `static_bound`: the closure rustc says must outlive `'static` is passed to a crate fn whose own
  signature writes that `'static` bound (engine/syntax/static_bounds.py): only then can it change;
- `indexed_iterable`: the `for` loop around rustc's span walks a collection whose written type is a
  `Vec`, `VecDeque`, slice or array (syntax layer): only those have positions to loop over (a
  `HashMap` has none);
- `derivable_trait`, `not_derivable_trait`: the trait the story is about is one std's derives write
  (`Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `PartialOrd`, `Ord`, `Hash`, `Default`), or it is
  known and is not (`Sum`, `Display`, `From`, a crate's own trait);
- `similar_name_help`: rustc's own help names a similarly named item ("a local variable with a similar
  name exists", "similarly named ... defined here"): only then may a story say rustc lists one.
  `no_similar_name_help`, its opposite: rustc names no similar item, so the name is no known slip.
- `rustc_import_path`: rustc's import suggestions name exactly one path (`use std::fmt;`), the
  `{import_path}` an option shows: a path Rusta shows is rustc's, never one a template builds.
- `rustc_bound_sets_output`, `rustc_bound_bare`: the bound rustc's help writes (its suggested text)
  sets an associated type (`Mul<Output = T>`), or does not: only then is it "the bare trait".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from engine.explain.preconditions import NAMES as PRECONDITIONS
from engine.facts.types import Facts

_NUM = r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|\{integer\}|\{float\})"
# Predicates that hold where rustc's own words say so (a message, a label or a help): rustc's
# alternatives stay among the options, and an option for one kind of method is kept to that kind.
RUSTC_SAYS = {
    "rustc_enum_alternative": re.compile(r"consider defining an enum where each variant holds"),
    "generic_method": re.compile(r"method `[^`]+` has generic type parameters"),
    "numeric_operands": re.compile(rf"the trait `[\w:]+<{_NUM}>` is not implemented for `{_NUM}`"),
    "option_operand": re.compile(
        r"the trait `[\w:]+<(?:(?:std|core)::option::)?Option<[^`]*>` is not implemented"
    ),
}
PREDICATES = frozenset(
    {
        "local_type",
        "foreign_type",
        "local_type_or_trait",
        "local_bound",
        "user_callee",
        "in_async",
        "in_sync_fn",
        "binding_not_mut",
        "behind_reference",
        "declaration_editable",
        "match_value_unused",
        "literal_conversion",
        "iterator_types",
        "std_get_disjoint_mut",
        "std_lacks_get_disjoint_mut",
        "type_parameter",
        "not_type_parameter",
        "similar_name_help",
        "no_similar_name_help",
        "option_place",
        "consuming_receiver",
        "clone_possible",
        "owned_copy_possible",
        "not_moved_into_spawn",
        "thread_ends_in_fn",
        "local_impl_trait",
        "static_atomic_type",
        "static_other_type",
        "arc_atomic_type",
        "arc_other_type",
        "spawn_per_element",
        "static_bound",
        "indexed_iterable",
        "derivable_trait",
        "not_derivable_trait",
        "rustc_import_path",
        "rustc_bound_sets_output",
        "rustc_bound_bare",
        *RUSTC_SAYS,
        *PRECONDITIONS,  # decided from spans and the syntax layer (engine/explain/preconditions.py)
    }
)
SHAPE_PREDICATES = frozenset(
    {
        "in_async",
        "in_sync_fn",
        "match_value_unused",
        "literal_conversion",
        "static_atomic_type",
        "static_other_type",
        "arc_atomic_type",
        "arc_other_type",
        "spawn_per_element",
        "static_bound",
        "indexed_iterable",
    }
)
# decided by the syntax tags at rustc's spans
TAG_PREDICATES = SHAPE_PREDICATES | {"not_moved_into_spawn", "thread_ends_in_fn"}
NAME_PREDICATES = frozenset(
    {"local_type", "foreign_type", "local_type_or_trait", "clone_possible", "owned_copy_possible"}
)
# decided on the declared type of the binding rustc names, when rustc names no type
DECLARED = frozenset({"clone_possible", "owned_copy_possible"})
_BORROWED = re.compile(r"^&(?:'\w+\s+)?(?:mut\s+)?")
# std's iterators and adapters: the types an iterator chain is made of
_ITERATORS = frozenset(
    "Iter IterMut IntoIter Range RangeInclusive Chars CharIndices Bytes Lines Split SplitWhitespace Keys "
    "Values Drain Filter Map FilterMap FlatMap Flatten Rev StepBy Chain Zip Enumerate Skip Take SkipWhile "
    "TakeWhile MapWhile Peekable Cloned Copied Inspect Scan Fuse Cycle Empty Once Repeat".split()
)
# the traits std's built-in derives write
DERIVABLE = frozenset("Debug Clone Copy PartialEq Eq PartialOrd Ord Hash Default".split())
_PATH_HEAD = re.compile(r"^(?:&(?:'\w+\s+)?(?:mut\s+)?|\*(?:const|mut)\s+|dyn\s+|impl\s+)+")


def base_name(type_text: str) -> str:
    """`&mut foo::Task<'a, T>` -> `Task`: the name an item definition would carry."""
    t = _PATH_HEAD.sub("", type_text.strip())
    t = t.split("<", 1)[0].strip()
    return t.rsplit("::", 1)[-1]


@functools.lru_cache(maxsize=8)
def _crate_names(root: str, stamp: tuple[tuple[str, int], ...]) -> dict[str, frozenset[str]]:
    from engine.explain.names_cache import crate_defined_names  # parses only files changed since the last run

    return crate_defined_names(root, (rel for rel, _ in stamp))


def crate_names(root: str | Path, rs_files: Iterable[str]) -> dict[str, frozenset[str]]:
    """Types and traits the crate defines, cached until a file's mtime changes."""
    stamp: list[tuple[str, int]] = []
    for rel in rs_files:
        try:
            stamp.append((rel, (Path(root) / rel).stat().st_mtime_ns))
        except OSError:
            continue
    return _crate_names(str(root), tuple(stamp))


def rustc_at_least(major: int, minor: int) -> bool:
    """Whether the installed rustc (the version a check already recorded) is at least `major.minor`."""
    from engine.explain.references import rustc_version

    m = re.search(r"\brustc (\d+)\.(\d+)", rustc_version())
    return m is not None and (int(m.group(1)), int(m.group(2))) >= (major, minor)


def holds(
    predicate: str,
    facts: Facts,
    vals: dict[str, str],
    names: dict[str, frozenset[str]],
    tags: frozenset[str] = frozenset(),
) -> bool:
    """Whether one predicate holds for this story; unknown means no (no fact, no statement)."""
    if predicate in SHAPE_PREDICATES:
        return predicate in tags
    if predicate == "not_moved_into_spawn":
        return "moved_into_spawn" not in tags
    if predicate == "thread_ends_in_fn":
        return "thread_spawn" in tags and "handle_escapes" not in tags
    if predicate == "declaration_editable":
        return "trait_signature" not in tags
    if predicate == "rustc_import_path":
        return bool(vals.get("import_path"))
    if predicate in ("rustc_bound_sets_output", "rustc_bound_bare"):
        return predicate == "rustc_bound_bare"  # the diagnostic's suggestions are read in api._possible
    if predicate == "owned_copy_possible":
        inner = _BORROWED.sub("", (vals.get("type") or "").strip()).strip()
        if inner.startswith("[") and inner.endswith("]") and ";" not in inner:
            inner = inner[1:-1].strip()  # `&[Job]`: `to_owned` builds a `Vec<Job>`, one clone per element
        if inner in ("", "str") or inner == (vals.get("type") or "").strip():
            return inner == "str"  # unknown, or not a borrow: no fact says a copy can be made
        return holds("clone_possible", facts, {**vals, "type": inner}, names, tags)
    typ = vals.get("type")
    local_type = typ is not None and bool(typ) and base_name(typ) in names.get("type", frozenset())
    if predicate == "local_type":
        return local_type
    if predicate == "foreign_type":
        return bool(typ) and not local_type
    if predicate == "local_type_or_trait":
        trait = vals.get("trait")
        return local_type or (
            trait is not None and bool(trait) and base_name(trait) in names.get("trait", frozenset())
        )
    if predicate == "local_bound":
        return facts.bound_at is not None or facts.closure_at is not None
    if predicate == "user_callee":
        return facts.callee_at is not None
    if predicate == "binding_not_mut":
        return facts.make_mut_at is not None
    if predicate == "iterator_types":
        return any(base_name(vals.get(k) or "") in _ITERATORS for k in ("expected", "found"))
    if predicate == "std_get_disjoint_mut":
        return rustc_at_least(1, 86)
    if predicate == "std_lacks_get_disjoint_mut":
        return not rustc_at_least(1, 86)
    if predicate in ("similar_name_help", "no_similar_name_help"):
        return facts.similar_name_help == (predicate == "similar_name_help")
    if predicate == "option_place":
        return base_name(facts.binding_type or "") == "Option"
    if predicate == "consuming_receiver":
        return facts.consumer is not None
    if predicate == "clone_possible":
        from engine.explain.stdtraits import std_implements

        if local_type:  # the crate's own type: its derives and impls say, whatever rustc's help clones
            return base_name(typ or "") in names.get("clone", frozenset())
        return facts.clone_help or not typ or std_implements(base_name(typ), "Clone") is not False
    if predicate in ("derivable_trait", "not_derivable_trait"):
        trait = base_name(vals.get("trait") or "")
        return bool(trait) and (trait in DERIVABLE) == (predicate == "derivable_trait")
    if predicate == "behind_reference":
        return facts.behind_reference
    return False
