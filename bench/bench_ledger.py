"""What the transparency ledger costs: appends under concurrency, and proofs in a log of 10^6 entries.

(a) Appends per second. For each count in BENCH_LEDGER_THREADS (default "1,8"), that many threads each
record BENCH_LEDGER_APPENDS acts (default 250), one transaction per act as a request would, through
``ledger.append_entry`` for Pemda rows made beforehand. The baseline is the same threads inserting the
same number of LedgerEntry-shaped rows (values prepared beforehand) into a plain table through the
ORM, one transaction each, in the same database in the same run. Rounds alternate which goes first
(BENCH_LEDGER_ROUNDS, default 3); the medians are reported. On SQLite (a fresh file under var/bench/)
and, when it answers, on PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres;
a database ``pamong_bench`` is created for the run and dropped after it, whatever happens).

(b) Proofs at 10^6. A log of BENCH_LEDGER_ENTRIES entries (default 1,000,000) is built once and cached as
var/bench/ledger-1e6.sqlite3: entries bulk-inserted with the ledger's own helpers (leaf input, leaf
hash, receipt code), then ``ledger.issue_checkpoint()`` builds the stored tree; both times are
reported. Then BENCH_LEDGER_PROOFS calls (default 200) each of ``ledger.inclusion_proof(random index, N)``
and ``ledger.consistency_proof(random m, N)``, interleaved with as many single-row INSERTs (one
transaction each) of a LedgerEntry-shaped row into a plain table of the same database.

Every measurement runs in a child process whose settings read SQLITE_PATH or DATABASE_URL, with
PAMONG_ENV=test and the signing key in var/bench/. Run alone: ``PAMONG_ENV=test .venv/bin/python
bench/bench_ledger.py``; or ``bench/run.py ledger``. BENCH_REBUILD=1 rebuilds the cached log;
BENCH_LEDGER_POSTGRES=0 skips PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from common import (
    DB_DIR,
    ROOT,
    child_env,
    in_child,
    int_env,
    manage,
    migrated_template,
    migrations_fingerprint,
    ms,
    new_report,
    p95,
    postgres_admin_url,
    provenance,
    read_meta,
    remove_database,
    save_results,
    scratch_postgres,
    setup_django,
    write_meta,
)

KEY_FILE = DB_DIR / "ledger-bench-ed25519.pem"
PG_DATABASE = "pamong_bench"
SEED = 2024
BENCH_KIND = "bench.pemda"
SYNTHETIC_KIND = "bench.synthetic"
PLAIN_TABLE = "bench_plain_entry"


# --- Child processes: each measures the database its environment names --------------------------


def ledger_env(*, sqlite_path: Path | None = None, database_url: str | None = None) -> dict[str, str]:
    return child_env(sqlite_path=sqlite_path, database_url=database_url, PAMONG_LEDGER_KEY_FILE=str(KEY_FILE))


def _plain_model() -> Any:
    """A plain table shaped like LedgerEntry (no unique index, no foreign key): the baseline's target."""
    from django.db import connection, models

    class PlainEntry(models.Model):
        index = models.PositiveBigIntegerField()
        kind = models.CharField(max_length=60)
        subject_type = models.CharField(max_length=60)
        subject_id = models.CharField(max_length=64)
        content_hash = models.CharField(max_length=64)
        actor_role = models.CharField(max_length=30)
        created_at = models.DateTimeField()
        leaf_input = models.TextField()
        leaf_hash = models.BinaryField(max_length=32)
        receipt_code = models.CharField(max_length=16)
        payload = models.JSONField(null=True)

        class Meta:
            app_label = "core"
            db_table = PLAIN_TABLE

        def __str__(self) -> str:
            return f"plain #{self.index}"

    _drop_plain_table()  # left over by a run that crashed
    with connection.schema_editor() as editor:
        editor.create_model(PlainEntry)
    return PlainEntry


def _drop_plain_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(PLAIN_TABLE)}")


def _entry_row(
    index: int, subject_type: str, subject_id: str, payload: dict[str, Any], moment: dt.datetime
) -> dict[str, Any]:
    """The row ``append_entry`` would store, computed with the ledger's own helpers."""
    from pamong.core import ledger, merkle

    digest = ledger.content_hash(payload)
    leaf_input = ledger.leaf_input_for(
        kind=BENCH_KIND,
        subject_type=subject_type,
        subject_id=subject_id,
        content_sha256=digest,
        actor_role="sistem",
        created_at=moment,
    )
    leaf = merkle.leaf_hash(leaf_input)
    return {
        "index": index,
        "kind": BENCH_KIND,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "content_hash": digest,
        "actor_role": "sistem",
        "created_at": moment,
        "leaf_input": leaf_input.decode(),
        "leaf_hash": leaf,
        "receipt_code": ledger.receipt_code_for(leaf, index),
        "payload": payload,
    }


