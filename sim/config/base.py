"""Base class of every configuration section: typed, immutable, unknown keys rejected."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    # Unknown keys are refused (a typo fails loudly); so are NaN and infinities in any number.
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)


def deep_merge(base: dict, override: dict) -> dict:
    """`override` laid over `base`: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def per_year_counts(value: float | list[float], years: int) -> list[int]:
    """Arrivals each simulated year from a number for every year or a list, one per year (later
    years none), rounded to whole people."""
    values = value if isinstance(value, list) else [value] * years
    return [int(round(x)) for x in values[:years]] + [0] * max(0, years - len(values))
