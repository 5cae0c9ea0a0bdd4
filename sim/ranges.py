"""Two ranges for a difference between scenarios: the expected effect, and what one municipality
of the simulated size may see.

A paired difference of one replicate, d = y - x, holds two kinds of uncertainty: which parameter set
theta of the calibration's posterior is right, and the chance of one cohort (who arrives, who is
hired, in a population of the scenario's size). Write d = mu(theta) + e, where mu(theta) is the
effect a very large population would show with parameters theta and e the cohort's chance, of
variance sigma_w^2 (within a parameter set). Then

* the **expected effect** (parameter uncertainty, large population) is the distribution of
  mu(theta) over the posterior, of variance sigma_b^2 (between parameter sets);
* **what one municipality of this size may see** (adds the chance of one cohort) is the
  distribution of d itself, of variance sigma_b^2 + sigma_w^2: the 5th-95th percentile of the
  single replicates' differences, as before (`sim.stats.paired_interval`).

The design that separates the two at no extra cost: replicates come in groups of K consecutive
replicates (`--seeds-per-member K`) that share one draw from the ensemble (`sim.ensemble.Members`:
replicate r runs the member drawn by weight from (base seed, r // K)), each with its own seed
(`replicate_seed(base seed, r)`). Every replicate is still one parameter set drawn from the
posterior with its own cohort, so the one-municipality range is unchanged in what it estimates;
and within a group the parameters are fixed, so the spread inside the groups measures the
cohort's chance alone. With n_g replicates in group g (K, fewer in a last partial group or where
a figure is missing), group means m_g, the pooled within-group variance s_w^2 (an unbiased estimate
of sigma_w^2) and the variance of the group means s_b^2 (whose expectation is sigma_b^2 + sigma_w^2
times the mean of 1/n_g), the method of moments (a one-way random-effects analysis of variance)
gives

    sigma_b^2 = max(0, s_b^2 - s_w^2 * mean(1 / n_g)),

and the expected effect's range is the 5th-95th percentile of the group means shrunk toward the
overall mean m, each by the factor sqrt(sigma_b^2 / (sigma_b^2 + s_w^2 / n_g)): shrunk, their
variance is sigma_b^2, the cohort's share of each group mean's spread taken out; the shape of the
posterior (a skew, a bound at 0) is kept, and the range stays inside the group means' own. The
mean is the same for both ranges (the mean over all replicates).

What it needs: at least MIN_DRAWS (5) groups with a value, and at least one group with two
values (K >= 2); otherwise the expected effect's range is left out (null), and the tables say how
many replicates it needs. With `--parameters point`, or scenarios whose parameters have no
ensemble, there is no parameter uncertainty: the expected effect is a single value (lo = hi =
mean). Where the group means spread no more than the cohorts' chance alone would make them
(sigma_b^2 estimated as 0), the range has no width: the parameter sets' effects could not be told
apart with these replicates.

The choice of K: for N replicates in N / K groups, the variance of the estimate of sigma_b^2 is
about (2 sigma_b^4 / N) (K + 2 rho + rho^2 / (K - 1)), rho = sigma_w^2 / sigma_b^2, least at
K = 1 + rho. Measured on the shipped ensemble (seed 1; 160 replicates with K = 4, and 400 with
K = 2): for the ten proposals against the typical municipality's employment rho is 0.5 to 1 at 12
and 24 months (sigma_w 3.1 and sigma_b 3.5 points at 24 months), 1.8 to 2.3 at 36 months, and at
60 months the parameter sets' effects cannot be told apart (sigma_b^2 estimated 0); for Falkenberg
without its summer break, a small effect in a small municipality, rho is 12 or more. K = 2, the
default, is the best for the large effects (rho near 1) and within a fifth of the best at rho 2.3;
where the cohort's chance dominates, a larger K estimates sigma_b^2 better (the range is narrow
there either way).
K = 2 costs the one-municipality range least: its replicates come in pairs that share parameters,
so it rests on N / 2 parameter draws, and the default 10 replicates give the 5 draws the expected
effect needs. Its range is rough with 5 draws; 40 replicates or more steady both.
"""

from __future__ import annotations

import numpy as np

from .stats import SUMMARY_INTERVAL, interval, paired_by_replicate, shrink_means

SEEDS_PER_MEMBER = 2  # replicates that share one draw from the ensemble, each with its own seed
MIN_DRAWS = 5         # parameter sets (groups with a value) an expected-effect range needs at least

EXPECTED = "expected effect (parameter uncertainty, large population)"
ONE_MUNICIPALITY = "what one municipality of this size may see (adds the chance of one cohort)"


def draw_of(replicate: int, seeds_per_member: int) -> int:
    """The ensemble draw replicate r shares with its group: r // K."""
    return int(replicate) // max(1, int(seeds_per_member))


