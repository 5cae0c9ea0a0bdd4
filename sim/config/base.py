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
