"""The shipped scenarios and calibration files, installed as package data (see pyproject.toml).

In a source checkout they are the project's top-level `scenarios/` and `calibration/` folders;
`sim.config.paths` finds them either way.
"""
