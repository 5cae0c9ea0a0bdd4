"""The explorer's levers: which scenario values its controls change, in plain words, with the
schema's bounds; the changes as `--set` overrides; and a saved scenario that `extends:` the base.

No web code here: the app draws a control per lever, and everything a control can do to a
scenario goes through `overrides`, then the loader, which checks it like a file (docs/EXPLORER.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..config import Scenario
from ..config.annotate import unflatten
from ..config.schema import NAME_PATTERN, Programme, SecondaryAgreement, Staff


@dataclass(frozen=True)
class Lever:
    key: str                       # the schema's field name
    label: str                     # for people, with the Swedish term where the sources use it
    section: tuple[str, ...]       # where the field sits below a municipality ((), for the special ones)
    kind: str                      # "number", "switch" or "choice"
    group: str                     # the heading the control sits under
    help: str = ""
    step: float = 1.0
    practical_max: float | None = None  # a slider's top when the schema allows far more (never above it)
    percent: bool = False          # a share shown as per cent
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    model: type[BaseModel] | None = None  # the schema section that bounds it

    @property
    def integer(self) -> bool:
        """Whole steps: a slider of whole numbers (hours, weeks, places)."""
        return self.step == 1 and not self.percent

    def bounds(self) -> tuple[float, float]:
        """The schema's own bounds (pydantic's ge/le) of this field."""
        assert self.model is not None
        lo, hi = float("-inf"), float("inf")
        for m in self.model.model_fields[self.key].metadata:
            lo = float(getattr(m, "ge", lo))
            hi = float(getattr(m, "le", hi))
        return lo, hi

    def slider_range(self, base_value: float) -> tuple[float, float]:
        """The control's range: the schema's bounds, with a top that a slider can use (the
        practical maximum, or twice the base value if that is larger), never past the schema's."""
        lo, hi = self.bounds()
        if self.practical_max is not None:
            hi = min(hi, max(self.practical_max, 2 * float(base_value)))
        return lo, hi


PROGRAMME, STAFF, LINKS = "Programme", "Staff", "Validation and partners"

# The main levers of the issue, in the order a policy officer thinks of them. Sources of each
# lever: docs/ODD.md section 6 and the schema's descriptions (sim/config/schema.py).
LEVERS: list[Lever] = [
    Lever("hours_per_week", "Hours a week in the programme", ("programme",), "number", PROGRAMME,
          "Typical municipalities of 2006 offered under 20; full time is 40 (proposal 2).", 1, None, model=Programme),
    Lever("summer_break_weeks", "Summer break, weeks", ("programme",), "number", PROGRAMME,
          "Weeks of pause from July (proposal 4).", 1, None, model=Programme),
    Lever("summer_courses", "Summer courses instead of the break", ("programme",), "switch", PROGRAMME,
          "Courses or projects run through the summer (Sorsele's forest project).", model=Programme),
    Lever("allowance", "Support while in the programme", ("programme",), "choice", PROGRAMME,
          "Proposal 3: a wage-like allowance for following the plan, instead of means-tested social assistance.",
          choices=(("wage_like", "Wage-like allowance (introduktionsersättning)"),
                   ("social_assistance", "Social assistance (försörjningsstöd)")), model=Programme),
    Lever("income_offset", "Extra earnings deducted from support (inkomstavräkning)", ("programme",), "switch",
          PROGRAMME, "On: every krona earned is taken off the support, so extra work pays nothing.", model=Programme),
    Lever("alternate_sfi_with_internship", "SFI alternated with internships", ("programme",), "switch", PROGRAMME,
          "Language tuition in the mornings, an internship in the afternoons (Värnamo; proposal 5).", model=Programme),
    Lever("coaches", "Coaches (full-time)", ("staff",), "number", STAFF,
          "Staff who work with the refugees as coaches (proposal 1).", 0.5, 20, model=Staff),
    Lever("coach_share_at_employers", "Coaches' time at employers", ("staff",), "number", STAFF,
          "Share of the coaches' time spent with employers rather than at the office (proposal 1).",
          0.05, None, percent=True, model=Staff),
    Lever("internship_coordinators", "Internship coordinators (full-time)", ("staff",), "number", STAFF,
          "Staff who find internship places (Värnamo has three).", 0.1, 10, model=Staff),
    Lever("validation", "Validation of education", ("programme",), "choice", LINKS,
          "Proposal 8: a validation office, or one with university certification.",
          choices=(("none", "None"), ("office", "A validation office"),
                   ("university", "Office and university certification")), model=Programme),
    Lever("partnership", "Staffing-agency partnership", (), "switch", LINKS,
          "Referrals to the staffing agencies that recruit here, with their criteria published (proposal 6; "
          "Falkenberg and Manpower)."),
]
AGREEMENT = Lever("places_per_year", "places a year", (), "number", "Secondary agreements",
                  "Newcomers moved each year from an overloaded municipality to one with capacity (proposal 9).",
                  1, 100, model=SecondaryAgreement)
