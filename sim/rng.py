"""Named random streams derived from one seed: common random numbers (STYLE.md, Starsim).

Each process draws from its own stream, seeded by (run seed, stream name). Every weekly draw of a
person-indexed stream has one number per arrived person, whatever the policy, so person i gets the
same number in week t under every scenario: a lever changes outcomes only through its effect, not
by reshuffling unrelated draws.
"""

from __future__ import annotations

import zlib

import numpy as np


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
