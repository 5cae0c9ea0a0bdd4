"""Screenshots of the report as a reader sees it, taken with headless Chromium.

    python docs/screenshots.py [--replicates 20] [--out docs/screenshots]

Runs the default comparison and a scenario with several municipalities, then renders each
report.html at a laptop's width (1366 px) to a PNG, top part and full page. Needs a Chromium
binary (`apt-get install chromium`); it is only a documentation tool, not a dependency.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = {
    "default": ["compare", "typical_2006", "ten_proposals", "falkenberg"],
    "regional": ["run", "regional_secondary"],
}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("no Chromium found: apt-get install chromium")


def shoot(browser: str, html: Path, png: Path, height: int) -> None:
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size=1366,{height}", f"--screenshot={png}", html.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args(argv)
    browser = chromium()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in RUNS.items():
            folder = Path(tmp) / name
            subprocess.run([sys.executable, str(ROOT / "run.py"), *command, "--replicates", str(args.replicates),
                            "--out", str(folder), "--quiet"], check=True, cwd=ROOT)
            shoot(browser, folder / "report.html", args.out / f"report-{name}-top.png", 900)
            shoot(browser, folder / "report.html", args.out / f"report-{name}-full.png", 9000)
            print(args.out / f"report-{name}-top.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