def draws(replicates: int, seeds_per_member: int) -> int:
    """How many distinct draws from the ensemble `replicates` replicates make (the last group may
    be partial)."""
    return -(-int(replicates) // max(1, int(seeds_per_member)))


def draws_words(replicates: int, seeds_per_member: int) -> str:
    """'3 parameter sets, each run with 4 seeds (the last with 2)'."""
    k = max(1, int(seeds_per_member))
    m = draws(replicates, k)
    last = int(replicates) - (m - 1) * k
    text = f"{m} parameter set{'s' if m != 1 else ''}, each run with {k} seed{'s' if k != 1 else ''}"
    return text + (f" (the last with {last})" if m > 1 and last != k else "")


def components(pairs: list[tuple[int, float]], seeds_per_member: int) -> dict | None:
    """The variance components of paired differences grouped by ensemble draw: the group means and
    sizes, the within-group (cohort) variance, the between-draw variance of the expected effect,
    and the overall mean; None where they cannot be estimated (fewer than two groups, or no group
    with two replicates). `expected_interval` asks for MIN_DRAWS groups besides."""
    groups: dict[int, list[float]] = {}
    for r, d in pairs:
        groups.setdefault(draw_of(r, seeds_per_member), []).append(d)
    values = [np.array(v) for _, v in sorted(groups.items())]
    n = np.array([len(v) for v in values], dtype=float)
    dof = float(np.sum(n - 1))
    if len(values) < 2 or dof < 1:
        return None
    means = np.array([v.mean() for v in values])
    within = float(sum(float(np.sum((v - v.mean()) ** 2)) for v in values) / dof)
    spread = float(np.var(means, ddof=1))
    between = max(0.0, spread - within * float(np.mean(1.0 / n)))
    return {"means": means, "sizes": n, "within": within, "between": between,
            "mean": float(np.mean([d for _, d in pairs]))}


def expected_interval(a: list, b: list, seeds_per_member: int, parameter_uncertainty: bool = True) -> dict:
    """Mean and 5th-95th percentile of the expected effect of b over a (parameter uncertainty at a
    large population; the module's docstring gives the method); lo and hi None where it cannot be
    estimated, equal to the mean where the runs have no parameter uncertainty."""
    pairs = paired_by_replicate(a, b)
    if not pairs:
        return {"mean": None, "lo": None, "hi": None}
    mean = float(np.mean([d for _, d in pairs]))
    if not parameter_uncertainty:
        return {"mean": mean, "lo": mean, "hi": mean}
    c = components(pairs, seeds_per_member)
    if c is None or len(c["means"]) < MIN_DRAWS:
        return {"mean": mean, "lo": None, "hi": None}
    shrunk = shrink_means(c["means"], c["within"] / c["sizes"], centre=mean)
    lo, hi = np.percentile(shrunk, SUMMARY_INTERVAL)
    return {"mean": mean, "lo": float(min(lo, mean)), "hi": float(max(hi, mean))}


def two_ranges(a: list, b: list, seeds_per_member: int, parameter_uncertainty: bool = True) -> dict:
    """A difference b - a with both ranges: `expected_effect` and `one_municipality` (each
    {"mean", "lo", "hi"}); the top-level mean, lo and hi are the one-municipality range's, as
    before there were two, so that older readers of summary.json read the same numbers."""
    one = interval([d for _, d in paired_by_replicate(a, b)])
    return {**one, "expected_effect": expected_interval(a, b, seeds_per_member, parameter_uncertainty),
            "one_municipality": dict(one)}


def design_text(replicates: int, seeds_per_member: int, parameter_uncertainty: bool) -> dict[str, str]:
    """The two ranges in words, for the table's and the report's notes."""
    k = max(1, int(seeds_per_member))
    m = draws(replicates, k)
    if not parameter_uncertainty:
        expected = (f"The {EXPECTED} has no range here: every replicate runs the same parameter set, so it is "
                    f"the mean alone (the chance of one cohort averaged over {replicates} replicates).")
    elif k < 2 or m < MIN_DRAWS:
        expected = (f"The {EXPECTED} needs at least {MIN_DRAWS} parameter sets drawn from the ensemble, each run "
                    f"with at least two seeds (here {draws_words(replicates, k)}): run --replicates "
                    f"{MIN_DRAWS * max(k, 2)} or more{' with --seeds-per-member 2 or more' if k < 2 else ''}.")
    else:
        expected = (f"The {EXPECTED}: the range due to what the calibration leaves uncertain about the "
                    f"parameters alone, with the chance of one cohort averaged away; from "
                    f"{draws_words(replicates, k)}, drawn from the posterior: the spread between the sets' mean "
                    "differences with the seeds' share of it taken out (variance components); no width means the "
                    "sets' effects could not be told apart from the cohorts' chance."
                    + (f" Only {m} parameter sets: a rough range (more replicates, e.g. --replicates {20 * k}, "
                       "steady it)." if m < 20 else ""))
    one = (f"{ONE_MUNICIPALITY[0].upper()}{ONE_MUNICIPALITY[1:]}: the 5th to 95th percentile of the "
           f"{replicates} single runs' differences, parameter uncertainty and the chance of one cohort of "
           "the simulated size together.")
    return {"expected_effect": expected, "one_municipality": one}
