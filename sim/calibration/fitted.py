"""Write `calibration/fitted/<name>.yaml`: the fitted behavioural values and what they rest on.

Scenarios name the file (`parameters: fitted/<name>.yaml`); its `calibration:` block says which
spec, targets, budget and seeds produced it, so a reader of a scenario can trace every fitted
number to the figures it was fitted to.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from ..config.annotate import unflatten
from .observation import DISCREPANCY


def _nested(values: dict[str, float]) -> dict:
    """'behaviour.x.y' values as the nested mapping below `behaviour:`."""
    return unflatten((tuple(path.split(".")[1:]), v) for path, v in values.items())


def behaviour_block(values: dict[str, float], comments: dict[str, str]) -> str:
    """`behaviour:` built by hand so that each value carries its comment."""
    lines = ["behaviour:"]

    def emit(node: dict, prefix: str, indent: int):
        for k, v in node.items():
            path = f"{prefix}.{k}"
            if isinstance(v, dict):
                lines.append(" " * indent + f"{k}:")
                emit(v, path, indent + 2)
            else:
                lines.append(" " * indent + f"{k}: {yaml.safe_dump(v).strip().removesuffix('...').strip()}"
                             f"  # {comments.get(path, '')}")
    emit(_nested(values), "behaviour", 2)
    return "\n".join(lines) + "\n"


def fitted_yaml(spec, spec_file: str, analysis: dict, log, command: str, report: str | None,
                named_as: str | None = None) -> str:
    """The file's text: a header, the `calibration:` block, then `behaviour:` with a comment per value.
    `named_as`: how a scenario's `parameters:` names this file (its path inside calibration/, or the
    path it was written to)."""
    targets = list(analysis["targets"])
    head = [
        f"# Fitted behavioural parameters: written by `{command}` on {dt.date.today().isoformat()}.",
        f"# Scenarios that rest on this calibration say `parameters: {named_as or f'fitted/{spec.name}.yaml'}`.",
        "# Do not edit by hand: change the spec or the targets and fit again.",
    ]
    block = {
        "spec": spec_file, "description": " ".join(spec.description.split()), "fitted_on": dt.date.today().isoformat(),
        "targets": targets, "objective": round(float(analysis["best_objective"]), 4),
        "evaluations": len(log.evaluations), "generations": log.generations,
        "replicates_per_evaluation": spec.replicates, "seed": spec.seed,
        "stopped_early": bool(log.stopped_early), "report": report,
    }
    text = "\n".join(head) + "\n" + yaml.safe_dump({"calibration": block}, sort_keys=False, allow_unicode=True)
    comments = {}
    for name in analysis["fitted"]:
        reg = analysis["region"][name]
        p = spec.parameters[name]
        flags = [w["kind"] for w in analysis["warnings"] if w.get("parameter") == name]
        comments[name] = (f"fitted; bounds [{p.low:g}, {p.high:g}]; ~68 % region [{reg['lo']:.4g}, {reg['hi']:.4g}]"
                          + (f"; prior {p.prior.mean:g} ± {p.prior.sd:g}" if p.prior else "")
                          + (f"; WARNING: {', '.join(flags)}" if flags else ""))
    for name in spec.base_parameters:
        comments[name] = "held fixed by the spec (base_parameters), not fitted"
    values = {**spec.base_parameters, **analysis["fitted"]}
    return text + behaviour_block(values, comments)


def write_atomic(path: Path, text: str) -> None:
    """Write beside the destination and rename: an interrupted write leaves the old file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def versions() -> dict[str, str]:
    """The libraries a Bayesian calibration's result depends on, as installed."""
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for name in ("refugee-introduction-sim", "scikit-learn", "emcee", "numpy", "scipy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def posterior_fitted_yaml(spec, spec_file: str, analysis: dict, log, command: str, report: str | None,
                          named_as: str, ensemble_file: str, ensemble_size: int, point: dict[str, float],
                          wall_s: float) -> str:
    """A Bayesian calibration's fitted file: `behaviour:` holds the point estimate (the ensemble's
    member of highest posterior density; what `--parameters point` runs), `calibration.ensemble`
    names the file of parameter sets every other run draws from."""
    head = [
        f"# Fitted behavioural parameters: written by `{command}` on {dt.date.today().isoformat()}.",
        f"# Scenarios that rest on this calibration say `parameters: {named_as}`; their replicates draw",
        f"# parameter sets from the posterior ensemble ({ensemble_file}); `--parameters point` runs the values below.",
        "# Do not edit by hand: change the spec or the targets and fit again.",
    ]
    block = {
        "spec": spec_file, "description": " ".join(spec.description.split()), "fitted_on": dt.date.today().isoformat(),
        "method": "history_matching", "targets": list(analysis["targets"]),
        "ensemble": ensemble_file, "ensemble_size": ensemble_size,
        "waves": len(log.waves), "design_points": int(sum(w["points"] for w in log.waves)),
        "replicates_per_point": spec.replicates, "seed": spec.seed,
        # the observation error's model-discrepancy sd per family, on the targets' scales
        "discrepancy": {**DISCREPANCY, **spec.discrepancy},
        "in_sample": {k: analysis.get("summary", {}).get(k) for k in ("scored", "inside_50", "inside_90")},
        "mcmc": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in analysis["mcmc"].items()},
        "libraries": versions(), "wall_s": round(wall_s, 1),
        "design_points_from_store": log.from_store,  # simulated by an earlier call: not in wall_s
        "report": report,
    }
    text = "\n".join(head) + "\n" + yaml.safe_dump({"calibration": block}, sort_keys=False, allow_unicode=True)
    comments = {}
    for name, p in analysis["parameters"].items():
        fp = spec.parameters[name]
        comments[name] = (f"point estimate; posterior median {p['median']:.4g}, 90 % [{p['lo']:.4g}, {p['hi']:.4g}]; "
                          f"bounds [{fp.low:g}, {fp.high:g}]"
                          + (f"; prior {fp.prior.mean:g} ± {fp.prior.sd:g}" if fp.prior else "; prior uniform")
                          + ("; WARNING: unconstrained by the targets" if p["unconstrained"] else ""))
    for name in spec.base_parameters:
        comments[name] = "held fixed by the spec (base_parameters), not fitted"
    from .fit import round_sig
    values = {**spec.base_parameters, **{k: round_sig(v) for k, v in point.items()}}
    return text + behaviour_block(values, comments)
