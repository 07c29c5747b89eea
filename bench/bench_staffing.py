"""What the quota costs when many submit at once for its last places (issue 6, item 11).

``services.submit_proposal`` locks every version row of the proposal's policy period, counts the
proposals holding a place in the quota group and accepts or refuses. BENCH_STAFFING_WORKERS worker
processes (default 8, each with its own database connection) start together behind a sync file and
each submits BENCH_STAFFING_PER_WORKER drafts (default 8) one after another, every post in an OPD of
its own. Three contenders, the same number of attempts each:

- ``last places``: the 2024 pre-election period (eselon II ≤ 3, eselon III + IV ≤ 15), eselon IV posts,
  with BENCH_STAFFING_REMAINING places left (default 4): the workers race for them, the rest are
  refused with the quota's message. Before each round the holders are withdrawn and the quota filled
  again up to the remaining places (untimed).
- ``quota, room for all``: a second period whose eselon III + IV quota has room for every attempt, so
  every submission counts the holders and is accepted (holders withdrawn before each round).
- ``no quota check``: a third period without quotas, eselon IV posts: the same service, the same lock
  of the period's rows, no count, every submission accepted.

BENCH_STAFFING_ROUNDS rounds (default 3), the order of the contenders turning every round; medians
are reported. Submissions per second = attempts of the round ÷ (last finish − first start). After
each ``last places`` round the holders are counted (exactly the quota, or the run says so), and
``verify_ledger()`` runs at the end.

Database: a fresh SQLite file (a copy of a migrated template cached under var/bench/; WAL and BEGIN
IMMEDIATE as in settings) unless DATABASE_URL is set; then a database ``pamong_bench_staffing`` is
created on that PostgreSQL server for the run and dropped after it, whatever happens.

Run: ``PAMONG_ENV=test .venv/bin/python bench/run.py staffing`` (SQLite), or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`` in front (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    ROOT,
    child_env,
    int_env,
    measure_on_fresh_database,
    ms,
    new_report,
    p95,
    provenance,
    save_results,
    setup_django,
)

DAY = dt.date(2024, 10, 17)  # before the queue date: the quotas apply
LIMIT = 15  # eselon III + IV
CONTENDERS = ("last", "room", "none")
LABELS = {
    "last": "last places (quota, refusals)",
    "room": "quota, room for all",
    "none": "no quota check",
}


# --- The workers: each submits its drafts, round after round ------------------------------------


def _wait_for(path: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.002)


def worker(sync: Path, name: str) -> None:
    setup_django()
    from django.core.exceptions import ValidationError
    from django.db import connection

    from pamong.organisation.models import User
    from pamong.staffing import services
    from pamong.staffing.models import Proposal

    plan = json.loads((sync / f"plan-{name}.json").read_text())
    by = User.objects.get(pk=plan["by"])
    rounds = [[Proposal.objects.get(pk=pk) for pk in ids] for ids in plan["rounds"]]
    (sync / f"ready-{name}").touch()
    for number, drafts in enumerate(rounds):
        _wait_for(sync / f"go-{number}")
        outcomes = []
        for draft in drafts:
            started = time.monotonic()
            try:
                services.submit_proposal(draft, by=by, today=DAY)
                kind = "accepted"
            except ValidationError as refused:
                kind = "quota" if "sudah penuh" in " ".join(refused.messages) else "refused"
            except Exception as error:  # counted, not fatal: the run reports it
                kind = f"error: {error!r}"
            outcomes.append({"proposal": draft.pk, "kind": kind, "start": started, "end": time.monotonic()})
        (sync / f"result-{number}-{name}.json").write_text(json.dumps(outcomes))
        (sync / f"done-{number}-{name}").touch()
    connection.close()


# --- The orchestrator: data, rounds, what they did ----------------------------------------------


def measure(workers: int, per_worker: int, remaining: int, rounds: int) -> dict[str, Any]:
    setup_django()
    from django.db import connection

    from pamong.core import ledger
    from pamong.organisation.models import OPD, Pemda, Position, Role, RoleGrant, User
    from pamong.staffing import services
    from pamong.staffing.models import PolicyPeriod, Proposal

    attempts = workers * per_worker
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    opds = [
        OPD.objects.create(pemda=pemda, code=f"opd-{n:03d}", name=f"Dinas {n:03d}", kind="dinas")
        for n in range(attempts)
    ]
    by = User.objects.create(username="bench-bkpsdm", full_name="Analis Kepegawaian")
    RoleGrant.objects.create(user=by, role=Role.BKPSDM)
    quotas = [
        {"code": "eselon_ii", "label": "eselon II", "levels": ["jpt_pratama"], "limit": 3},
        {
            "code": "eselon_iii_iv",
            "label": "eselon III dan IV",
            "levels": ["administrator", "pengawas"],
            "limit": LIMIT,
        },
    ]
    common = {
        "approval_levels": ["jpt_pratama", "administrator", "pengawas"],
        "quota_source": "Arahan Kemendagri 2024",
        "others_from": dt.date(2024, 12, 1),
        "frees_on_withdrawal": True,
    }
    election = services.create_period(
        by=by, code="pra-pilkada-2024", name="Masa pra-Pilkada 2024", starts_on=dt.date(2024, 3, 22),
        quotas=quotas, **common,
    )  # fmt: skip
    made = 0

    def drafts(level: str, count: int) -> list[Proposal]:
        nonlocal made
        out = []
        for n in range(count):
            made += 1
            post = Position.objects.create(
                opd=opds[n % attempts],
                name=f"Jabatan {made:04d}",
                level=level,
                grade="IV.a" if level == "pengawas" else "",
            )
            vacancy = services.open_vacancy(post, by=by, since=dt.date(2024, 9, 1), reason="pensiun")
            out.append(services.draft_proposal(vacancy, by=by, urgency=["pa_kpa"], justification="", today=DAY))
        return out

    # Every draft beforehand: the race drafts of each contender and round, and the prefills.
    print(f"  drafting {rounds * (3 * attempts + LIMIT - remaining)} proposals…", flush=True)
    race: dict[str, list[list[Proposal]]] = {
        "last": [drafts("pengawas", attempts) for _r in range(rounds)],
    }
    prefill = [drafts("pengawas", LIMIT - remaining) for _r in range(rounds)]
    roomy = services.create_period(
        by=by, code="bench-kuota-longgar", name="Periode uji: kuota longgar", starts_on=dt.date(2024, 3, 23),
        quotas=[{**quotas[1], "limit": 10**6}], **common,
    )  # fmt: skip
    race["room"] = [drafts("pengawas", attempts) for _r in range(rounds)]  # drafted under the roomy period
    assert all(d.period_code == roomy.code for d in race["room"][0])
    free = services.create_period(
        by=by, code="bench-tanpa-kuota", name="Periode uji: tanpa kuota", starts_on=dt.date(2024, 3, 24),
        quotas=[], **common,
    )  # fmt: skip
    race["none"] = [drafts("pengawas", attempts) for _r in range(rounds)]  # drafted under the quota-free period
    assert all(d.period_code == free.code for d in race["none"][0])
    assert all(d.period_code == election.code for d in race["last"][0])

    def holders(period: PolicyPeriod) -> list[Proposal]:
        return list(Proposal.objects.filter(period_code=period.code, counts_against_quota=True))

    def free_the_quota(period: PolicyPeriod) -> None:
        for proposal in holders(period):
            services.withdraw(proposal, by=by, reason="Bangku uji: kuota dikosongkan", today=DAY)

    schedule = [CONTENDERS[n % 3 :] + CONTENDERS[: n % 3] for n in range(rounds)]
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in CONTENDERS}
    with tempfile.TemporaryDirectory(prefix="pamong-bench-staffing-") as tmp:
        sync = Path(tmp)
        # One plan per worker: for each race (round × contender, in the schedule's order) its share.
        races = [(number, name) for number in range(rounds) for name in schedule[number]]
        for w in range(workers):
            shares = [[d.pk for d in race[name][number][w::workers]] for number, name in races]
            (sync / f"plan-w{w}.json").write_text(json.dumps({"by": by.pk, "rounds": shares}))
        env = dict(os.environ)
        children = [
            subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "worker", "--sync", tmp, "--name", f"w{w}"],
                cwd=ROOT,
                env=env,
            )
            for w in range(workers)
        ]
        try:
            deadline = time.monotonic() + 120
            while len(list(sync.glob("ready-*"))) < workers:
                if time.monotonic() > deadline or any(c.poll() is not None for c in children):
                    raise RuntimeError("a worker did not start")
                time.sleep(0.01)
            for step, (number, name) in enumerate(races):
                # Untimed: the quota as the contender needs it.
                if name == "last":
                    free_the_quota(election)
                    for draft in prefill[number]:
                        services.submit_proposal(draft, by=by, today=DAY)
                elif name == "room":
                    free_the_quota(roomy)
                connection.close()
                print(f"  round {number + 1}/{rounds}: {LABELS[name]}…", flush=True)
                (sync / f"go-{step}").touch()
                while len(list(sync.glob(f"done-{step}-*"))) < workers:
                    if any(c.poll() not in (None, 0) for c in children):
                        raise RuntimeError("a worker crashed")
                    time.sleep(0.005)
                outcomes = []
                for w in range(workers):
                    outcomes += json.loads((sync / f"result-{step}-w{w}.json").read_text())
                held = len(holders(election)) if name == "last" else None
                results[name].append(_round(outcomes, held))
            for child in children:
                child.wait(timeout=60)
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()

    verified = ledger.verify_ledger()
    summary = {name: _summarise(results[name]) for name in CONTENDERS}
    return {
        "database_vendor": connection.vendor,
        "workers": workers,
        "per_worker": per_worker,
        "attempts_per_round": attempts,
        "rounds": rounds,
        "limit": LIMIT,
        "remaining": remaining,
        "contenders": summary,
        "rounds_detail": results,
        "quota_exceeded": any(r["holders_after"] != LIMIT for r in results["last"]),
        "ledger_entries": verified.entries,
        "ledger_ok": verified.ok,
        "last_over_none": round(summary["last"]["per_s"] / summary["none"]["per_s"], 2),
        "room_over_none": round(summary["room"]["per_s"] / summary["none"]["per_s"], 2),
    }


def _round(outcomes: list[dict[str, Any]], held: int | None) -> dict[str, Any]:
    wall = max(o["end"] for o in outcomes) - min(o["start"] for o in outcomes)
    kinds: dict[str, int] = {}
    for outcome in outcomes:
        kinds[outcome["kind"]] = kinds.get(outcome["kind"], 0) + 1
    latency = {
        kind: round(ms(statistics.median(o["end"] - o["start"] for o in outcomes if o["kind"] == kind)), 2)
        for kind in ("accepted", "quota")
        if kinds.get(kind)
    }
    p95s = round(ms(p95([o["end"] - o["start"] for o in outcomes])), 2)
    return {
        "attempts": len(outcomes),
        "wall_s": round(wall, 4),
        "per_s": round(len(outcomes) / wall, 1),
        "outcomes": kinds,
        "median_ms": latency,
        "p95_ms": p95s,
        "holders_after": held,
    }


def _summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    def median_of(key: str) -> float | None:
        values = [r["median_ms"][key] for r in rounds if key in r["median_ms"]]
        return round(statistics.median(values), 2) if values else None

    outcomes: dict[str, int] = {}
    for r in rounds:
        for kind, count in r["outcomes"].items():
            outcomes[kind] = outcomes.get(kind, 0) + count
    return {
        "per_s": round(statistics.median(r["per_s"] for r in rounds), 1),
        "per_s_rounds": [r["per_s"] for r in rounds],
        "accepted_median_ms": median_of("accepted"),
        "refused_median_ms": median_of("quota"),
        "p95_ms": round(statistics.median(r["p95_ms"] for r in rounds), 2),
        "outcomes": outcomes,
    }


# --- The databases ------------------------------------------------------------------------------


def measure_on_the_database(workers: int, per_worker: int, remaining: int, rounds: int) -> dict[str, Any]:
    args = ("--workers", str(workers), "--per-worker", str(per_worker), "--remaining", str(remaining))
    return measure_on_fresh_database(__file__, "staffing", child_env, *args, "--rounds", str(rounds))


# --- Reporting -----------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(report: dict[str, Any]) -> str:
    result = report["result"]
    header = (
        f"{'contender':<32} {'submits/s':>10} {'÷ none':>7} {'accepted ms':>12} {'refused ms':>11} "
        f"{'p95 ms':>8} {'outcomes':<28}"
    )
    lines = [f"database: {result['database_vendor']}", header, "-" * len(header)]
    none = result["contenders"]["none"]["per_s"]
    for name in CONTENDERS:
        row = result["contenders"][name]
        outcomes = ", ".join(f"{kind} {count}" for kind, count in sorted(row["outcomes"].items()))
        accepted, refused = _ms(row["accepted_median_ms"]), _ms(row["refused_median_ms"])
        lines.append(
            f"{LABELS[name]:<32} {row['per_s']:>10.1f} {row['per_s'] / none:>7.2f} {accepted:>12} {refused:>11} "
            f"{row['p95_ms']:>8.2f} {outcomes:<28}"
        )
    lines.append("")
    lines.append(
        f"last places ÷ no quota check: {result['last_over_none']}× the submissions per second; "
        f"quota with room ÷ no quota check: {result['room_over_none']}×"
    )
    lines.append(
        f"quota held at exactly {result['limit']} after every race: "
        f"{'no — EXCEEDED' if result['quota_exceeded'] else 'yes'}; "
        f"ledger {result['ledger_entries']} entries, verify_ledger() {'ok' if result['ledger_ok'] else 'FAILED'}"
    )
    lines.append(
        f"{result['workers']} worker processes × {result['per_worker']} submissions = {result['attempts_per_round']} "
        f"attempts per race, {result['remaining']} of {result['limit']} places left in 'last places'; "
        f"{result['rounds']} rounds, medians; " + provenance(report)
    )
    return "\n".join(lines)


def run() -> dict[str, Any]:
    workers = int_env("BENCH_STAFFING_WORKERS", 8)
    per_worker = int_env("BENCH_STAFFING_PER_WORKER", 8)
    remaining = int_env("BENCH_STAFFING_REMAINING", 4)
    rounds = int_env("BENCH_STAFFING_ROUNDS", 3)
    started = dt.datetime.now(dt.UTC)
    report = new_report("staffing", started)
    report["result"] = measure_on_the_database(workers, per_worker, remaining, rounds)
    result = report["result"]
    vendor = result["database_vendor"]
    results_file = save_results(report, f"staffing-{vendor}", started)
    figures = {
        "database": vendor,
        "last_places_over_no_quota": result["last_over_none"],
        "room_over_no_quota": result["room_over_none"],
        "submissions_per_s": {name: result["contenders"][name]["per_s"] for name in CONTENDERS},
        "quota_exceeded": result["quota_exceeded"],
        "ledger_ok": result["ledger_ok"],
    }
    return {"table": table(report), "figures": figures, "results_file": results_file}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("measure", help="internal: measure the configured database, write JSON to --out")
    child.add_argument("--out", required=True, type=Path)
    child.add_argument("--workers", type=int, default=8)
    child.add_argument("--per-worker", type=int, default=8)
    child.add_argument("--remaining", type=int, default=4)
    child.add_argument("--rounds", type=int, default=3)
    one = sub.add_parser("worker", help="internal: one submitting process of a race")
    one.add_argument("--sync", required=True, type=Path)
    one.add_argument("--name", required=True)
    args = parser.parse_args()
    if args.command == "measure":
        args.out.write_text(json.dumps(measure(args.workers, args.per_worker, args.remaining, args.rounds)))
        return
    if args.command == "worker":
        worker(args.sync, args.name)
        return
    result = run()
    print(result["table"])
    print(f"results: {result['results_file']}")


if __name__ == "__main__":
    main()
