"""Run every benchmark in bench/ (``make bench``).

Each ``bench/bench_*.py`` module exposes ``run() -> dict``. A benchmark reports figures; it never
judges them. This runner prints what each one returns and exits non-zero only when a benchmark
crashes. ``python bench/run.py employees`` runs only the benchmarks whose name contains "employees".
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[Path]:
    paths = sorted(BENCH_DIR.glob("bench_*.py"))
    if selected:
        paths = [p for p in paths if any(word in p.stem for word in selected)]
    return paths


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"pamong_bench.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def show(name: str, result: dict[str, Any], seconds: float) -> None:
    print(f"\n=== {name} ({seconds:.1f} s) ===")
    table = result.get("table")
    if table:
        print(table)
    rest = {key: value for key, value in result.items() if key != "table"}
    if "figures" in rest:
        print(json.dumps(rest["figures"], indent=2, ensure_ascii=False, default=str))
    if "results_file" in rest:
        print(f"results: {rest['results_file']}")
    if not table and "figures" not in rest:
        print(json.dumps(rest, indent=2, ensure_ascii=False, default=str))


def main(argv: list[str]) -> int:
    paths = discover(argv)
    if not paths:
        print("no benchmark matched", file=sys.stderr)
        return 2
    crashed: list[str] = []
    for path in paths:
        name = path.stem.removeprefix("bench_")
        print(f"--- running {name} ---", flush=True)
        started = time.perf_counter()
        try:
            result = load(path).run()
        except Exception:  # report every crash, then carry on with the other benchmarks
            traceback.print_exc()
            crashed.append(name)
            continue
        show(name, result, time.perf_counter() - started)
    if crashed:
        print(f"\ncrashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
