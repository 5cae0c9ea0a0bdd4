"""What the command line prints: the headline table with its verdicts, and progress on stderr
(a bar on a terminal, a plain line now and then in a log)."""

from __future__ import annotations

import sys


def block(header: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    rows = [("", header)] + rows
    w0 = max(len(r[0]) for r in rows)
    widths = [max(len(r[1][i]) for r in rows) for i in range(len(header))]
    return [label.ljust(w0) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, widths)) for label, cells in rows]


def table(summaries: list[dict], diffs: list[dict] | None = None, uncertainty: dict | None = None) -> str:
    """The verdicts first; then the headline figures, one column per scenario, and each
    scenario's difference from the first: its expected effect (parameter uncertainty, large
    population), then what one municipality of the simulated size may see (`sim.ranges`)."""
    from .headline import (
        ROWS,
        format_expected,
        other_horizon,
        ranges_text,
        shows_expected,
        spread_words,
        title_of,
        verdicts,
    )
    from .headline import format_range as _fmt
    from .ranges import EXPECTED, ONE_MUNICIPALITY
    titles = [title_of(s) for s in summaries]
    lines = []
    if diffs:
        lines += verdicts(titles, diffs, [s.get("years") for s in summaries],
                          spread_words({"uncertainty": uncertainty})) + [""]
    lines += block(titles, [(row.label, [_fmt(row.get(s), row.kind == "pct") for s in summaries]) for row in ROWS])
    words = (uncertainty or {}).get("ranges") or {}
    if diffs:
        def diff_cell(row, i, d, expected: bool = False):
            horizon = other_horizon(summaries[0].get("years"), summaries[i].get("years"))
            if row.kind == "sek" and horizon:
                return f"not comparable ({horizon})"
            if expected:
                return format_expected(row.get(d["differences"]), row.kind == "pct")
            return _fmt(row.get(d["differences"]), row.kind == "pct", signed=True)
        pairs = [f"{t} − {titles[0]}" for t in titles[1:]]
        # Two ranges for each difference (sim.ranges): the expected effect first, then what one
        # municipality of the simulated size may see; a summary from before has the second only.
        kinds = [True, False] if shows_expected(diffs, uncertainty) else [False]
        for expected in kinds:
            title = EXPECTED if expected else ONE_MUNICIPALITY
            lines += ["", title[0].upper() + title[1:] + ":"]
            lines += block(pairs, [(row.label, [diff_cell(row, i, d, expected) for i, d in enumerate(diffs, start=1)])
                                   for row in ROWS])
    reps = summaries[0]["replicates"] if summaries else 0
    lines.append(f"Shares in per cent{' (differences in percentage points)' if diffs else ''}, spending in SEK per "
                 f"refugee; mean over {reps} replicates{' (the same seeds for every scenario)' if diffs else ''} with "
                 "the 5th…95th percentile in brackets; '–' = beyond the simulated period. "
                 + ranges_text({"uncertainty": uncertainty}))
    if diffs and words:
        lines.append(" ".join(words[k] for k in ("expected_effect", "one_municipality") if words.get(k)))
    from .groups import terminal_lines
    lines += terminal_lines(summaries, diffs or [])
    return "\n".join(lines)


class Progress:
    """Progress on stderr unless --quiet: a bar on a terminal; otherwise (a log file, a batch
    job) a plain line at most every `every` seconds and one at the end."""

    def __init__(self, total: int, enabled: bool, every: float = 5.0, what: str = "runs"):
        import time
        self.bar = None
        self.total, self.done, self.what, self.every = total, 0, what, every
        self.enabled = enabled
        self.clock = time.monotonic
        self.start = self.last = self.clock()
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="run", desc="replicates", file=sys.stderr, leave=False)

    def __call__(self, k: int) -> None:
        self.done += k
        if self.bar is not None:
            self.bar.update(k)
        elif self.enabled and (self.clock() - self.last >= self.every or self.done >= self.total):
            self.last = self.clock()
            print(f"{self.done}/{self.total} {self.what} done ({100 * self.done / max(self.total, 1):.0f} %), "
                  f"{self.last - self.start:.0f} s", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        """A step after the runs (writing tables, drawing plots), shown when not quiet."""
        if self.enabled:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class SweepProgress:
    """runs done, runs per second and time left: a bar on a terminal, a line every 10 s otherwise."""

    def __init__(self, quiet: bool):
        import time
        self.quiet, self.bar, self.time = quiet, None, time
        self.start = time.perf_counter()
        self.last = self.start
        self.first_done: int | None = None

    def __call__(self, k: int, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.first_done is None:
            self.first_done = done
            if sys.stderr.isatty():
                from tqdm import tqdm
                self.bar = tqdm(total=total, initial=done, unit="run", desc="sweep", file=sys.stderr)
            elif done:
                print(f"resuming: {done} of {total} runs already done", file=sys.stderr)
            return
        if self.bar is not None:
            self.bar.update(k)
            return
        now = self.time.perf_counter()
        if now - self.last >= 10 or done == total:
            self.last = now
            rate = (done - self.first_done) / max(now - self.start, 1e-9)
            left = (total - done) / rate if rate > 0 else float("nan")
            print(f"{done}/{total} runs, {rate:.1f} runs/s, {left:.0f} s left", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
