#!/usr/bin/env python3
"""Medians of a hyperfine --export-json file, and the ratio of the first
command's median to the second's (the charter quotes medians and ratios).

Usage: hyperfine-medians.py RESULT.json
"""
import json
import statistics
import sys

results = json.load(open(sys.argv[1]))["results"]
medians = [statistics.median(r["times"]) for r in results]
for r, m in zip(results, medians):
    runs = " ".join("%.3f" % t for t in r["times"])
    print("%-12s median %.3f s  (runs: %s)" % (r["command"][:12], m, runs))
if len(results) >= 2:
    a, b = results[0]["command"][:12], results[1]["command"][:12]
    print("ratio %s / %s = %.3f" % (a, b, medians[0] / medians[1]))
