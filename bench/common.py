"""What the benchmarks share: their knobs, the machine and commit they ran on, child processes,
cached databases, PostgreSQL scratch databases and the results file."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
META_TABLE = "pamong_bench_meta"


def int_env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine() -> dict[str, Any]:
    cpu_model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def read_meta(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(path)
    except sqlite3.Error:
        return None
    try:
        return dict(con.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())  # noqa: S608
    except sqlite3.Error:
        return None
    finally:
        con.close()


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def ms(seconds: float) -> float:
    return seconds * 1000


def p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


# --- The run's report ---------------------------------------------------------------------------


def new_report(benchmark: str, started: dt.datetime) -> dict[str, Any]:
    """What every report starts with: which benchmark, when, on which commit and machine."""
    return {
        "benchmark": benchmark,
        "started_at": started.isoformat(timespec="seconds"),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "machine": machine(),
    }


def provenance(report: dict[str, Any]) -> str:
    """The end of a table's last line: the commit, the machine and its load when the run began."""
    meta = report["machine"]
    return (
        f"commit {report['git_commit']}{' (dirty)' if report['git_dirty'] else ''}; {meta['cpu_count']} CPU, "
        f"{meta['cpu_model']}; load {meta['load_average_at_start']}"
    )


def save_results(report: dict[str, Any], name: str, started: dt.datetime) -> str:
    """Write the report to bench/results/<name>-<start>.json; returns that path, relative to the checkout."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{name}-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    return str(out.relative_to(ROOT))


# --- Child processes ----------------------------------------------------------------------------


def child_env(*, sqlite_path: Path | None = None, database_url: str | None = None, **settings: str) -> dict[str, str]:
    """The environment of a child process that uses this database and no other: PAMONG_ENV=test unless
    ``settings`` (more variables) says otherwise."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("SQLITE_PATH", None)
    if sqlite_path is not None:
        env["SQLITE_PATH"] = str(sqlite_path)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    env.update(
        {
            "PAMONG_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "pamong.settings",
            "LOG_LEVEL": env.get("BENCH_LOG_LEVEL", "WARNING"),
            **settings,
        }
    )
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def in_child(script: str, command: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run ``script command --out FILE *args`` in a child process; what it wrote to FILE, as JSON."""
    with tempfile.TemporaryDirectory(prefix="pamong-bench-") as tmp:
        out = Path(tmp) / "result.json"
        subprocess.run(
            [sys.executable, str(Path(script).resolve()), command, "--out", str(out), *args],
            cwd=ROOT,
            env=env,
            check=True,
        )
        result: dict[str, Any] = json.loads(out.read_text())
    return result


def measure_on_fresh_database(
    script: str, name: str, env_for: Callable[..., dict[str, str]], *args: str
) -> dict[str, Any]:
    """Run ``script measure *args`` in a child process on a database of its own: with DATABASE_URL set, a
    scratch database ``pamong_bench_<name>`` on that PostgreSQL server (migrated now, dropped afterwards,
    whatever happens); otherwise a copy of the cached migrated SQLite template var/bench/<name>-template,
    removed afterwards. ``env_for(sqlite_path=…)`` or ``env_for(database_url=…)`` is the child's environment."""
    if os.environ.get("DATABASE_URL"):
        database = f"pamong_bench_{name}"
        print(f"PostgreSQL: database {database} (migrated now, dropped afterwards)…", flush=True)
        with scratch_postgres(os.environ["DATABASE_URL"], database) as url:
            env = env_for(database_url=url)
            manage("migrate", "--noinput", "-v0", env=env)
            print("measuring…", flush=True)
            return in_child(script, "measure", env, *args)
    path = DB_DIR / f"{name}-run.sqlite3"
    remove_database(path)
    template = migrated_template(f"{name}-template.sqlite3", lambda building: env_for(sqlite_path=building))
    shutil.copyfile(template, path)
    try:
        print("SQLite: measuring…", flush=True)
        return in_child(script, "measure", env_for(sqlite_path=path), *args)
    finally:
        remove_database(path)


def setup_django() -> None:
    """For code that runs in a child process: Django on the database its environment names."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    import django

    django.setup()


# --- Cached SQLite databases --------------------------------------------------------------------


def migrations_fingerprint(*extra: Path) -> str:
    """The migrations (names and contents) and any ``extra`` file: a cached database built from other
    ones is rebuilt rather than measured stale."""
    digest = hashlib.sha256()
    for migration in sorted(ROOT.glob("pamong/*/migrations/[0-9]*.py")):
        digest.update(str(migration.relative_to(ROOT)).encode())
        digest.update(migration.read_bytes())
    for path in extra:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def write_meta(path: Path, meta: dict[str, str]) -> None:
    """Record how the database was built, and leave it as one self-contained file."""
    con = sqlite3.connect(path)
    try:
        con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        con.executemany(f"INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES (?, ?)", meta.items())  # noqa: S608
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def migrated_template(name: str, env_for: Callable[[Path], dict[str, str]]) -> Path:
    """An empty, migrated SQLite database var/bench/<name>, cached until the migrations change.
    ``env_for(path)`` is the environment ``migrate`` runs in."""
    path = DB_DIR / name
    wanted = {"fingerprint": migrations_fingerprint()}
    meta = read_meta(path)
    if meta is not None and meta.get("fingerprint") == wanted["fingerprint"]:
        return path
    print(f"building {path.relative_to(ROOT)} (migrate)…", flush=True)
    DB_DIR.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f"{path.name}.building-{os.getpid()}")
    remove_database(building)
    try:
        manage("migrate", "--noinput", "-v0", env=env_for(building))
        write_meta(building, wanted)
        remove_database(path)
        building.replace(path)
    finally:
        remove_database(building)
    return path


# --- PostgreSQL ---------------------------------------------------------------------------------


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_PG_URL") or "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_url(admin_url: str, database: str) -> str:
    """The same server as ``admin_url``, another database."""
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{database}"))


def postgres(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as con:
        con.execute(statement)


@contextlib.contextmanager
def scratch_postgres(admin_url: str, database: str) -> Iterator[str]:
    """A new, empty database on the server of ``admin_url`` (its URL), dropped afterwards whatever happens."""
    postgres(admin_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    postgres(admin_url, f"CREATE DATABASE {database}")
    try:
        yield postgres_url(admin_url, database)
    finally:
        postgres(admin_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