def _pemda_payload(pemda: Any) -> dict[str, Any]:
    return {"code": pemda.code, "name": pemda.name}


def _race(workers: int, items: Sequence[Sequence[Any]], act: Callable[[Any], None]) -> float:
    """Start ``workers`` threads together, each doing its items one transaction at a time; wall seconds."""
    from django.db import connection, transaction

    start = threading.Barrier(workers + 1)
    errors: list[BaseException] = []

    def work(mine: Sequence[Any]) -> None:
        try:
            connection.ensure_connection()
            start.wait(timeout=60)
            for item in mine:
                with transaction.atomic():
                    act(item)
        except BaseException as error:  # re-raised by the main thread
            errors.append(error)
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(items[w],)) for w in range(workers)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed first: raised below
        start.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} worker(s) failed") from errors[0]
    return elapsed


def measure_appends(thread_counts: Sequence[int], appends: int, rounds: int) -> dict[str, Any]:
    setup_django()
    from django.db import connection
    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from pamong.core import ledger
    from pamong.core.models import LedgerEntry, LedgerNode
    from pamong.organisation.models import Pemda

    ledger.register_kind(BENCH_KIND, label="bench", model="organisation.Pemda", payload=_pemda_payload)
    plain = _plain_model()

    def append(pemda: Any) -> None:
        ledger.append_entry(BENCH_KIND, pemda, by=None)

    def insert(row: dict[str, Any]) -> None:
        plain.objects.create(**row)

    runs = []
    for threads in thread_counts:
        per_round = threads * appends
        # Subjects and baseline rows are made before the clock starts: only the recording is timed.
        pemdas = Pemda.objects.bulk_create(
            [
                Pemda(code=f"B{threads}.{r}.{t}.{j}", name=f"Pemda bench {threads}.{r}.{t}.{j}", short_name="bench")
                for r in range(rounds)
                for t in range(threads)
                for j in range(appends)
            ],
            batch_size=2000,
        )
        moment = timezone.now()
        rows = [_entry_row(i, "organisation.pemda", str(p.pk), _pemda_payload(p), moment) for i, p in enumerate(pemdas)]

        def slices(values: Sequence[Any], r: int, threads: int = threads, per_round: int = per_round) -> list[Any]:
            base = r * per_round
            return [values[base + t * appends : base + (t + 1) * appends] for t in range(threads)]

        seconds: dict[str, list[float]] = {"ledger": [], "plain": []}
        for r in range(rounds):
            order = [("plain", insert, rows), ("ledger", append, pemdas)]
            for name, act, values in order if r % 2 == 0 else order[::-1]:
                seconds[name].append(_race(threads, slices(values, r), act))
        rate = {name: per_round / statistics.median(values) for name, values in seconds.items()}
        runs.append(
            {
                "threads": threads,
                "seconds": seconds,
                "ledger_per_s": round(rate["ledger"], 1),
                "plain_per_s": round(rate["plain"], 1),
                "plain_over_ledger": round(rate["plain"] / rate["ledger"], 2),
            }
        )

    total = rounds * appends * sum(thread_counts)
    summary = LedgerEntry.objects.aggregate(n=Count("index", distinct=True), lo=Min("index"), hi=Max("index"))
    gap_free = summary == {"n": total, "lo": 0, "hi": total - 1} and ledger.ledger_size() == total
    started = time.perf_counter()
    checkpoint = ledger.issue_checkpoint()
    checkpoint_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = ledger.verify_ledger()
    verify_seconds = time.perf_counter() - started
    _drop_plain_table()
    return {
        "database_vendor": connection.vendor,
        "appends_per_thread": appends,
        "rounds": rounds,
        "runs": runs,
        "entries": total,
        "gap_free": gap_free,
        "checkpoint_size": checkpoint.size if checkpoint else 0,
        "checkpoint_seconds": round(checkpoint_seconds, 3),
        "nodes": LedgerNode.objects.count(),
        "verify_ok": report.ok,
        "verify_seconds": round(verify_seconds, 3),
        "verify_problem": report.problems[:1],
    }


