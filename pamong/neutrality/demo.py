"""The demo's declaration: the Pilkada 2024 neutrality campaign as signed on 17 October 2024.

The Wali Kota and the Sekda sign first, at the morning assembly; about three in five of the staff
follow from their phones between 07.10 and 08.30 WITA (some OPD nearly all, others barely a
third, so the follow-up pages have work); the KPU and Bawaslu witnesses countersign at 09.30.
The demo accounts of the other roles stay unsigned so that a visitor can sign live.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Collection
from typing import Protocol
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from pamong.core import ledger
from pamong.core.demo import cosign_as_demo_witnesses
from pamong.neutrality import queries, services
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.models import Employee, Role, User

WITA = ZoneInfo("Asia/Makassar")
CAMPAIGN_SLUG = "netralitas-pilkada-2024"
CAMPAIGN_TITLE = "Deklarasi Komitmen Netralitas ASN dan PTT — Pilkada Serentak 2024"
DECLARATION_DAY = dt.date(2024, 10, 17)
WITNESS_BODIES = ("KPU Kota Kupang", "Bawaslu Kota Kupang")
TARGET_SHARE = 0.62
OPD_SHARE_RANGE = (0.35, 0.90)
SIGNATURE_BATCH = 2000

DECLARATION_TEXT = """\
DEKLARASI KOMITMEN NETRALITAS APARATUR SIPIL NEGARA DAN PEGAWAI TIDAK TETAP
PEMERINTAH KOTA KUPANG
PADA PEMILIHAN GUBERNUR DAN WAKIL GUBERNUR NUSA TENGGARA TIMUR SERTA WALI KOTA DAN WAKIL WALI KOTA KUPANG \
TAHUN 2024

Kami, Aparatur Sipil Negara (Pegawai Negeri Sipil dan Pegawai Pemerintah dengan Perjanjian Kerja) serta \
Pegawai Tidak Tetap di lingkungan Pemerintah Kota Kupang, dengan penuh kesadaran dan tanggung jawab \
menyatakan:

1. Menjaga dan menegakkan prinsip netralitas dalam melaksanakan tugas, tidak berpihak dari segala bentuk \
pengaruh mana pun dan kepada siapa pun, serta memberikan pelayanan yang adil dan setara kepada seluruh \
masyarakat.
2. Tidak terlibat dalam kegiatan politik praktis, termasuk menjadi anggota atau pengurus partai politik, \
anggota tim kampanye atau tim pemenangan pasangan calon, serta tidak menghadiri kampanye dengan memakai \
atribut partai politik, atribut pasangan calon, atau atribut Aparatur Sipil Negara.
3. Tidak menggunakan kewenangan, anggaran, kendaraan dinas, gedung kantor, dan fasilitas negara lainnya \
untuk kepentingan pasangan calon atau partai politik mana pun.
4. Tidak membuat keputusan dan/atau melakukan tindakan yang menguntungkan atau merugikan salah satu \
pasangan calon, sebelum, selama, maupun sesudah masa kampanye.
5. Tidak memasang spanduk, baliho, stiker, atau alat peraga lainnya, serta tidak membuat, mengunggah, \
menyukai, mengomentari, atau membagikan dukungan kepada pasangan calon di media sosial.
6. Melaporkan kepada Wali Kota Kupang, melalui atasan langsung atau secara langsung, setiap ajakan, \
tekanan, atau intimidasi agar berpihak kepada pasangan calon tertentu.
7. Bersedia menerima sanksi sesuai Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai \
Negeri Sipil, Keputusan Bersama tentang Pedoman Pembinaan dan Pengawasan Netralitas Pegawai Aparatur \
Sipil Negara Tahun 2022, dan ketentuan peraturan perundang-undangan serta perjanjian kerja yang berlaku \
apabila melanggar deklarasi ini.

Demikian deklarasi ini kami buat dengan sungguh-sungguh untuk dilaksanakan dengan penuh tanggung jawab.

