"""A difference's two ranges (sim/ranges.py): the expected effect (parameter uncertainty, large
population) is narrower than what one municipality of the simulated size may see wherever a cohort's
chance adds to it; both are in `compare --json`, summary.json, the terminal's table, the report and
the explorer; and the design (replicates in groups of K sharing one draw from the ensemble, each with
its own seed) keeps the results independent of the number of workers."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.config import load_scenario
from sim.ensemble import Members
from sim.ranges import (
    EXPECTED,
    MIN_DRAWS,
    ONE_MUNICIPALITY,
    SEEDS_PER_MEMBER,
    components,
    draw_of,
    expected_interval,
    paired_by_replicate,
    two_ranges,
)
from sim.runner import replicate_jobs, replicate_seed, run_figures_of, with_years

ROOT = Path(__file__).resolve().parents[1]
Z90 = 1.6449  # the 95th percentile of a standard normal


def _synthetic(groups: int, k: int, sd_between: float, sd_within: float, seed: int = 3):
    """Paired figures a (baseline) and b whose difference is mu_g + e: mu_g of sd `sd_between` per
    group of k replicates (a parameter set), e of sd `sd_within` per replicate (a cohort)."""
    rng = np.random.default_rng(seed)
    mu = 0.20 + sd_between * rng.standard_normal(groups)
    a = list(0.3 + 0.05 * rng.standard_normal(groups * k))
    b = [x + mu[r // k] + sd_within * rng.standard_normal() for r, x in enumerate(a)]
    return a, b


def _width(d: dict) -> float:
    return d["hi"] - d["lo"]


def test_the_expected_range_is_narrower_where_a_cohort_adds_chance_and_has_the_parameters_width():
    a, b = _synthetic(groups=200, k=4, sd_between=0.02, sd_within=0.04)
    both = two_ranges(a, b, 4)
    one, expected = both["one_municipality"], both["expected_effect"]
    assert {"mean", "lo", "hi"} <= set(expected) and {"mean", "lo", "hi"} <= set(one)
    assert (both["mean"], both["lo"], both["hi"]) == (one["mean"], one["lo"], one["hi"])  # the old keys
    assert expected["mean"] == pytest.approx(one["mean"])
    assert _width(expected) < 0.6 * _width(one)
    # The parameters' own 90 % range (2 x 1.645 x 0.02) and the single runs' (with the cohort's 0.04).
    assert _width(expected) == pytest.approx(2 * Z90 * 0.02, rel=0.2)
    assert _width(one) == pytest.approx(2 * Z90 * np.hypot(0.02, 0.04), rel=0.2)
    assert expected["lo"] <= expected["mean"] <= expected["hi"]
    # The components estimate what made the data.
    c = components(paired_by_replicate(a, b), 4)
    assert c is not None
    assert np.sqrt(c["within"]) == pytest.approx(0.04, rel=0.1)
    assert np.sqrt(c["between"]) == pytest.approx(0.02, rel=0.25)


def test_without_cohort_chance_the_two_ranges_agree_and_without_parameters_the_expected_has_no_width():
    a, b = _synthetic(groups=40, k=4, sd_between=0.03, sd_within=0.0)
    both = two_ranges(a, b, 4)
    # No chance within a parameter set: the group means are the effects themselves, not shrunk.
    means = [float(np.mean([y - x for x, y in zip(a[g * 4:(g + 1) * 4], b[g * 4:(g + 1) * 4])])) for g in range(40)]
    assert both["expected_effect"]["lo"] == pytest.approx(np.percentile(means, 5))
    assert both["expected_effect"]["hi"] == pytest.approx(np.percentile(means, 95))
    assert _width(both["expected_effect"]) == pytest.approx(_width(both["one_municipality"]), rel=1e-9)
    # One parameter set for all (--parameters point): the expected effect is a value, no range.
    a, b = _synthetic(groups=10, k=4, sd_between=0.0, sd_within=0.04)
    point = expected_interval(a, b, 4, parameter_uncertainty=False)
    assert point["lo"] == point["mean"] == point["hi"]


def test_the_expected_range_is_left_out_where_it_cannot_be_estimated():
    a, b = _synthetic(groups=10, k=1, sd_between=0.02, sd_within=0.04)
    alone = two_ranges(a, b, 1)  # every replicate its own draw: no spread within a draw to measure
    assert alone["expected_effect"]["mean"] is not None
    assert alone["expected_effect"]["lo"] is None and alone["expected_effect"]["hi"] is None
    assert alone["one_municipality"]["lo"] is not None
    a, b = _synthetic(groups=1, k=4, sd_between=0.02, sd_within=0.04)
    assert two_ranges(a, b, 4)["expected_effect"]["lo"] is None  # one draw: no spread between draws
    none = two_ranges([None, float("nan")], [0.1, 0.2], 4)
    assert none["mean"] is None and none["expected_effect"] == {"mean": None, "lo": None, "hi": None}


def test_missing_values_and_a_partial_last_group_are_weighed_by_their_size():
    a, b = _synthetic(groups=60, k=4, sd_between=0.02, sd_within=0.04)
    a, b = a[:-2], b[:-2]  # the last group has 2 replicates
    a[5] = None            # and one replicate has no value
    c = components(paired_by_replicate(a, b), 4)
    assert c is not None and sorted(set(c["sizes"])) == [2.0, 3.0, 4.0]
    r = expected_interval(a, b, 4)
    assert r["lo"] < r["mean"] < r["hi"]


def test_replicates_share_a_draw_in_groups_of_k_each_with_its_own_seed():
    s = load_scenario("typical_2006")
    members = Members("ensemble", SEEDS_PER_MEMBER)
    ens = members.ensemble(s)
    assert ens is not None
    assert [members.member(ens, 7, r) for r in range(12)] == [ens.member(7, draw_of(r, SEEDS_PER_MEMBER))
                                                              for r in range(12)]
    jobs = replicate_jobs([s], 8, 7, None)
    assert [seed for _, seed, _ in jobs] == [replicate_seed(7, r) for r in range(8)]
    assert jobs[0][0].behaviour == jobs[SEEDS_PER_MEMBER - 1][0].behaviour  # one group: one parameter set
    # One draw per replicate, as sweeps and `check` still draw: the mapping of before.
    assert [Members().member(ens, 7, r) for r in range(5)] == [ens.member(7, r) for r in range(5)]
    with pytest.raises(ValueError):
        Members("ensemble", 0)


def test_the_ranges_do_not_depend_on_workers():
    scen = [with_years(load_scenario(n), 2) for n in ("typical_2006", "ten_proposals")]
    one = run_figures_of(scen, 8, 3, workers=1, seeds_per_member=4)
    two = run_figures_of(scen, 8, 3, workers=2, seeds_per_member=4)
    assert one == two
    x, y = ([f["employment"]["12"] for f in figs] for figs in one)
    assert two_ranges(x, y, 4) == two_ranges(*([f["employment"]["12"] for f in figs] for figs in two), 4)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[dict, Path]:
    """The ten proposals against the typical municipality, two years, 24 replicates in 6 draws of 4."""
    tmp = tmp_path_factory.mktemp("ranges")
    r = _cli("compare", "typical_2006", "ten_proposals", "--replicates", "24", "--years", "2", "--seed", "1",
             "--seeds-per-member", "4", "--workers", "2", "--json", "--out", str(tmp / "out"), cwd=tmp)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout), tmp / "out"


def test_compare_json_has_both_ranges_and_the_expected_one_is_narrower(compared):
    summary, folder = compared
    assert json.loads((folder / "summary.json").read_text(encoding="utf-8")) == summary
    about = summary["uncertainty"]
    assert about["seeds_per_member"] == 4 and about["parameter_draws"] == 6
    assert about["members"] == [about["members"][4 * (r // 4)] for r in range(24)]
    assert set(about["ranges"]) == {"expected_effect", "one_municipality"}
    d = summary["differences"][0]["differences"]
    for key in ("employment", "self_sufficiency"):
        leaf = d[key]["12"]
        assert {"expected_effect", "one_municipality"} <= set(leaf)
        assert set(leaf["expected_effect"]) == {"mean", "lo", "hi"} == set(leaf["one_municipality"])
        assert leaf["lo"] == leaf["one_municipality"]["lo"] and leaf["hi"] == leaf["one_municipality"]["hi"]
        assert leaf["expected_effect"]["mean"] == pytest.approx(leaf["one_municipality"]["mean"])
        # A municipality of 100 a year: its cohort's chance widens what one municipality may see.
        assert _width(leaf["expected_effect"]) < _width(leaf["one_municipality"]), key
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["seeds"]["seeds_per_member"] == 4 and meta["seeds"]["parameter_sets"] == about["members"]


def test_the_table_and_the_report_name_both_ranges_in_words(compared):
    from sim.headline import format_expected, format_range
    from sim.terminal import table
    summary, folder = compared
    text = table(summary["scenarios"], summary["differences"], summary["uncertainty"])
    heading = lambda words: words[0].upper() + words[1:] + ":"  # noqa: E731
    assert heading(EXPECTED) in text and heading(ONE_MUNICIPALITY) in text
    assert text.index(heading(EXPECTED)) < text.index(heading(ONE_MUNICIPALITY))
    leaf = summary["differences"][0]["differences"]["employment"]["12"]
    assert format_expected(leaf) in text and format_range(leaf, signed=True) in text
    page = html.unescape(re.sub(r"<[^>]+>", "", (folder / "report.html").read_text(encoding="utf-8")))
    assert "expected effect (parameter uncertainty, large population)" in page
    assert "what one municipality of this size may see (adds the chance of one cohort)" in page
    assert summary["uncertainty"]["ranges"]["expected_effect"] in page


def test_the_explorer_shows_both_ranges():
    pytest.importorskip("solara")
    from sim.explore import compute
    from sim.explore.app import headline_html
    from sim.headline import ROWS, format_expected
    base = load_scenario("typical_2006", [("simulation.years", 2)])
    variant = load_scenario("ten_proposals", [("simulation.years", 2)])
    compute._CACHE.clear()
    out = compute.explore(base, variant, compute.Settings(12, 1, "ensemble"), charts=False)
    assert out.summary["uncertainty"]["seeds_per_member"] == SEEDS_PER_MEMBER
    assert out.summary["uncertainty"]["parameter_draws"] >= MIN_DRAWS
    page = html.unescape(headline_html(out.summary))
    assert "data-col='expected'" in page and "data-col='difference'" in page
    assert "parameter uncertainty, large population" in page and "adds the chance of one cohort" in page
    diff = out.summary["differences"][0]["differences"]
    for row in ROWS:
        if row.kind == "pct":
            assert format_expected(row.get(diff)) in page, row.label


def test_seeds_per_member_is_checked_and_its_default_is_the_models(tmp_path):
    from sim.cli_parser import RUN_DEFAULTS, build_parser
    assert RUN_DEFAULTS["seeds_per_member"] == SEEDS_PER_MEMBER
    assert build_parser().parse_args(["compare", "a", "b"]).seeds_per_member == SEEDS_PER_MEMBER
    assert build_parser().parse_args(["explore"]).seeds_per_member == SEEDS_PER_MEMBER
    r = _cli("compare", "typical_2006", "ten_proposals", "--seeds-per-member", "0", cwd=tmp_path)
    assert r.returncode == 2 and "expected 1 or more" in r.stderr


def test_too_few_parameter_sets_give_no_expected_range_and_the_table_says_why():
    from sim.comparison import summary_of
    from sim.terminal import table
    scen = [with_years(load_scenario(n), 2) for n in ("typical_2006", "ten_proposals")]
    k = SEEDS_PER_MEMBER
    figs = run_figures_of(scen, k * (MIN_DRAWS - 1), 2, seeds_per_member=k)
    summary = summary_of([s.name for s in scen], scen, figs, "ensemble", 2, k)
    leaf = summary["differences"][0]["differences"]["employment"]["12"]
    assert leaf["expected_effect"]["lo"] is None and leaf["one_municipality"]["lo"] is not None
    text = table(summary["scenarios"], summary["differences"], summary["uncertainty"])
    assert EXPECTED[0].upper() + EXPECTED[1:] + ":" not in text  # no block of empty ranges
    assert f"needs at least {MIN_DRAWS} parameter sets" in text and f"--replicates {MIN_DRAWS * k}" in text
    # With one parameter set for all (--parameters point) the expected effect is the mean alone.
    point = summary_of([s.name for s in scen], scen, figs, "point", 2, k)
    assert "has no range here" in point["uncertainty"]["ranges"]["expected_effect"]
