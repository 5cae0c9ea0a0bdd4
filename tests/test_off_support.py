"""In work or education and off support (the municipal "egen försörjning") and passive support:
recorded per person from the week's state and the week's payment, bounded by employment and
education, excluding work topped up by social assistance, adding up with the other groups, and
accepted as a target's metric (docs/ODD.md 1.2, "Three outcomes")."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from sim.calibration.outputs import CHANNEL_OF, METRICS, MONTHLY, measure
from sim.calibration.targets import load_targets
from sim.config import load_scenario
from sim.metrics import CHANNELS, OUTCOME_DEFINITIONS, rates
from sim.model import IntroductionModel
from sim.recorder import month_marks
from sim.runner import with_years
from sim.states import EDUCATION, PRESENT, REGULAR_JOB, WORKING

from test_mechanisms import model_of, toy

C = {name: CHANNELS.index(name) for name in ("observed", "employed", "occupied_off_support", "passive_support",
                                             "on_support", "state_education", "state_passive", "state_no_support",
                                             "state_plan", "state_programme", "state_internship")}


@pytest.fixture(scope="module")
def falkenberg():
    """Falkenberg over three years on one seed (the point estimate): months up to 30 observed."""
    scenario = with_years(load_scenario("falkenberg"), 3)
    model = IntroductionModel(scenario, seed=1, collect=False).run()
    yield model
    model.release()


def test_off_support_is_bounded_by_work_and_education_and_the_groups_add_up(falkenberg):
    p = falkenberg.recorder.panel  # (group, month, channel): every cell must hold the identities
    obs, occ, passive, on = (p[..., C[k]] for k in ("observed", "occupied_off_support", "passive_support", "on_support"))
    occupied = p[..., C["employed"]] + p[..., C["state_education"]]  # extra work in education would count twice: <=
    assert np.all(occ <= occupied)
    assert np.all(passive <= on) and np.all(occ + on <= obs)
    # Occupied but on support (work topped up, a subsidised job or extra work on the allowance)
    # is at most the occupied who are not off support; the rest, neither occupied nor supported,
    # are people without support and without work (NO_SUPPORT) or in programme activity paid
    # nothing (a partner covers the household under programme assistance).
    occupied_on = on - passive
    neither = obs - occ - on
    assert np.all(occupied_on >= 0) and np.all(occupied_on <= occupied - occ)
    assert np.all(neither >= 0)
    assert np.all(neither <= p[..., C["state_no_support"]] + p[..., C["state_plan"]] + p[..., C["state_programme"]]
                  + p[..., C["state_internship"]])
    # Social assistance without activity is support: everyone in PASSIVE is on support.
    assert np.all(on >= p[..., C["state_passive"]])
    figures = falkenberg.figures()
    education = rates(p, "state_education")
    seen = 0
    for m, v in figures["occupied_off_support"].items():
        if v is None:
            continue
        seen += 1
        assert v <= figures["employment"][m] + education[int(m)] + 1e-12
        assert v + figures["passive_support"][m] <= 1.0 + 1e-12
        assert v <= 1.0 and figures["passive_support"][m] >= 0.0
    assert seen >= 5  # months 6 to 30 reached
    # The run's figures are the panel's rates.
    assert figures["occupied_off_support"]["24"] == pytest.approx(rates(p, "occupied_off_support")[24])
    assert 0.0 < figures["occupied_off_support"]["24"] < figures["employment"]["24"] + education[24]


def _placed(m, week: int, first_job: tuple[float, float]):
    """The model after `week` weeks and one more, with person 0 in a job of (hours, wage)
    `first_job`, person 1 in a well-paid full-time job and person 2 in regular education, set
    before that last week's step."""
    for _ in range(week):
        m.step()
    P = m.population
    for who, (hours, wage) in ((0, first_job), (1, (40.0, 200.0))):
        P.state[who], P.employer[who], P.job_hours[who], P.hourly_wage[who] = REGULAR_JOB, 0, hours, wage
    P.state[2] = EDUCATION
    P.ti_education_end[2] = 10_000
    P.extra_work[:3] = False
    m.step()
    return m


