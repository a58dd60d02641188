"""bench_repair_order states how far each candidate order sits above one validation per fixed case."""

from __future__ import annotations

from bench import bench_repair_order


def _o(ep: str, method: str, validations: int, solved: bool = True, exact: bool = True) -> dict:
    return {"episode": ep, "method": method, "validations": validations, "solved": solved, "exact": exact}


def test_floor_and_best_order_and_where_the_order_mattered() -> None:
    outcomes = [
        *(_o("a", m, 1) for m in bench_repair_order.ORDERS),  # every order on the floor: did not matter
        _o("b", "rusta", 1),
        _o("b", "rusta-no-heads", 3),
        _o("b", "random-order", 2),
        _o("c", "rusta", 4, exact=False),
        _o("c", "rusta-no-heads", 4, exact=False),
        _o("c", "random-order", 0, solved=False, exact=False),
        _o("c", "naive-first-suggestion", 1),  # not an order of the same candidates: left out
    ]
    rows, notes = bench_repair_order.order_rows(outcomes, "dev")
    by = {r["method"]: r for r in rows}
    assert (
        by["rusta"]["validations over the floor"] == 3
        and by["rusta"]["validations above the best order"] == 0
    )
    assert (
        by["rusta-no-heads"]["validations over the floor"] == 5
        and by["random-order"]["validations/case"] == 1.0
    )
    assert by["rusta-no-heads"]["validations above the best order"] == 2
    assert by["random-order"]["fixed"] == 2 and by["random-order"]["fixed at the floor (1 validation)"] == 1
    assert all(r["episodes where the order mattered"] == 2 for r in rows)
    assert notes == [
        "dev: b: rusta 1 exact, rusta-no-heads 3 exact, random-order 2 exact",
        "dev: c: rusta 4, rusta-no-heads 4, random-order 0 (not fixed)",
    ]