BY_KEY = {lever.key: lever for lever in LEVERS}


def lever_id(lever: Lever, owner: str) -> str:
    """A control's key in the changes: 'municipality:field', or 'agreement:name'."""
    return f"agreement:{owner}" if lever is AGREEMENT else f"{owner}:{lever.key}"


def _lever_of(lid: str) -> tuple[Lever, str]:
    owner, _, key = lid.partition(":")
    return (AGREEMENT, key) if owner == "agreement" else (BY_KEY[key], owner)


def agencies_in(scenario: Scenario, municipality: str) -> list[str]:
    """The staffing agencies that recruit in a municipality (a partnership is with them)."""
    return [a for a, ag in scenario.staffing_agencies.items() if municipality in ag.municipalities]


def base_value(scenario: Scenario, lid: str) -> Any:
    """A lever's value in the scenario as loaded."""
    lever, owner = _lever_of(lid)
    if lever is AGREEMENT:
        return scenario.secondary_agreements[owner].places_per_year
    if lever.key == "partnership":
        return any(owner in scenario.staffing_agencies[a].partner_municipalities for a in agencies_in(scenario, owner))
    node: Any = scenario.municipalities[owner]
    for k in lever.section:
        node = getattr(node, k)
    return getattr(node, lever.key)


def controls(scenario: Scenario, municipality: str) -> list[tuple[str, Lever]]:
    """(lever id, lever) of every control for one municipality, then one per secondary agreement."""
    out = [(lever_id(lever, municipality), lever) for lever in LEVERS
           if lever.key != "partnership" or agencies_in(scenario, municipality)]
    out += [(lever_id(AGREEMENT, a), AGREEMENT) for a in scenario.secondary_agreements]
    return out


def known(scenario: Scenario, lid: str) -> bool:
    """Whether a control's key belongs to this scenario (changes made for another base do not)."""
    owner = lid.partition(":")[0]
    municipality = next(iter(scenario.municipalities)) if owner == "agreement" else owner
    return municipality in scenario.municipalities and lid in dict(controls(scenario, municipality))


