"""The stored baseline of the shipped scenarios' results (as Starsim's test_baselines): any change in
what the model gives is seen, and explained in the commit that refreshes it.

    python tests/baseline.py            # compare with tests/baseline.json (exit 1 on a difference)
    python tests/baseline.py --refresh  # write tests/baseline.json from the current code

The default test suite runs the comparison (tests/test_baseline.py); only this script writes the file.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sim.config import SCENARIO_DIR, load_scenario  # noqa: E402
from sim.model import IntroductionModel  # noqa: E402
from sim.runner import with_years  # noqa: E402

FILE = Path(__file__).with_name("baseline.json")
YEARS, SEED = 3, 1
KEYS = ["refugees", "employment", "self_sufficiency", "employment_by_sex", "employment_unsubsidised",
        "employment_during_year", "labour_market_contact_year1", "sfi_course_year1", "sfi_completed_year1",
        "job_3_weeks_within_3_years", "weeks_in_state_first_3_years", "median_weeks_to_first_job",
        "first_job_rate_3_years", "hires_by_route", "hires_by_agencies", "hires_by_other_job_seekers",
        "nystartsjobb_hires", "instegsjobb_hires", "internship_to_job_share", "costs_sek_per_refugee",
        "first_job_within"]


def current() -> dict:
    """Each shipped scenario, one run of YEARS years on SEED: its headline figures."""
    out = {}
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        model = IntroductionModel(with_years(load_scenario(path), YEARS), seed=SEED, collect=False).run()
        figures = model.figures()
        out[path.stem] = {k: figures[k] for k in KEYS}
        model.release()
    return json.loads(json.dumps(out))  # as stored: tuples and NumPy scalars made plain


def differences(stored, now, path: str = "") -> list[str]:
    """Where two results differ (floats within 1e-9 relative count as equal)."""
    if isinstance(stored, dict) and isinstance(now, dict):
        out = []
        for k in sorted(set(stored) | set(now)):
            if k not in stored or k not in now:
                out.append(f"{path}{k}: only in {'the baseline' if k in stored else 'the current results'}")
            else:
                out += differences(stored[k], now[k], f"{path}{k}.")
        return out
    if isinstance(stored, float) and isinstance(now, (float, int)):
        return [] if math.isclose(stored, now, rel_tol=1e-9, abs_tol=1e-12) else [f"{path[:-1]}: {stored} -> {now}"]
    return [] if stored == now else [f"{path[:-1]}: {stored} -> {now}"]


def main(argv: list[str]) -> int:
    now = current()
    if "--refresh" in argv:
        FILE.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FILE}")
        return 0
    diff = differences(json.loads(FILE.read_text(encoding="utf-8")), now)
    for line in diff[:40]:
        print(line)
    print(f"{len(diff)} differences" if diff else "identical to the baseline")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
