"""Placement: the rules' arithmetic against hand computations, the assignment against brute force,
capacities, reproducibility across workers, and bad placement input (docs/PLACEMENT.md)."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.config import SCENARIO_DIR, ScenarioError, load_scenario, scenario_from_dict
from sim.config.places import municipalities
from sim.model import IntroductionModel
from sim.national import national_dict
from sim.placement import numbers
from sim.placement.assignment import Infeasible, Problem, solve, solve_with_gap
from sim.placement.prediction import N_PROFILES, Predictions, fit, profile_of
from sim.runner import run_figures_of
from sim.states import State

# Three real municipalities of different size and labour market: Falkenberg, Värnamo, Sorsele.
TOY_CODES = ("1382", "0683", "2422")


def toy_world(rule: str = "settlement_act", arrivals: int = 300, years: int = 3, **placement) -> dict:
    """The national world cut down to three municipalities (their employers and agencies too)."""
    data = national_dict(2018, arrivals, years, rule)
    keep = {k for k, m in data["municipalities"].items() if m["labour_market"]["register_code"] in TOY_CODES}
    data["municipalities"] = {k: m for k, m in data["municipalities"].items() if k in keep}
    data["employers"] = {k: e for k, e in data["employers"].items() if e["municipality"] in keep}
    agencies = {}
    for k, a in data["staffing_agencies"].items():
        a = copy.deepcopy(a)
        a["municipalities"] = [m for m in a["municipalities"] if m in keep]
        a["partner_municipalities"] = [m for m in a["partner_municipalities"] if m in keep]
        if a["municipalities"]:
            agencies[k] = a
    data["staffing_agencies"] = agencies
    data["placement"].update(placement)
    return data


def toy_predictions(path: Path, horizon: int = 24) -> str:
    """Predictions for the toy world: Värnamo best for the educated, Sorsele for the others."""
    prob = np.full((N_PROFILES, 3), 0.2)
    educated = np.array([(p // 2) % 4 >= 2 for p in range(N_PROFILES)])
    prob[educated, 1] = 0.6
    prob[~educated, 2] = 0.4
    pred = Predictions(horizon, TOY_CODES, prob, "toy")
    path.write_text(json.dumps(pred.to_json()), encoding="utf-8")
    return str(path)


# --- the rules' arithmetic ------------------------------------------------------------------------

def test_danish_quota_matches_a_hand_computation():
    # Population shares 0.1, 0.1, 0.8; shares of earlier immigrants 0.5, 0, 0.5: 2p - f = -0.3, 0.2,
    # 1.1; the negative quota set to 0 and the rest rescaled: 0, 0.2/1.3, 1.1/1.3.
    got = numbers.danish_quota(np.array([100, 100, 800]), np.array([500, 0, 500]))
    np.testing.assert_allclose(got, [0.0, 0.2 / 1.3, 1.1 / 1.3])
    # Without negatives nothing is rescaled: 2 x (0.1, 0.3, 0.6) - (0.1, 0.1, 0.8) = (0.1, 0.5, 0.4).
    np.testing.assert_allclose(numbers.danish_quota(np.array([1, 3, 6]), np.array([1, 1, 8])), [0.1, 0.5, 0.4])


def test_largest_remainders_add_up_and_follow_the_shares():
    got = numbers.largest_remainders(10, np.array([0.55, 0.3, 0.15]))
    assert got.tolist() == [6, 3, 1] and got.sum() == 10  # 5.5, 3.0, 1.5: the tie goes to the lower index
    assert numbers.largest_remainders(0, np.array([1.0, 2.0])).tolist() == [0, 0]


def test_published_settlement_numbers_are_the_county_boards():
    places = list(municipalities().values())
    shares = numbers.settlement_act(places, 2018, True, {"labour_market": 0.43, "population": 0.37,
                                                         "earlier_reception": 0.2})
    kommuntal = np.array([p.kommuntal_2018 for p in places], float)
    np.testing.assert_allclose(shares, kommuntal / kommuntal.sum(), atol=1e-12)  # 2018: exactly the kommuntal
    assert shares[[p.code for p in places].index("0181")] == 0  # Södertälje: no 2018 number
    # Another year: the county totals of that year, split as in 2018 within each county.
    y2019 = numbers.settlement_act(places, 2019, True, {"labour_market": 0.43, "population": 0.37,
                                                        "earlier_reception": 0.2})
    stockholm = np.array([p.county_code == "01" for p in places])
    assert y2019[stockholm].sum() == pytest.approx(2959 / 9000)


def test_computed_weights_favour_low_unemployment_and_little_earlier_reception():
    places = [municipalities()[c] for c in ("1382", "0683", "2422")]
    only_labour = numbers.settlement_weights(places, {"labour_market": 1.0, "population": 0.0, "earlier_reception": 0.0})
    pop = np.array([p.population_2021 for p in places], float)
    per_head = only_labour / (pop / pop.sum())
    unemp = np.array([p.unemployment_2022 for p in places])
    assert np.argsort(per_head).tolist() == np.argsort(-unemp).tolist()  # lower unemployment, more per head


# --- the assignment -------------------------------------------------------------------------------

def brute_force(p: Problem) -> float:
    """The best value over every way to send each household somewhere within capacity."""
    households = [k for k, c in enumerate(p.counts) for _ in range(int(c))]
    best = -np.inf
    for choice in itertools.product(range(p.value.shape[1]), repeat=len(households)):
        load = np.zeros(p.value.shape[1])
        for k, m in zip(households, choice):
            load[m] += p.adults[k]
        if np.all(load <= p.capacity + 1e-9):
            best = max(best, sum(p.value[k, m] for k, m in zip(households, choice)))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_assignment_matches_brute_force_on_small_cases(seed):
    rng = np.random.default_rng(seed)
    K, M = 3, 3
    adults = np.array([1, 1, 2]) if seed % 2 else np.ones(K, int)
    counts = rng.integers(0, 3, K)
    counts[0] += 1
    need = int(adults @ counts)
    capacity = rng.multinomial(need + int(rng.integers(0, 3)), np.ones(M) / M).astype(float)
    p = Problem(rng.random((K, M)) * adults[:, None], counts, adults, capacity)
    try:
        best = brute_force(p)
    except ValueError:
        best = -np.inf
    if not np.isfinite(best):
        return  # no whole-household assignment fits these capacities
    x, gap = solve_with_gap(p)
    assert (x.sum(1) == counts).all()
    assert np.all((adults[:, None] * x).sum(0) <= capacity + 1e-9)
    value = float((p.value * x).sum())
    assert value <= best + 1e-9
    if (adults == 1).all():  # totally unimodular: the relaxation is integral, the result optimal
        assert value == pytest.approx(best)
    else:  # within the certified gap of the relaxation's bound, which is at least the optimum
        assert value >= best - gap * value - 1e-9


def test_too_little_capacity_is_refused():
    with pytest.raises(Infeasible, match="can take"):
        solve(Problem(np.ones((1, 2)), np.array([5]), np.array([1]), np.array([2.0, 2.0])))


def test_the_optimiser_sends_each_profile_where_it_is_predicted_to_do_best():
    # Two singles' types; each municipality takes one: the better-suited type wins each place.
    p = Problem(np.array([[0.9, 0.1], [0.5, 0.4]]), np.array([1, 1]), np.array([1, 1]), np.array([1.0, 1.0]))
    assert solve(p).tolist() == [[1, 0], [0, 1]]


def test_the_low_prospect_ceiling_holds():
    # Type 1 is low-prospect and does best in municipality 0; a ceiling of one half spreads it.
    value = np.array([[0.5, 0.5], [0.4, 0.1]])
    base = Problem(value, np.array([2, 2]), np.array([1, 1]), np.array([2.0, 2.0]))
    assert solve(base)[1].tolist() == [2, 0]
    capped = Problem(value, np.array([2, 2]), np.array([1, 1]), np.array([2.0, 2.0]), low=np.array([0, 1]),
                     ceiling=0.5)
    assert solve(capped)[1].tolist() == [1, 1]


def test_prediction_fit_recovers_profile_and_place_effects():
    rng = np.random.default_rng(0)
    a = np.linspace(-2, 0, N_PROFILES)
    b = np.array([-0.5, 0.0, 0.5])
    true = 1 / (1 + np.exp(-(a[:, None] + b[None, :])))
    observed = np.full((N_PROFILES, 3), 4000.0)
    succeeded = rng.binomial(4000, true).astype(float)
    got = fit(observed, succeeded, np.array([[0.07], [0.05], [0.03]]), ridge=1.0)
    np.testing.assert_allclose(got, true, atol=0.02)


# --- placement in a world -------------------------------------------------------------------------

def test_every_rule_meets_the_same_arrivals():
    homes, people = {}, None
    for rule in ("settlement_act", "self_arranged", "danish_quota"):
        m = IntroductionModel(scenario_from_dict(toy_world(rule)), seed=4, collect=False)
        P = m.population
        drawn = np.column_stack([P.ti_arrival, P.female, P.education0, P.prior_work, P.age0])
        people = drawn if people is None else people
        np.testing.assert_array_equal(drawn, people)
        homes[rule] = P.home.copy()
    assert not np.array_equal(homes["settlement_act"], homes["self_arranged"])


def test_settlement_act_places_in_proportion_to_the_numbers():
    s = scenario_from_dict(toy_world("settlement_act", arrivals=3000, years=1))
    P = IntroductionModel(s, seed=2, collect=False).population
    places = [municipalities()[m.labour_market.register_code] for m in s.municipalities.values()]
    k = np.array([p.kommuntal_2018 for p in places], float)
    share = np.bincount(P.home, minlength=3) / P.n
    np.testing.assert_allclose(share, k / k.sum(), atol=0.01)  # households of 1-2 adults: within 1 point


@pytest.mark.parametrize("batches", ["year", "month"])
def test_optimised_placement_respects_capacities_and_follows_predictions(tmp_path, batches):
    slack = 0.5
    data = toy_world("optimised", arrivals=600, years=2)
    data["placement"]["optimised"] = {"predictions": toy_predictions(tmp_path / "p.json"), "capacity_slack": slack,
                                      "batches": batches}
    s = scenario_from_dict(data)
    P = IntroductionModel(s, seed=3, collect=False).population
    places = [municipalities()[m.labour_market.register_code] for m in s.municipalities.values()]
    k = np.array([p.kommuntal_2018 for p in places], float)
    for year in range(2):
        mine = P.ti_arrival // 52 == year
        capacity = np.ceil(k / k.sum() * mine.sum() * (1 + slack))
        load = np.bincount(P.home[mine], minlength=3)
        assert np.all(load <= capacity), (year, load, capacity)
    prof = profile_of(P.female, P.education0, P.prior_work)
    educated = (prof // 2) % 4 >= 2
    vrn = [p.code for p in places].index("0683")
    assert (P.home[educated] == vrn).mean() > (P.home[~educated] == vrn).mean()


def test_an_unreachable_fairness_floor_falls_back_and_says_so(tmp_path):
    data = toy_world("optimised", arrivals=300, years=1)
    data["placement"]["optimised"] = {"predictions": toy_predictions(tmp_path / "p.json"),
                                      "fairness": {"group_floor": 2.0}}
    m = IntroductionModel(scenario_from_dict(data), seed=1, collect=False)
    assert any("fairness" in note for note in m.population.placement_notes)


def test_the_same_seed_gives_the_same_placement_whatever_the_workers(tmp_path):
    data = toy_world("optimised", arrivals=200, years=2)
    data["placement"]["optimised"] = {"predictions": toy_predictions(tmp_path / "p.json")}
    s = scenario_from_dict(data)
    one = run_figures_of([s], 2, seed=7, workers=1, seeds_per_member=1)[0]
    two = run_figures_of([s], 2, seed=7, workers=2, seeds_per_member=1)[0]
    for a, b in zip(one, two):
        assert a["placement"]["arrivals"] == b["placement"]["arrivals"]
        assert a["employment"] == b["employment"]


# --- bad input ------------------------------------------------------------------------------------

def problems(data: dict) -> str:
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    return str(exc.value)


def test_weights_that_do_not_add_up_are_refused():
    data = toy_world(settlement_act={"county_numbers": "computed", "weights": {
        "labour_market": 0.5, "population": 0.5, "earlier_reception": 0.5}})
    assert "placement.settlement_act.weights" in problems(data) and "add up to 1" in problems(data)


def test_a_fairness_ceiling_below_the_low_prospect_share_is_refused():
    data = toy_world(optimised={"fairness": {"low_prospect_ceiling": 0.1}})
    msg = problems(data)
    assert "placement.optimised.fairness" in msg and "raise the ceiling" in msg


def test_a_year_without_published_numbers_is_refused():
    data = toy_world(settlement_act={"year": 2021})
    assert "no published county numbers for 2021" in problems(data)


def test_an_unknown_municipality_code_is_refused():
    data = toy_world()
    next(iter(data["municipalities"].values()))["labour_market"]["register_code"] = "9999"
    assert "register_code" in problems(data)


def test_arrivals_beside_a_placement_are_refused():
    data = toy_world()
    next(iter(data["municipalities"].values()))["arrivals"] = {"per_year": 10}
    assert "placement:' places every arrival" in problems(data)


def test_predictions_missing_or_not_covering_the_world_are_refused(tmp_path):
    data = toy_world("optimised", optimised={"predictions": str(tmp_path / "none.json")})
    assert "not found" in problems(data)
    pred = Predictions(24, ("1382", "0683", "0180"), np.full((N_PROFILES, 3), 0.3))
    (tmp_path / "other.json").write_text(json.dumps(pred.to_json()), encoding="utf-8")
    data = toy_world("optimised", optimised={"predictions": str(tmp_path / "other.json")})
    assert "do not cover municipality 2422" in problems(data)
    for bad, says in (('{"horizon_months": 24, "municipalities": ["1382"], "probability": [[2]]}', "16 rows (profiles)"),
                      ('{"horizon_months": 18, "municipalities": ["1382"], "probability": [[0.2]]}', "one of 12, 24"),
                      ('{"horizon_months": {}, "municipalities": 5, "probability": [[{}]]}', "horizon_months"),
                      ('{"horizon_months": 24, "municipalities": 5, "probability": []}', "list of SCB codes"),
                      ('{"horizon_months": 24, "municipalities": ["1382"], "probability": [[{}]]}', "rows of numbers"),
                      ('{"horizon_months": 24, "municipalities": ["1382", "1382"], "probability": []}', "twice")):
        (tmp_path / "bad.json").write_text(bad, encoding="utf-8")
        data = toy_world("optimised", optimised={"predictions": str(tmp_path / "bad.json")})
        msg = problems(data)
        assert "not a predictions file" in msg and says in msg, (bad, msg)


def test_a_municipality_given_twice_is_refused():
    data = toy_world()
    first, second = list(data["municipalities"].values())[:2]
    second["labour_market"]["register_code"] = first["labour_market"]["register_code"]
    assert "already" in problems(data)


def test_self_arranged_homes_and_onward_moves_are_the_same_under_every_rule(tmp_path):
    homes, onward = [], []
    for rule in ("settlement_act", "danish_quota", "optimised"):
        data = toy_world(rule, arrivals=300, years=2, self_arranged_share=0.8, onward_within_share=0.5)
        if rule == "optimised":
            data["placement"]["optimised"] = {"predictions": toy_predictions(tmp_path / "p.json")}
        P = IntroductionModel(scenario_from_dict(data), seed=8, collect=False).population
        homes.append(P.home.copy())
        onward.append(P.onward_to.copy())
    # Who arranges their own housing (8 in 10), and where, does not depend on the rule: at least
    # they are placed alike under all three; nor does who moves on inside the world.
    same = (homes[0] == homes[1]) & (homes[1] == homes[2])
    assert same.mean() > 0.8
    for o in onward[1:]:
        np.testing.assert_array_equal((o >= 0), (onward[0] >= 0))
    for h, o in zip(homes, onward):
        assert not np.any(o[o >= 0] == h[o >= 0])  # never back home


# --- the shipped national world -------------------------------------------------------------------

def test_the_shipped_national_world_is_what_the_generator_makes():
    text = (SCENARIO_DIR / "sweden_2018.yaml").read_text(encoding="utf-8")
    shipped = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    made = json.loads(json.dumps(national_dict(2018)))
    made["title"] = shipped["title"]
    assert shipped == made, "regenerate with: python run.py national --year 2018 --out scenarios"


def test_the_shipped_placement_scenarios_load_with_their_predictions():
    s = load_scenario("sweden_2018_optimised")
    assert len(s.municipalities) == 290 and s.placement.optimised.predicted.horizon_months == 24
    for rule in ("self_arranged", "danish_quota"):
        assert load_scenario(f"sweden_2018_{rule}").placement.rule == rule


def test_a_toy_national_world_keeps_its_invariants_week_by_week(tmp_path):
    data = toy_world("optimised", arrivals=200, years=2)
    data["placement"]["optimised"] = {"predictions": toy_predictions(tmp_path / "p.json"), "capacity_slack": 0.5}
    m = IntroductionModel(scenario_from_dict(data), seed=1)
    for _ in range(60):
        m.step()
        assert m.check_invariants() == [], f"week {m.t}"
    f = m.figures()
    assert f["by_municipality"] == {} and len(f["placement"]["arrivals"]) == N_PROFILES


@pytest.mark.parametrize("argv, says", [
    (["national", "--year", "2021"], "invalid choice"),
    (["national", "--horizon", "18"], "invalid choice"),
    (["national", "--arrivals", "0"], "expected 1 or more"),
    (["placement-gap", "--shares", "1.5"], "--shares"),
    (["placement-gap", "--slack", "-1"], "--slack"),
    (["placement-gap", "typical_2006"], "needs a scenario with a 'placement:' block"),
])
def test_bad_placement_commands_exit_2_and_say_what_is_wrong(argv, says, capsys):
    from sim.cli import main
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(argv))
    assert exc.value.code == 2
    assert says in capsys.readouterr().err


def test_national_writes_the_world_and_its_rules(tmp_path, capsys):
    from sim.cli import main
    assert main(["national", "--year", "2019", "--arrivals", "9000", "--years", "2", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["sweden_2019.yaml", "sweden_2019_danish_quota.yaml", "sweden_2019_optimised.yaml",
                     "sweden_2019_self_arranged.yaml"]
    s = load_scenario(tmp_path / "sweden_2019_danish_quota.yaml")
    assert s.placement.rule == "danish_quota" and s.placement.per_year(2) == [9000, 9000]
    assert s.simulation.start_date.year == 2019


def test_computed_county_numbers_against_the_published_ones_as_documented():
    """docs/PLACEMENT.md: the share of arrivals the computed rule (2019 weights) would place in
    another county than the government did."""
    from sim.config.places import counties
    places = list(municipalities().values())
    w = numbers.settlement_weights(places, {"labour_market": 0.43, "population": 0.37, "earlier_reception": 0.2})
    codes = sorted(counties())
    computed = np.array([w[[p.county_code == c for p in places]].sum() for c in codes])
    for year, displaced in ((2019, 10.8), (2020, 10.6), (2022, 3.5), (2026, 14.4)):
        published = np.array([counties()[c].numbers[year] for c in codes], float)
        assert 50 * np.abs(computed - published / published.sum()).sum() == pytest.approx(displaced, abs=0.05)


def test_a_placement_comparison_writes_the_county_boards_report(tmp_path):
    import pandas as pd

    from sim.cli import main
    files = []
    for rule in ("settlement_act", "danish_quota"):
        data = toy_world(rule, arrivals=200, years=3)
        data["name"], data["title"] = f"toy_{rule}", f"Toy: {rule.replace('_', ' ')}"
        path = tmp_path / f"toy_{rule}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "out"
    assert main(["compare", *files, "--replicates", "2", "--quiet", "--out", str(out)]) == 0
    report = (out / "report.html").read_text(encoding="utf-8")
    for heading in ("Placement: where arrivals are settled", "Fairness", "By county", "By sex and education"):
        assert heading in report
    assert (out / "map.png").stat().st_size > 0
    table = pd.read_csv(out / "placement_municipalities.csv", dtype={"code": str})
    assert len(table) == 6 and set(table["code"]) == set(TOY_CODES)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    block = summary["scenarios"][1]["placement"]
    assert block["rule"] == "danish_quota" and set(block["by_county"]) == {"13", "06", "24"}
    assert str(tmp_path) not in (out / "summary.json").read_text(encoding="utf-8")


def test_onward_moves_inside_the_world_change_municipality_not_presence():
    def run(share):
        data = toy_world("settlement_act", arrivals=300, years=2, onward_within_share=share)
        data["behaviour"] = {"mobility": {"onward_move_per_week": 0.02}}
        m = IntroductionModel(scenario_from_dict(data), seed=5)
        for _ in range(104):
            m.step()
            assert m.check_invariants() == [], f"week {m.t}"
        return m.population
    stay, move = run(0.0), run(1.0)
    moved = (move.municipality != move.home) & (move.state != State.NOT_ARRIVED)
    assert moved.sum() > 20 and (stay.municipality == stay.home).all()
    np.testing.assert_array_equal(move.municipality[moved], move.onward_to[moved])
    assert (move.state == State.MOVED_AWAY).sum() < (stay.state == State.MOVED_AWAY).sum()
    assert not np.isin(move.state[moved], [State.MOVED_AWAY, State.LEFT]).all()
