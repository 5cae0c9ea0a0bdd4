"""Toy worlds where one extra event gives exactly the expected extra outcome: income and support,
separations, staffing agencies, SFI passes and the month marks of the duration panel."""

from __future__ import annotations

import numpy as np
import pytest

from sim.metrics import CHANNELS, PAYMENTS
from sim.states import AGENCY_JOB, REGULAR_JOB

from test_mechanisms import model_of, toy

SINGLES = {"refugee_profile.household": {"couple_share": 0.0, "young_children_share": 0.0, "children_mean": 0.0}}


def _give_job(m, who: int, hours: float, wage: float) -> None:
    P = m.population
    P.state[who] = REGULAR_JOB
    P.employer[who] = 0
    P.job_hours[who] = hours
    P.hourly_wage[who] = wage


@pytest.mark.parametrize("allowance, offset", [("social_assistance", True), ("social_assistance", False),
                                                ("wage_like", True), ("wage_like", False)])
def test_one_extra_job_changes_income_and_support_by_exactly_its_earnings(allowance, offset):
    data = toy(**SINGLES, **{"municipalities.t.programme.allowance": allowance,
                             "municipalities.t.programme.income_offset": offset,
                             "municipalities.t.programme.allowance_sek_per_week": 1900,
                             "national.living_costs_adult_sek_per_week": 1650})
    a, b = model_of(data), model_of(data)
    for _ in range(10):
        a.step()
        b.step()
    _give_job(b, 0, hours=10.0, wage=100.0)  # 1,000 SEK a week, below the living costs
    a.step()
    b.step()
    t = a.t
    assert b.population.earnings[0] == 1000.0 and a.population.earnings[0] == 0.0
    assert np.array_equal(a.population.earnings[1:], b.population.earnings[1:])
    k_allowance, k_assistance = PAYMENTS.index("introduction_allowance"), PAYMENTS.index("social_assistance")
    d_allowance = b.recorder.payments[t, 0, k_allowance] - a.recorder.payments[t, 0, k_allowance]
    d_assistance = b.recorder.payments[t, 0, k_assistance] - a.recorder.payments[t, 0, k_assistance]
    # A person in a job is outside programme activity: means-tested assistance covers what the
    # 1,000 SEK leave of the 1,650 SEK of living costs, whatever the programme's rules.
    if allowance == "wage_like":
        assert d_allowance == -1900.0 and d_assistance == 650.0
    else:
        assert d_allowance == 0.0 and d_assistance == 650.0 - 1650.0


@pytest.mark.parametrize("offset", [True, False])
def test_extra_work_in_the_programme_is_deducted_only_under_income_offset(offset):
    data = toy(**SINGLES, **{"municipalities.t.programme.allowance": "wage_like",
                             "municipalities.t.programme.income_offset": offset,
                             "municipalities.t.programme.allowance_sek_per_week": 1900})
    a, b = model_of(data), model_of(data)
    for _ in range(10):
        a.step()
        b.step()
    b.population.extra_work[0] = True  # kept: eligible (enough Swedish), and no one ends it (below)
    b.population.swedish[0] = a.population.swedish[0] = 0.5
    b.index["jobs_extra_work_end_per_week"] = 0.0  # the world's parameter record, which the kernels read
    a.step()
    b.step()
    extra = b.behaviour.search.extra_work_hours * b.config.national.hourly_wage_sek
    assert b.population.earnings[0] == pytest.approx(extra)
    k = PAYMENTS.index("introduction_allowance")
    d = b.recorder.payments[a.t, 0, k] - a.recorder.payments[a.t, 0, k]
    assert d == pytest.approx(-extra if offset else 0.0)


@pytest.mark.parametrize("rate, left", [(1.0, 0), (0.0, None)])
def test_separations_end_every_job_at_rate_one_and_none_at_zero(rate, left):
    data = toy(behaviour={"hiring": {"intercept": 20.0}, "search": {"own_contacts_per_week": 5.0},
                          "jobs": {"regular_separation_per_week": 0.0}},
               **{"employers.firms.vacancies_per_year": 52 * 100})
    m = model_of(data)
    for _ in range(3):
        m.step()
    P = m.population
    employed = int(np.count_nonzero(P.state == REGULAR_JOB))
    assert employed > 100
    # From now on no contact is made, and jobs end at `rate`.
    m.index["jobs_regular_separation_per_week"] = rate  # the world's parameter record
    m.index["search_own_contacts_per_week"] = 0.0
    m.step()
    now = int(np.count_nonzero(P.state == REGULAR_JOB))
    assert now == (employed if left is None else left)
    assert np.all(P.employer[P.state != REGULAR_JOB] == -1)


def test_an_agency_hires_exactly_its_weekly_capacity_when_enough_qualify():
    agency = {"municipalities": ["t"], "partner_municipalities": ["t"], "hires_per_year": 52 * 3,
              "criteria": {"min_swedish": 0.0, "min_engagement": 0.0, "min_education": "none"}}
    m = model_of(toy(**{"staffing_agencies": {"a": agency}}))
    for week in range(10):
        m.step()
        assert m.agencies.hires[0] == 3 * (week + 1)
    # Criteria bind: with tertiary education required only the tertiary-educated are hired.
    agency["criteria"]["min_education"] = "tertiary"
    m = model_of(toy(**{"staffing_agencies": {"a": agency}}))
    for _ in range(20):
        m.step()
    hired = m.population.state == AGENCY_JOB
    assert hired.sum() > 0 and np.all(m.population.education[hired] == 3)


