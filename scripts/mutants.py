"""Switch off each registered extraction step, finisher and resolution rule in turn and
say which ones no test notices (``make mutants``; not in CI: it runs the tests once a step).

Usage:
    python scripts/mutants.py [NAME ...] [--tests PATH ...]

A step is *caught* when the tests fail with it switched off (``KG_DISABLE_STEPS``), and
*survives* when they pass: then no test pins what it does. Exit status 1 when any survives.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TESTS = [
    "tests/test_golden.py",
    "tests/test_steps_mentions.py",
    "tests/test_steps_events.py",
    "tests/test_steps_numbers.py",
    "tests/test_steps_speech.py",
    "tests/test_steps_relations.py",
    "tests/test_rules.py",
    "tests/test_extract.py",
    "tests/test_acceptance.py",
]


def registered() -> list[str]:
    import kg.extract  # registers the steps
    import kg.resolve  # noqa: F401 - registers the rules
    from kg.extract.steps import DEFAULT_FINISHERS, DEFAULT_STEPS
    from kg.resolve.world import DEFAULT_RULES

    return [*DEFAULT_STEPS, *DEFAULT_FINISHERS, *DEFAULT_RULES]


def caught(name: str, tests: list[str]) -> tuple[bool, float, str]:
    """Whether the tests fail with ``name`` switched off; seconds; the first failing test."""
    env = dict(os.environ, KG_DISABLE_STEPS=name)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    failed = next((line.split(" ")[1] for line in proc.stdout.splitlines() if line.startswith("FAILED ")), "")
    return proc.returncode != 0, seconds, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only these steps (default: every registered one)")
    parser.add_argument("--tests", nargs="+", default=[t for t in DEFAULT_TESTS if (ROOT / t).exists()])
    args = parser.parse_args()
    names = args.names or registered()
    survivors = []
    for name in names:
        hit, seconds, failed = caught(name, args.tests)
        print(f"{'caught  ' if hit else 'SURVIVES'} {name:32} {seconds:6.1f} s  {failed}", flush=True)
        if not hit:
            survivors.append(name)
    print(f"{len(names) - len(survivors)} of {len(names)} steps caught; survivors: {', '.join(survivors) or 'none'}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
