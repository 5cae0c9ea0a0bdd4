#!/usr/bin/env python3
"""Command-line entry point; see `python run.py --help` and sim/cli.py."""

import sys

from sim.cli import main

if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.exit(0)
