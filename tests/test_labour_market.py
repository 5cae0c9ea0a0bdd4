"""The labour market by place and year, staff with diminishing returns, displacement as a share,
and the shapes of the dose-response curves, on toy worlds (issue 24)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from sim import labour_market
from sim.config import load_scenario, scenario_from_dict
from sim.config.errors import ScenarioError
from sim.config.places import LABOUR_FORCE_PER_INHABITANT, municipalities, national_register_unemployment
from sim.processes.choice import caseload

from test_mechanisms import model_of, toy

# --- paths from the registers and the business cycle ------------------------------------------


def test_carried_takes_the_last_listed_year():
    path = {2008: 0.05, 2010: 0.08}
    assert [labour_market.carried(path, y, 0.0) for y in (2006, 2008, 2009, 2010, 2020)] == [0.05, 0.05, 0.05, 0.08, 0.08]
    assert labour_market.carried({}, 2009, 0.3) == 0.3


def test_a_recession_rises_to_its_trough_and_recovers_linearly():
    from sim.config.schema import Recession
    r = Recession(start_year=2009, unemployment_rise=0.02, vacancy_fall=0.4, onset_years=2, recovery_years=3)
    depth = [labour_market.recession_depth(r, y) for y in range(2007, 2016)]
    assert depth == pytest.approx([0, 0, 0.5, 1.0, 0.75, 0.5, 0.25, 0, 0])


def test_a_register_code_gives_the_municipalitys_sourced_labour_market():
    s = load_scenario("falkenberg")
    lm = s.municipalities["falkenberg"].labour_market
    place = municipalities()["1382"]
    assert place.name == "Falkenberg"
    assert lm.labour_force == round(place.population_2005 * LABOUR_FORCE_PER_INHABITANT)
    paths = labour_market.paths(s)
    national = s.business_cycle.national_unemployment_by_year
    relative = place.unemployment_2022 / national_register_unemployment()
    # Each year: the municipality's register rate relative to the nation's, times that year's rate.
    for i, year in enumerate(range(2006, 2013)):
        assert paths.unemployment[0, i] == pytest.approx(relative * national[year])
    assert 0.05 < paths.unemployment[0, 0] < 0.07  # 2006: about 6.1 %, below the nation's 7.2 %


def test_an_unknown_register_code_is_refused_with_its_location(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("extends: falkenberg\nmunicipalities:\n  falkenberg:\n    labour_market:\n      register_code: '9999'\n",
                 encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(f)
    text = str(err.value)
    assert "9999" in text and "register_code" in text and "bad.yaml" in text


def test_a_set_rate_overrides_the_register_and_a_shift_adds_points():
    data = load_scenario("falkenberg").model_dump(mode="json", by_alias=True)
    data["municipalities"]["falkenberg"]["labour_market"].update(unemployment=0.1, unemployment_shift=0.01)
    s = scenario_from_dict(data)
    assert labour_market.paths(s).unemployment[0, :5] == pytest.approx([0.11] * 5)
    # A dump read back gives the same paths (the register's figures are filled in, not re-read).
    again = scenario_from_dict(load_scenario("falkenberg").model_dump(mode="json", by_alias=True))
    assert np.array_equal(labour_market.paths(again).unemployment, labour_market.paths(load_scenario("falkenberg")).unemployment)


def _yearly(unemployment_by_year=None, vacancy_index_by_year=None, years=3):
    lm = {"labour_force": 1000, "unemployment": 0.05}
    if unemployment_by_year:
        lm["unemployment_by_year"] = unemployment_by_year
    data = toy(**{"municipalities.t.labour_market": lm, "simulation.years": years,
                  "simulation.start_date": "2008-01-07"})
    if vacancy_index_by_year:
        data["business_cycle"] = {"vacancy_index_by_year": vacancy_index_by_year}
    return data


def test_the_kernels_take_each_years_labour_market():
    m = model_of(_yearly(unemployment_by_year={2008: 0.05, 2009: 0.10}))
    m.step()
    assert m.munis.other_job_seekers[0] == pytest.approx(50.0)
    for _ in range(52):
        m.step()
    assert m.munis.other_job_seekers[0] == pytest.approx(100.0)  # the second year's rate from week 52


def test_vacancies_follow_the_yearly_index():
    # No hires, nobody else applies and no vacancy lapses: the open vacancies count what was posted.
    data = _yearly(vacancy_index_by_year={2008: 1.0, 2009: 0.5})
    data["behaviour"]["competition"]["vacancy_open_weeks"] = 1_000_000
    data["municipalities"]["t"]["labour_market"]["unemployment"] = 0.0
    m = model_of(data)
    for _ in range(52):
        m.step()
    first = int(m.employers.open_vacancies.sum())
    for _ in range(52):
        m.step()
    assert first == 10 * 52
    assert int(m.employers.open_vacancies.sum()) - first == 10 * 26  # half the rate in 2009


# --- staff: saturating returns ----------------------------------------------------------------


def test_caseload_is_the_capacity_while_the_caseload_is_large_and_saturates():
    n, q = 200.0, 0.05
    caps = np.array([0.0, 0.5, 1, 2, 5, 10, 20, 50, 100, 1000])
    got = np.array([caseload(c, n, q) for c in caps])
    assert got[0] == 0 and got[1] == pytest.approx(0.5, rel=0.03)
    assert np.all(np.diff(got) > 0) and np.all(got <= n * q)             # increasing, bounded
    marginal = np.diff(got) / np.diff(caps)
    assert np.all(np.diff(marginal) < 0)                                  # diminishing returns
    assert got[-1] == pytest.approx(n * q, rel=1e-6)
    assert caseload(5.0, 0.0, q) == 0.0                                   # nobody to coach


def _hired_share(coaches: float, **behaviour) -> float:
    b = {"hiring": {"intercept": 0.0}, "search": {"coach_contacts_per_week": 1.0, **behaviour}}
    data = toy(behaviour=b, **{"municipalities.t.staff": {"coaches": coaches, "coach_share_at_employers": 1.0}})
    vals = []
    for seed in (1, 2, 3):
        m = model_of(data, seed=seed)
        for _ in range(26):
            m.step()
        vals.append(np.count_nonzero(m.population.ti_first_job[:m.population.n_arrived] >= 0) / 200)
    return float(np.mean(vals))


@pytest.mark.parametrize("q", [0.025, 0.1])
def test_more_coaches_help_less_and_less_and_never_beyond_saturation(q):
    levels = [0, 4, 16, 64, 1000]
    share = [_hired_share(c, coached_contacts_most_per_seeker_week=q) for c in levels]
    assert share[1] > share[0]                              # the sign: coaching helps
    per_coach = [(share[i + 1] - share[i]) / (levels[i + 1] - levels[i]) for i in range(len(levels) - 1)]
    assert per_coach[-1] < per_coach[1] < per_coach[0] + 1e-9  # diminishing returns
    # At most q coached contacts a seeker a week: 26 weeks can give at most 26 q contacts each, so
    # 1000 coaches do not reach the share a caseload without saturation would (everyone contacted
    # every week).
    unbounded = _hired_share(1000, coached_contacts_most_per_seeker_week=1.0)
    assert share[-1] < unbounded


# --- displacement: a share of newcomers' jobs is new ----------------------------------------------


def _other_hires(new_job_share: float, newcomers: bool) -> float:
    """Other job seekers' hires in a year, with newcomers who are hired whenever they apply, or
    with newcomers no employer accepts (a scenario needs refugees)."""
    b = {"hiring": {"intercept": 20.0 if newcomers else -20.0}, "search": {"own_contacts_per_week": 5.0},
         "competition": {"applications_per_unemployed_week": 0.01, "new_job_share": new_job_share,
                         "vacancy_open_weeks": 8.0}}
    data = toy(behaviour=b, **{"municipalities.t.labour_market": {"labour_force": 4000, "unemployment": 0.05}})
    m = model_of(data)
    for _ in range(52):
        m.step()
    return float(m.recorder.other_hires.sum())


def test_newcomers_crowd_out_others_by_one_minus_the_new_job_share():
    alone = _other_hires(0.0, newcomers=False)
    fixed = _other_hires(0.0, newcomers=True)
    half = _other_hires(0.5, newcomers=True)
    none_lost = _other_hires(1.0, newcomers=True)
    assert fixed < half < none_lost                # more new jobs, less crowding-out
    assert fixed < 0.9 * alone                     # a fixed number of jobs: others lose
    # Every newcomer's job new: others keep most of theirs (the new job opens the next week, so the
    # week's applicants meet one vacancy fewer: a residue, not one-for-one displacement).
    assert alone - none_lost < 0.35 * (alone - fixed)


# --- dose-response: the machinery, and shapes ---------------------------------------------------


def test_dose_response_pairs_each_level_with_the_scenario_and_its_own_level_is_exactly_zero():
    from sim import doses
    data = copy.deepcopy(toy(behaviour={"hiring": {"intercept": 0.0}, "search": {"coach_contacts_per_week": 1.0}},
                             **{"simulation.years": 3, "municipalities.t.staff": {"coaches": 1.0}}))
    base = scenario_from_dict(data)
    chosen = (doses.Dose("staff", "coaches", "coaches", (0, 1, 8), "coaches"),
              doses.Dose("labour_market", "unemployment_shift", "unemployment", (0.0, 0.05), "points",
                         evidence=doses.AZLOR))
    result = doses.dose_response(base, replicates=2, seed=1, parameters="point", doses=chosen)
    coach, unemp = result["doses"]
    own = next(p for p in coach["points"] if p["level"] == 1)
    assert own["effect"]["mean"] == 0 and own["effect"]["lo"] == 0 and own["effect"]["hi"] == 0
    assert [p["level"] for p in coach["points"]] == [0, 1, 8]
    assert doses.evidence_band(unemp, 0.05) == pytest.approx((-0.085, -0.045))  # 5 points x (-1.7, -0.9)
    assert "coaches" in doses.to_markdown(result)


def test_every_dose_level_is_inside_the_schema():
    from sim import doses
    base = load_scenario("typical_2006").model_dump(mode="json", by_alias=True)
    for dose in doses.DOSES:
        for level in dose.levels:
            d = copy.deepcopy(base)
            d["municipalities"]["typical"].setdefault(dose.section, {})[dose.key] = level
            scenario_from_dict(d)  # raises if a level is outside the schema's bounds


def test_no_jump_in_the_unemployment_response():
    """Employment falls smoothly as unemployment rises: no step between neighbouring half-points is
    more than three times the average step (the regime switch vacancies without lapse gave)."""
    shifts = np.arange(-0.04, 0.061, 0.01)
    hired = []
    for s in shifts:
        b = {"hiring": {"intercept": -1.0}, "search": {"own_contacts_per_week": 1.0},
             "competition": {"applications_per_unemployed_week": 0.003}}
        data = toy(behaviour=b, **{"municipalities.t.labour_market": {"labour_force": 20000, "unemployment": 0.06,
                                                                      "unemployment_shift": float(s)}})
        vals = []
        for seed in (1, 2, 3, 4):
            m = model_of(data, seed=seed)
            for _ in range(52):
                m.step()
            vals.append(np.count_nonzero(m.population.ti_first_job[:m.population.n_arrived] >= 0))
        hired.append(np.mean(vals))
    steps = -np.diff(hired)
    assert hired[0] > hired[-1]                                    # the sign
    assert steps.max() <= 3 * max(steps.mean(), 1.0)               # no jump
    assert math.isfinite(float(np.sum(steps)))



# --- who gains and who loses: groups by municipality ----------------------------------------------


def test_groups_by_municipality_partition_the_settled_and_reach_compare_and_the_report():
    from sim import groups
    from sim.comparison import summary_of
    from sim.runner import run_comparison, with_years
    names = ["regional_no_agreements", "regional_secondary"]
    scenarios = [with_years(load_scenario(n), 2) for n in names]
    runs = run_comparison(scenarios, 2, seed=1, parameters="point")
    for figures in (runs[0]["figures"], runs[1]["figures"]):
        for r in figures:
            rows = r["by_municipality"]
            moved_out = sum(row["moved_out"]["refugees"] for row in rows.values())
            moved_in = sum(row["moved_in"]["refugees"] for row in rows.values())
            assert moved_in == moved_out                        # everyone moved is received somewhere
            settled = sum(row["own"]["refugees"] + row["moved_out"]["refugees"] for row in rows.values())
            assert settled == r["refugees"]                     # own and moved-out partition the settled
    assert all(r["by_municipality"]["gavleborg"]["moved_in"]["refugees"] == 0 for r in runs[0]["figures"])
    assert all(r["by_municipality"]["gavleborg"]["moved_in"]["refugees"] > 0 for r in runs[1]["figures"])
    summary = summary_of(names, scenarios, [r["figures"] for r in runs], "point", 1)
    diff = summary["differences"][0]["differences"]["by_municipality"]["gavleborg"]["own"]["first_job_12"]
    assert diff["mean"] is not None
    html = groups.html_table(summary["scenarios"], summary["differences"], {})
    assert "moved here by an agreement" in html and "All refugees (pooled)" in html
    lines = groups.terminal_lines(summary["scenarios"], summary["differences"])
    assert lines and "Who gains and who loses" in lines[1]
    # One municipality alone: no group table.
    single = summary_of(["typical_2006"], [with_years(load_scenario("typical_2006"), 1)],
                        [run_comparison([with_years(load_scenario("typical_2006"), 1)], 1, seed=1,
                                        parameters="point")[0]["figures"]], "point", 1)
    assert groups.html_table(single["scenarios"], [], {}) == ""


def test_a_named_recession_raises_every_municipalitys_rate_and_cuts_its_vacancies():
    data = load_scenario("falkenberg").model_dump(mode="json", by_alias=True)
    calm = labour_market.paths(scenario_from_dict(data))
    data["business_cycle"]["recession"] = {"start_year": 2008, "unemployment_rise": 0.02, "vacancy_fall": 0.4,
                                           "onset_years": 1, "recovery_years": 1}
    hit = labour_market.paths(scenario_from_dict(data))
    # 2006, 2007 untouched; 2008 the trough; 2009 half way back; 2010 normal.
    assert hit.unemployment[0, :5] - calm.unemployment[0, :5] == pytest.approx([0, 0, 0.02, 0.01, 0])
    assert hit.vacancy_index[0, :5] / calm.vacancy_index[0, :5] == pytest.approx([1, 1, 0.6, 0.8, 1])
