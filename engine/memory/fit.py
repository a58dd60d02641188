"""Fit the priors' weights on the gym's dev episodes with simulated keep/undo histories; report held-out.

Each crate of the gym is a repo and its episodes, in a fixed order, one user's history in it. For
each episode the candidates (the gym's labelled samples: compiles, exact restore) are ordered as the
repair orders them (the shipped Action head, else the prior order), then by `priors.arrange` with
the memory so far; Rusta proposes the first candidate that compiles. The simulated user keeps it
when it is the exact restore (what the crate's author wrote) and undoes it otherwise, with noise:
`SLIP` of the exact ones are undone anyway, `TOLERATE` of the others kept, and a kept inexact one is
edited afterwards with `TOUCH_UP`. Two populations of users: ones who only want the restore, and
ones with a taste, who also refuse every fix of the families they dislike (each family a user meets
is disliked with probability `TASTE`) and write the fix by hand. What the user did goes into the
memory for the next episode.

The score of a set of weights is, averaged over the two populations, the share of episodes (with a
green candidate) whose proposal suits the user (the exact restore, of a family they do not
dislike), then fewer validations until it. Weights are fitted by coordinate search over
`GRID` on the dev crates (averaged over `USERS` simulated users); the dev figure is leave-one-crate-
out (each crate scored by weights fitted on the others), the held-out crates are scored, never fitted.
`refusals` is not fitted: "refused twice, not proposed again without saying why" is the product's
promise to the user (issue 20), not a weight.

    python -m engine.memory.fit --ship
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import msgspec

from engine.edits import Edit
from engine.memory.priors import WEIGHTS, PriorWeights, arrange
from engine.memory.types import FamilyPref, Memory, StyleFact
from engine.repair.types import Candidate

SLIP = 0.05  # exact restores the simulated user undoes anyway
TOLERATE = 0.3  # inexact fixes the simulated user keeps
TOUCH_UP = 0.5  # kept inexact fixes the user edits afterwards
USERS = 8  # simulated users per crate and population (seeds)
TASTE = 0.2  # families a user with a taste dislikes
GRID: dict[str, tuple[float, ...]] = {
    "keep_prior": (0.25, 0.5, 1.0, 2.0, 4.0),
    "refuse_prior": (0.25, 0.5, 1.0, 2.0, 4.0),
    "edit_weight": (0.0, 0.25, 0.5, 1.0),
    "max_adj": (0.5, 1.0, 2.0, 4.0),
    "pull": (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0),
    "style_bonus": (0.0, 0.5, 0.75, 1.0, 1.5, 3.0),
}
REPORT = WEIGHTS.parent / "priors_report.json"


@dataclass(frozen=True)
class Ep:
    """One episode: its code, and its labelled candidates in the repair's order before memory."""

    code: str
    cands: tuple[Candidate, ...]
    compiles: frozenset[str]
    exact: frozenset[str]


def episodes_by_crate(samples: list) -> dict[str, list[Ep]]:  # noqa: ANN001 - engine.heads.types.Sample
    """Each crate's episodes in a fixed order (seed, then episode id), candidates in the head's order."""
    from engine.heads.action import shipped_head

    head = shipped_head()
    per: dict[tuple[str, int, str], list] = defaultdict(list)
    for s in samples:
        per[(s.crate, s.seed, s.episode)].append(s)
    out: dict[str, list[Ep]] = defaultdict(list)
    for (crate, _, _), ss in sorted(per.items()):
        ss.sort(key=lambda s: s.view.prior_rank)
        idx = head.rank([s.view for s in ss])[0] if head is not None else list(range(len(ss)))
        cands = tuple(
            Candidate(
                id=ss[i].candidate_id,
                edits=tuple(
                    Edit(file="src/lib.rs", start=0, end=0, replacement=t)
                    for t in ss[i].view.inserted.split("\x00")
                ),
                description="",
                source=ss[i].view.source,
                family=ss[i].view.family,
            )
            for i in idx
        )
        out[crate].append(
            Ep(
                code=ss[0].view.code,
                cands=cands,
                compiles=frozenset(s.candidate_id for s in ss if s.compiles),
                exact=frozenset(s.candidate_id for s in ss if s.exact and s.compiles),
            )
        )
    return dict(out)


def simulate(
    eps: list[Ep], style: tuple[StyleFact, ...], w: PriorWeights | None, seed: str, taste: float
) -> tuple[int, int, int, int]:
    """(episodes with a green candidate, proposals that are the exact restore, proposals that suit
    the user, validations until the proposal) for one simulated user in one crate; `w` None: no
    memory at all; `taste`: the share of families this user dislikes."""
    rng = random.Random(seed)
    prefs: dict[tuple[str, str], FamilyPref] = {}
    n = exact = suits = validations = 0
    for ep in eps:
        m = Memory(prefs=tuple(prefs.values()), style=style)
        order = arrange(list(ep.cands), ep.code, m, None, w) if w is not None else list(ep.cands)
        pos = next((i for i, c in enumerate(order) if c.id in ep.compiles), None)
        if pos is None:
            continue
        pick = order[pos]
        n += 1
        validations += pos + 1
        right = pick.id in ep.exact
        liked = random.Random(f"{seed}:{pick.family}").random() >= taste
        exact += right
        suits += right and liked
        keep = liked and (rng.random() >= SLIP if right else rng.random() < TOLERATE)
        key = (ep.code, pick.family)
        p = prefs.get(key) or FamilyPref(code=ep.code, family=pick.family)
        if keep:
            edited = not right and rng.random() < TOUCH_UP
            p = msgspec.structs.replace(p, kept=p.kept + 1, edited=p.edited + edited)
        else:
            p = msgspec.structs.replace(p, undone=p.undone + 1)
        prefs[key] = p
    return n, exact, suits, validations


