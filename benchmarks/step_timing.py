"""Source of a benchmark child process's first lines: time each step ``helpers.neardup.families.pipeline`` calls.

A child script (run as ``python -c``) starts with :data:`PREAMBLE` and names the steps in ``steps``; each is wrapped
in place, so the CPU and wall seconds of every call of it add up in ``cpu[name]`` and ``wall[name]``. Used by
``families_speed.py`` and ``trace_speed.py``.
"""

PREAMBLE = """
import json, sys, time
from helpers.neardup.families import pipeline as P
def _time_steps(steps):
    cpu, wall = dict.fromkeys(steps, 0.0), dict.fromkeys(steps, 0.0)
    def timed(name, f):
        def run(*a, **k):
            c, w = time.process_time(), time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                cpu[name] += time.process_time() - c
                wall[name] += time.perf_counter() - w
        return run
    for name in steps:
        setattr(P, name, timed(name, getattr(P, name)))
    return cpu, wall
"""
