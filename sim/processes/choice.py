"""Choices with limited room, compiled: a weighted choice of an employer or agency in reach, the
first few of a group by priority, and room carried from week to week.

Both choices act within one world: a segment of reach pairs belongs to one municipality, and a
group (an employer, a municipality, an agency) to one world, so every sum starts from zero in its
own segment or group and a world's choices are those it makes alone.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Room not used in a week carries over this many weeks' worth at most (staffing agencies' hires,
# secondary agreements' places). Assumption.
CARRY_OVER_WEEKS = 4.0


@njit(inline="always")
def carried(room: float, per_week: float, weeks: float, at_least: float) -> float:
    """This week's room for something that comes at `per_week` a week (hires, places, contacts),
    fractions carried: what was not used carries over up to `weeks` weeks' worth, and the room can
    always reach `at_least` (so that a rate below one a week still gives a whole one now and then)."""
    return min(room + per_week, max(weeks * per_week, at_least))


@njit(inline="always")
def caseload(capacity: float, n: float, most_per_head: float) -> float:
    """What staff capacity (contacts or placements a week) delivers among n people: about the
    capacity while the caseload is large, saturating at `most_per_head` a person as it shrinks
    (n x most x (1 - exp(-capacity / (n x most)))): more staff for the same people brings less
    and less (docs/EFFECTS.md, "Staff")."""
    if n <= 0.0 or most_per_head <= 0.0:
        return 0.0
    top = n * most_per_head
    return -top * math.expm1(-capacity / top)


@njit(cache=True)
def cumulate(start, target, weights, first_target: int, first_key: int, last_key: int) -> np.ndarray:
    """The running sum of the weights over each segment, for segments first_key..last_key - 1 (one
    world's: `weights[target - first_target]` are its targets' weights, and the result's entry
    j - start[first_key] belongs to pair j). From zero in each segment: exact whatever came before."""
    base = start[first_key]
    cum = np.empty(start[last_key] - base)
    for key in range(first_key, last_key):
        acc = 0.0
        for j in range(start[key], start[key + 1]):
            acc += weights[target[j] - first_target]
            cum[j - base] = acc
    return cum


@njit(inline="always")
def choose(start, cum, base: int, key: int, u: float) -> int:
    """The pair of segment `key` that `u` falls in, weighted by the weights `cumulate` summed
    (`cum`, its entries from pair `base` on); -1 when the segment has no weight."""
    lo = start[key]
    hi = start[key + 1]
    if hi <= lo:
        return -1
    total = cum[hi - 1 - base]
    if not total > 0.0:
        return -1
    point = u * total
    # The first pair whose running sum exceeds the point (zero weights are never chosen).
    a, b = lo, hi - 1
    while a < b:
        mid = (a + b) // 2
        if cum[mid - base] > point:
            b = mid
        else:
            a = mid + 1
    return a


@njit(cache=True)
def sort_by(keys, items, work) -> None:
    """Sort `items` (int64, in place) by keys[item], ties kept in their order (a stable merge
    sort; `work` is scratch of the same length)."""
    n = len(items)
    width = 1
    src, dst = items, work
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            a, b, k = lo, mid, lo
            while a < mid and b < hi:
                if keys[src[b]] < keys[src[a]]:
                    dst[k] = src[b]
                    b += 1
                else:
                    dst[k] = src[a]
                    a += 1
                k += 1
            while a < mid:
                dst[k] = src[a]
                a += 1
                k += 1
            while b < hi:
                dst[k] = src[b]
                b += 1
                k += 1
        src, dst = dst, src
        width *= 2
    if src is not items:
        for k in range(n):
            items[k] = src[k]


@njit(cache=True)
def first_by_priority(group, priority, room, n_groups: int, ok) -> None:
    """ok[k] = whether item k is among the first room[g] of its group g = group[k] by priority
    (lowest first; ties by position). Groups are numbered 0..n_groups - 1 within the world; `ok`
    has one entry per item."""
    m = len(group)
    count = np.zeros(n_groups + 1, np.int64)
    for k in range(m):
        ok[k] = True
        count[group[k] + 1] += 1
    full = False
    for g in range(n_groups):
        if count[g + 1] > room[g]:
            full = True
    if not full:  # every group has room for all its items
        return
    for g in range(n_groups):
        count[g + 1] += count[g]
    order = np.empty(m, np.int64)
    pos = count.copy()
    for k in range(m):
        order[pos[group[k]]] = k
        pos[group[k]] += 1
    heap = np.empty(m, np.int64)
    for g in range(n_groups):
        lo, hi = count[g], count[g + 1]
        keep = max(int(room[g]), 0)
        if hi - lo <= keep:
            continue
        for j in range(lo, hi):
            ok[order[j]] = False
        members = order[lo:hi]
        kept = smallest(priority, members, keep, heap)
        for j in range(kept):
            ok[heap[j]] = True


@njit(cache=True)
def smallest(keys, items, keep: int, heap) -> int:
    """The `keep` items of `items` with the smallest keys (ties: the earlier item), into
    heap[:keep] (in no particular order), by a bounded max-heap; returns how many."""
    n = 0
    for item in items:
        if n < keep:  # push
            heap[n] = item
            c = n
            n += 1
            while c > 0:
                parent = (c - 1) // 2
                if not _after(keys, heap[c], heap[parent]):
                    break
                heap[c], heap[parent] = heap[parent], heap[c]
                c = parent
        elif n > 0 and _after(keys, heap[0], item):  # replace the largest, sift down
            heap[0] = item
            c = 0
            while True:
                left = 2 * c + 1
                if left >= n:
                    break
                child = left + 1 if left + 1 < n and _after(keys, heap[left + 1], heap[left]) else left
                if not _after(keys, heap[child], heap[c]):
                    break
                heap[c], heap[child] = heap[child], heap[c]
                c = child
    return n


@njit(inline="always")
def _after(keys, a: int, b: int) -> bool:
    """Item a comes after item b: a larger key, or the same key and a later position."""
    return keys[a] > keys[b] or (keys[a] == keys[b] and a > b)
