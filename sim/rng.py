"""Named random streams derived from one seed: common random numbers (STYLE.md, Starsim).

Each process draws from its own stream, seeded by (run seed, stream name). Every weekly draw of a
person-indexed stream has one number per arrived person, whatever the policy, so person i gets the
same number in week t under every scenario: a lever changes outcomes only through its effect, not
by reshuffling unrelated draws.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

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

    def block(self, name: str, rows: int, n: int):
        """This week's (rows, n) block of float32 uniforms of stream `name`: the same numbers as
        `uniform(name, (rows, n))`, leaving the stream in the same state.

        For many people (n >= LAZY_MIN_COLUMNS) the rows are not held in memory together: each
        row is generated when it is read (`block[r]`, `block[r, idx]`, `block[rows, idx]`), from
        the block's starting state moved ahead to the row with PCG64's `advance`, and dropped
        after use; rows never read are never generated. Below that size, the plain array.
        """
        gen = self.get(name)
        if n < LAZY_MIN_COLUMNS or not isinstance(gen.bit_generator, np.random.PCG64):
            return gen.random((rows, n), dtype=np.float32)
        return _LazyBlock(gen, rows, n)


# Blocks with at least this many columns (people) are generated row by row on demand.
LAZY_MIN_COLUMNS = 50_000


def _skip_uint32(bg: Any, state: Mapping[str, Any], count: int) -> None:
    """Set `bg` to `state` moved ahead by `count` uint32 draws (as NumPy's float32 draws take
    them: the low half of a 64-bit output first, the high half kept for the next draw)."""
    buffered = bool(state["has_uint32"])
    if buffered and count == 0:
        bg.state = dict(state)
        return
    fresh = count - buffered  # uint32 draws taken from new 64-bit outputs
    st: dict[str, Any] = dict(state, has_uint32=0, uinteger=0)
    bg.state = st
    bg.advance(fresh // 2)  # also clears the half-word buffer
    if fresh % 2:
        high = int(bg.random_raw()) >> 32  # the low half was taken; the high half waits
        st = bg.state
        st["has_uint32"] = 1
        st["uinteger"] = high
        bg.state = st


class _LazyBlock:
    """Rows of a (rows, n) block of float32 uniforms, generated on demand (see Streams.block)."""

    _scratch = None

    def __init__(self, gen: np.random.Generator, rows: int, n: int):
        bg = gen.bit_generator
        self.start = bg.state
        self.rows, self.n = rows, n
        _skip_uint32(bg, self.start, rows * n)  # the stream continues after the whole block
        if _LazyBlock._scratch is None:
            _LazyBlock._scratch = np.random.Generator(np.random.PCG64(0))
        self.gen = _LazyBlock._scratch

    def row(self, r: int, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Columns lo..hi-1 of row r (only those are generated)."""
        if not 0 <= r < self.rows:
            raise IndexError(f"row {r} of a block of {self.rows}")
        hi = self.n if hi is None else hi
        _skip_uint32(self.gen.bit_generator, self.start, r * self.n + lo)
        return self.gen.random(hi - lo, dtype=np.float32)

    def _at(self, r: int, idx) -> np.ndarray:
        if isinstance(idx, slice):
            return self.row(r)[idx]
        idx = np.asarray(idx)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        if len(idx) == 0:
            return np.zeros(0, dtype=np.float32)
        # People active in a phase are often the recent arrivals (a range of the arrays):
        # generate only the span that holds them.
        lo, hi = int(idx.min()), int(idx.max()) + 1
        if lo < 0:
            return self.row(r)[idx]
        return self.row(r, lo, hi)[idx - lo]

    def __getitem__(self, key):
        r, idx = key if isinstance(key, tuple) else (key, slice(None))
        if np.ndim(r) == 0:
            return self._at(int(r), idx)
        r = np.asarray(r)
        idx = np.asarray(idx)
        out = np.empty(r.shape, dtype=np.float32)
        for rr in np.unique(r):
            m = r == rr
            out[m] = self._at(int(rr), idx[m])
        return out


def binomial_from_uniform(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial(n, p) by inverting the CDF at one uniform per trial set.

    NumPy's binomial sampler consumes a varying number of draws, so one changed `n` would shift
    every later draw of the stream; one uniform per item keeps the stream aligned (common random
    numbers). The loop runs over counts (small), never over items.
    """
    n = np.asarray(n, dtype=np.int64)
    p = clip(np.broadcast_to(np.asarray(p, dtype=np.float64), n.shape), 0.0, 1.0 - 1e-12)
    out = np.zeros(n.shape, dtype=np.int64)
    # Only the items still climbing their CDF are carried to the next count: once u < cdf(k) it
    # stays below, so the work is the sum of the draws rather than items x the largest n (and
    # every item sees exactly the arithmetic it would see alone).
    live = np.flatnonzero(n > 0)
    uu, nn, pp = np.asarray(u)[live], n[live], p[live]
    qq = 1.0 - pp
    pmf = qq ** nn
    cdf = pmf.copy()
    k = 0
    while len(live):
        more = (uu >= cdf) & (k < nn)
        live = live[more]
        out[live] += 1
        uu, nn, pp, qq, pmf, cdf = uu[more], nn[more], pp[more], qq[more], pmf[more], cdf[more]
        pmf = pmf * (nn - k) / (k + 1) * pp / qq
        cdf = cdf + pmf
        k += 1
    return out


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(x: Any) -> Any:
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
