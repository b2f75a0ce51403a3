"""Incremental evaluation: a run that reuses what an earlier run computed.

- ``cache``: per-map results (per-map Python rules, rule-file matches) cached by content
  hash under ``<workspace>/.probis-cache/``, and the run's results by block (``RunRecord``);
- ``ledger``: what a result keeps so that it can be re-evaluated by difference;
- ``delta``: the re-evaluation by difference after another SOTK or plan is put in force
  (``probis restructure``).

The full run (engine/runner.py) uses ``cache`` when given one; ``delta`` evaluates the
changed blocks through the runner's evaluation functions, so both compute the same thing.
"""
