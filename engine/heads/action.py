"""The Action head: which candidate edit to validate first, learned from validated gym candidates.

The hand-set priors (`rustc` MachineApplicable 0.9, a borrow 0.7, a clone 0.55...) encode guesses
about which edit compiles; the gym knows. For every candidate of a target error it recorded whether
the edit compiled, whether it left no error at all and whether it restored the original code, and
this head fits three logistic regressions on that: P(compiles), P(clean) and P(exact restore).
Candidates are tried by the expected grade P(compiles) + P(clean) + P(exact), so an edit a developer
would write comes before one that merely compiles, one that clears every error (a glob `use`) before
one that clears the target only (one name of twenty), and all of them before one that does not.

Features are hashed strings (the error code, message words, source, family, applicability, the
tokens the edit inserts and removes, where it sits, the type relation) plus a few numbers (the
prior, its rank, the edit's size, the LM's naturalness delta). The weights, the feature spec and a
version are one JSON file; `ActionHead.load` rebuilds the head from it. numpy only.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
from pathlib import Path
from typing import Protocol

import msgspec
import numpy as np

from engine.heads.types import CandidateView

VERSION = 2
WEIGHTS = Path(__file__).parent / "weights" / "action.json"
NUMERIC = (
    "prior",
    "prior_rank",
    "top_prior",
    "n_candidates",
    "n_edits",
    "inserted_len",
    "removed_len",
    "has_lm",
    "lm_delta",
)
# The repair head's features since issue 15's review: the crate's error counts too, and with or
# without the LM's delta (`engine.heads.fit` fits both and ships the better on the dev split).
NUMERIC_ERRORS = (*NUMERIC, "n_errors", "n_same_code")
NUMERIC_ERRORS_NO_LM = tuple(n for n in NUMERIC_ERRORS if n not in ("has_lm", "lm_delta"))
_WORD = re.compile(r"[a-z_]+")
_TOKEN = re.compile(r"&mut|[A-Za-z_]\w*|[&*?;!.:<>()]")
_NUM_TY = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64".split())


class FeatureSpec(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How views become vectors: `dim` hashed slots, then the named numeric values in this order.
    `groups` turns on hashed feature groups added after the first weights were fitted (weights without
    it, such as the test-repair head's, keep the features they were fitted on)."""

    dim: int = 1024
    numeric: tuple[str, ...] = NUMERIC
    hash: str = "blake2b-4"
    groups: tuple[str, ...] = ()

    @property
    def uses_lm(self) -> bool:
        """Whether the LM's naturalness delta is one of the features (else nobody needs to load the LM)."""
        return "lm_delta" in self.numeric or "has_lm" in self.numeric

    @property
    def width(self) -> int:
        return self.dim + len(self.numeric)


