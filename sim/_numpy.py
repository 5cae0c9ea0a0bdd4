"""Small NumPy helpers for the weekly hot path.

`clip` is the ufunc that `np.clip` calls after its Python-level argument checks (about a third of
the cost of `np.clip` on small arrays); same results, same dtypes, same NaN and signed-zero handling.
"""

from __future__ import annotations

import numpy as np

try:  # NumPy 2
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover - NumPy 1.x
    try:
        from numpy.core.umath import clip
    except ImportError:
        clip = np.clip

__all__ = ["clip"]
