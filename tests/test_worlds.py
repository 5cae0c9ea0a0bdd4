"""Many worlds in one run (sim/worlds.py): each world's results are bit-identical to running it
alone, whatever the number of worlds, their order, the scenarios beside them and the workers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config import load_scenario
from sim.ensemble import Members
from sim.model import IntroductionModel
from sim.worlds import Worlds
from sim.results import timeseries_long
from sim.runner import blocks_of, replicate_seed, run_comparison, run_one, with_years
from sim.worlds import batch_key

SHIPPED = ["denmark_average", "falkenberg", "fredensborg_dk", "regional_secondary", "solna", "sorsele",
           "struer_dk", "ten_proposals", "typical_2006", "varnamo"]
YEARS = 2


def snapshot(m) -> dict:
    """Everything a finished world gives: figures, tables, and the final arrays of its people,
    municipalities, employers and agencies (in its own numbering)."""
    def arrays(obj, skip=()):
        return {k: np.array(v) for k, v in vars(obj).items() if isinstance(v, np.ndarray) and k not in skip}
    return {
        "figures": m.figures(), "by_arrival": m.by_duration("arrival"), "by_permit": m.by_duration("permit"),
        "timeseries": timeseries_long(m), "population": arrays(m.population),
        "munis": arrays(m.munis, ("reach", "world")), "employers": arrays(m.employers),
        "agencies": arrays(m.agencies), "received": m.received.copy(),
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
    # ... and equal the runs one by one (replicate 3 with the ensemble's parameter set for (4, 3))
    assert one[1]["figures"][3] == run_one(Members().scenario(scen[1], 4, 3), replicate_seed(4, 3))


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
    from zero, so every choice equals the world's choice alone, to the last bit."""
    from sim.processes.choice import SegmentChooser
    rng = np.random.default_rng(3)
    worlds = []
    for scale in (1e15, 1.0, 3.7):  # (municipality, agency) pairs and fractional weights of one world
        m = rng.integers(0, 4, 12)
        a = rng.integers(0, 5, 12)
        # the first world's large weights would swamp the others' in one running sum over all
        worlds.append((m, a, rng.random(5) * scale + 1e-9 * rng.random(5)))
    keys_b, targets_b, weights_b, key_world = [], [], [], []
    m_off = a_off = 0
    for w, (m, a, wt) in enumerate(worlds):
        keys_b.append(m + m_off)
        targets_b.append(a + a_off)
        weights_b.append(wt)
        key_world += [w] * 4
        m_off += 4
        a_off += 5
    batch = SegmentChooser(np.concatenate(keys_b), np.concatenate(targets_b), m_off, np.array(key_world))
    u = rng.random(400).astype(np.float32)
    people_m = rng.integers(0, 4, 400)
    for w, (m, a, wt) in enumerate(worlds):
        alone = SegmentChooser(m, a, 4).choose(people_m, u, wt)
        got = batch.choose(people_m + 4 * w, u, np.concatenate(weights_b))
        assert np.array_equal(np.where(got >= 0, got - 5 * w, -1), alone)


def test_worlds_may_differ_in_the_calibrated_parameters():
    """The parameters a calibration varies (sim.worlds.PER_WORLD) may differ between the worlds
    of a batch, so a calibration generation runs as one; each world is still its run alone."""
    from sim.calibration.evaluate import apply_values
    from sim.config.loader import scenario_from_dict
    from sim.worlds import PER_WORLD
    rng = np.random.default_rng(7)
    lows = {"hiring.intercept": (-3.0, -1.0), "hiring.swedish": (0.2, 2.0), "hiring.swedish_shortfall": (0.5, 6.0),
            "hiring.employability_sd": (0.5, 1.5), "hiring.internship_host": (-2.0, 1.0),
            "hiring.nystartsjobb_employer_takeup": (0.1, 0.9), "search.coach_contacts_per_week": (0.2, 3.0),
            "search.job_focus_search_share": (0.0, 0.6), "search.lock_in_in_programme": (0.0, 0.6),
            "search.lock_in_at_full_time": (0.0, 0.6), "search.extra_work_per_week": (0.0, 0.01),
            "language.everyday_ceiling": (0.3, 0.9), "jobs.regular_separation_per_week": (0.001, 0.01),
            "internships.placements_per_coordinator_week": (0.3, 1.5)}
    assert set(lows) == set(PER_WORLD)
    specs = []
    for name in ("falkenberg", "regional_secondary"):
        base = with_years(load_scenario(name), YEARS)
        data = base.model_dump(mode="json", by_alias=True)
        for k in range(3):
            values = {f"behaviour.{p}": float(rng.uniform(*lows[p])) for p in PER_WORLD}
            specs.append((scenario_from_dict(apply_values(data, values)), 11 + k))
        specs.append((base, 5))
    assert len({batch_key(s) for s, _ in specs}) == 1
    batch = Worlds(specs).run()
    assert len(batch.per_world) == len(PER_WORLD)
    for w, (s, seed) in enumerate(specs):
        assert_same(snapshot(IntroductionModel(s, seed=seed, collect=False).run()), snapshot(batch.world(w)),
                    f"world {w}")


def test_per_world_values_as_float32_do_what_a_plain_number_does_beside_float32():
    """The rule behind `IntroductionModel.param`: NumPy turns a plain number beside a float32
    array into float32 (NEP 50), so a per-world value cast to float32 gives the same bits in
    products, sums and comparisons; as float64 it would not."""
    rng = np.random.default_rng(1)
    a = rng.random(10_000).astype(np.float32)
    for p in (float(x) for x in rng.uniform(-3, 3, 50)):  # plain numbers, as the behaviour's fields
        arr32 = np.full(len(a), p).astype(np.float32)
        assert np.array_equal(a * p, a * arr32) and (a * p).dtype == np.float32
        assert np.array_equal(a + p, a + arr32)
        assert np.array_equal(a < p, a < arr32)
    # A per-world value left as float64 would make the arithmetic float64: other bits.
    assert (a * np.full(len(a), 0.1)).dtype == np.float64
    assert not np.array_equal((a * np.full(len(a), 0.1)).astype(np.float64), (a * 0.1).astype(np.float64))