class Logistic(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    weights: tuple[float, ...]
    bias: float
    l2: float  # the ridge it was fitted with, chosen by cross-validation on the dev split


class ActionWeights(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int = VERSION
    spec: FeatureSpec
    compile: Logistic
    clean: Logistic
    exact: Logistic
    trained_on: str  # what data: split, episodes, samples
    # The candidate families (operators) the training samples had; () in weights fitted before it was
    # recorded, where the hashed `fam:` slot stands in (`ActionHead.unseen`).
    families: tuple[str, ...] = ()


_decoder = msgspec.json.Decoder(ActionWeights)
_encoder = msgspec.json.Encoder()


def _strip_ref(ty: str) -> tuple[str, str]:
    for ref in ("&mut ", "&"):
        if ty.startswith(ref):
            return ref.strip(), ty[len(ref) :].lstrip()
    m = re.match(r"&'\w+ (mut )?", ty)
    if m:
        return ("&mut" if m.group(1) else "&"), ty[m.end() :]
    return "", ty


def _head(ty: str) -> str:
    if ty in _NUM_TY:
        return "num"
    m = re.match(r"[A-Za-z_][\w:]*", ty)
    return m.group(0).split("::")[-1] if m else ty[:1]


def relation_words(expected: str, found: str) -> list[str]:
    """The type relation as words: which side is a reference, whether the bare types agree, the
    outer type constructors. General shapes, not types of one crate."""
    if not expected or not found:
        return ["no-types"]
    e_ref, e_bare = _strip_ref(expected)
    f_ref, f_bare = _strip_ref(found)
    words = [
        f"eref:{e_ref or '-'}",
        f"fref:{f_ref or '-'}",
        f"ehead:{_head(e_bare)}",
        f"fhead:{_head(f_bare)}",
    ]
    if e_bare == f_bare:
        words.append("same-bare")
    if e_bare in _NUM_TY and f_bare in _NUM_TY:
        words.append("both-numeric")
    if e_bare in f_bare or f_bare in e_bare:
        words.append("nested")
    return words


def _tokens(text: str, most: int = 12) -> list[str]:
    return _TOKEN.findall(text)[:most]


def error_bucket(n: int) -> str:
    """How many errors the crate has, in words: one, a few, many (or unknown)."""
    return "unknown" if n <= 0 else "one" if n == 1 else "few" if n <= 3 else "many"


def strings(v: CandidateView, groups: tuple[str, ...] = ()) -> list[str]:
    """The hashed features of one view (`groups`: the optional groups a spec turns on)."""
    code = v.code or "-"
    out = [
        "bias",
        f"code:{code}",
        f"src:{v.source}",
        f"fam:{v.family}",
        f"app:{v.applicability}",
        f"cf:{code}|{v.family}",
        f"site:{v.site}",
        f"cs:{code}|{v.site}",
        f"fs:{v.family}|{v.site}",
    ]
    msg = re.sub(r"`[^`]*`", " ", v.message.lower())
    out += [f"tok:{w}" for w in dict.fromkeys(_WORD.findall(msg))]
    ins = _tokens(v.inserted)
    rem = _tokens(v.removed)
    out += [f"ins:{t}" for t in ins] + [f"rem:{t}" for t in rem]
    out.append("shape:" + ("insert" if not v.removed else "delete" if not v.inserted else "replace"))
    rel = relation_words(v.expected, v.found)
    out += [f"rel:{w}" for w in rel]
    out += [f"rf:{w}|{v.family}" for w in rel]
    out += [f"ri:{w}|{t}" for w in rel for t in ins[:3]]
    if "errors" in groups:
        # The crate's error count against the kind of edit: with many errors of the target's code,
        # an edit covering one name leaves the rest, one covering all of them (a glob `use`) does not.
        many, same = error_bucket(v.n_errors), error_bucket(v.n_same_code)
        out += [f"errs:{many}", f"errs:{many}|{v.family}", f"same:{same}|{v.family}", f"same:{same}|{code}"]
        out += [f"errs:{many}|ins:{t}" for t in ins[:3]]
    return out


def numeric(v: CandidateView, names: tuple[str, ...] = NUMERIC) -> list[float]:
    """The named numeric features of one view, in the order of `names`."""
    lm = v.lm_delta_bits
    values = {
        "prior": v.prior,
        "prior_rank": math.log1p(v.prior_rank),
        "top_prior": float(v.prior_rank == 0),
        "n_candidates": math.log1p(v.n_candidates),
        "n_edits": float(v.n_edits),
        "inserted_len": math.log1p(len(v.inserted)),
        "removed_len": math.log1p(len(v.removed)),
        "has_lm": float(lm is not None),
        "lm_delta": max(-4.0, min(4.0, lm / 10.0)) if lm is not None else 0.0,
        "n_errors": math.log1p(v.n_errors),
        "n_same_code": math.log1p(v.n_same_code),
        "n_resolves": math.log1p(v.n_resolves),  # in no shipped spec yet: a refit may name it
    }
    return [values[n] for n in names]


@functools.lru_cache(maxsize=65536)
def _slot(s: str, dim: int) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little") % dim


def featurize(views: list[CandidateView], spec: FeatureSpec) -> np.ndarray:
    """X_NxW: hashed indicator slots (counts), then the numeric features."""
    x_NxW = np.zeros((len(views), spec.width), dtype=np.float64)
    for i, v in enumerate(views):
        for s in strings(v, spec.groups):
            x_NxW[i, _slot(s, spec.dim)] += 1.0
        x_NxW[i, spec.dim :] = numeric(v, spec.numeric)
    return x_NxW


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit_logistic(x_NxW: np.ndarray, y_N: np.ndarray, l2: float, iters: int = 20) -> tuple[np.ndarray, float]:
    """Ridge logistic regression by Newton's method (IRLS); the bias is not penalised. Columns no
    training row uses keep weight 0 and stay out of the solve (most hashed slots are empty)."""
    n, w = x_NxW.shape
    active = np.nonzero(np.abs(x_NxW).sum(axis=0) > 0)[0]
    a_NxA1 = np.hstack([x_NxW[:, active], np.ones((n, 1))])
    theta = np.zeros(len(active) + 1)
    reg = np.full(len(active) + 1, l2)
    reg[-1] = 1e-6
    for _ in range(iters):
        p = sigmoid(a_NxA1 @ theta)
        grad = a_NxA1.T @ (p - y_N) + reg * theta
        hess = (a_NxA1 * (p * (1 - p))[:, None]).T @ a_NxA1 + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if float(np.abs(step).max()) < 1e-5:
            break
    weights = np.zeros(w)
    weights[active] = theta[:-1]
    return weights, float(theta[-1])


class ActionHead:
    """A loaded Action head: P(compiles) and P(exact) for views, and the order they imply."""

    def __init__(self, weights: ActionWeights) -> None:
        if weights.version != VERSION:
            raise ValueError(f"action head weights are version {weights.version}; this code reads {VERSION}")
        self.weights = weights
        self.spec = weights.spec
        self._w = {name: np.asarray(getattr(weights, name).weights) for name in ("compile", "clean", "exact")}
        if any(w.shape != (self.spec.width,) for w in self._w.values()):
            raise ValueError("action head weights do not match their feature spec")

    @property
    def uses_lm(self) -> bool:
        return self.spec.uses_lm

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> ActionHead:
        return cls(_decoder.decode(path.read_bytes()))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encoder.encode(self.weights) + b"\n")

    def unseen(self, families: list[str]) -> list[str]:
        """The candidate families (operators) among `families` that no training sample had.

        A head scores an operator it was never fitted on from the features it shares with the others
        (edit length, LM bits, the prior), which mean something else for it: a grouped `use` of ten
        names is long and costs many bits, yet it is the line the developer lost. Such a score cannot
        be compared with the rest, so the repair keeps the prior order for that target (`headorder`).
        Weights that list their families answer exactly. Older ones answer from the `fam:` slot: a
        ridge fit leaves every slot no training row used at exactly 0, so an all-zero slot is a family
        never seen; a non-zero one may be another feature hashed there, and then it counts as seen
        (the head's order stands, as before this rule)."""
        known = self.weights.families
        out = []
        for f in dict.fromkeys(families):
            if known:
                seen = f in known
            else:
                slot = _slot(f"fam:{f}", self.spec.dim)
                seen = any(float(w[slot]) != 0.0 for w in self._w.values())
            if not seen:
                out.append(f)
        return out

    def probabilities(self, views: list[CandidateView]) -> dict[str, np.ndarray]:
        """{"compile": P(compiles)_N, "clean": P(no error left)_N, "exact": P(exact restore)_N}."""
        x_NxW = featurize(views, self.spec)
        return {
            name: sigmoid(x_NxW @ w + getattr(self.weights, name).bias) if views else np.zeros(0)
            for name, w in self._w.items()
        }

    def predict(self, views: list[CandidateView]) -> tuple[np.ndarray, np.ndarray]:
        """(P(compiles)_N, P(exact)_N): what the Confidence head reads."""
        p = self.probabilities(views)
        return p["compile"], p["exact"]

    def rank(self, views: list[CandidateView]) -> tuple[list[int], np.ndarray, np.ndarray]:
        """(indices of `views` best first, P(compiles)_N, P(exact)_N): by the expected grade, then
        the prior order."""
        p = self.probabilities(views)
        return order_by_grade(grade(p), [v.prior_rank for v in views]), p["compile"], p["exact"]


def grade(p: dict[str, np.ndarray]) -> np.ndarray:
    """Expected grade_N: how many of compiles, clean and exact a candidate is expected to earn."""
    return p["compile"] + p["clean"] + p["exact"]


def order_by_grade(grade_N: np.ndarray, prior_rank: list[int]) -> list[int]:
    return sorted(range(len(prior_rank)), key=lambda i: (-round(float(grade_N[i]), 9), prior_rank[i]))


class Ranker(Protocol):
    """Orders views: (indices best first, P(compiles)_N or None, P(exact)_N or None). `uses_lm`: whether
    the views need the LM's delta (loading the LM and scoring every candidate costs seconds)."""

    @property
    def uses_lm(self) -> bool: ...

    def rank(self, views: list[CandidateView]) -> tuple[list[int], np.ndarray | None, np.ndarray | None]: ...

    def unseen(self, families: list[str]) -> list[str]: ...


class RandomOrder:
    """The bench's floor: a uniformly random order, the same for the same candidates (seeded by them)."""

    uses_lm = False

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def rank(self, views: list[CandidateView]) -> tuple[list[int], None, None]:
        key = "|".join(f"{v.family}:{v.inserted}:{v.removed}" for v in views)
        rng = random.Random(f"{self.seed}:{key}")
        idx = list(range(len(views)))
        rng.shuffle(idx)
        return idx, None, None

    def unseen(self, families: list[str]) -> list[str]:
        return []  # a random order was fitted on nothing, so nothing is outside what it knows


@functools.cache
def shipped_head() -> ActionHead | None:
    """The shipped weights, loaded once; None when there are none (the prior order stands)."""
    try:
        return ActionHead.load()
    except (OSError, ValueError, msgspec.DecodeError):
        return None


def fit(
    views: list[CandidateView],
    compiles_N: np.ndarray,
    clean_N: np.ndarray,
    exact_N: np.ndarray,
    groups_N: np.ndarray,
    *,
    spec: FeatureSpec | None = None,
    l2_grid: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 30.0),
    l2: dict[str, float] | None = None,
    trained_on: str = "",
) -> ActionHead:
    """Fit the three regressions; each one's ridge is `l2[name]` when given, else the grid value with the
    best log loss under episode-grouped 4-fold cross-validation (episodes, not candidates, are the
    unit of leakage)."""
    spec = spec or FeatureSpec()
    x_NxW = featurize(views, spec)
    heads = {}
    labels = {"compile": compiles_N, "clean": clean_N, "exact": exact_N}
    for name, y in ((k, v.astype(float)) for k, v in labels.items()):
        ridge = l2[name] if l2 is not None else choose_l2(x_NxW, y, groups_N, l2_grid)
        w, b = fit_logistic(x_NxW, y, ridge)
        heads[name] = Logistic(weights=tuple(round(float(v), 6) for v in w), bias=round(b, 6), l2=ridge)
    return ActionHead(
        ActionWeights(
            spec=spec,
            compile=heads["compile"],
            clean=heads["clean"],
            exact=heads["exact"],
            trained_on=trained_on,
            families=tuple(sorted({v.family for v in views})),
        )
    )


def folds(groups_N: np.ndarray, k: int = 4) -> np.ndarray:
    """Fold of each row, by a stable hash of its group, so one episode's candidates stay together."""
    return np.array([_slot(str(g), k) for g in groups_N])


def choose_l2(x_NxW: np.ndarray, y_N: np.ndarray, groups_N: np.ndarray, grid: tuple[float, ...]) -> float:
    fold_N = folds(groups_N)
    best, best_loss = grid[0], math.inf
    for l2 in grid:
        loss = 0.0
        for f in np.unique(fold_N):
            tr, te = fold_N != f, fold_N == f
            if len(np.unique(y_N[tr])) < 2:
                continue
            w, b = fit_logistic(x_NxW[tr], y_N[tr], l2)
            p = np.clip(sigmoid(x_NxW[te] @ w + b), 1e-6, 1 - 1e-6)
            loss -= float(np.sum(y_N[te] * np.log(p) + (1 - y_N[te]) * np.log(1 - p)))
        if loss < best_loss:
            best, best_loss = l2, loss
    return best
