"""How much an employee-list request costs, relative to /healthz, on the demo city at scale 1 and 10.

For each scale a separate SQLite database is built once with ``manage.py seed_kupang`` and cached
under var/bench/. Each scale is then measured in its own process (so the settings read that
database's SQLITE_PATH), with Django's test ``Client`` calling the application in-process: no
network and no server, only middleware, views, queries and templates.

Run alone: ``PAMONG_ENV=test .venv/bin/python bench/bench_employees.py``; or through bench/run.py.
Environment: BENCH_REQUESTS (timed requests per endpoint, default 200), BENCH_WARMUP (default 20),
BENCH_SCALES (default "1,10"), BENCH_REBUILD=1 (rebuild the cached databases).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import statistics
import time
from pathlib import Path
from typing import Any

from common import (
    DB_DIR,
    ROOT,
    child_env,
    in_child,
    int_env,
    manage,
    new_report,
    p95,
    provenance,
    read_meta,
    remove_database,
    save_results,
    setup_django,
    write_meta,
)

SEED = 2024
BENCH_USERNAME = "bench-bkpsdm"
SQL_SAMPLES = 9  # requests per endpoint for the query count and the SQL time (median)
SEED_COMMAND = ROOT / "pamong" / "organisation" / "management" / "commands" / "seed_kupang.py"

# name, path, needs the API bearer token
ENDPOINTS: list[tuple[str, str, bool]] = [
    ("healthz", "/healthz", False),
    ("list", "/organisasi/pegawai/", False),
    ("list_p20", "/organisasi/pegawai/?page=20", False),
    ("api_p20", "/api/v1/employees?page=20", True),
]


def _scales() -> list[int]:
    return [int(s) for s in (os.environ.get("BENCH_SCALES") or "1,10").split(",") if s.strip()]


# --- The cached databases ----------------------------------------------------------------------


def fingerprint() -> str:
    """What the cached data depends on: the seed command's source and the set of migrations.

    When either changes the cached database is rebuilt rather than measured stale.
    """
    digest = hashlib.sha256()
    digest.update(SEED_COMMAND.read_bytes() if SEED_COMMAND.exists() else b"seed_kupang absent")
    for migration in sorted(ROOT.glob("pamong/*/migrations/[0-9]*.py")):
        digest.update(str(migration.relative_to(ROOT)).encode())
    return digest.hexdigest()[:16]


def database_path(scale: int) -> Path:
    return DB_DIR / f"scale-{scale}.sqlite3"


def ensure_database(scale: int) -> dict[str, Any]:
    """The cached database for this scale, built (migrate + seed_kupang) if missing or stale."""
    path = database_path(scale)
    wanted = {"scale": str(scale), "seed": str(SEED), "fingerprint": fingerprint()}
    meta = read_meta(path)
    rebuild = os.environ.get("BENCH_REBUILD") == "1"
    if meta is not None and not rebuild and all(meta.get(k) == v for k, v in wanted.items()):
        return {"path": str(path), "reused": True, "built_at": meta.get("built_at"), "build_seconds": None}

    reason = "forced" if rebuild else ("missing" if meta is None else "stale (scale, seed or code changed)")
    print(f"building {path.relative_to(ROOT)}: {reason}; seed_kupang --scale {scale} --seed {SEED}", flush=True)
    DB_DIR.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f"{path.name}.building-{os.getpid()}")
    remove_database(building)
    started = time.perf_counter()
    try:
        # Always the SQLite file, whatever the shell says.
        env = child_env(sqlite_path=building)
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_kupang", "--scale", str(scale), "--seed", str(SEED), env=env)
        built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        write_meta(building, {**wanted, "built_at": built_at})
        remove_database(path)
        building.replace(path)
    finally:
        remove_database(building)
    seconds = round(time.perf_counter() - started, 1)
    print(f"built {path.relative_to(ROOT)} in {seconds} s", flush=True)
    return {"path": str(path), "reused": False, "built_at": built_at, "build_seconds": seconds}


# --- Measuring (runs in a child process, one per scale) ----------------------------------------


def _ms(nanoseconds: int) -> float:
    return nanoseconds / 1e6


class _SqlTimer:
    """Time spent in the database driver (CaptureQueriesContext rounds to whole milliseconds)."""

    def __init__(self) -> None:
        self.nanoseconds = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            self.nanoseconds += time.perf_counter_ns() - started


def measure(requests: int, warmup: int) -> dict[str, Any]:
    """Time the endpoints with Django's test Client, in this process, on the configured database."""
    setup_django()

    import gc

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pamong.organisation import services
    from pamong.organisation.models import OPD, Employee, Kelurahan, Position, Role, Unit, User
    from pamong.organisation.views import EMPLOYEES_PER_PAGE

    user = User.objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_USERNAME, password=None, full_name="Pengukur Kinerja BKPSDM")
    services.grant_role(user, Role.BKPSDM, by=None)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    services.revoke_api_tokens(user)  # one live token per run; old runs leave nothing behind
    token = services.issue_api_token(user).token

    browser = Client()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # An API consumer sends its bearer token and no session cookie.
    api_client = Client()
    clients = {name: api_client if bearer else browser for name, _p, bearer in ENDPOINTS}

    headers = {name: ({"HTTP_AUTHORIZATION": f"Bearer {token}"} if bearer else {}) for name, _p, bearer in ENDPOINTS}
    status: dict[str, int] = {}
    size: dict[str, int] = {}
    for name, path, _bearer in ENDPOINTS:
        response = clients[name].get(path, **headers[name])
        status[name] = response.status_code
        size[name] = len(response.content)
        for _ in range(warmup):
            clients[name].get(path, **headers[name])

    # Query counts (and the SQL time) come from separate requests: capturing slows the timed ones.
    queries: dict[str, int] = {}
    sql_ms: dict[str, float] = {}
    for name, path, _bearer in ENDPOINTS:
        totals = []
        for _ in range(SQL_SAMPLES):
            timer = _SqlTimer()
            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
                clients[name].get(path, **headers[name])
            queries[name] = len(captured.captured_queries)
            totals.append(_ms(timer.nanoseconds))
        sql_ms[name] = round(statistics.median(totals), 3)

    # Interleaved rounds, each starting at a different endpoint, so drift (heat, other load)
    # spreads over all endpoints instead of landing on the last one measured.
    samples: dict[str, list[float]] = {name: [] for name, _p, _b in ENDPOINTS}
    codes: dict[str, set[int]] = {name: set() for name, _p, _b in ENDPOINTS}
    gc.collect()
    for round_number in range(requests):
        k = round_number % len(ENDPOINTS)
        for name, path, _bearer in ENDPOINTS[k:] + ENDPOINTS[:k]:
            started = time.perf_counter_ns()
            response = clients[name].get(path, **headers[name])
            samples[name].append(_ms(time.perf_counter_ns() - started))
            codes[name].add(response.status_code)

    baseline = statistics.median(samples["healthz"])
    endpoints = {}
    for name, path, _bearer in ENDPOINTS:
        median = statistics.median(samples[name])
        endpoints[name] = {
            "path": path,
            "status": sorted(codes[name] | {status[name]}),
            "median_ms": round(median, 3),
            "p95_ms": round(p95(samples[name]), 3),
            "mean_ms": round(statistics.fmean(samples[name]), 3),
            "ratio": round(median / baseline, 2),
            "queries": queries[name],
            "sql_ms": sql_ms[name],
            "bytes": size[name],
        }
    employees = Employee.objects.count()
    return {
        "database_vendor": connection.vendor,
        "requests": requests,
        "warmup": warmup,
        "rows": {
            "employees": employees,
            "opd": OPD.objects.count(),
            "units": Unit.objects.count(),
            "positions": Position.objects.count(),
            "users": User.objects.count(),
            "kelurahan": Kelurahan.objects.count(),
        },
        "list_pages": math.ceil(employees / EMPLOYEES_PER_PAGE),
        "endpoints": endpoints,
    }


