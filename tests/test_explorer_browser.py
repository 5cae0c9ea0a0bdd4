"""The explorer in a real browser (Playwright driving Debian's Chromium): it starts on a free
port, a lever moved on the page updates the charts, the numbers on screen are those of
`run.py compare` with the same seeds, the saved scenario validates, a long refresh shows progress
and gives way to a newer one, and Ctrl-C stops the server cleanly.

Screenshots and the measured times go to results/test-artifacts/explorer/ (EXPLORER_TEST_OUT to
choose another folder). Without Chromium the test is skipped, unless REQUIRE_BROWSER_TEST=1 (as
in CI, whose script installs Chromium first) makes that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.headline import ROWS, format_expected, format_range

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("EXPLORER_TEST_OUT", ROOT / "results" / "test-artifacts" / "explorer"))
LAPTOP = {"width": 1366, "height": 768}


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def _skip_or_fail(why: str) -> None:
    if os.environ.get("REQUIRE_BROWSER_TEST") == "1":
        pytest.fail(f"{why} (REQUIRE_BROWSER_TEST=1)")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def explorer(tmp_path):
    """`run.py explore falkenberg` on a free port; (url, the process, its results folder)."""
    port = _free_port()
    results = tmp_path / "results"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "explore", "falkenberg", "--port", str(port),
                             "--results", str(results)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # "Explorer: http://127.0.0.1:PORT  (Ctrl-C to stop)" once it listens
    if not line.startswith("Explorer: http://"):
        proc.kill()
        pytest.fail(f"the explorer did not start: {line!r} {proc.stderr.read()}")
    yield f"http://127.0.0.1:{port}", proc, results
    if proc.poll() is None:
        proc.kill()


def _generation(page) -> int:
    return int(page.get_attribute(".results", "data-generation"))


def _wait_for_new_charts(page, after: int, timeout: float = 60_000) -> int:
    """Until the page shows a newer result than `after`, fresh (its settings are the controls'),
    with its chart drawn (two curves in each of two panels)."""
    page.wait_for_function(
        """(after) => { const r = document.querySelector('.results');
                       if (!r || Number(r.dataset.generation) <= after || !r.classList.contains('fresh')) return false;
                       return r.querySelectorAll('.chart-outcomes svg polyline').length == 4; }""", arg=after, timeout=timeout)
    return _generation(page)


def _table(page) -> dict[str, dict[str, str]]:
    return page.eval_on_selector_all(
        "table.headline tr[data-row]",
        "rows => Object.fromEntries(rows.map(r => [r.dataset.row, Object.fromEntries("
        "[...r.querySelectorAll('td')].map(td => [td.dataset.col, td.textContent]))]))")


def _change_and_time(page, action) -> float:
    """Seconds from a control's change to the updated charts on screen."""
    before = _generation(page)
    t0 = time.perf_counter()
    action()
    _wait_for_new_charts(page, before)
    return time.perf_counter() - t0


def test_the_explorer_in_a_browser(explorer, tmp_path):
    chromium = _chromium()
    if chromium is None:
        _skip_or_fail("no Chromium found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    url, proc, results = explorer
    OUT.mkdir(parents=True, exist_ok=True)
    saved = tmp_path / "saved" / "falkenberg-no-summer-break.yaml"
    timings: dict[str, float | list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport=LAPTOP)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        t0 = time.perf_counter()
        page.goto(url)
        first = _wait_for_new_charts(page, 0, timeout=120_000)
        timings["first_page_s"] = time.perf_counter() - t0
        page.screenshot(path=str(OUT / "before.png"))
        before = _table(page)
        assert before["employed at 24 months"]["base"] == before["employed at 24 months"]["variant"]

        # One lever: the summer break to none (the slider's Home key), and back to the charts.
        slider = page.locator(".lever-summer_break_weeks [role=slider]")
        assert slider.get_attribute("aria-valuemax") == "16"  # the schema's bound (le=16)
        slider.focus()
        timings["summer_break_to_0_s"] = _change_and_time(page, lambda: page.keyboard.press("Home"))
        assert _generation(page) > first
        page.screenshot(path=str(OUT / "after.png"))
        page.screenshot(path=str(OUT / "after-full.png"), full_page=True)
        shown = _table(page)
        assert "Summer break, weeks 4 -> 0" in page.inner_text(".changes")
        assert shown != before

        # The numbers on screen are `run.py compare`'s for the saved scenario, with the same seeds.
        page.fill(".save-path input", str(saved))
        page.locator(".save-path input").press("Enter")
        page.click("button.save")
        page.wait_for_selector(".saved", timeout=30_000)
        assert "valid" in page.inner_text(".saved")
        # Two more levers, each timed: coaches half a step up, income offset switched on.
        coaches = page.locator(".lever-coaches [role=slider]")
        coaches.focus()
        changes = [_change_and_time(page, lambda: page.keyboard.press("ArrowRight")),
                   _change_and_time(page, lambda: page.click(".lever-income_offset label"))]
        assert page.locator(".lever-income_offset input").is_checked()
        timings["further_changes_s"] = changes

        # The full report of the comparison on screen, from its button.
        page.click("button.report")
        page.wait_for_selector(".report-written", timeout=180_000)
        report = Path(page.inner_text(".report-written").split("Report written: ", 1)[1].strip())
        assert report.is_file() and report.parent.parent == results
        html = report.read_text(encoding="utf-8")
        assert "Falkenberg, explored" in html and "summer_break_weeks" in html

        # A long refresh (100 replicates) shows its progress; a change meanwhile replaces it.
        replicates = page.locator(".replicates [role=slider]")
        replicates.focus()
        gen = _generation(page)
        _changes_before = page.inner_text(".changes")
        page.keyboard.press("End")
        page.wait_for_selector("text=/Running 200 worlds/", timeout=30_000)
        page.screenshot(path=str(OUT / "progress.png"))
        page.click(".lever-income_offset label")
        t_cancel = time.perf_counter()
        _wait_for_new_charts(page, gen, timeout=120_000)
        timings["100_replicates_after_a_change_mid_run_s"] = time.perf_counter() - t_cancel
        assert "Up to date: 100 replicates" in page.inner_text(".status")

        # Quick changes one after another: the last one wins, and the page never goes blank.
        replicates.focus()
        gen = _generation(page)
        for _ in range(4):
            page.keyboard.press("ArrowLeft")
            assert page.locator(".results").count() == 1
        coaches.focus()
        page.keyboard.press("ArrowRight")
        assert page.locator(".results").count() == 1
        _wait_for_new_charts(page, gen, timeout=120_000)
        assert "Up to date: 96 replicates" in page.inner_text(".status")
        assert "Coaches (full-time) 4 -> 5" in page.inner_text(".changes")

        # Another base after changes: its own levers, nothing carried over.
        gen = _generation(page)
        page.click(".base-select")
        page.click(".v-menu__content .v-list-item:has-text('typical_2006')")
        _wait_for_new_charts(page, gen, timeout=120_000)
        assert "No lever changed yet" in page.inner_text(".changes")
        assert "Typical municipality (2006)" in page.inner_text("table.headline thead")
        assert "inkomstavräkning" not in page.inner_text(".changes")
        assert "inkomstavräkning" in _changes_before  # it was there before the switch back

        # A scenario file with errors: the located messages of the command line, on the page.
        bad = tmp_path / "bad.yaml"
        bad.write_text("extends: falkenberg.yaml\nmunicipalities:\n  falkenberg:\n    programme:\n"
                       "      hours_per_week: 90\n      summer_brake_weeks: 2\n", encoding="utf-8")
        page.fill(".open-path input", str(bad))
        page.click("button.open-file")
        page.wait_for_selector(".problems", timeout=30_000)
        on_page = page.inner_text(".problems")
        assert "The base stays as it was." in on_page
        assert page.locator(".results").count() == 1 and page.locator(".lever-coaches").count() == 1
        assert errors == [], errors
        browser.close()
    cli = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(bad)], capture_output=True, text=True)
    assert cli.returncode == 2
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line in on_page for line in lines), (lines, on_page)

    # The saved file: valid for the command line, extends the base, sets only the summer break.
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(saved)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = saved.read_text(encoding="utf-8")
    assert "extends: falkenberg.yaml" in text and "summer_break_weeks: 0" in text
    out = tmp_path / "compare"
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "falkenberg", str(saved), "--replicates", "20",
                        "--seed", "2006", "--out", str(out), "--quiet"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    diff = summary["differences"][0]["differences"]
    for row in ROWS:
        assert shown[row.label]["base"] == format_range(row.get(summary["scenarios"][0]), row.kind == "pct"), row.label
        assert shown[row.label]["variant"] == format_range(row.get(summary["scenarios"][1]), row.kind == "pct"), row.label
        assert shown[row.label]["difference"] == format_range(row.get(diff), row.kind == "pct", signed=True), row.label
        # The expected effect (parameter uncertainty, large population) beside it, as compare's table gives it.
        assert shown[row.label]["expected"] == format_expected(row.get(diff), row.kind == "pct"), row.label

    # Ctrl-C stops the server cleanly: exit 0, no traceback.
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "explorer stopped" in err and "Traceback" not in err
    timings["median_change_s"] = statistics.median([timings["summer_break_to_0_s"], *changes])
    (OUT / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")
    print(json.dumps(timings))