def score(
    data: dict[str, list[Ep]], styles: dict[str, tuple[StyleFact, ...]], w: PriorWeights | None
) -> dict:
    out: dict = {}
    for name, taste in (("restore only", 0.0), ("with a taste", TASTE)):
        t = [0, 0, 0, 0]
        for crate, eps in data.items():
            for u in range(USERS):
                got = simulate(eps, styles.get(crate, ()), w, f"{crate}:{u}", taste)
                t = [a + b for a, b in zip(t, got, strict=True)]
        n = t[0] or 1
        out[name] = {
            "episodes": t[0] // USERS,
            "proposal is exact": round(t[1] / n, 4),
            "proposal suits the user": round(t[2] / n, 4),
            "validations to proposal": round(t[3] / n, 4),
        }
    return out


def _objective(r: dict) -> tuple[float, float]:
    pops = list(r.values())
    return (
        sum(p["proposal suits the user"] for p in pops) / len(pops),
        -sum(p["validations to proposal"] for p in pops) / len(pops),
    )


def fit(data: dict[str, list[Ep]], styles: dict[str, tuple[StyleFact, ...]], passes: int = 3) -> PriorWeights:
    """Coordinate search over `GRID` from the hand-set weights; ties keep the current value."""
    w = PriorWeights()
    best = _objective(score(data, styles, w))
    for _ in range(passes):
        moved = False
        for name, values in GRID.items():
            for v in values:
                trial = msgspec.structs.replace(w, **{name: type(getattr(w, name))(v)})
                got = _objective(score(data, styles, trial))
                if got > best:
                    w, best, moved = trial, got, True
        if not moved:
            break
    return w


def crate_styles(crates: list[str]) -> dict[str, tuple[StyleFact, ...]]:
    """Each gym crate's habits, mined from its source as the memory mines a repo."""
    from engine.gym.crates import find_source
    from engine.gym.errors import GymError
    from engine.memory.style import mine

    out = {}
    for c in crates:
        try:
            out[c] = mine(find_source(c))
        except GymError:
            out[c] = ()
    return out


def main(argv: list[str] | None = None) -> int:
    from engine.heads.fit import data_path, dedupe, read_samples

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=data_path("dev"))
    ap.add_argument("--heldout", type=Path, default=data_path("heldout"))
    ap.add_argument("--ship", action="store_true", help=f"write {WEIGHTS.name} and {REPORT.name}")
    args = ap.parse_args(argv)
    dev = episodes_by_crate(dedupe(read_samples(args.dev)))
    held = episodes_by_crate(dedupe(read_samples(args.heldout)))
    styles = crate_styles(sorted({*dev, *held}))
    loco: dict[str, tuple[dict, dict, dict]] = {}
    for crate in dev:
        w = fit({c: e for c, e in dev.items() if c != crate}, styles)
        one = {crate: dev[crate]}
        loco[crate] = (score(one, styles, None), score(one, styles, PriorWeights()), score(one, styles, w))
    final = fit(dev, styles)

    def pooled(k: int) -> dict:
        out = {}
        for pop in ("restore only", "with a taste"):
            rows = [r[k][pop] for r in loco.values()]
            n = sum(x["episodes"] for x in rows)
            keys = ("proposal is exact", "proposal suits the user", "validations to proposal")
            out[pop] = {
                "episodes": n,
                **{key: round(sum(x[key] * x["episodes"] for x in rows) / n, 4) for key in keys},
            }
        return out

    report = {
        "simulated user": {
            "slip": SLIP,
            "tolerate": TOLERATE,
            "touch_up": TOUCH_UP,
            "users per crate": USERS,
        },
        "weights": msgspec.to_builtins(final),
        "dev (leave one crate out)": {"no memory": pooled(0), "hand-set": pooled(1), "fitted": pooled(2)},
        "dev (in sample)": {
            "no memory": score(dev, styles, None),
            "hand-set": score(dev, styles, PriorWeights()),
            "fitted": score(dev, styles, final),
        },
        "held-out crates": {
            "no memory": score(held, styles, None),
            "hand-set": score(held, styles, PriorWeights()),
            "fitted": score(held, styles, final),
        },
    }
    print(json.dumps(report, indent=1))
    if args.ship:
        WEIGHTS.parent.mkdir(exist_ok=True)
        WEIGHTS.write_bytes(msgspec.json.format(msgspec.json.encode(final), indent=1) + b"\n")
        REPORT.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
