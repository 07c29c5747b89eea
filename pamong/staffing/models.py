"""Vacancies and proposals to fill them, under policy periods that are data, not code paths (issue 6).

A policy period says, for a span of dates: which levels need the Minister of Home Affairs' written
approval before a replacement (UU 10/2016 Pasal 71(2); SE Mendagri 100.2.1.3/1575/SJ), how many
proposals each group of levels may submit (the 2024 pre-election guidance: eselon II ≤ 3, eselon
III + IV ≤ 15), from which date other vacancies may be proposed, and whether a withdrawn or rejected
proposal frees its place. A period is edited by writing a new version with a reason; the old
version stays, so every decision can be read against the rules in force when it was taken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pamong.organisation.models import Position


class PolicyPeriod(models.Model):
    """One version of a policy period; ``code`` names the period across its versions."""

    code = models.SlugField(_("kode"), max_length=40)
    version = models.PositiveIntegerField(_("versi"), default=1)
    name = models.CharField(_("nama"), max_length=200)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(
        _("berakhir"), null=True, blank=True, help_text=_("Kosong: sampai kepala daerah baru dilantik.")
    )
    # Position.Level values whose replacement needs a Mendagri approval letter in this period.
    approval_levels = models.JSONField(_("jenjang yang perlu persetujuan Mendagri"), default=list, blank=True)
    # [{"code": "eselon_ii", "label": "Eselon II", "levels": ["jpt_pratama"], "limit": 3}, ...]
    quotas = models.JSONField(_("kuota usulan"), default=list, blank=True)
    quota_source = models.CharField(_("dasar kuota"), max_length=300, blank=True)
    # Vacancies without an important/urgent reason wait until this date; the quotas apply to
    # submissions before it (to the whole period when it is empty).
    others_from = models.DateField(_("lowongan lain boleh diusulkan mulai"), null=True, blank=True)
    frees_on_withdrawal = models.BooleanField(_("usulan yang ditarik mengembalikan kuota"), default=True)
    frees_on_rejection = models.BooleanField(_("usulan yang ditolak Kemendagri mengembalikan kuota"), default=False)
    reason = models.TextField(_("alasan perubahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code", "-version"]
        verbose_name = _("periode kebijakan")
        verbose_name_plural = _("periode kebijakan")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="policy_period_version_once")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def quota_for(self, level: str) -> dict[str, Any] | None:
        return next((q for q in self.quotas if level in q.get("levels", [])), None)

    def needs_approval(self, level: str) -> bool:
        return level in (self.approval_levels or [])

    def holds_back_on(self, day: dt.date) -> bool:
        """Before others_from only important and urgent vacancies may be proposed; others wait in the queue."""
        return self.others_from is not None and day < self.others_from

    def quotas_apply_on(self, day: dt.date) -> bool:
        """The quotas count submissions before others_from, or throughout when the period has no such date."""
        return self.others_from is None or day < self.others_from


class Field(models.TextChoices):
    """The field (rumpun) of a post and of an official's past posts: "related field" in PP 17/2020
    Pasal 107 means the same field here."""

    PEMERINTAHAN = "pemerintahan", _("Pemerintahan dan kewilayahan")
    KEUANGAN = "keuangan", _("Keuangan dan aset")
    PERENCANAAN = "perencanaan", _("Perencanaan dan penelitian")
    KEPEGAWAIAN = "kepegawaian", _("Kepegawaian dan organisasi")
    HUKUM = "hukum", _("Hukum")
    PENGAWASAN = "pengawasan", _("Pengawasan")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan dan kebudayaan")
    SOSIAL = "sosial", _("Sosial dan pemberdayaan")
    EKONOMI = "ekonomi", _("Ekonomi, perdagangan dan pariwisata")
    INFRASTRUKTUR = "infrastruktur", _("Pekerjaan umum, perumahan dan perhubungan")
    LINGKUNGAN = "lingkungan", _("Lingkungan hidup dan pertanian")
    KETERTIBAN = "ketertiban", _("Ketertiban umum dan kebencanaan")
    KEPENDUDUKAN = "kependudukan", _("Kependudukan dan catatan sipil")
    KOMINFO = "kominfo", _("Komunikasi dan informatika")
    UMUM = "umum", _("Umum dan kesekretariatan")


# A vacancy waiting in the queue: put there, not yet released, still empty.
WAITING_IN_QUEUE = Q(queued_until__isnull=False, released_on__isnull=True, filled_on__isnull=True)


class Vacancy(models.Model):
    class Reason(models.TextChoices):
        PENSIUN = "pensiun", _("Pensiun")
        MUTASI = "mutasi", _("Mutasi")
        PROMOSI = "promosi", _("Promosi")
        MENINGGAL = "meninggal", _("Meninggal dunia")
        DIBERHENTIKAN = "diberhentikan", _("Diberhentikan")
        LAINNYA = "lainnya", _("Lainnya")

    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("jabatan")
    )
    since = models.DateField(_("lowong sejak"))
    reason = models.CharField(_("sebab"), max_length=20, choices=Reason.choices)
    field = models.CharField(_("rumpun jabatan"), max_length=20, choices=Field.choices, default=Field.UMUM)
    filled_on = models.DateField(_("terisi tanggal"), null=True, blank=True)
    # A vacancy without an important/urgent reason waits in the queue until its period's others_from;
    # staffing_tick releases it on that date and tells BKPSDM.
    queued_until = models.DateField(_("menunggu antrean sampai"), null=True, blank=True)
    released_on = models.DateField(_("dilepas dari antrean"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["since", "id"]
        verbose_name = _("lowongan")
        verbose_name_plural = _("lowongan")
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=Q(filled_on__isnull=True), name="vacancy_one_open_per_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position} ({self.since})"

    @property
    def waiting_in_queue(self) -> bool:
        return self.queued_until is not None and self.released_on is None and self.filled_on is None

    def days_empty(self, today: dt.date) -> int:
        """Days from falling vacant to today, or to the day it was filled."""
        until = min(self.filled_on, today) if self.filled_on else today
        return max((until - self.since).days, 0)


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Diajukan BKPSDM")
        SEKDA = "disetujui_sekda", _("Disetujui Sekda")
        WALI_KOTA = "disetujui_wali_kota", _("Disetujui Wali Kota")
        SENT = "dikirim_kemendagri", _("Dikirim ke Kemendagri")
        APPROVED = "disetujui_kemendagri", _("Disetujui Kemendagri")
        REJECTED = "ditolak_kemendagri", _("Ditolak Kemendagri")
        APPOINTED = "dilantik", _("SK pengangkatan terbit")
        WITHDRAWN = "ditarik", _("Ditarik")

    class Urgency(models.TextChoices):
        LAYANAN_TERHENTI = "layanan_terhenti", _("Layanan kepada masyarakat terhenti")
        AMANAT_UU = "amanat_uu", _("Amanat peraturan perundang-undangan")
        PA_KPA = "pa_kpa", _("Pengguna/Kuasa Pengguna Anggaran (PA/KPA) kosong")
        LOGISTIK_PEMILU = "logistik_pemilu", _("Dukungan logistik dan penyelenggaraan Pilkada")

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("lowongan"))
    period_code = models.SlugField(_("periode kebijakan"), max_length=40)
    # The quota group the proposal counts against ("" when its level has no quota), fixed at submission.
    quota_group = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.DRAFT)
    urgency = models.JSONField(_("alasan penting dan mendesak"), default=list, blank=True)
    justification = models.TextField(_("uraian alasan"), blank=True)
    counts_against_quota = models.BooleanField(default=False)
    submitted_on = models.DateField(null=True, blank=True)
    mendagri_letter_number = models.CharField(_("nomor surat Kemendagri"), max_length=100, blank=True)
    mendagri_letter_date = models.DateField(_("tanggal surat Kemendagri"), null=True, blank=True)
    request_letter_number = models.CharField(_("nomor surat usulan ke Kemendagri"), max_length=100, blank=True)
    decree_number = models.CharField(_("nomor SK pengangkatan"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK pengangkatan"), null=True, blank=True)
    # Where the Minister's approval was needed, the appointment is reported to Kemendagri within 7
    # working days of the decree (SE Mendagri 100.2.1.3/1575/SJ); report_due_on is that last day.
    report_due_on = models.DateField(_("batas lapor ke Kemendagri"), null=True, blank=True)
    reported_on = models.DateField(_("dilaporkan ke Kemendagri"), null=True, blank=True)
    report_letter_number = models.CharField(_("nomor surat laporan"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("usulan pengisian jabatan")
        verbose_name_plural = _("usulan pengisian jabatan")
        indexes = [
            models.Index(fields=["period_code", "quota_group", "counts_against_quota"], name="proposal_quota_use")
        ]

    def __str__(self) -> str:
        return f"usulan {self.pk} ({self.vacancy})"


# Nothing moves a proposal in one of these states any more.
FINISHED = frozenset({Proposal.Status.APPOINTED, Proposal.Status.REJECTED, Proposal.Status.WITHDRAWN})
# A proposal in one of these states no longer stands for its vacancy: a new one may be drafted.
NOT_LIVE = frozenset({Proposal.Status.WITHDRAWN, Proposal.Status.REJECTED})
# Once the Wali Kota has approved, the request letter to Kemendagri exists (letters.py), and stays on file.
LETTER_STATUSES = frozenset(
    {
        Proposal.Status.WALI_KOTA,
        Proposal.Status.SENT,
        Proposal.Status.APPROVED,
        Proposal.Status.REJECTED,
        Proposal.Status.APPOINTED,
    }
)


class ProposalStep(models.Model):
    """One step of a proposal as the ledger records it. Never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=25, blank=True)
    to_status = models.CharField(max_length=25)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    on = models.DateField()
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ProposalCandidate(models.Model):
    """A candidate of a proposal with the eligibility checks as they stood when last checked.

    The name is never public until the appointment decree is recorded (``appointed``)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="candidates")
    employee = models.ForeignKey(
        "organisation.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("calon")
    )
    # [{"code", "label", "passed", "detail", "source"}, ...] from eligibility.check_candidate.
    checks = models.JSONField(default=list, blank=True)
    eligible = models.BooleanField(default=False)
    checked_on = models.DateField()
    appointed = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("calon pejabat")
        verbose_name_plural = _("calon pejabat")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "employee"], name="candidate_once_per_proposal"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(appointed=True), name="candidate_one_appointed_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.proposal_id})"


class ServiceRecord(models.Model):
    """One past or current post of an official (riwayat jabatan), for the years-in-post rules."""

    employee = models.ForeignKey(
        "organisation.Employee", on_delete=models.CASCADE, related_name="service_records", verbose_name=_("pegawai")
    )
    position_name = models.CharField(_("nama jabatan"), max_length=200)
    level = models.CharField(_("jenjang"), max_length=20, choices=Position.Level.choices)
    # For fungsional posts: the grade (ahli_pertama, ahli_muda, ahli_madya, ahli_utama, ...).
    functional_grade = models.CharField(_("jenjang fungsional"), max_length=20, blank=True)
    field = models.CharField(_("rumpun jabatan"), max_length=20, choices=Field.choices)
    starts_on = models.DateField(_("TMT jabatan"))
    ends_on = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        ordering = ["employee", "-starts_on"]
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="service_record_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position_name} ({self.starts_on}–{self.ends_on or ''})"


class PerformanceRating(models.Model):
    """The yearly performance rating (predikat kinerja, PermenPANRB 6/2022)."""

    class Rating(models.TextChoices):
        SANGAT_BAIK = "sangat_baik", _("Sangat baik")
        BAIK = "baik", _("Baik")
        BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh perbaikan")
        KURANG = "kurang", _("Kurang")
        SANGAT_KURANG = "sangat_kurang", _("Sangat kurang")

    GOOD = frozenset({Rating.SANGAT_BAIK, Rating.BAIK})

    employee = models.ForeignKey("organisation.Employee", on_delete=models.CASCADE, related_name="performance_ratings")
    year = models.PositiveSmallIntegerField(_("tahun"))
    rating = models.CharField(_("predikat kinerja"), max_length=20, choices=Rating.choices)

    class Meta:
        ordering = ["employee", "-year"]
        verbose_name = _("predikat kinerja")
        verbose_name_plural = _("predikat kinerja")
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="performance_rating_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_rating_display()}"


class DisciplineRecord(models.Model):
    """A discipline sanction (PP 94/2021) kept by BKPSDM; an official serving one is not eligible."""

    class Level(models.TextChoices):
        RINGAN = "ringan", _("Ringan")
        SEDANG = "sedang", _("Sedang")
        BERAT = "berat", _("Berat")

    employee = models.ForeignKey("organisation.Employee", on_delete=models.CASCADE, related_name="discipline_records")
    level = models.CharField(_("tingkat hukuman"), max_length=10, choices=Level.choices)
    sanction = models.CharField(_("hukuman disiplin"), max_length=200)
    decree_number = models.CharField(_("nomor keputusan"), max_length=100)
    starts_on = models.DateField(_("berlaku mulai"))
    ends_on = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        ordering = ["employee", "-starts_on"]
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("hukuman disiplin")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.sanction}"


def step_payload(step: ProposalStep) -> dict[str, Any]:
    proposal = step.proposal
    position = proposal.vacancy.position
    return {
        "proposal": proposal.pk,
        "position": position.pk,
        "opd": position.opd_id,
        "level": position.level,
        "from": step.from_status,
        "to": step.to_status,
        "on": step.on.isoformat(),
        "facts": step.facts,
    }


class ActingAssignment(models.Model):
    """An existing official acting (Plt/Plh) in a vacant post for a span of dates (SE Kepala BKN
    Nomor 1/SE/I/2021). The official keeps the definitive post; the term and its one extension are
    limited by configuration, and the acting official may not appoint, transfer or dismiss staff."""

    class Kind(models.TextChoices):
        PLT = "plt", _("Pelaksana Tugas (Plt)")
        PLH = "plh", _("Pelaksana Harian (Plh)")

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="acting_assignments", verbose_name=_("lowongan")
    )
    employee = models.ForeignKey(
        "organisation.Employee",
        on_delete=models.PROTECT,
        related_name="acting_assignments",
        verbose_name=_("pejabat yang ditugaskan"),
    )
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    starts_on = models.DateField(_("mulai"))
    # ends_on follows the extension (ActingExtension); first_ends_on is the term as assigned, which
    # the ledger entry vouches for.
    ends_on = models.DateField(_("berakhir"))
    first_ends_on = models.DateField(_("berakhir (penugasan awal)"))
    extended = models.BooleanField(_("sudah diperpanjang"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("penugasan Plt/Plh")
        verbose_name_plural = _("penugasan Plt/Plh")
        indexes = [models.Index(fields=["vacancy", "starts_on", "ends_on"], name="acting_vacancy_span")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="acting_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.vacancy.position} ({self.starts_on}–{self.ends_on})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.first_ends_on is None:
            self.first_ends_on = self.ends_on
        super().save(*args, **kwargs)


class ActingExtension(models.Model):
    """The one extension of an acting term, as its own record (the ledger vouches for it)."""

    assignment = models.OneToOneField(ActingAssignment, on_delete=models.PROTECT, related_name="extension")
    from_ends_on = models.DateField()
    ends_on = models.DateField(_("diperpanjang sampai"))
    on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.from_ends_on} → {self.ends_on}"


def acting_payload(assignment: ActingAssignment) -> dict[str, Any]:
    position = assignment.vacancy.position
    return {
        "assignment": assignment.pk,
        "vacancy": assignment.vacancy_id,
        "position": position.pk,
        "opd": position.opd_id,
        "level": position.level,
        "kind": assignment.kind,
        "employee": assignment.employee_id,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": assignment.first_ends_on.isoformat(),
    }


def extension_payload(extension: ActingExtension) -> dict[str, Any]:
    return {
        "assignment": extension.assignment_id,
        "from_ends_on": extension.from_ends_on.isoformat(),
        "ends_on": extension.ends_on.isoformat(),
        "on": extension.on.isoformat(),
    }