def effective(scenario: Scenario, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes that differ from the base (a control moved and moved back is no change);
    keys that are not this scenario's are left out."""
    return {lid: v for lid, v in sorted(changes.items()) if known(scenario, lid) and v != base_value(scenario, lid)}


def overrides(scenario: Scenario, changes: dict[str, Any]) -> list[tuple[str, Any]]:
    """The changes as `--set` overrides (dotted key path, value), as the loader takes them."""
    out: list[tuple[str, Any]] = []
    partners = {a: list(ag.partner_municipalities) for a, ag in scenario.staffing_agencies.items()}
    touched: set[str] = set()
    for lid, value in effective(scenario, changes).items():
        lever, owner = _lever_of(lid)
        if lever is AGREEMENT:
            out.append((f"secondary_agreements.{owner}.places_per_year", value))
        elif lever.key == "partnership":
            for a in agencies_in(scenario, owner):
                touched.add(a)
                partners[a] = [m for m in partners[a] if m != owner] + ([owner] if value else [])
        else:
            out.append((".".join(("municipalities", owner, *lever.section, lever.key)), value))
    out += [(f"staffing_agencies.{a}.partner_municipalities", partners[a]) for a in sorted(touched)]
    return out


def agreement_title(scenario: Scenario, name: str) -> str:
    """'Södertälje-like -> Gävleborg-like': a secondary agreement by its municipalities' labels."""
    g = scenario.secondary_agreements[name]
    label = lambda m: scenario.municipalities[m].label or m  # noqa: E731
    return f"{label(g.from_municipality)} -> {label(g.to_municipality)}"


def describe_change(scenario: Scenario, lid: str, value: Any) -> str:
    """'Summer break, weeks 4 -> 0' (with the municipality first where the scenario has several),
    for the saved file's description and the page."""
    lever, owner = _lever_of(lid)
    if lever is AGREEMENT:
        what = f"Secondary agreement {agreement_title(scenario, owner)}: {lever.label}"
    else:
        several = len(scenario.municipalities) > 1
        what = (f"{scenario.municipalities[owner].label or owner}: " if several else "") + lever.label
    return f"{what} {shown(lever, base_value(scenario, lid))} -> {shown(lever, value)}"


def shown(lever: Lever, value: Any) -> str:
    if lever.kind == "switch":
        return "on" if value else "off"
    if lever.kind == "choice":
        return dict(lever.choices).get(value, str(value))
    if lever.percent:
        return f"{100 * float(value):.0f} %"
    return f"{float(value):g}"


def valid_name(name: str) -> bool:
    """Whether `name` may be a scenario's name (it becomes part of results folders' names)."""
    return re.fullmatch(NAME_PATTERN, name) is not None


def explored_name(base: Scenario) -> str:
    """The variant's name: the base's with '-explored' (never the base's own, whatever its length)."""
    return f"{base.name[:55]}-explored"


def variant_overrides(base: Scenario, changes: dict[str, Any]) -> list[tuple[str, Any]]:
    """The overrides that make the explored variant: the changes, and a name and title of its own
    (a comparison of two scenarios of one name would be ambiguous)."""
    return overrides(base, changes) + [("name", explored_name(base)),
                                       ("title", f"{base.display_title}, explored"[:120])]


def extends_reference(base_file: Path, saved: Path, shipped_dir: Path) -> str:
    """How the saved file names its base: a shipped scenario by its file name (the loader finds
    it wherever the saved file is); any other file by its path relative to the saved file."""
    base_file = base_file.resolve()
    if base_file.parent == shipped_dir.resolve():
        return base_file.name
    try:
        return os.path.relpath(base_file, saved.resolve().parent)
    except ValueError:  # another drive (Windows)
        return str(base_file)


def scenario_yaml(base: Scenario, extends: str, changes: dict[str, Any], name: str,
                  when: dt.datetime | None = None) -> str:
    """A scenario file that `extends:` the base and sets only what the controls changed."""
    when = when or dt.datetime.now().astimezone()
    eff = effective(base, changes)
    lines = [" ".join(describe_change(base, lid, v).split()) for lid, v in eff.items()]
    title = " ".join(base.display_title.split())  # one line, whatever the file's title holds
    header = [f"# Made in the explorer on {when:%Y-%m-%d %H:%M} from {title} ({base.name}).",
              "# Every value not set here is the base scenario's; its sources are there.",
              *(f"#   {line}" for line in lines)]
    data: dict[str, Any] = {
        "extends": extends, "name": name, "title": f"{base.display_title}, explored"[:120],
        "description": (f"{base.display_title} with changes made in the explorer: " + "; ".join(lines) + "."
                        if lines else f"{base.display_title}, unchanged."),
    }
    data.update(unflatten((tuple(dotted.split(".")), v) for dotted, v in overrides(base, changes)))
    return "\n".join(header) + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
