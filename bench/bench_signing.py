"""The assembly burst: thousands of phones signing the neutrality declaration through the real HTTP stack.

A PostgreSQL database ``pamong_bench_sign`` is created for the run (migrate, ``seed_kupang --scale 1
--seed 2024`` and collectstatic in demo mode on the business date 2024-10-17) and dropped at the end,
whatever happens. The demo city already has its 2024 campaign about 62 % signed, so the benchmark
makes a fresh campaign (``services.create_campaign`` by a BKPSDM account, open on the business date,
every status eligible, the demo's text) unless an open campaign with fewer than 5 % signed exists.

The phones log in before the timed part (as staff do while queueing): a Django child process writes
one session row per signer (``SessionStore`` data with ``_auth_user_id``, ``_auth_user_backend`` and
``_auth_user_hash``). Then for each server (BENCH_SIGNING_WORKER_CLASSES, default "sync,gthread":
``gunicorn pamong.wsgi --workers 4``, sync workers or ``--worker-class gthread --threads 4``), after
16 warm-up signatures and BENCH_SIGNING_SERIAL (default 30) signatures by one client alone, and for
each client count (BENCH_SIGNING_CLIENTS, default "32,64"), a load generator in a separate process
(threads and http.client; no Django in it):

1. requests ``/healthz`` with the signers' session cookies for BENCH_SIGNING_HEALTHZ_SECONDS (default 5);
2. signs BENCH_SIGNING_PER_RUN (default 750) distinct employees as fast as it can: each client takes
   the next signer, GETs ``/deklarasi/<slug>/tandatangan/`` (the CSRF token and the text hash are read
   from the page), POSTs the form (csrfmiddlewaretoken, text_sha256, agree=on, and a drawn signature
   of about 1 KB unless BENCH_SIGNING_DRAWING=0) and follows the redirect to the receipt page
   (BENCH_SIGNING_RECEIPT=0 stops at the redirect).

Logins are measured apart (BENCH_SIGNING_LOGINS users, default 200, GET then POST ``/masuk/``, at the
first client count, on each server): password hashing dominates them. One Argon2id hash with the OWASP
minimum (m=19 MiB, t=2, p=1) and with Django's defaults (m=100 MiB, t=2, p=8) is timed in the same run.

While each load runs, the machine's CPU time is split (from /proc) between gunicorn, PostgreSQL, the
load generator and every other process, so that CPU per signature and per /healthz request can be
reported beside the rates: on a shared 2-core machine the rates move with whatever else runs, the
CPU costs much less. After the runs the database is counted: signatures of the campaign against the
successful POSTs, duplicates, ledger indices gap-free, ``issue_checkpoint()`` and ``verify_ledger()``.

Run: ``PAMONG_ENV=test .venv/bin/python bench/run.py signing`` (about 5 minutes). BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432/postgres) is the server the database is made on; BENCH_SIGNING_WORKERS
(4) and BENCH_SIGNING_THREADS (4) shape gunicorn. The server's PAMONG_VAR_DIR is var/bench/signing-var/
(collected static files, the ledger key, the demo witnesses' keys).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import queue
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from common import (
    DB_DIR,
    ROOT,
    child_env,
    in_child,
    int_env,
    manage,
    new_report,
    postgres_admin_url,
    postgres_url,
    save_results,
    scratch_postgres,
    setup_django,
)

BENCH_VAR = DB_DIR / "signing-var"  # the server's PAMONG_VAR_DIR: static files, keys
PG_DATABASE = "pamong_bench_sign"
BUSINESS_DATE = "2024-10-17"
SEED = 2024
HOST = "127.0.0.1"
# Sign as a phone running htmx does (the POST answers with the receipt, no redirect and no third
# request); BENCH_SIGNING_HTMX=0 measures the no-JavaScript path: POST, redirect, GET receipt.
HTMX = os.environ.get("BENCH_SIGNING_HTMX", "1") != "0"
WARMUP_SIGNERS = 16  # full flows through each fresh server before anything is timed
# A drawn signature as the signing page's canvas sends it: about 1 KB of SVG path.
DRAWING = "M12 80 " + " ".join(
    f"Q{20 + 6 * i} {40 + (i * 37) % 60} {26 + 6 * i} {70 - (i * 23) % 40}" for i in range(60)
)


def _list_env(name: str, default: str) -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


def _percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# --- The load generator (its own process; no Django) -------------------------------------------


class HttpClient:
    """One phone's connection: keep-alive where the server allows it, a cookie jar per signer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)
        self.retries = 0

    def request(
        self,
        method: str,
        path: str,
        cookies: dict[str, str],
        form: dict[str, str] | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPResponse, bytes, float]:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "pamong-bench-signing", "Accept": "text/html"}
        headers.update(extra_headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionError):
                # A keep-alive connection the server had closed. Signing is idempotent, so a
                # repeated POST is safe (and counted).
                self.connection.close()
                if attempt:
                    raise
                self.retries += 1
                continue
            elapsed = time.perf_counter() - started
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.connection.close()
            return response.status, response, data, elapsed
        raise AssertionError("unreachable")


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_TEXT_HASH = re.compile(rb'name="text_sha256" value="([0-9a-f]{64})"')
_FLASH = re.compile(rb'class="flash[^"]*"[^>]*>\s*(?:<p>)?([^<]{0,200})')


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": _ms(_percentile(samples, 0.50)),
        "p90_ms": _ms(_percentile(samples, 0.90)),
        "p99_ms": _ms(_percentile(samples, 0.99)),
        "max_ms": _ms(max(samples)) if samples else float("nan"),
    }


