"""Many worlds in one run (sim/worlds.py): each world's results are bit-identical to running it
alone, whatever the number of worlds, their order, the scenarios beside them and the workers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config import load_scenario
from sim.ensemble import Members
from sim.model import IntroductionModel
from sim.ranges import SEEDS_PER_MEMBER
from sim.results import timeseries_long
from sim.runner import blocks_of, replicate_seed, run_comparison, run_one, with_years
from sim.worlds import Worlds, batch_key

SHIPPED = ["denmark_average", "falkenberg", "fredensborg_dk", "regional_secondary", "solna", "sorsele",
           "struer_dk", "ten_proposals", "typical_2006", "varnamo"]
YEARS = 2


def snapshot(m) -> dict:
    """Everything a finished world gives: figures, tables, and the final arrays of its people,
    municipalities, employers and agencies (in its own numbering)."""
    def records(table):
        return {name: np.array(table.rows[name]) for name in table.rows.dtype.names}
    return {
        "figures": m.figures(), "by_arrival": m.by_duration("arrival"), "by_permit": m.by_duration("permit"),
        "timeseries": timeseries_long(m), "population": records(m.population),
        "munis": records(m.munis), "employers": records(m.employers),
        "agencies": records(m.agencies), "received": m.received.copy(),
    }


def assert_same(a, b, path="") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=path)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), path
    else:
        assert a == b or (a != a and b != b), f"{path}: {a!r} != {b!r}"


def groups_of_shipped() -> list[list]:
    out: dict[str, list] = {}
    for name in SHIPPED:
        s = with_years(load_scenario(name), YEARS)
        out.setdefault(batch_key(s), []).append((name, s))
    return list(out.values())


@pytest.fixture(scope="module")
def alone():
    """Every shipped scenario alone, with three seeds (the reference)."""
    return {(name, seed): snapshot(IntroductionModel(s, seed=seed, collect=False).run())
            for group in groups_of_shipped() for name, s in group for seed in (1, 2, 3)}


@pytest.mark.parametrize("group", range(len(groups_of_shipped())))
def test_every_shipped_scenario_is_the_same_in_a_batch_of_seven(group, alone):
    members = groups_of_shipped()[group]
    specs = [(name, s, seed) for seed in (1, 2, 3) for name, s in members][:7]
    for order in (specs, specs[::-1]):
        batch = Worlds([(s, seed) for _, s, seed in order]).run()
        for w, (name, _, seed) in enumerate(order):
            assert_same(alone[(name, seed)], snapshot(batch.world(w)), f"{name}/seed{seed}/world{w}")


def test_a_batch_of_one_is_the_model_alone(alone):
    s = with_years(load_scenario("regional_secondary"), YEARS)  # agreements, commuting, agencies
    assert_same(alone[("regional_secondary", 2)], snapshot(Worlds([(s, 2)]).run().world(0)))


def test_sixty_four_worlds_of_four_scenarios(alone):
    """Falkenberg, Solna, Värnamo and the regional scenario (agreements) share a batch key."""
    names = ["falkenberg", "solna", "varnamo", "regional_secondary"]
    scen = {n: with_years(load_scenario(n), YEARS) for n in names}
    specs = [(names[k % 4], 1 + k % 3 if k < 12 else 10 + k) for k in range(64)]
    batch = Worlds([(scen[n], seed) for n, seed in specs]).run()
    for w, (n, seed) in enumerate(specs):
        got = batch.world(w)
        if seed <= 3:
            assert_same(alone[(n, seed)], snapshot(got), f"{n}/seed{seed}")
        elif w % 13 == 0:  # a few of the others against their own runs alone (the rest: figures)
            assert_same(snapshot(IntroductionModel(scen[n], seed=seed, collect=False).run()), snapshot(got))
    assert batch.n_worlds == 64 and batch.check_invariants() == []


def test_replicates_and_comparisons_do_not_depend_on_workers_or_blocks():
    scen = [with_years(load_scenario(n), YEARS) for n in ("typical_2006", "ten_proposals")]
    one = run_comparison(scen, 5, seed=4, workers=1)
    two = run_comparison(scen, 5, seed=4, workers=2)
    for a, b in zip(one, two):
        assert a["figures"] == b["figures"]
        for x, y in zip(a["timeseries"] + a["by_month"], b["timeseries"] + b["by_month"]):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
    # ... and equal the runs one by one (replicate 3 with the ensemble's parameter set for (4, 3 // K))
    members = Members(seeds_per_member=SEEDS_PER_MEMBER)
    assert one[1]["figures"][3] == run_one(members.scenario(scen[1], 4, 3), replicate_seed(4, 3))


def test_blocks_group_by_batch_key_and_respect_the_caps():
    f, t = load_scenario("falkenberg"), load_scenario("typical_2006")
    worlds = [(f, None)] * 10 + [(t, None)] * 3 + [(f, 2)] * 2
    blocks = blocks_of(worlds, workers=1, max_worlds=4)
    assert sorted(i for b in blocks for i in b) == list(range(15))
    for b in blocks:
        assert len(b) <= 4
        assert len({batch_key(with_years(worlds[i][0], worlds[i][1])) for i in b}) == 1
    # two workers get at least two blocks of a group that has enough worlds
    assert len(blocks_of([(f, None)] * 6, workers=2)) == 2


def test_blocks_stay_within_the_memory_budget(monkeypatch):
    import sim.runner as runner
    f = load_scenario("falkenberg")
    monkeypatch.setattr(runner, "BATCH_MAX_BYTES", 3 * runner.world_bytes(f) + 1)
    blocks = runner.blocks_of([(f, None)] * 10)
    assert [len(b) for b in blocks] == [3, 3, 2, 2]


def test_a_world_changed_by_a_lever_leaves_the_others_alone():
    """Common random numbers across worlds: a lever in one world changes nothing in the rest."""
    base = with_years(load_scenario("falkenberg"), YEARS)
    data = base.model_dump(mode="json", by_alias=True)
    muni = next(iter(data["municipalities"]))
    data["municipalities"][muni]["staff"]["coaches"] = 0
    from sim.config.loader import scenario_from_dict
    no_coaches = scenario_from_dict(data)
    a = Worlds([(base, 5), (base, 6)]).run()
    b = Worlds([(base, 5), (no_coaches, 6), (base, 6)]).run()
    assert_same(snapshot(a.world(0)), snapshot(b.world(0)))
    assert_same(snapshot(a.world(1)), snapshot(b.world(2)))
    assert b.world(1).figures() != b.world(2).figures()


def test_worlds_that_cannot_share_a_batch_are_refused():
    a, b = load_scenario("falkenberg"), load_scenario("typical_2006")  # other periods and rules
    with pytest.raises(ValueError, match="world 1 .*cannot share a batch"):
        Worlds([(a, 1), (b, 2)])


def test_weighted_choice_with_fractional_weights_is_each_worlds_own():
    """Agencies are chosen by a fractional credit: in a batch, each world's running sums start
    from zero in each of its segments, so every choice equals the world's choice alone, to the
    last bit, whatever the weights of the worlds before it."""
    from sim.processes.choice import choose, cumulate
    rng = np.random.default_rng(3)
    worlds = []
    for scale in (1e15, 1.0, 3.7):  # 4 municipalities' segments over 5 agencies, fractional weights
        key = np.sort(rng.integers(0, 4, 12))
        start = np.searchsorted(key, np.arange(5)).astype(np.int64)
        target = rng.integers(0, 5, 12).astype(np.int64)
        worlds.append((start, target, rng.random(5) * scale + 1e-9 * rng.random(5)))
    # The batch: the worlds' segments one after another, targets numbered in the batch.
    starts, targets, weights = [np.zeros(1, np.int64)], [], []
    for w, (start, target, wt) in enumerate(worlds):
        starts.append(start[1:] + 12 * w)
        targets.append(target + 5 * w)
        weights.append(wt)
    start_b, target_b, weight_b = np.concatenate(starts), np.concatenate(targets), np.concatenate(weights)
    us = rng.random(400)
    for w, (start, target, wt) in enumerate(worlds):
        cum_alone = cumulate(start, target, wt, 0, 0, 4)
        cum_batch = cumulate(start_b, target_b, weight_b[5 * w:5 * w + 5], 5 * w, 4 * w, 4 * w + 4)
        assert np.array_equal(cum_alone, cum_batch)
        for k, u in enumerate(us):
            key = k % 4
            alone = choose(start, cum_alone, 0, key, u)
            got = choose(start_b, cum_batch, int(start_b[4 * w]), 4 * w + key, u)
            assert (alone < 0 and got < 0) or target[alone] + 5 * w == target_b[got]


def test_worlds_may_differ_in_any_parameter():
    """Each world reads its own parameter record (sim.parameters): behavioural parameters and
    national rules may differ between the worlds of a batch (a calibration generation, a sweep of
    the rules), and each world is still its run alone."""
    from sim.calibration.evaluate import apply_values
    from sim.config.loader import scenario_from_dict
    rng = np.random.default_rng(7)
    ranges = {"behaviour.hiring.intercept": (-3.0, -1.0), "behaviour.hiring.swedish": (0.2, 2.0),
              "behaviour.search.coach_contacts_per_week": (0.2, 3.0),
              "behaviour.search.lock_in_in_programme": (0.0, 0.6), "behaviour.jobs.regular_separation_per_week": (0.001, 0.01),
              "behaviour.internships.placements_per_coordinator_week": (0.3, 1.5),
              "behaviour.passivity.dropout_per_week": (0.0, 0.01), "behaviour.household.birth_rate_per_year": (0.0, 0.2),
              "national.instegsjobb.subsidy_private": (0.3, 0.9), "national.living_costs_adult_sek_per_week": (1000, 2500),
              "metrics.self_sufficiency.min_weeks": (4, 26)}
    specs = []
    for name in ("falkenberg", "regional_secondary"):
        base = with_years(load_scenario(name), YEARS)
        data = base.model_dump(mode="json", by_alias=True)
        for k in range(3):
            values = {p: float(rng.uniform(*r)) for p, r in ranges.items()}
            values["metrics.self_sufficiency.min_weeks"] = int(values["metrics.self_sufficiency.min_weeks"])
            specs.append((scenario_from_dict(apply_values(data, values)), 11 + k))
        specs.append((base, 5))
    assert len({batch_key(s) for s, _ in specs}) == 1
    batch = Worlds(specs).run()
    for w, (s, seed) in enumerate(specs):
        assert_same(snapshot(IntroductionModel(s, seed=seed, collect=False).run()), snapshot(batch.world(w)),
                    f"world {w}")
    assert len({str(batch.world(w).figures()["employment"]) for w in range(len(specs))}) == len(specs)


def test_a_batch_gives_the_same_on_one_thread_and_two():
    """With two threads each runs its own worlds: the same numbers as one thread, bit for bit."""
    import sim.week as week
    scen = [with_years(load_scenario(n), YEARS) for n in ("falkenberg", "solna", "varnamo")]
    specs = [(scen[k % 3], 20 + k) for k in range(9)]
    out = {}
    for threads in (1, 2):
        saved = week.THREADS
        week.THREADS = threads
        try:
            batch = Worlds(specs).run()
        finally:
            week.THREADS = saved
        out[threads] = [snapshot(batch.world(w)) for w in range(len(specs))]
        assert len(week.split_worlds(batch.people_offsets, threads)) == threads
    for w in range(len(specs)):
        assert_same(out[1][w], out[2][w], f"world {w}")
