"""Named random streams derived from one seed: common random numbers (STYLE.md, Starsim).

Each process draws from its own stream, seeded by (run seed, stream name). Every weekly draw of a
person-indexed stream has one number per arrived person, whatever the policy, so person i gets the
same number in week t under every scenario: a lever changes outcomes only through its effect, not
by reshuffling unrelated draws.
"""

from __future__ import annotations

import zlib

import numpy as np

from ._numpy import clip


def stream_key(name: str) -> int:
    """A stable integer for a stream name (Python's hash() is salted per process)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    def __init__(self, seed: int):
        self.seed = int(seed)
        self._gens: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        gen = self._gens.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, stream_key(name)])))
            self._gens[name] = gen
        return gen

    def uniform(self, name: str, shape) -> np.ndarray:
        """Uniform [0, 1) draws as float32 (half the cost of float64; ample resolution here)."""
        return self.get(name).random(shape, dtype=np.float32)


def binomial_from_uniform(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial(n, p) by inverting the CDF at one uniform per trial set.

    NumPy's binomial sampler consumes a varying number of draws, so one changed `n` would shift
    every later draw of the stream; one uniform per item keeps the stream aligned (common random
    numbers). The loop runs over counts (small), never over items.
    """
    n = np.asarray(n, dtype=np.int64)
    p = clip(np.broadcast_to(np.asarray(p, dtype=np.float64), n.shape), 0.0, 1.0 - 1e-12)
    q = 1.0 - p
    pmf = q ** n
    cdf = pmf.copy()
    out = np.zeros(n.shape, dtype=np.int64)
    for k in range(int(n.max(initial=0))):
        out += (u >= cdf) & (k < n)
        pmf = pmf * np.maximum(n - k, 0) / (k + 1) * p / q
        cdf = cdf + pmf
    return out


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK64
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK64
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK64
    return x ^ (x >> np.uint64(31))


def hashed_uniform(seed: int, stream: str, keys: np.ndarray, step: int) -> np.ndarray:
    """Uniforms in [0, 1) that depend only on (seed, stream, key, step): counter-based draws.

    For agents whose set differs between scenarios (employers: one scenario adds the
    municipality's own organisation), a draw indexed by a stable key keeps every other agent's
    draw unchanged, which a sequential stream cannot.
    """
    with np.errstate(over="ignore"):
        base = _splitmix64(np.uint64((int(seed) * 0x100000001B3 + stream_key(stream)) & 0xFFFFFFFFFFFFFFFF)
                           ^ np.uint64(step))
        x = _splitmix64(np.asarray(keys, dtype=np.uint64) ^ base)
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