def test_work_topped_up_by_social_assistance_is_not_off_support_and_the_panel_counts_person_by_person():
    # A cohort at week 0 on a wage-like allowance for 8 weeks; at month 3 (week 13) the period is
    # over. Just before that week: person 0 in a low-paid job (1,000 SEK a week, below living costs:
    # social assistance tops it up), person 1 in a well-paid job, person 2 in regular education.
    data = toy(behaviour={"hiring": {"intercept": 0.0}, "search": {"own_contacts_per_week": 0.2}},
               **{"refugee_profile.household": {"couple_share": 0.0, "young_children_share": 0.0,
                                                "children_mean": 0.0},
                  "municipalities.t.programme.allowance": "wage_like",
                  "municipalities.t.programme.programme_weeks": 8,
                  "national.living_costs_adult_sek_per_week": 1650})
    month, week = 3, 13
    assert month_marks(60)[week] == month
    m = _placed(model_of(data), week, first_job=(10.0, 100.0))
    P = m.population
    assert m.t == week
    assert P.state[0] == REGULAR_JOB and P.support[0] == pytest.approx(650.0)  # in work, on social assistance
    assert P.state[1] == REGULAR_JOB and P.support[1] == 0.0
    assert P.state[2] == EDUCATION and P.support[2] == 0.0
    # The compiled panel at month 3 is the definition applied to each person of the cohort.
    n = P.n_arrived
    st = P.state[:n]
    present = PRESENT[st]
    occupied = WORKING[st] | P.extra_work[:n] | (st == EDUCATION)
    supported = P.support[:n] > 0
    cell = m.recorder.panel[:, month].sum(axis=0)
    assert cell[C["observed"]] == present.sum() == 200
    assert cell[C["occupied_off_support"]] == np.count_nonzero(present & occupied & ~supported)
    assert cell[C["passive_support"]] == np.count_nonzero(present & supported & ~occupied)
    assert cell[C["on_support"]] == np.count_nonzero(present & supported)
    # Person 0 is employed but not off support; persons 1 and 2 are off support.
    assert occupied[0] and supported[0] and occupied[1] and not supported[1] and occupied[2] and not supported[2]
    # Without person 0's top-up the count would be one more: the same world with the job well paid.
    m2 = _placed(model_of(data), week, first_job=(40.0, 200.0))
    Q = m2.population
    assert np.array_equal(Q.state[3:n], st[3:]) and np.array_equal(Q.support[3:n], P.support[3:n])
    cell2 = m2.recorder.panel[:, month].sum(axis=0)
    assert cell2[C["occupied_off_support"]] == cell[C["occupied_off_support"]] + 1
    assert cell2[C["employed"]] == cell[C["employed"]]
    m.release()
    m2.release()


def test_the_new_outcomes_are_monthly_metrics_with_definitions(falkenberg):
    for metric in ("occupied_off_support", "passive_support"):
        assert metric in MONTHLY and METRICS[metric][1] == "share"
        assert CHANNEL_OF[metric] in CHANNELS
        assert OUTCOME_DEFINITIONS[metric] in METRICS[metric][0]
    summary_keys = {"occupied_off_support", "passive_support"}
    from sim.runner import summarise
    s = summarise("falkenberg", [falkenberg.figures()])
    assert summary_keys <= set(s) and s["occupied_off_support"]["24"]["mean"] is not None


def test_a_targets_file_accepts_the_new_metric(tmp_path, falkenberg):
    # Falkenberg's target as the shipped held-out file writes it, read as its matching definition.
    from sim.config.loader import CALIBRATION_DIR
    shipped = yaml.safe_load((CALIBRATION_DIR / "targets" / "held_out_sweden.yaml").read_text(encoding="utf-8"))
    base = next(t for t in shipped["targets"] if t["scenario"] == "falkenberg")
    targets = []
    for metric in ("occupied_off_support", "passive_support"):
        t = {**base, "id": f"falkenberg_{metric}_24_30", "metric": metric, "months": [24, 30]}
        t.pop("month", None)
        targets.append(t)
    targets.append({**targets[0], "id": "falkenberg_off_support_12", "months": None, "month": 12,
                    "municipality": "falkenberg"})
    targets[-1].pop("months")
    path = tmp_path / "off_support.yaml"
    path.write_text(yaml.safe_dump({"description": "test", "replicates": 2, "targets": targets},
                                   allow_unicode=True), encoding="utf-8")
    _, loaded = load_targets(path)
    assert [t.metric for t in loaded] == ["occupied_off_support", "passive_support", "occupied_off_support"]
    got = measure(falkenberg, [t.target for t in loaded])
    p = falkenberg.recorder.panel
    assert got["falkenberg_occupied_off_support_24_30"] == pytest.approx(
        float(np.mean(rates(p, "occupied_off_support")[24:31])))
    assert got["falkenberg_passive_support_24_30"] == pytest.approx(float(np.mean(rates(p, "passive_support")[24:31])))
    assert got["falkenberg_off_support_12"] == pytest.approx(float(rates(p, "occupied_off_support")[12]))


def test_the_explorer_offers_the_outcomes_beside_employment_with_their_definitions():
    from types import SimpleNamespace

    import ipyvuetify as v
    import solara

    from sim.explore.app import OutcomeCurves
    from sim.explore.charts import BESIDE_EMPLOYMENT
    from sim.page import e
    charts = {key: f"<svg>{metric}</svg>" for metric, key in BESIDE_EMPLOYMENT.items()}
    box, rc = solara.render(OutcomeCurves(SimpleNamespace(charts=charts)), handle_error=False)

    def shown(w) -> list[str]:  # the HTML of every widget under w
        html = getattr(w, "unsafe_innerHTML", None)
        out = [html] if isinstance(html, str) else []
        for c in getattr(w, "children", None) or []:
            out += [c] if isinstance(c, str) else shown(c)
        return out
    select = rc.find(v.Select).widget
    assert select.items == ["Self-sufficient", "In work or education, off support", "On support, no work or education"]
    assert "<svg>self_sufficient</svg>" in shown(box)
    for label, metric in (("In work or education, off support", "occupied_off_support"),
                          ("On support, no work or education", "passive_support")):
        select.v_model = label
        text = " ".join(shown(box))
        assert f"<svg>{metric}</svg>" in text and e(OUTCOME_DEFINITIONS[metric]) in text
