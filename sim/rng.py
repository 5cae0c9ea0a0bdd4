"""Random numbers: counter-based draws for the weekly step, named streams for the population.

Every weekly draw is a pure function of (the world's seed, the stream and its row, who draws, the
week): a SplitMix64-style hash (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
generators"), evaluated inside the kernels where the number is used. Common random numbers
therefore hold by construction (STYLE.md, Starsim): person i's draw in week t is the same under
every policy, whoever else is in the batch, however many worlds, workers or threads there are, and
in whatever order the draws are evaluated. A lever changes outcomes only through its effect. People
draw by their number in their world (`who`), employers by a key made from their name, so a scenario
with one more employer leaves every other employer's draws as they were.

The population itself (who arrives, their profile and households) is drawn once, at construction,
from NumPy generators seeded by (seed, stream name): `Streams`.
"""

from __future__ import annotations

import zlib

import numpy as np
from numba import njit


def stream_key(name: str, row: int = 0) -> int:
    """A stable integer for a stream and its row (Python's hash() is salted per process)."""
    return (zlib.crc32(name.encode("utf-8")) << 8) | row


class Streams:
    """NumPy generators for the population's construction, one per stream name."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._gens: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        gen = self._gens.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, zlib.crc32(name.encode())])))
            self._gens[name] = gen
        return gen


@njit(cache=True)
def _mix(x):
    """The SplitMix64 finaliser: a bijection of uint64 with full avalanche."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


# One compiled version whatever the callers pass (numba would otherwise compile one per stream
# key, each a literal constant).
@njit("float64(uint64, int64, int64, int64)", cache=True)
def uniform(seed, key, who, t) -> float:
    """A uniform in [0, 1) for (seed, stream key, who, week), 53 bits."""
    base = _mix(np.uint64(seed) + np.uint64(0x9E3779B97F4A7C15) * (np.uint64(key) + np.uint64(1)))
    base = _mix(base ^ (np.uint64(t) * np.uint64(0xD1B54A32D192ED03)))
    x = _mix(base ^ _mix(np.uint64(who) + np.uint64(0x632BE59BD9B4E019)))
    return float(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def uniforms(seed, key, who, t) -> np.ndarray:
    """`uniform` for each of `who` (an array of ids), as float64."""
    out = np.empty(len(who))
    for k in range(len(who)):
        out[k] = uniform(seed, key, who[k], t)
    return out


@njit(cache=True)
def binomial(u, n, p) -> int:
    """Binomial(n, p) by inverting the CDF at one uniform: one number per draw whatever n and p,
    so a changed n never shifts another draw (common random numbers)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    q = 1.0 - p
    pmf = q ** n
    cdf = pmf
    k = 0
    while u >= cdf and k < n:
        pmf = pmf * (n - k) / (k + 1) * p / q
        cdf += pmf
        k += 1
    return k


# The weekly streams and their rows: one key per (stream, row). Module-level ints, which numba
# freezes into the kernels as constants.
PROGRAMME_SANCTION, PROGRAMME_DROPOUT, PROGRAMME_REACTIVATION = (stream_key("programme", r) for r in range(3))
(INTERNSHIP_CONVERT, INTERNSHIP_CONVERT_PRIORITY, INTERNSHIP_CONVERT_HOURS, INTERNSHIP_PLACEMENT_PRIORITY,
 INTERNSHIP_OWN_PLACEMENT, INTERNSHIP_HOST, INTERNSHIP_HOST_PRIORITY) = (stream_key("internships", r) for r in range(7))
# Matching: a contact, the employer reached and the employer's decision, each per route (rows
# route, 8 + route, 16 + route); then one row per use.
MATCHING_CONTACT = stream_key("matching", 0)
MATCHING_EMPLOYER = stream_key("matching", 8)
MATCHING_HIRE = stream_key("matching", 16)
(MATCHING_TARGETING, MATCHING_PRIORITY, MATCHING_HOURS, MATCHING_EXTRA_WORK, MATCHING_AGENCY, MATCHING_APPLY,
 MATCHING_AGENCY_PRIORITY, MATCHING_AGENCY_HOURS, MATCHING_COMPETE) = (stream_key("matching", r) for r in range(24, 33))
SEPARATION_ENDING, SEPARATION_EDUCATION, SEPARATION_BUSINESS, SEPARATION_MOVE, SEPARATION_BIRTH = (
    stream_key("separations", r) for r in range(5))
TRANSFER_ORDER = stream_key("transfers")
# Employer-keyed: the other job seekers' hires, and which employers use nystartsjobb (drawn once).
VACANCIES = stream_key("vacancies")
VACANCIES_LAPSE = stream_key("vacancies", 1)
NYSTARTSJOBB_TAKEUP = stream_key("nystartsjobb")