def _cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def _race(clients: int, work: Any) -> tuple[float, list[BaseException], float]:
    """Start ``clients`` threads together on ``work(client_number)``; wall seconds, errors, machine CPU busy share."""
    start = threading.Barrier(clients + 1)
    crashed: list[BaseException] = []

    def body(number: int) -> None:
        try:
            start.wait(timeout=60)
            work(number)
        except BaseException as error:  # reported in the results
            crashed.append(error)

    threads = [threading.Thread(target=body, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    busy0, total0 = _cpu_times()
    start.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    busy1, total1 = _cpu_times()
    cpu = (busy1 - busy0) / (total1 - total0) if total1 > total0 else float("nan")
    return elapsed, crashed, cpu


def load_healthz(port: int, clients: int, seconds: float, sessions: list[str]) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[int] = [0] * clients
    deadline_box: list[float] = []

    def work(number: int) -> None:
        client = HttpClient(port)
        cookies = {"sessionid": sessions[number % len(sessions)]}
        if not deadline_box:
            deadline_box.append(time.perf_counter() + seconds)
        deadline = deadline_box[0]
        while time.perf_counter() < deadline:
            status, _response, _data, elapsed = client.request("GET", "/healthz", dict(cookies))
            if status == 200:
                latencies[number].append(elapsed)
            else:
                failures[number] += 1

    elapsed, crashed, cpu = _race(clients, work)
    samples = [s for per in latencies for s in per]
    return {
        "requests": len(samples),
        "errors": sum(failures) + len(crashed),
        "seconds": round(elapsed, 2),
        "per_s": round(len(samples) / elapsed, 1),
        "latency": _summary(samples),
        "machine_cpu_busy": round(cpu, 3),
        "crashed": [repr(e) for e in crashed[:3]],
    }


def load_signing(
    port: int, clients: int, slug: str, signers: list[list[Any]], *, receipt: bool, drawing: str
) -> dict[str, Any]:
    path = f"/deklarasi/{slug}/tandatangan/"
    work_queue: queue.SimpleQueue[list[Any]] = queue.SimpleQueue()
    for signer in signers:
        work_queue.put(signer)
    lock = threading.Lock()
    signed: list[int] = []
    errors: dict[str, int] = {}
    examples: dict[str, str] = {}
    timings: dict[str, list[float]] = {"get": [], "post": [], "receipt": [], "flow": []}
    retries = [0]

    def fail(kind: str, detail: bytes | str = b"") -> None:
        with lock:
            errors[kind] = errors.get(kind, 0) + 1
            if kind not in examples:
                text = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
                examples[kind] = text[:300]

    def sign_one(client: HttpClient, user_id: int, session_key: str) -> None:
        cookies = {"sessionid": session_key}
        started = time.perf_counter()
        status, _response, page, t_get = client.request("GET", path, cookies)
        if status != 200:
            fail(f"GET {status}")
            return
        token, text_hash = _CSRF.search(page), _TEXT_HASH.search(page)
        if token is None or text_hash is None:
            flash = _FLASH.search(page)
            fail("GET without the form", flash.group(1) if flash else page[:300])
            return
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "text_sha256": text_hash.group(1).decode(),
            "agree": "on",
            "drawing": drawing,
        }
        if HTMX:
            # As a phone running htmx does: the receipt comes back in the POST's own response.
            hx = {"HX-Request": "true", "HX-Current-URL": f"http://{HOST}:{port}{path}"}
            status, response, answer, t_post = client.request("POST", path, cookies, form, hx)
            if status != 200 or b"data-receipt-code" not in answer:
                flash = _FLASH.search(answer)
                fail(f"htmx POST {status}", flash.group(1) if flash else answer[:300])
                return
            with lock:
                signed.append(user_id)
                timings["get"].append(t_get)
                timings["post"].append(t_post)
                timings["flow"].append(time.perf_counter() - started)
            return
        status, response, answer, t_post = client.request("POST", path, cookies, form)
        location = response.headers.get("Location", "")
        if status != 302 or not location.endswith("/tanda-terima/"):
            flash = _FLASH.search(answer)
            fail(f"POST {status}", flash.group(1) if flash else answer[:300])
            return
        with lock:
            signed.append(user_id)
            timings["get"].append(t_get)
            timings["post"].append(t_post)
        if receipt:
            status, _response, page, t_receipt = client.request("GET", urlsplit(location).path, cookies)
            if status != 200:
                fail(f"receipt {status}", page[:300])
                return
            with lock:
                timings["receipt"].append(t_receipt)
        with lock:
            timings["flow"].append(time.perf_counter() - started)

    def work(_number: int) -> None:
        client = HttpClient(port)
        try:
            while True:
                try:
                    user_id, session_key = work_queue.get_nowait()
                except queue.Empty:
                    return
                try:
                    sign_one(client, user_id, session_key)
                except (OSError, http.client.HTTPException) as error:
                    fail(type(error).__name__, repr(error))
        finally:
            with lock:
                retries[0] += client.retries

    elapsed, crashed, cpu = _race(clients, work)
    return {
        "signers": len(signers),
        "signed": len(signed),
        "signed_user_ids": signed,
        "errors": sum(errors.values()) + len(crashed),
        "error_kinds": errors,
        "error_examples": examples,
        "retried_requests": retries[0],
        "seconds": round(elapsed, 2),
        "signatures_per_s": round(len(signed) / elapsed, 1),
        "get": _summary(timings["get"]),
        "post": _summary(timings["post"]),
        "receipt": _summary(timings["receipt"]) if receipt else None,
        "flow": _summary(timings["flow"]),
        "machine_cpu_busy": round(cpu, 3),
        "crashed": [repr(e) for e in crashed[:3]],
    }


def load_logins(port: int, clients: int, usernames: list[str], password: str) -> dict[str, Any]:
    work_queue: queue.SimpleQueue[str] = queue.SimpleQueue()
    for username in usernames:
        work_queue.put(username)
    lock = threading.Lock()
    posts: list[float] = []
    errors: dict[str, int] = {}
    examples: dict[str, str] = {}

    def fail(kind: str, detail: bytes) -> None:
        with lock:
            errors[kind] = errors.get(kind, 0) + 1
            examples.setdefault(kind, detail.decode(errors="replace")[:300])

    def work(_number: int) -> None:
        client = HttpClient(port)
        while True:
            try:
                username = work_queue.get_nowait()
            except queue.Empty:
                return
            cookies: dict[str, str] = {}
            status, _response, page, _t = client.request("GET", "/masuk/", cookies)
            token = _CSRF.search(page)
            if status != 200 or token is None:
                fail(f"GET {status}", page[:300])
                continue
            form = {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
            status, response, answer, elapsed = client.request("POST", "/masuk/", cookies, form)
            if status != 302 or "/masuk/" in response.headers.get("Location", "") or "sessionid" not in cookies:
                flash = _FLASH.search(answer)
                fail(f"POST {status}", flash.group(1) if flash else answer[:300])
                continue
            with lock:
                posts.append(elapsed)

    elapsed, crashed, cpu = _race(clients, work)
    return {
        "logins": len(posts),
        "errors": sum(errors.values()) + len(crashed),
        "error_kinds": errors,
        "error_examples": examples,
        "seconds": round(elapsed, 2),
        "logins_per_s": round(len(posts) / elapsed, 1),
        "post": _summary(posts),
        "machine_cpu_busy": round(cpu, 3),
    }


def load_main(spec_file: Path, out: Path) -> None:
    spec = json.loads(spec_file.read_text())
    mode = spec["mode"]
    result: dict[str, Any]
    if mode == "healthz":
        result = load_healthz(spec["port"], spec["clients"], spec["seconds"], spec["sessions"])
    elif mode == "sign":
        result = load_signing(
            spec["port"],
            spec["clients"],
            spec["slug"],
            spec["signers"],
            receipt=spec["receipt"],
            drawing=spec["drawing"],
        )
    elif mode == "login":
        result = load_logins(spec["port"], spec["clients"], spec["usernames"], spec["password"])
    else:
        raise SystemExit(f"unknown load mode {mode!r}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["load_generator_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    out.write_text(json.dumps(result))


def _process_ticks() -> dict[int, tuple[str, int, int]]:
    """pid -> (command name, parent pid, user + system clock ticks) for every process, from /proc
    (for PostgreSQL processes their title, which names the database, instead of the command name)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name, rest = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
        if name.startswith("postgres"):
            # "postgres: postgres pamong_bench_sign 127.0.0.1(…) idle": backends name their database.
            with contextlib.suppress(OSError):
                name = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        found[int(entry.name)] = (name, int(rest[1]), int(rest[11]) + int(rest[12]))
    return found


def _ours_in_postgres(title: str) -> bool:
    """The backends of the bench database, and the WAL writer, checkpointer and background writer its
    commits keep busy; not the backends of other databases on the same server."""
    if not title.startswith("postgres"):
        return False
    return f" {PG_DATABASE} " in f"{title} " or any(
        word in title for word in ("walwriter", "wal writer", "checkpointer", "background writer")
    )


def run_load(spec: dict[str, Any], server_pid: int | None = None) -> dict[str, Any]:
    """Run the load generator in its own process; split the machine's CPU time while it ran:
    gunicorn (master and workers), PostgreSQL, the load generator, and everything else on the machine."""
    with tempfile.TemporaryDirectory(prefix="pamong-bench-load-") as tmp:
        spec_file, out = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_file.write_text(json.dumps(spec))
        before, (busy0, _total0), wall0 = _process_ticks(), _cpu_times(), time.perf_counter()
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "load", "--spec", str(spec_file), "--out", str(out)],
            cwd=ROOT,
            check=True,
        )
        after, (busy1, _total1), wall = _process_ticks(), _cpu_times(), time.perf_counter() - wall0
        result: dict[str, Any] = json.loads(out.read_text())
    tick = os.sysconf("SC_CLK_TCK")

    def spent(wanted: Any) -> float:
        return sum(t - before.get(pid, (n, p, 0))[2] for pid, (n, p, t) in after.items() if wanted(pid, n, p)) / tick

    server = spent(lambda pid, _n, ppid: server_pid in (pid, ppid)) if server_pid else 0.0
    postgres = spent(lambda _pid, name, _ppid: _ours_in_postgres(name))
    machine_s = (busy1 - busy0) / tick
    result["cpu_split"] = {
        "wall_s": round(wall, 2),
        "machine_busy_s": round(machine_s, 2),
        "server_s": round(server, 2),
        "postgres_s": round(postgres, 2),
        "load_generator_s": result.get("load_generator_cpu_s", 0.0),
        "other_s": round(max(0.0, machine_s - server - postgres - result.get("load_generator_cpu_s", 0.0)), 2),
    }
    return result


# --- Django steps (child processes on the bench database) --------------------------------------


def prepare(out: Path, signers_wanted: int, logins_wanted: int) -> None:
    """Find or make the campaign, pick the signers and the login users, and log the signers in."""
    setup_django()
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from pamong.core.clock import business_today
    from pamong.neutrality import queries, services
    from pamong.neutrality.models import Campaign
    from pamong.organisation.models import Employee, Role, User

    today = business_today()
    campaigns = []
    for campaign in Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("pk"):
        progress = queries.progress(campaign)
        campaigns.append(
            {
                "id": campaign.pk,
                "slug": campaign.slug,
                "eligible": progress["eligible"],
                "signed": progress["signed"],
                "percent": progress["percent"],
                "text_chars": len(campaign.text),
            }
        )
    fresh = next((c for c in campaigns if c["percent"] < 5 and c["eligible"] >= signers_wanted), None)
    if fresh is not None:
        campaign = Campaign.objects.get(pk=fresh["id"])
        made = False
    else:
        manager = (
            User.objects.filter(is_active=True, role_grants__role=Role.BKPSDM).order_by("pk").first()
            or User.objects.filter(is_active=True, role_grants__role=Role.SEKDA).order_by("pk").first()
        )
        template = Campaign.objects.order_by("pk").first()
        campaign = services.create_campaign(
            by=manager,
            slug=f"bench-apel-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}",
            title="Deklarasi Netralitas ASN dan PTT (benchmark apel)",
            text=template.text if template else "Kami menjaga netralitas ASN dan PTT dalam Pilkada 2024.",
            legal_basis=template.legal_basis if template else "",
            opens_on=dt.date.fromisoformat(BUSINESS_DATE) - dt.timedelta(days=1),
            closes_on=dt.date.fromisoformat(BUSINESS_DATE) + dt.timedelta(days=14),
            eligible_kinds=list(Employee.Kind.values),
            witness_bodies=["KPU Kota Kupang", "Bawaslu Kota Kupang"],
        )
        made = True

    # Plain staff only: no role grant (no second factor, no official capacity), not signed yet.
    eligible = queries.eligible_employees(campaign)
    pool = list(
        User.objects.filter(is_active=True, employee__in=eligible, role_grants__isnull=True)
        .exclude(pk__in=campaign.signatures.values("signer_id"))
        .order_by("pk")
        .values_list("pk", "username")
    )
    random.Random(SEED).shuffle(pool)
    if len(pool) < signers_wanted + logins_wanted:
        raise SystemExit(f"only {len(pool)} unsigned staff accounts, {signers_wanted + logins_wanted} wanted")
    signers, logins = pool[:signers_wanted], pool[signers_wanted : signers_wanted + logins_wanted]

    started = time.perf_counter()
    store = SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    expire = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys: list[list[Any]] = []
    rows = []
    for user in User.objects.filter(pk__in=[pk for pk, _ in signers]).only("pk", "password"):
        key = get_random_string(32, VALID_KEY_CHARS)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append([user.pk, key])
    Session.objects.bulk_create(rows, batch_size=1000)
    sessions_seconds = time.perf_counter() - started
    order = {pk: i for i, (pk, _) in enumerate(signers)}
    keys.sort(key=lambda pair: order[pair[0]])

    hasher = get_hasher()
    stored = User.objects.get(pk=signers[0][0]).password
    result = {
        "campaign": {"id": campaign.pk, "slug": campaign.slug, "made_for_the_benchmark": made},
        "open_campaigns_before": campaigns,
        "eligible": eligible.count(),
        "active_employees": Employee.objects.filter(status__in=list(Employee.ACTIVE_STATUSES)).count(),
        "unsigned_staff_accounts": len(pool),
        "signers": keys,
        "login_usernames": [username for _, username in logins],
        "password": settings.PAMONG_DEMO_PASSWORD,
        "sessions_seconds": round(sessions_seconds, 2),
        "hasher": {
            "class": f"{type(hasher).__module__}.{type(hasher).__qualname__}",
            "time_cost": getattr(hasher, "time_cost", None),
            "memory_cost_kib": getattr(hasher, "memory_cost", None),
            "parallelism": getattr(hasher, "parallelism", None),
            "stored_hash_parameters": "$".join(stored.split("$")[:4]),
        },
    }
    out.write_text(json.dumps(result))


def check(out: Path, campaign_id: int, expected_file: Path) -> None:
    """Count what the burst left in the database."""
    setup_django()
    from django.db.models import Count, Max, Min

    from pamong.core import ledger
    from pamong.core.models import LedgerEntry
    from pamong.neutrality.models import Signature

    expected = json.loads(expected_file.read_text())
    wanted = set(expected["signed_user_ids"])
    signatures = Signature.objects.filter(campaign_id=campaign_id)
    in_db = dict(signatures.values_list("signer_id", "pk"))
    receipts = {str(pk): code for pk, code in signatures.values_list("pk", "receipt_code")}
    entries = dict(
        LedgerEntry.objects.filter(kind="neutrality.signature", subject_id__in=list(receipts)).values_list(
            "subject_id", "receipt_code"
        )
    )
    summary = LedgerEntry.objects.aggregate(n=Count("index"), lo=Min("index"), hi=Max("index"))
    size = ledger.ledger_size()
    started = time.perf_counter()
    checkpoint = ledger.issue_checkpoint()
    checkpoint_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = ledger.verify_ledger()
    verify_seconds = time.perf_counter() - started
    result = {
        "successful_posts": expected["successful_posts"],
        "signatures": signatures.count(),
        "distinct_signers": signatures.values("signer").distinct().count(),
        "distinct_employees": signatures.values("employee").distinct().count(),
        "missing": len(wanted - set(in_db)),
        "unexpected": len(set(in_db) - wanted),
        "signatures_with_their_ledger_entry": sum(
            1 for pk, code in receipts.items() if code and entries.get(pk) == code
        ),
        "ledger_entries": summary["n"],
        "ledger_size": size,
        "ledger_gap_free": summary == {"n": size, "lo": 0, "hi": size - 1},
        "checkpoint_size": checkpoint.size if checkpoint else 0,
        "checkpoint_seconds": round(checkpoint_seconds, 2),
        "verify_ok": report.ok,
        "verify_entries": report.entries,
        "verify_seconds": round(verify_seconds, 2),
        "verify_problem": report.problems[:1],
    }
    out.write_text(json.dumps(result))


# --- Password hashing ----------------------------------------------------------------------------


def argon2_costs(rounds: int = 5) -> dict[str, Any]:
    """One hash with each parameter set, in this process: wall and CPU seconds (median of ``rounds``)."""
    import argon2

    sets = {
        "owasp_minimum": {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1},
        "django_default": {"memory_cost": 100 * 1024, "time_cost": 2, "parallelism": 8},
    }
    result = {}
    for name, params in sets.items():
        hasher = argon2.PasswordHasher(**params, hash_len=32, salt_len=16, type=argon2.Type.ID)
        hasher.hash("pemanasan")
        walls, cpus = [], []
        for _ in range(rounds):
            wall0, cpu0 = time.perf_counter(), time.process_time()
            hashed = hasher.hash("kupang-demo-2024")
            cpus.append(time.process_time() - cpu0)
            walls.append(time.perf_counter() - wall0)
        verify0 = time.perf_counter()
        hasher.verify(hashed, "kupang-demo-2024")
        result[name] = {
            **params,
            "hash_wall_ms": _ms(statistics.median(walls)),
            "hash_cpu_ms": _ms(statistics.median(cpus)),
            "verify_wall_ms": _ms(time.perf_counter() - verify0),
        }
    return result


# --- The run -------------------------------------------------------------------------------------


def server_env() -> dict[str, str]:
    return child_env(
        database_url=postgres_url(postgres_admin_url(), PG_DATABASE),
        PAMONG_ENV="demo",
        PAMONG_BUSINESS_DATE=BUSINESS_DATE,
        ALLOWED_HOSTS=HOST,
        PAMONG_VAR_DIR=str(BENCH_VAR),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


class Server:
    """gunicorn on a free port, started and stopped by this run only."""

    def __init__(self, worker_class: str, workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        self.command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "pamong.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--worker-class",
            worker_class,
        ]
        if worker_class == "gthread":
            self.command += ["--threads", str(threads)]
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def __enter__(self) -> Server:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=server_env(), stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz", headers={"Host": f"{HOST}:{self.port}"})
                if connection.getresponse().status == 200:
                    connection.close()
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def settings_from_env() -> dict[str, Any]:
    return {
        "clients": [int(c) for c in _list_env("BENCH_SIGNING_CLIENTS", "32,64")],
        "worker_classes": _list_env("BENCH_SIGNING_WORKER_CLASSES", "sync,gthread"),
        "workers": int_env("BENCH_SIGNING_WORKERS", 4),
        "threads": int_env("BENCH_SIGNING_THREADS", 4),
        "per_run": int_env("BENCH_SIGNING_PER_RUN", 750),
        "healthz_seconds": float(os.environ.get("BENCH_SIGNING_HEALTHZ_SECONDS") or 5),
        "logins": int_env("BENCH_SIGNING_LOGINS", 200),
        "serial": int_env("BENCH_SIGNING_SERIAL", 30),
        "receipt": os.environ.get("BENCH_SIGNING_RECEIPT", "1") != "0",
        "drawing": os.environ.get("BENCH_SIGNING_DRAWING", "1") != "0",
    }


def measure_server(
    worker_class: str, knobs: dict[str, Any], prepared: dict[str, Any], signers: list[list[Any]], log: Path
) -> dict[str, Any]:
    slug = prepared["campaign"]["slug"]
    sessions = [key for _, key in signers]
    common = {"slug": slug, "receipt": knobs["receipt"], "drawing": DRAWING if knobs["drawing"] else ""}
    result: dict[str, Any] = {"worker_class": worker_class, "runs": [], "signed_user_ids": []}
    with Server(worker_class, knobs["workers"], knobs["threads"], log) as server:
        warm = signers[:WARMUP_SIGNERS]
        del signers[:WARMUP_SIGNERS]
        warmup = run_load({"mode": "sign", "port": server.port, "clients": 4, "signers": warm, **common}, server.pid)
        result["warmup"] = {k: warmup[k] for k in ("signed", "errors", "error_kinds", "error_examples")}
        result["signed_user_ids"] += warmup["signed_user_ids"]
        # One phone at a time: what each request costs when nothing waits (the service time).
        alone = signers[: knobs["serial"]]
        del signers[: knobs["serial"]]
        if alone:
            print(f"  {worker_class}, 1 client: signing {len(alone)} people one after the other…", flush=True)
            serial = run_load(
                {"mode": "sign", "port": server.port, "clients": 1, "signers": alone, **common}, server.pid
            )
            result["signed_user_ids"] += serial.pop("signed_user_ids")
            result["serial"] = serial
        for clients in knobs["clients"]:
            print(f"  {worker_class}, {clients} clients: /healthz for {knobs['healthz_seconds']:g} s…", flush=True)
            healthz = run_load(
                {
                    "mode": "healthz",
                    "port": server.port,
                    "clients": clients,
                    "seconds": knobs["healthz_seconds"],
                    "sessions": sessions,
                },
                server.pid,
            )
            batch = signers[: knobs["per_run"]]
            del signers[: knobs["per_run"]]
            print(f"  {worker_class}, {clients} clients: signing {len(batch)} people…", flush=True)
            signing = run_load(
                {"mode": "sign", "port": server.port, "clients": clients, "signers": batch, **common}, server.pid
            )
            result["signed_user_ids"] += signing.pop("signed_user_ids")
            result["runs"].append(
                {
                    "clients": clients,
                    "healthz": healthz,
                    "signing": signing,
                    "signing_over_healthz": round(signing["signatures_per_s"] / healthz["per_s"], 4),
                }
            )
        logins = prepared["login_usernames"][: knobs["logins"]]
        del prepared["login_usernames"][: knobs["logins"]]
        if logins:
            clients = knobs["clients"][0]
            print(f"  {worker_class}, {clients} clients: {len(logins)} logins…", flush=True)
            result["logins"] = run_load(
                {
                    "mode": "login",
                    "port": server.port,
                    "clients": clients,
                    "usernames": logins,
                    "password": prepared["password"],
                },
                server.pid,
            )
            result["logins"]["clients"] = clients
    return result


def app_cpu_ms(result: dict[str, Any], count: int) -> float | None:
    """CPU milliseconds gunicorn and PostgreSQL spent per unit of work (load generator and others left out)."""
    split = result.get("cpu_split") or {}
    if not count or "server_s" not in split:
        return None
    return round(1000 * (split["server_s"] + split["postgres_s"]) / count, 1)


def other_share(result: dict[str, Any], cores: int) -> float:
    """The share of the machine that processes other than ours used meanwhile (other tests, say)."""
    split = result.get("cpu_split") or {}
    wall = split.get("wall_s") or 0
    return split.get("other_s", 0.0) / (wall * cores) if wall else float("nan")


def projections(report: dict[str, Any]) -> dict[str, Any]:
    """How long the whole workforce would take: at the best measured rates, and at the rates the
    application's CPU cost per act allows when it has both cores to itself (phones elsewhere)."""
    workforce = report["prepared"]["eligible"]
    cores = report["machine"]["cpu_count"] or 1
    runs = [(server["worker_class"], run) for server in report["servers"] for run in server["runs"]]
    best = max(runs, key=lambda pair: pair[1]["signing"]["signatures_per_s"])
    sign_rate = best[1]["signing"]["signatures_per_s"]
    sign_costs = [c for _, run in runs if (c := app_cpu_ms(run["signing"], run["signing"]["signed"]))]
    out: dict[str, Any] = {
        "workforce": workforce,
        "best_signing": {"server": best[0], "clients": best[1]["clients"], "signatures_per_s": sign_rate},
        "sign_seconds": round(workforce / sign_rate, 1) if sign_rate else None,
    }
    if sign_costs:
        out["sign_cpu_ms"] = min(sign_costs)
        out["sign_capacity_per_s"] = round(cores * 1000 / min(sign_costs), 1)
        out["sign_seconds_at_capacity"] = round(workforce / out["sign_capacity_per_s"], 1)
    logins = [s["logins"] for s in report["servers"] if s.get("logins", {}).get("logins")]
    if not logins:
        return out
    login_rate = max(login["logins_per_s"] for login in logins)
    out["login_per_s"] = login_rate
    out["login_seconds"] = round(workforce / login_rate, 1)
    out["login_and_sign_seconds"] = round(workforce / login_rate + workforce / sign_rate, 1)
    login_costs = [c for login in logins if (c := app_cpu_ms(login, login["logins"]))]
    if login_costs and sign_costs:
        out["login_cpu_ms"] = min(login_costs)
        out["login_capacity_per_s"] = round(cores * 1000 / min(login_costs), 1)
        out["login_and_sign_seconds_at_capacity"] = round(
            workforce * (min(login_costs) + min(sign_costs)) / (cores * 1000), 1
        )
    # The other Argon2 parameter set, had the logins used it: the same non-hashing work, another hash.
    configured = report["prepared"]["hasher"]
    argon = report["argon2"]
    current = next(
        (
            name
            for name, row in argon.items()
            if row["memory_cost"] == configured.get("memory_cost_kib")
            and row["parallelism"] == configured.get("parallelism")
            and row["time_cost"] == configured.get("time_cost")
        ),
        None,
    )
    if current is not None and login_costs and sign_costs:
        other = next(name for name in argon if name != current)
        login_cpu = min(login_costs) - argon[current]["hash_cpu_ms"] + argon[other]["hash_cpu_ms"]
        out["login_with_other_parameters"] = {
            "parameters": other,
            "login_cpu_ms": round(login_cpu, 1),
            "login_capacity_per_s": round(cores * 1000 / login_cpu, 1),
            "login_and_sign_seconds_at_capacity": round(workforce * (login_cpu + min(sign_costs)) / (cores * 1000), 1),
        }
    return out


def table(report: dict[str, Any]) -> str:
    knobs = report["settings"]
    prepared = report["prepared"]
    cores = report["machine"]["cpu_count"] or 1
    flow = (
        "GET page + htmx POST answered with the receipt"
        if HTMX
        else "GET page + POST" + (" + GET receipt" if knobs["receipt"] else "")
    )
    origin = "made for the run" if prepared["campaign"]["made_for_the_benchmark"] else "existing"
    lines = [
        f"campaign {prepared['campaign']['slug']} ({origin}), {prepared['eligible']:,} eligible; one signature = "
        f"{flow}{' with a ~1 KB drawing' if knobs['drawing'] else ''}; gunicorn --workers {knobs['workers']} "
        f"(gthread: --threads {knobs['threads']}); PostgreSQL; load generator in its own process on the same cores",
    ]
    header = (
        f"{'server':<8} {'clients':>7} {'healthz/s':>9} {'signed/s':>8} {'sign÷hz':>7} {'POST p50':>8} "
        f"{'POST p99':>8} {'flow p50':>8} {'flow p99':>8} {'signed':>6} {'errors':>6} {'cpu/sig':>7} "
        f"{'cpu/hz':>6} {'÷ by cpu':>8} {'others':>6}"
    )
    lines += [header, "-" * len(header)]
    for server in report["servers"]:
        for run in server["runs"]:
            s, h = run["signing"], run["healthz"]
            sign_cpu, hz_cpu = app_cpu_ms(s, s["signed"]), app_cpu_ms(h, h["requests"])
            by_cpu = f"{hz_cpu / sign_cpu:>8.3f}" if sign_cpu and hz_cpu else f"{'?':>8}"
            lines.append(
                f"{server['worker_class']:<8} {run['clients']:>7} {h['per_s']:>9,.0f} {s['signatures_per_s']:>8,.1f} "
                f"{run['signing_over_healthz']:>7.3f} {s['post']['p50_ms']:>8.0f} {s['post']['p99_ms']:>8.0f} "
                f"{s['flow']['p50_ms']:>8.0f} {s['flow']['p99_ms']:>8.0f} {s['signed']:>6} {s['errors']:>6} "
                f"{sign_cpu or float('nan'):>7.1f} {hz_cpu or float('nan'):>6.1f} {by_cpu} "
                f"{other_share(s, cores):>6.0%}"
            )
    lines += [
        "(times in ms. sign÷hz: signatures/s over /healthz requests/s, same server, same clients. cpu/sig, cpu/hz:",
        " CPU ms that gunicorn and PostgreSQL spent per signature / per /healthz request; '÷ by cpu' is the same",
        " ratio from those costs, which other load on the machine does not skew. others: share of the machine",
        " used by unrelated processes during the signing run.)",
    ]
    for server in report["servers"]:
        serial = server.get("serial")
        if serial:
            parts = [f"{step} {serial[step]['p50_ms']:.0f}" for step in ("get", "post", "receipt") if serial.get(step)]
            lines.append(
                f"one client alone ({server['worker_class']}, {serial['signed']} signers): p50 ms "
                + ", ".join(parts)
                + f"; {serial['signatures_per_s']}/s"
            )
        if server.get("server_tracebacks"):
            lines.append(f"!! {server['worker_class']}: {server['server_tracebacks']} tracebacks in the gunicorn log")
    lines.append("")
    for server in report["servers"]:
        login = server.get("logins")
        if login:
            lines.append(
                f"logins ({server['worker_class']}, {login['clients']} clients): {login['logins']} in "
                f"{login['seconds']} s = {login['logins_per_s']}/s, POST /masuk/ p50 {login['post']['p50_ms']:.0f} ms, "
                f"p99 {login['post']['p99_ms']:.0f} ms, errors {login['errors']}, "
                f"cpu/login {app_cpu_ms(login, login['logins'])} ms, others {other_share(login, cores):.0%}"
            )
    hasher = prepared["hasher"]
    lines.append(f"configured hasher: {hasher['class']} ({hasher['stored_hash_parameters']})")
    for name, row in report["argon2"].items():
        lines.append(
            f"argon2id {name:<15} m={row['memory_cost'] // 1024} MiB t={row['time_cost']} p={row['parallelism']}: "
            f"one hash {row['hash_wall_ms']} ms wall, {row['hash_cpu_ms']} ms CPU"
        )
    c = report["check"]
    verdict = "ok" if c["verify_ok"] else "FAILED " + str(c["verify_problem"])
    lines += [
        "",
        f"database after the runs: {c['signatures']:,} signatures for {c['successful_posts']:,} successful POSTs; "
        f"distinct signers {c['distinct_signers']:,}, distinct employees {c['distinct_employees']:,}; "
        f"missing {c['missing']}, unexpected {c['unexpected']}; with their own ledger entry "
        f"{c['signatures_with_their_ledger_entry']:,}",
        f"ledger: {c['ledger_entries']:,} entries, size {c['ledger_size']:,}, gap-free: "
        f"{'yes' if c['ledger_gap_free'] else 'NO'}; issue_checkpoint() {c['checkpoint_seconds']} s; "
        f"verify_ledger() {verdict} in {c['verify_seconds']} s",
    ]
    p = report["projection"]
    best = p["best_signing"]
    lines += [
        "",
        f"the whole workforce ({p['workforce']:,}), target 120 s:",
        f"  signing at the best measured rate ({best['signatures_per_s']}/s, {best['server']}, {best['clients']} "
        f"clients): {p['sign_seconds']} s",
    ]
    if "sign_capacity_per_s" in p:
        lines.append(
            f"  signing at what {p['sign_cpu_ms']} ms of CPU per signature allows on {cores} free cores "
            f"({p['sign_capacity_per_s']}/s): {p['sign_seconds_at_capacity']} s"
        )
    if "login_seconds" in p:
        lines.append(
            f"  logging in at the measured {p['login_per_s']}/s: {p['login_seconds']} s; log in AND sign at measured "
            f"rates: {p['login_and_sign_seconds']} s"
        )
    if "login_and_sign_seconds_at_capacity" in p:
        lines.append(
            f"  log in AND sign at CPU capacity ({p['login_cpu_ms']} ms/login + {p['sign_cpu_ms']} ms/signature): "
            f"{p['login_and_sign_seconds_at_capacity']} s"
        )
    other = p.get("login_with_other_parameters")
    if other:
        lines.append(
            f"  the same with {other['parameters']} Argon2 parameters (hash CPU swapped): {other['login_cpu_ms']} "
            f"ms/login, {other['login_capacity_per_s']} logins/s, "
            f"log in AND sign {other['login_and_sign_seconds_at_capacity']} s"
        )
    meta = report["machine"]
    lines += [
        "",
        f"setup: migrate {report['setup']['migrate_seconds']} s, seed_kupang {report['setup']['seed_seconds']} s, "
        f"collectstatic {report['setup']['collectstatic_seconds']} s, {len(prepared['signers']):,} sessions written in "
        f"{prepared['sessions_seconds']} s; commit {report['git_commit']}{' (dirty)' if report['git_dirty'] else ''}; "
        f"{meta['cpu_count']} CPU, {meta['cpu_model']}; load average at start {meta['load_average_at_start']}, "
        f"at end {report.get('load_average_at_end')}",
    ]
    return "\n".join(lines)


def run() -> dict[str, Any]:
    knobs = settings_from_env()
    started = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {**new_report("signing", started), "settings": knobs}
    print("argon2 costs…", flush=True)
    report["argon2"] = argon2_costs()
    runs = len(knobs["worker_classes"]) * len(knobs["clients"])
    signers_wanted = runs * knobs["per_run"] + len(knobs["worker_classes"]) * (WARMUP_SIGNERS + knobs["serial"])
    logins_wanted = len(knobs["worker_classes"]) * knobs["logins"]
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    setup: dict[str, float] = {}
    with scratch_postgres(postgres_admin_url(), PG_DATABASE):
        print(f"database {PG_DATABASE}: migrate, seed_kupang --scale 1 --seed {SEED}, collectstatic…", flush=True)
        for name, args in (
            ("migrate", ("migrate", "--noinput", "-v0")),
            ("seed", ("seed_kupang", "--scale", "1", "--seed", str(SEED))),
            ("collectstatic", ("collectstatic", "--noinput", "-v0")),
        ):
            begun = time.perf_counter()
            manage(*args, env=server_env())
            setup[f"{name}_seconds"] = round(time.perf_counter() - begun, 1)
        report["setup"] = setup
        print(f"preparing the campaign and {signers_wanted:,} sessions…", flush=True)
        prepared = in_child(
            __file__, "prepare", server_env(), "--signers", str(signers_wanted), "--logins", str(logins_wanted)
        )
        report["prepared"] = {k: v for k, v in prepared.items() if k not in {"login_usernames", "password"}}
        signers = list(prepared["signers"])
        report["servers"] = []
        signed: list[int] = []
        with tempfile.TemporaryDirectory(prefix="pamong-bench-gunicorn-") as tmp:
            for worker_class in knobs["worker_classes"]:
                print(f"gunicorn --worker-class {worker_class}…", flush=True)
                log = Path(tmp) / f"gunicorn-{worker_class}.log"
                measured = measure_server(worker_class, knobs, prepared, signers, log)
                signed += measured.pop("signed_user_ids")
                errors = log.read_text(errors="replace").count("Traceback")
                measured["server_tracebacks"] = errors
                if errors:
                    measured["server_log_tail"] = log.read_text(errors="replace")[-3000:]
                report["servers"].append(measured)
        report["prepared"]["signers"] = [pk for pk, _ in prepared["signers"]]
        print("counting the database…", flush=True)
        with tempfile.TemporaryDirectory(prefix="pamong-bench-check-") as tmp:
            expected = Path(tmp) / "expected.json"
            expected.write_text(json.dumps({"signed_user_ids": signed, "successful_posts": len(signed)}))
            report["check"] = in_child(
                __file__,
                "check",
                server_env(),
                "--campaign",
                str(prepared["campaign"]["id"]),
                "--expected",
                str(expected),
            )
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["projection"] = projections(report)

    results_file = save_results(report, "signing", started)
    figures = {
        "signatures_per_s": {
            f"{s['worker_class']}_{r['clients']}": r["signing"]["signatures_per_s"]
            for s in report["servers"]
            for r in s["runs"]
        },
        "signing_over_healthz": {
            f"{s['worker_class']}_{r['clients']}": r["signing_over_healthz"]
            for s in report["servers"]
            for r in s["runs"]
        },
        "post_p99_ms": {
            f"{s['worker_class']}_{r['clients']}": r["signing"]["post"]["p99_ms"]
            for s in report["servers"]
            for r in s["runs"]
        },
        "workforce_login_and_sign_seconds": report["projection"].get("login_and_sign_seconds"),
        "no_signature_lost_or_duplicated": report["check"]["missing"] == 0
        and report["check"]["unexpected"] == 0
        and report["check"]["signatures"] == report["check"]["distinct_signers"] == report["check"]["successful_posts"],
        "ledger_gap_free_and_verified": report["check"]["ledger_gap_free"] and report["check"]["verify_ok"],
    }
    return {"table": table(report), "figures": figures, "results_file": results_file}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    load = sub.add_parser("load", help="internal: the load generator")
    load.add_argument("--spec", required=True, type=Path)
    load.add_argument("--out", required=True, type=Path)
    prep = sub.add_parser("prepare", help="internal: campaign, signers and their sessions")
    prep.add_argument("--out", required=True, type=Path)
    prep.add_argument("--signers", type=int, required=True)
    prep.add_argument("--logins", type=int, required=True)
    count = sub.add_parser("check", help="internal: count the database after the runs")
    count.add_argument("--out", required=True, type=Path)
    count.add_argument("--campaign", type=int, required=True)
    count.add_argument("--expected", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "load":
        load_main(args.spec, args.out)
    elif args.command == "prepare":
        prepare(args.out, args.signers, args.logins)
    elif args.command == "check":
        check(args.out, args.campaign, args.expected)
    else:
        result = run()
        print(result["table"])
        print(f"results: {result['results_file']}")


if __name__ == "__main__":
    main()
