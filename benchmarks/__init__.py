"""Benchmark scripts (run them as files: `python benchmarks/bench.py`); a package so that they
can share code and the tests can import them."""