def measure_in_subprocess(scale: int, sqlite_path: Path, requests: int, warmup: int) -> dict[str, Any]:
    env = child_env(sqlite_path=sqlite_path)
    result = in_child(__file__, "measure", env, "--requests", str(requests), "--warmup", str(warmup))
    result["scale"] = scale
    return result


# --- Reporting ---------------------------------------------------------------------------------


def table(report: dict[str, Any]) -> str:
    header = f"{'scale':>5}  {'endpoint':<30} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'× healthz':>10} "
    header += f"{'queries':>7} {'sql ms':>7} {'KiB':>6}"
    lines = [header, "-" * len(header)]
    for entry in report["scales"]:
        for name, row in entry["endpoints"].items():
            status = ",".join(str(s) for s in row["status"])
            lines.append(
                f"{entry['scale']:>5}  {row['path']:<30} {status:>6} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} "
                f"{row['ratio']:>10.1f} {row['queries']:>7} {row['sql_ms']:>7.2f} {row['bytes'] / 1024:>6.1f}"
            )
            if row["status"] != [200]:
                lines.append(f"       ^ WARNING: {name} answered {status}, not 200; its figures measure something else")
        rows = ", ".join(f"{k} {v:,}" for k, v in entry["rows"].items())
        origin = "reused" if entry["database"]["reused"] else f"built in {entry['database']['build_seconds']} s"
        lines.append(f"       rows: {rows}; {entry['list_pages']} list pages; database {origin}")
        lines.append("")
    lines.append(
        f"{report['requests']} timed requests per endpoint (after {report['warmup']} warm-up), interleaved; "
        + provenance(report)
    )
    return "\n".join(lines)


def run() -> dict[str, Any]:
    requests = int_env("BENCH_REQUESTS", 200)
    warmup = int_env("BENCH_WARMUP", 20)
    started = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        **new_report("employees", started),
        "requests": requests,
        "warmup": warmup,
        "seed": SEED,
        "scales": [],
    }
    for scale in _scales():
        database = ensure_database(scale)
        print(f"measuring scale {scale} ({requests} requests per endpoint)…", flush=True)
        result = measure_in_subprocess(scale, Path(database["path"]), requests, warmup)
        result["database"] = database
        report["scales"].append(result)

    results_file = save_results(report, "employees", started)
    figures = {
        f"scale_{entry['scale']}": {name: row["ratio"] for name, row in entry["endpoints"].items()}
        for entry in report["scales"]
    }
    return {
        "table": table(report),
        "figures": {"ratio_to_healthz": figures},
        "results_file": results_file,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("measure", help="internal: measure the database in SQLITE_PATH, write JSON to --out")
    child.add_argument("--out", required=True, type=Path)
    child.add_argument("--requests", type=int, default=200)
    child.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    if args.command == "measure":
        args.out.write_text(json.dumps(measure(args.requests, args.warmup)))
        return
    result = run()
    print(result["table"])
    print(f"results: {result['results_file']}")


if __name__ == "__main__":
    main()
