"""Structs of test repair: a ranked line, a localization, a grammar mutant, the fitted weights."""

from __future__ import annotations

import msgspec

from engine.edits import Edit

# The localization signals, in the order of a weight vector. Each is a number per line of library code.
FEATURES: tuple[str, ...] = (
    "frame_line",  # a backtrace frame of a failing test (outside test code) is at this line
    "frame_fn",  # a frame of a failing test is in this line's function
    "reach",  # 1/d: d the fewest calls from a failing test to this line's function (0: unreachable)
    "reach_all",  # the share of failing tests that reach the function
    "assert_reach",  # 1/d from the calls on the line where a failing test panicked (0: unreachable)
    "ochiai",  # spectrum suspiciousness of the function, with call-graph reach as coverage
    "lm",  # the byte LM's surprisal of the line, z-scored over the crate's candidate lines
    "sites",  # how many grammar sites the line holds (capped at 3, over 3)
    "small_fn",  # 1/sqrt(lines of code in the function)
    "sites_x_ochiai",  # sites * ochiai: a line that can hold a slip, in a function the failures share
    "sites_x_assert",  # sites * assert_reach
    # measured coverage (`engine.testrepair.coverage`), line by line; where it was not measured (the
    # probed build failed, or the line's fn has no probes), the call-graph proxies stand in for it
    "cov_fail",  # the share of failing tests that ran the line (else reach_all)
    "cov_ochiai",  # Ochiai of the line over the tests' measured spectra (else ochiai)
    "sites_x_cov",  # sites * cov_ochiai
    "frame_near",  # 1/(1+k): k lines from a frame of a failing test in this line's function (0: none)
    "flow",  # 1/d: the line feeds the outputs of a fn d calls from a failing assertion's data flow
    "slips",  # log(1 + the one-token slips the grammar can make on the line): the line's prior
    # the failing assertion's values (`engine.testrepair.values`): 1/d/(1+k), the line k def-use steps
    # from the output of a fn d calls from the asserted expressions
    "values",
    "values_gap",  # values, on a line holding a site of the kind the left/right difference points at
)


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


class Suspect(Base, kw_only=True, frozen=True):
    """One line of library code and how likely it holds the bug."""

    file: str
    line: int
    function: str
    text: str
    score: float  # the fitted model's P(this is the buggy line)
    features: tuple[float, ...]  # in FEATURES order


class Localization(Base, kw_only=True, frozen=True):
    suspects: tuple[Suspect, ...]  # best first
    failing: tuple[str, ...]
    passing: int
    used_lm: bool
    note: str = ""  # what the evidence rests on, in words


class Mutant(Base, kw_only=True, frozen=True):
    """One grammar edit at a syntax-tree node: a repair candidate, or (inverted) a gym mistake."""

    kind: str  # the site kind and its direction: "relational", "int+1", "drop-not", ...
    edit: Edit
    line: int
    before: str
    after: str

    @property
    def description(self) -> str:
        b, a = self.before.strip() or "(nothing)", self.after.strip() or "(nothing)"
        return f"`{b}` -> `{a}` at {self.edit.file}:{self.line}"


class Weights(Base, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """A logistic model over FEATURES, fitted on the gym's dev split (`engine.testrepair.fit`)."""

    version: int = 1
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    fitted_on: str = ""  # which episodes, in words
