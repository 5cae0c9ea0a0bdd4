"""Settings that are valid but do nothing, or almost surely not what was meant.

The report shows an inert lever as not used instead of as if it acted, and `validate`, `run` and
`compare` print a warning for each (a warning, not an error: the scenario still runs).
"""

from __future__ import annotations

from typing import Any


def inert_levers(municipality: dict[str, Any]) -> dict[str, str]:
    """{"programme.summer_course_hours": why it does nothing, ...} for one municipality, given as
    the resolved scenario's mapping (every key present)."""
    p, staff = municipality.get("programme", {}), municipality.get("staff", {})
    out = {}
    if p.get("allowance") == "social_assistance":
        out["programme.allowance_sek_per_week"] = "not used: the municipality pays social assistance, not the allowance"
        if p.get("sanctions"):
            out["programme.sanctions"] = "not used: waiting-day sanctions apply to the wage-like allowance only"
    if not p.get("summer_break_weeks"):
        if p.get("summer_courses"):
            out["programme.summer_courses"] = "not used: there is no summer break to replace"
        out["programme.summer_course_hours"] = "not used: there is no summer break"
    elif not p.get("summer_courses"):
        out["programme.summer_course_hours"] = "not used: no summer courses"
    if not p.get("alternate_sfi_with_internship"):
        out["programme.internship_share_of_week"] = "not used: SFI is not alternated with internships"
    if not staff.get("coaches"):
        out["staff.coach_share_at_employers"] = "not used: the municipality has no coaches"
    return out


def scenario_warnings(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(key path, message) for what is valid but almost surely unintended, in a resolved scenario
    mapping; every inert lever is listed here, and `warnings_for` keeps those a file sets."""
    out: list[tuple[str, str]] = []
    munis = data.get("municipalities") or {}
    employer_towns = {e.get("municipality") for e in (data.get("employers") or {}).values()}
    for key, m in munis.items():
        commutes = [c for c in (m.get("commuting_to") or []) if c in employer_towns]
        if key not in employer_towns and not commutes:
            out.append((f"municipalities.{key}", "has no employers and no commuting to a municipality with "
                                                 "employers: its refugees can only find work through staffing agencies"))
        for lever, why in inert_levers(m).items():
            out.append((f"municipalities.{key}.{lever}", why))
    for key, g in (data.get("secondary_agreements") or {}).items():
        to = munis.get(g.get("to")) or {}
        staff = to.get("staff") or {}
        if to and not staff.get("coaches") and not staff.get("internship_coordinators"):
            out.append((f"secondary_agreements.{key}", f"its receiving municipality '{g.get('to')}' has no coaches "
                                                       "and no internship coordinators"))
    return out


def warnings_for(scenario, sources) -> list[str]:
    """The warnings of a loaded scenario as located lines ("file:line: key: warning: ..."); an
    inert lever only when one of the scenario's files (or --set) sets it, not when it is a default."""
    data = scenario.model_dump(by_alias=True)
    out = []
    for path, message in scenario_warnings(data):
        keys = tuple(path.split("."))
        where = sources.lines.get(keys)
        if where is None and len(keys) > 2 and keys[0] == "municipalities" and keys[2] in ("programme", "staff"):
            continue  # an inert default: nothing the user wrote
        file, line = where if where is not None else sources.locate(keys)
        loc = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        out.append(f"{loc}{path}: warning: {message}")
    return out
