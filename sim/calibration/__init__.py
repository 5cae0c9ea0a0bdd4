"""Calibration and validation: targets as data, fitting, checking on held-out figures, sensitivity.

Data flows one way: target files and a calibration spec (YAML) -> validated objects -> model runs
with common random numbers -> figures per target -> objective, fit, report, fitted parameters.
"""