Kupang, 17 Oktober 2024"""

LEGAL_BASIS = """\
1. Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;
2. Undang-Undang Nomor 10 Tahun 2016 tentang Perubahan Kedua atas Undang-Undang Nomor 1 Tahun 2015 \
tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 1 Tahun 2014 tentang Pemilihan \
Gubernur, Bupati, dan Wali Kota menjadi Undang-Undang, khususnya Pasal 71;
3. Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil;
4. Peraturan Pemerintah Nomor 42 Tahun 2004 tentang Pembinaan Jiwa Korps dan Kode Etik Pegawai Negeri Sipil;
5. Keputusan Bersama Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi, Menteri Dalam Negeri, \
Kepala Badan Kepegawaian Negara, Ketua Komisi Aparatur Sipil Negara, dan Ketua Badan Pengawas Pemilihan \
Umum Nomor 2 Tahun 2022, Nomor 800-5474 Tahun 2022, Nomor 246 Tahun 2022, Nomor 30 Tahun 2022, dan Nomor \
1447.1/PM.01/K.1/09/2022 tentang Pedoman Pembinaan dan Pengawasan Netralitas Pegawai Aparatur Sipil Negara \
dalam Penyelenggaraan Pemilihan Umum dan Pemilihan."""


class _Writer(Protocol):
    def write(self, text: str) -> object: ...


def _at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2024, 10, 17, hour, minute, second, tzinfo=WITA)


def _signature(campaign: Campaign, user: User, employee: Employee | None, **fields: object) -> Signature:
    """A signature as services.sign_declaration would have made it, but at a time of the past."""
    return Signature(
        campaign=campaign,
        signer=user,
        employee=employee,
        opd_id=employee.opd_id if employee else None,
        employee_kind=employee.kind if employee else "",
        signer_name=employee.full_name if employee else user.full_name,
        identity_number=employee.identity_number if employee else user.username,
        text_sha256=campaign.text_sha256,
        **fields,
    )


def _opd_shares(sizes: dict[int, int], rng: random.Random) -> dict[int, float]:
    """A share per OPD, spread over OPD_SHARE_RANGE, whose weighted mean is TARGET_SHARE."""
    low, high = OPD_SHARE_RANGE
    shares = {opd_id: rng.uniform(low, high) for opd_id in sorted(sizes)}
    total = sum(sizes.values()) or 1
    for _round in range(20):
        mean = sum(shares[o] * sizes[o] for o in shares) / total
        if abs(mean - TARGET_SHARE) < 0.002:
            break
        shares = {o: min(high, max(low, s + TARGET_SHARE - mean)) for o, s in shares.items()}
    return shares


def _moment_between(rng: random.Random, start: dt.datetime, minutes: int) -> dt.datetime:
    # Most phones sign in the first quarter of an hour after the officials; stragglers follow.
    seconds = rng.triangular(0, minutes * 60, 8 * 60)
    return start + dt.timedelta(seconds=seconds, microseconds=rng.randrange(1_000_000))


@transaction.atomic
def seed_demo_campaign(*, seed: int, stdout: _Writer | None = None, keep_unsigned: Collection[str] = ()) -> Campaign:
    """Create the 2024 campaign and its history of signatures. ``keep_unsigned`` names the demo
    accounts (user names) that must be left for visitors to sign."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    # BKPSDM prepares the campaign, as it did in 2024; the Sekda when the demo has no BKPSDM account.
    manager = (
        User.objects.filter(role_grants__role__in=[Role.BKPSDM, Role.SEKDA], is_active=True)
        .order_by("role_grants__role", "pk")
        .first()
    )
    campaign = services.create_campaign(
        by=manager,
        slug=CAMPAIGN_SLUG,
        title=CAMPAIGN_TITLE,
        text=DECLARATION_TEXT,
        text_version="1",
        legal_basis=LEGAL_BASIS,
        opens_on=DECLARATION_DAY,
        closes_on=dt.date(2024, 10, 31),
        election_date=dt.date(2024, 11, 27),
        eligible_kinds=list(Employee.Kind.values),
        witness_bodies=list(WITNESS_BODIES),
    )

    signatures: list[Signature] = []
    taken: set[int] = set()
    mayor = User.objects.filter(role_grants__role=Role.WALI_KOTA, is_active=True).order_by("pk").first()
    sekda = (
        User.objects.filter(role_grants__role=Role.SEKDA, is_active=True)
        .select_related("employee")
        .order_by("pk")
        .first()
    )
    for user, capacity, moment in (
        (mayor, Signature.Capacity.WALI_KOTA, _at(7, 5, 12)),
        (sekda, Signature.Capacity.SEKDA, _at(7, 6, 3)),
    ):
        if user is not None:
            signatures.append(_signature(campaign, user, user.employee, capacity=capacity, signed_at=moment))
            taken.add(user.pk)

    eligible = list(
        queries.eligible_employees(campaign)
        .filter(user__is_active=True)
        .exclude(user__username__in=list(keep_unsigned))
        .exclude(user__pk__in=taken)
        .select_related("user")
        .order_by("identity_number")
    )
    by_opd: dict[int, list[Employee]] = defaultdict(list)
    for employee in eligible:
        by_opd[employee.opd_id].append(employee)
    shares = _opd_shares({opd_id: len(people) for opd_id, people in by_opd.items()}, rng)
    assembly = _at(7, 10)
    for opd_id in sorted(by_opd):
        people = by_opd[opd_id]
        for employee in rng.sample(people, round(shares[opd_id] * len(people))):
            signatures.append(
                _signature(
                    campaign,
                    employee.user,
                    employee,
                    capacity=Signature.Capacity.PEGAWAI,
                    signed_at=_moment_between(rng, assembly, 80),
                )
            )

    witnesses = {
        grant_body: user
        for user in User.objects.filter(role_grants__role=Role.SAKSI, is_active=True).order_by("pk")
        for grant_body in user.witness_bodies
    }
    for minute, body in zip((30, 32), WITNESS_BODIES, strict=True):
        witness = witnesses.get(body)
        if witness is not None:
            signatures.append(
                _signature(
                    campaign,
                    witness,
                    None,
                    capacity=Signature.Capacity.SAKSI,
                    witness_body=body,
                    signed_at=_at(9, minute, rng.randrange(60)),
                )
            )

    # The ledger follows the order in which people signed.
    signatures.sort(key=lambda s: s.signed_at)
    Signature.objects.bulk_create(signatures, batch_size=SIGNATURE_BATCH)
    entries = ledger.append_entries([ledger.Act("neutrality.signature", s) for s in signatures], by=None, role="sistem")
    for signature, entry in zip(signatures, entries, strict=True):
        signature.receipt_code = entry.receipt_code
    # One prepared statement run many times: bulk_update's CASE over thousands of rows costs
    # seconds for what this does in a fraction of one.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Signature._meta.db_table)} SET {quote('receipt_code')} = %s WHERE {quote('id')} = %s",  # noqa: S608 - names from the model
            [(s.receipt_code, s.pk) for s in signatures],
        )
    cosign_as_demo_witnesses()

    if stdout is not None:
        counts = queries.progress(campaign)
        officials = sum(1 for s in signatures if s.capacity != Signature.Capacity.PEGAWAI)
        stdout.write(
            f"Deklarasi netralitas 2024: {len(signatures)} tanda tangan; {officials} pejabat dan saksi, "
            f"{counts['signed']} dari {counts['eligible']} pegawai wajib ({counts['percent']:g} %).\n"
        )
    return campaign
