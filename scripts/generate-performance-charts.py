#!/usr/bin/env python3
"""The seed's command, kept: `python3 ./scripts/generate-performance-charts.py --current ... --output ...`.

The charts are drawn in Swift by `ollama-distributed charts` (docs/reports.md); this file only
hands its arguments, unchanged, to scripts/generate-performance-charts.sh, which checks them,
builds the binary when needed and runs it. Same flags, same exit codes.
"""
import os
import sys

script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generate-performance-charts.sh")
os.execv("/usr/bin/env", ["env", "bash", script, *sys.argv[1:]])