def build_log(entries: int) -> dict[str, Any]:
    """Fill an empty, migrated database with a log of ``entries`` synthetic entries and sign it."""
    setup_django()
    from django.db import connection, transaction

    from pamong.core import ledger, merkle
    from pamong.core.models import LedgerEntry, LedgerHead, LedgerNode

    fields = [LedgerEntry._meta.get_field(name) for name in (
        "index", "kind", "subject_type", "subject_id", "content_hash", "actor_role", "created_at",
        "leaf_input", "leaf_hash", "receipt_code",
    )]  # fmt: skip
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(LedgerEntry._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    base = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
    leaves: list[bytes] = []
    started = time.perf_counter()
    chunk = 20000
    for first in range(0, entries, chunk):
        rows = []
        for i in range(first, min(entries, first + chunk)):
            moment = base + dt.timedelta(milliseconds=i)
            digest = ledger.content_hash({"n": i})
            leaf_input = ledger.leaf_input_for(
                kind=SYNTHETIC_KIND,
                subject_type="bench.synthetic",
                subject_id=str(i),
                content_sha256=digest,
                actor_role="sistem",
                created_at=moment,
            )
            leaf = merkle.leaf_hash(leaf_input)
            leaves.append(leaf)
            rows.append(
                (
                    i, SYNTHETIC_KIND, "bench.synthetic", str(i), digest, "sistem",
                    connection.ops.adapt_datetimefield_value(moment), leaf_input.decode(), leaf,
                    ledger.receipt_code_for(leaf, i),
                )
            )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        if first and first % 200_000 == 0:
            print(f"  {first:,} entries inserted", flush=True)
    LedgerHead.objects.update_or_create(pk=1, defaults={"size": entries, "built_size": 0})
    insert_seconds = time.perf_counter() - started
    print(f"  {entries:,} entries inserted in {insert_seconds:.1f} s; issue_checkpoint() builds the tree…", flush=True)
    started = time.perf_counter()
    checkpoint = ledger.issue_checkpoint()
    checkpoint_seconds = time.perf_counter() - started
    assert checkpoint is not None
    # The stored tree must give the root an independent in-memory tree gives.
    root_matches = merkle.root_hash(entries, merkle.PerfectNodes(leaves)) == bytes(checkpoint.root_hash)
    return {
        "entries": entries,
        "insert_seconds": round(insert_seconds, 1),
        "checkpoint_seconds": round(checkpoint_seconds, 1),
        "nodes": LedgerNode.objects.count(),
        "root_matches_in_memory_tree": root_matches,
    }


def measure_proofs(calls: int, warmup: int) -> dict[str, Any]:
    setup_django()
    import gc

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pamong.core import ledger, merkle
    from pamong.core.models import LedgerEntry

    size = ledger.ledger_size()
    checkpoint = ledger.latest_checkpoint()
    if checkpoint is None or checkpoint.size != size:
        raise RuntimeError(f"the cached log has {size} entries but its latest checkpoint does not cover them")
    root = bytes(checkpoint.root_hash)
    plain = _plain_model()
    rng = random.Random(SEED)
    row = _entry_row(0, "bench.synthetic", "0", {"n": 0}, timezone.now())

    def insert() -> None:
        with transaction.atomic():
            plain.objects.create(**row)

    def inclusion() -> list[bytes]:
        return ledger.inclusion_proof(rng.randrange(size), size)

    def consistency() -> list[bytes]:
        return ledger.consistency_proof(rng.randrange(1, size + 1), size)

    operations: dict[str, Callable[[], Any]] = {"insert": insert, "inclusion": inclusion, "consistency": consistency}
    queries = {}
    for name, operation in operations.items():
        for _ in range(warmup):
            operation()
        with CaptureQueriesContext(connection) as captured:
            operation()
        queries[name] = len(captured.captured_queries)

    # The proofs are right, not merely fast: a sample checked against the signed root.
    for index in rng.sample(range(size), 20):
        leaf = bytes(LedgerEntry.objects.get(index=index).leaf_hash)
        merkle.verify_inclusion(index, size, leaf, ledger.inclusion_proof(index, size), root)
    for first in rng.sample(range(1, size + 1), 20):
        merkle.verify_consistency(first, size, ledger.stored_root(first), root, ledger.consistency_proof(first, size))

    names = list(operations)
    samples: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    for round_number in range(calls):
        k = round_number % len(names)
        for name in names[k:] + names[:k]:
            started = time.perf_counter()
            operations[name]()
            samples[name].append(time.perf_counter() - started)
    _drop_plain_table()
    baseline = statistics.median(samples["insert"])
    return {
        "database_vendor": connection.vendor,
        "entries": size,
        "calls": calls,
        "operations": {
            name: {
                "median_ms": round(ms(statistics.median(values)), 3),
                "p95_ms": round(ms(p95(values)), 3),
                "ratio": round(statistics.median(values) / baseline, 2),
                "queries": queries[name],
            }
            for name, values in samples.items()
        },
    }


# --- The databases -----------------------------------------------------------------------------


def template() -> Path:
    """An empty, migrated SQLite database, cached until the migrations change."""
    return migrated_template("ledger-template.sqlite3", lambda building: ledger_env(sqlite_path=building))


def fresh_sqlite(name: str) -> Path:
    path = DB_DIR / name
    remove_database(path)
    shutil.copyfile(template(), path)
    return path


def log_path(entries: int) -> Path:
    return DB_DIR / ("ledger-1e6.sqlite3" if entries == 10**6 else f"ledger-{entries}.sqlite3")


def ensure_log(entries: int) -> dict[str, Any]:
    """The cached log of ``entries`` entries, built (and its build timed) if missing or stale."""
    path = log_path(entries)
    wanted = {
        "entries": str(entries),
        # The schema and the tree's shape; the proofs read only nodes, so the leaf format is not in it.
        "fingerprint": migrations_fingerprint(ROOT / "pamong" / "core" / "merkle.py"),
    }
    meta = read_meta(path)
    if meta is not None and os.environ.get("BENCH_REBUILD") != "1" and all(meta.get(k) == v for k, v in wanted.items()):
        return {"path": str(path), "reused": True, **json.loads(meta["build"])}
    print(f"building {path.relative_to(ROOT)} ({entries:,} entries)…", flush=True)
    building = path.with_name(f"{path.name}.building-{os.getpid()}")
    remove_database(building)
    shutil.copyfile(template(), building)
    try:
        build = in_child(__file__, "build-log", ledger_env(sqlite_path=building), "--entries", str(entries))
        build["built_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        write_meta(building, {**wanted, "build": json.dumps(build)})
        remove_database(path)
        building.replace(path)
    finally:
        remove_database(building)
    return {"path": str(path), "reused": False, **build}


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    if os.environ.get("BENCH_LEDGER_POSTGRES") == "0":
        return "skipped (BENCH_LEDGER_POSTGRES=0)"
    try:
        import psycopg

        with psycopg.connect(postgres_admin_url(), connect_timeout=3) as con:
            con.execute("SELECT 1")
    except Exception as error:  # any failure only means: no PostgreSQL figures
        return f"not reachable: {error}".splitlines()[0]
    return None


# --- The run -----------------------------------------------------------------------------------


def appends_on_every_database(threads: list[int], appends: int, rounds: int) -> list[dict[str, Any]]:
    args = ("--threads", ",".join(map(str, threads)), "--appends", str(appends), "--rounds", str(rounds))
    results = []
    print(f"appends on SQLite: {threads} threads × {appends} acts × {rounds} rounds…", flush=True)
    path = fresh_sqlite("ledger-appends.sqlite3")
    try:
        results.append(in_child(__file__, "measure-appends", ledger_env(sqlite_path=path), *args))
    finally:
        remove_database(path)
    why_not = postgres_reachable()
    if why_not is not None:
        results.append({"database_vendor": "postgresql", "skipped": why_not})
        return results
    print(f"appends on PostgreSQL (database {PG_DATABASE}, dropped afterwards)…", flush=True)
    with scratch_postgres(postgres_admin_url(), PG_DATABASE) as url:
        env = ledger_env(database_url=url)
        manage("migrate", "--noinput", "-v0", env=env)
        results.append(in_child(__file__, "measure-appends", env, *args))
    return results


def table(report: dict[str, Any]) -> str:
    a = report["appends"]
    settings = report["append_settings"]
    lines = [
        f"(a) appends/s: T threads × {settings['appends']} acts each, one transaction per act; "
        f"median of {settings['rounds']} rounds; plain = the same rows into a plain table",
    ]
    header = f"{'database':<11} {'threads':>7} {'ledger/s':>9} {'plain/s':>9} {'plain÷ledger':>13}"
    lines += [header, "-" * len(header)]
    for result in a:
        if "skipped" in result:
            lines.append(f"{result['database_vendor']:<11} {result['skipped']}")
            continue
        for row in result["runs"]:
            lines.append(
                f"{result['database_vendor']:<11} {row['threads']:>7} {row['ledger_per_s']:>9,.0f} "
                f"{row['plain_per_s']:>9,.0f} {row['plain_over_ledger']:>13.2f}"
            )
        lines.append(
            f"{'':<11} afterwards: {result['entries']:,} entries, indices gap-free: "
            f"{'yes' if result['gap_free'] else 'NO'}; issue_checkpoint() {result['checkpoint_seconds']:.2f} s; "
            f"verify_ledger() {'ok' if result['verify_ok'] else 'FAILED ' + str(result['verify_problem'])} "
            f"in {result['verify_seconds']:.2f} s"
        )
    b = report["proofs"]
    log = b["log"]
    origin = "reused" if log["reused"] else "built now"
    lines += [
        "",
        f"(b) proofs at {log['entries']:,} entries ({b['database_vendor']}; log {origin}: entries inserted in "
        f"{log['insert_seconds']} s, issue_checkpoint() built {log['nodes']:,} nodes in {log['checkpoint_seconds']} s; "
        f"root matches an in-memory tree: {log['root_matches_in_memory_tree']})",
    ]
    header = f"{'operation':<34} {'median ms':>10} {'p95 ms':>8} {'× insert':>9} {'queries':>8}"
    lines += [header, "-" * len(header)]
    labels = {
        "insert": "plain INSERT of one row (+commit)",
        "inclusion": "inclusion_proof(random i, N)",
        "consistency": "consistency_proof(random m, N)",
    }
    for name, row in b["operations"].items():
        lines.append(
            f"{labels[name]:<34} {row['median_ms']:>10.3f} {row['p95_ms']:>8.3f} {row['ratio']:>9.2f} "
            f"{row['queries']:>8}"
        )
    lines += ["", f"{b['calls']} timed calls per operation, interleaved; " + provenance(report)]
    return "\n".join(lines)


def run() -> dict[str, Any]:
    threads = [int(t) for t in (os.environ.get("BENCH_LEDGER_THREADS") or "1,8").split(",") if t.strip()]
    appends = int_env("BENCH_LEDGER_APPENDS", 250)
    rounds = int_env("BENCH_LEDGER_ROUNDS", 3)
    entries = int_env("BENCH_LEDGER_ENTRIES", 10**6)
    calls = int_env("BENCH_LEDGER_PROOFS", 200)
    started = dt.datetime.now(dt.UTC)
    report = new_report("ledger", started)
    report["append_settings"] = {"threads": threads, "appends": appends, "rounds": rounds}
    report["appends"] = appends_on_every_database(threads, appends, rounds)
    log = ensure_log(entries)
    print(f"proofs at {entries:,} entries ({calls} calls each)…", flush=True)
    proofs = in_child(
        __file__, "measure-proofs", ledger_env(sqlite_path=Path(log["path"])), "--calls", str(calls), "--warmup", "20"
    )
    proofs["log"] = log
    report["proofs"] = proofs

    results_file = save_results(report, "ledger", started)
    figures = {
        "appends_plain_over_ledger": {
            f"{result['database_vendor']}_{row['threads']}_threads": row["plain_over_ledger"]
            for result in report["appends"]
            if "skipped" not in result
            for row in result["runs"]
        },
        "proof_ratio_to_insert": {name: row["ratio"] for name, row in proofs["operations"].items() if name != "insert"},
    }
    return {"table": table(report), "figures": figures, "results_file": results_file}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    appends = sub.add_parser("measure-appends", help="internal: race appends against plain inserts")
    appends.add_argument("--out", required=True, type=Path)
    appends.add_argument("--threads", default="1,8", help="thread counts, comma-separated")
    appends.add_argument("--appends", type=int, default=250)
    appends.add_argument("--rounds", type=int, default=3)
    build = sub.add_parser("build-log", help="internal: fill the configured database with a signed log")
    build.add_argument("--out", required=True, type=Path)
    build.add_argument("--entries", type=int, default=10**6)
    proofs = sub.add_parser("measure-proofs", help="internal: time proofs against a plain insert")
    proofs.add_argument("--out", required=True, type=Path)
    proofs.add_argument("--calls", type=int, default=200)
    proofs.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    if args.command == "measure-appends":
        counts = [int(t) for t in args.threads.split(",")]
        args.out.write_text(json.dumps(measure_appends(counts, args.appends, args.rounds), default=str))
    elif args.command == "build-log":
        args.out.write_text(json.dumps(build_log(args.entries)))
    elif args.command == "measure-proofs":
        args.out.write_text(json.dumps(measure_proofs(args.calls, args.warmup)))
    else:
        result = run()
        print(result["table"])
        print(f"results: {result['results_file']}")


if __name__ == "__main__":
    main()
