"""Small NumPy helpers for the weekly hot path.

`clip` as two public ufuncs (maximum, then minimum): the same values as `np.clip` for finite
bounds, without `np.clip`'s Python-level argument checks, which cost more than the work on the
small arrays of a small run.
"""

from __future__ import annotations

import numpy as np


def clip(a, lo, hi, out=None):
    """`np.clip(a, lo, hi, out=out)` for scalar or array bounds with lo <= hi."""
    return np.minimum(np.maximum(a, lo, out=out), hi, out=out)


__all__ = ["clip"]