def test_sfi_is_passed_the_week_swedish_reaches_one():
    data = toy(behaviour={"language": {"sfi_gain_per_tuition_hour": 0.01, "prior_swedish_share": 0.0}},
               **{"municipalities.t.programme.hours_per_week": 30, "simulation.years": 2})
    m = model_of(data)
    P = m.population
    for _ in range(60):  # a bounded loop: a model past its last week no longer advances
        before = P.swedish.copy()
        m.step()
        crossed = (before < 1.0) & (P.swedish >= 1.0)
        assert np.all(P.ti_sfi_passed[crossed] == m.t)
        assert np.all((P.ti_sfi_passed >= 0) == (P.swedish >= 1.0))
    assert (P.ti_sfi_passed >= 0).sum() > 50


def test_the_panel_counts_everyone_exactly_at_each_month_mark():
    # A cohort in week 0, nobody leaves, jobs come steadily: at month m the panel holds exactly
    # the people present and employed in week round(m * 52 / 12).
    data = toy(behaviour={"hiring": {"intercept": 0.0}, "search": {"own_contacts_per_week": 0.2}},
               **{"simulation.years": 2})
    m = model_of(data)
    m.run()
    panel = m.recorder.panel.sum(axis=0)  # (month, channel)
    weekly = m.recorder.weekly_employed.sum(axis=(1, 2))
    for month in range(1, 24):
        week = round(month * 52 / 12)
        assert panel[month, CHANNELS.index("observed")] == 200
        assert panel[month, CHANNELS.index("employed")] == weekly[week]
    assert weekly[-1] > weekly[10] > 0  # employment moved, so a shifted mark would show


@pytest.mark.parametrize("learns", [False, True])
def test_the_performance_bonus_is_paid_a_year_after_the_permit_for_sfi_passed_within_it(learns):
    """Nobody works. The bonus is paid exactly 52 weeks after each person's permit, for exactly
    those who passed SFI within those 52 weeks; without SFI nobody earns it."""
    gain = 0.02 if learns else 0.0
    data = toy(behaviour={"language": {"sfi_gain_per_tuition_hour": gain, "prior_swedish_share": 0.0,
                                       "practice_gain_per_workplace_hour": 0.0, "everyday_gain_per_week": 0.0}},
               **{"municipalities.t.programme.hours_per_week": 30, "simulation.years": 2,
                  "national.performance_bonus_sek": 1000.0})
    m = model_of(data)
    m.run()
    bonus = m.recorder.payments[:, :, PAYMENTS.index("performance_bonus")].sum(axis=1)
    P = m.population
    assert not (P.state[:200] == REGULAR_JOB).any() and (P.ti_left[:200] < 0).all()
    permit, passed = P.ti_permit[:200].astype(int), P.ti_sfi_passed[:200].astype(int)
    earned = (passed >= 0) & (passed - permit <= 52)
    expected = np.bincount(permit[earned] + 52, minlength=len(bonus))[:len(bonus)] * 1000.0
    np.testing.assert_array_equal(bonus, expected)
    if learns:
        assert 0 < earned.sum() < 200  # some passed within the year, some (early permits) after it
    else:
        assert bonus.sum() == 0


@pytest.mark.parametrize("clock", ["arrival", "permit"])
def test_the_table_by_duration_holds_every_counted_cell_of_the_panel(clock):
    """by_month.csv is the panel laid flat: its counts add back to the panel cell by cell, every
    observed cell kept (also one of a single person), columns named by clock and channel."""
    from sim.metrics import PERMIT_CHANNELS, by_duration
    data = toy(behaviour={"hiring": {"intercept": 0.0}, "search": {"own_contacts_per_week": 0.2}},
               **{"simulation.years": 2, "municipalities.t.arrivals": {"per_year": 60}})
    m = model_of(data)
    m.run()
    panel = m.recorder.panel if clock == "arrival" else m.recorder.permit_panel
    channels = CHANNELS if clock == "arrival" else PERMIT_CHANNELS
    df = by_duration(m, clock)
    assert list(df.columns[:4]) == [f"months_since_{clock}", "municipality", "sex", "education"]
    assert list(df.columns[4:]) == list(channels)
    assert (df["observed"] > 0).all() and len(df) == int((panel[:, :, 0] > 0).sum())
    np.testing.assert_array_equal(df[list(channels)].to_numpy().sum(axis=0), panel.sum(axis=(0, 1)))
    by_month = df.groupby(f"months_since_{clock}")["observed"].sum()
    np.testing.assert_array_equal(by_month.to_numpy(), panel[:, :, 0].sum(axis=0)[by_month.index.to_numpy()])
    assert (df["observed"] == 1).any()  # small cells are kept, not dropped
