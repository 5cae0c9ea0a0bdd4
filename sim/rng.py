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


def hashed_uniform(seed: int | np.ndarray, stream: str, keys: np.ndarray, step: int) -> np.ndarray:
    """Uniforms in [0, 1) that depend only on (seed, stream, key, step): counter-based draws.

    For agents whose set differs between scenarios (employers: one scenario adds the
    municipality's own organisation), a draw indexed by a stable key keeps every other agent's
    draw unchanged, which a sequential stream cannot. `seed` may be an array, one per key (the
    worlds of a batch each keep their own seed).
    """
    with np.errstate(over="ignore"):
        start: Any
        if np.ndim(seed) == 0:
            start = np.uint64((int(seed) * 0x100000001B3 + stream_key(stream)) & 0xFFFFFFFFFFFFFFFF)
        else:  # one seed per key (employers of several worlds): the same arithmetic, modulo 2**64
            start = np.asarray(seed, dtype=np.uint64) * np.uint64(0x100000001B3) + np.uint64(stream_key(stream))
        base = _splitmix64(start ^ np.uint64(step))
        x = _splitmix64(np.asarray(keys, dtype=np.uint64) ^ base)
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


class BatchStreams:
    """The weekly blocks of many worlds' streams, laid out as the batch's people are.

    Each world keeps its own `Streams` (seeded by its own seed) and consumes each stream exactly as
    it would alone: in week t, a (rows, n_w(t)) block, n_w(t) being its people arrived by then.
    Those counts are known from the start (arrival weeks are drawn at construction), so the
    numbers of several weeks are drawn ahead in one call per world and stream (a chunk; the
    same numbers as week-by-week calls, since a stream's output does not depend on how it is cut),
    and each week's block is one gather from the chunk into the batch's order of people (by
    arrival week, then world). A world's numbers thus never depend on the other worlds of the
    batch, their number or their order: the basis of bit-identical results. Each stream is drawn
    once a week (as every phase does); a second draw in a week is refused.

    The chunk's draw is the one call per world (PCG64 cannot draw from several seeds in one
    call); it is made once per chunk of weeks, not every week.
    """

    CHUNK_FLOATS = 1_000_000  # at most this many numbers drawn ahead per stream (4 MB: stays in cache)

    def __init__(self, streams: list[Streams], world_of: np.ndarray, local_of: np.ndarray,
                 ti_arrival: np.ndarray, n_weeks: int, clock, only: dict[str, np.ndarray] | None = None):
        self.streams = streams
        self.world_of = world_of
        self.local_of = local_of.astype(np.int64)
        # (worlds, weeks): people of each world arrived by each week (those due after the last
        # week never arrive).
        W = len(streams)
        arriving = np.zeros((W, n_weeks + 1), np.int64)
        np.add.at(arriving, (world_of, np.minimum(ti_arrival, n_weeks)), 1)
        self.arrived = np.cumsum(arriving, axis=1)[:, :n_weeks]
        self.clock = clock      # the current week (a callable)
        self.only = only or {}  # stream name -> which worlds draw from it (others never use it)
        self._chunks: dict[str, tuple] = {}
        self._buffers: dict[str, np.ndarray] = {}
        self._drawn: dict[str, int] = {}  # the week each stream was last drawn

    def _chunk(self, name: str, rows: int, t: int) -> tuple:
        """Each world's numbers of `name` for weeks t.. (as many as fit CHUNK_FLOATS, at least one
        week), with where each world's block of each week starts."""
        n_weeks = self.arrived.shape[1]
        per_week = rows * self.arrived[:, t:].sum(axis=0)  # numbers drawn each week, all worlds
        k = max(1, int(np.count_nonzero(np.cumsum(per_week) <= self.CHUNK_FLOATS)))
        t1 = min(t + k, n_weeks)
        counts = rows * self.arrived[:, t:t1]  # (worlds, weeks) numbers per world and week
        draws = self.only.get(name)
        # One buffer for every world, reused while its size allows (a fresh large array costs
        # more in page faults than drawing the numbers into it).
        per_world = counts.sum(axis=1)
        total = int(per_world.sum())
        old = self._buffers.get(name)
        buf = old[:total] if old is not None and len(old) >= total else np.empty(total, np.float32)
        self._buffers[name] = buf if old is None or len(old) < total else old
        a = 0
        for w, (s, c) in enumerate(zip(self.streams, per_world.tolist())):
            part = buf[a:a + c]
            if draws is None or draws[w]:
                s.get(name).random(out=part, dtype=np.float32)  # as s.uniform(name, c), in place
            else:  # this world never draws from the stream; its numbers are never read
                part[:] = np.nan
            a += c
        # Where each world's block of each week starts in `buf` (worlds one after another).
        starts = (np.cumsum(per_world) - per_world)[:, None] + np.cumsum(counts, axis=1) - counts
        return t, t1, rows, buf, starts

    def uniform(self, name: str, shape) -> np.ndarray:
        """As `Streams.uniform(name, (rows,) n)` for each world, over the batch's first n people."""
        rows, n = (1, shape) if np.ndim(shape) == 0 else shape
        t = self.clock()
        if self._drawn.get(name) == t:  # a world alone would draw new numbers: not supported here
            raise RuntimeError(f"stream '{name}' drawn twice in week {t}: a batch draws each stream once a week")
        self._drawn[name] = t
        ch = self._chunks.get(name)
        if ch is None or not (ch[0] <= t < ch[1]) or ch[2] != rows:
            ch = self._chunks[name] = self._chunk(name, rows, t)
        t0, _, _, buf, starts = ch
        n_w = self.arrived[:, t]
        if int(n_w.sum()) != n:
            raise RuntimeError(f"stream '{name}' drawn for {n} people in week {t}; {int(n_w.sum())} have arrived")
        # Person g of world w reads row r of its world's week block: start + r * n_w + g's number.
        w = self.world_of[:n]
        first = starts[w, t - t0] + self.local_of[:n]
        if np.ndim(shape) == 0:
            return buf[first]
        idx = np.multiply.outer(np.arange(rows, dtype=np.int64), n_w[w])
        idx += first
        return buf.take(idx)

    def block(self, name: str, rows: int, n: int) -> np.ndarray:
        return self.uniform(name, (rows, n))

    def get(self, name: str):  # pragma: no cover - a guard for new code
        raise TypeError("draw through block() or uniform() in a batch of worlds, so each world keeps its stream")
