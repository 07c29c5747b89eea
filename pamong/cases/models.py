"""Confidential reports and the cases behind them.

What is stored in the clear is only what the queue, the deadlines, the conflict rules and the
anonymous statistics need: the kind of report, the stage, dates (days, never times of day), the OPD
and — once a handler has identified them — the reported employee. Everything the reporter wrote,
who they are, how to reach them, and every file and message sit in ``sealed`` fields, encrypted
under the report's own key (see ``crypto.py``). Nothing here records an address or a browser.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pamong.organisation.models import OPD, ApiToken, Employee


class Kind(models.TextChoices):
    TEKANAN = "tekanan", _("Tekanan terhadap ASN/PTT")
    NETRALITAS = "netralitas", _("Pelanggaran netralitas ASN")
    CALO = "calo", _("Calo atau janji kelulusan CPNS/PPPK")
    INTEGRITAS = "integritas", _("Masalah integritas lain")


class Stage(models.TextChoices):
    DITERIMA = "diterima", _("Diterima")
    VERIFIKASI = "verifikasi", pgettext_lazy("stage", "Verifikasi")
    PEMERIKSAAN = "pemeriksaan", pgettext_lazy("stage", "Pemeriksaan")
    REKOMENDASI = "rekomendasi", _("Rekomendasi sanksi")
    DIPUTUS = "diputus", _("Diputus Wali Kota (PPK)")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")
    DITERUSKAN = "diteruskan", _("Diteruskan")


OPEN_STAGES = frozenset({Stage.DITERIMA, Stage.VERIFIKASI, Stage.PEMERIKSAAN, Stage.REKOMENDASI, Stage.DIPUTUS})
CLOSED_STAGES = frozenset({Stage.SELESAI, Stage.DITOLAK, Stage.DITERUSKAN})


class Examiner(models.TextChoices):
    ATASAN = "atasan", _("Atasan langsung")
    INSPEKTORAT = "inspektorat", _("Inspektorat")


class Track(models.TextChoices):
    ETIK = "etik", _("Kode etik (sanksi moral)")
    DISIPLIN = "disiplin", _("Disiplin (PP 94/2021)")
    KEDUANYA = "keduanya", _("Kode etik dan disiplin")
    TIDAK_TERBUKTI = "tidak_terbukti", _("Tidak terbukti")


class EthicsSanction(models.TextChoices):
    TERTUTUP = "tertutup", _("Pernyataan secara tertutup")
    TERBUKA = "terbuka", _("Pernyataan secara terbuka")


class DisciplineLevel(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class DisciplineSanction(models.TextChoices):
    # PP 94/2021 Pasal 8.
    TEGURAN_LISAN = "teguran_lisan", _("Teguran lisan")
    TEGURAN_TERTULIS = "teguran_tertulis", _("Teguran tertulis")
    TIDAK_PUAS = "tidak_puas", _("Pernyataan tidak puas secara tertulis")
    POTONG_TPP_6 = "potong_tpp_6", _("Pemotongan TPP 25 persen selama 6 bulan")
    POTONG_TPP_9 = "potong_tpp_9", _("Pemotongan TPP 25 persen selama 9 bulan")
    POTONG_TPP_12 = "potong_tpp_12", _("Pemotongan TPP 25 persen selama 12 bulan")
    TURUN_JABATAN = "turun_jabatan", _("Penurunan jabatan setingkat lebih rendah selama 12 bulan")
    PEMBEBASAN = "pembebasan", _("Pembebasan dari jabatan menjadi pelaksana selama 12 bulan")
    PEMBERHENTIAN = "pemberhentian", _("Pemberhentian dengan hormat tidak atas permintaan sendiri")


SANCTION_LEVEL = {
    DisciplineSanction.TEGURAN_LISAN: DisciplineLevel.RINGAN,
    DisciplineSanction.TEGURAN_TERTULIS: DisciplineLevel.RINGAN,
    DisciplineSanction.TIDAK_PUAS: DisciplineLevel.RINGAN,
    DisciplineSanction.POTONG_TPP_6: DisciplineLevel.SEDANG,
    DisciplineSanction.POTONG_TPP_9: DisciplineLevel.SEDANG,
    DisciplineSanction.POTONG_TPP_12: DisciplineLevel.SEDANG,
    DisciplineSanction.TURUN_JABATAN: DisciplineLevel.BERAT,
    DisciplineSanction.PEMBEBASAN: DisciplineLevel.BERAT,
    DisciplineSanction.PEMBERHENTIAN: DisciplineLevel.BERAT,
}


class ElectionStage(models.TextChoices):
    # Candidates for the 2024 Pilkada were determined on 22 September 2024: before it the 2022 joint
    # decree governs, after it the election law.
    SEBELUM = "sebelum_penetapan", _("Sebelum penetapan calon (22 Sep 2024)")
    SESUDAH = "sesudah_penetapan", _("Sesudah penetapan calon")


class ForwardTarget(models.TextChoices):
    BKN = "bkn", _("BKN")
    BAWASLU = "bawaslu", _("Bawaslu")
    POLISI = "polisi", _("Kepolisian")


class Outcome(models.TextChoices):
    SANKSI = "sanksi", _("Dijatuhi sanksi")
    TIDAK_TERBUKTI = "tidak_terbukti", _("Tidak terbukti")
    DITOLAK = "ditolak", _("Ditolak")
    DITERUSKAN = "diteruskan", _("Diteruskan")


def _new_salt() -> str:
    return secrets.token_hex(16)


def _new_number() -> str:
    return f"L-{secrets.token_hex(4).upper()}"


class Report(models.Model):
    """One report and the case it becomes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The handlers' reference: random, so it tells nothing about how many came before or when.
    number = models.CharField(_("nomor"), max_length=12, unique=True, default=_new_number)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices, default=Stage.DITERIMA)
    received_on = models.DateField(_("diterima tanggal"))
    stage_since = models.DateField(_("tahap sejak"))
    due_on = models.DateField(_("batas waktu tahap"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    opd = models.ForeignKey(
        OPD, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("OPD terlapor")
    )
    reported_employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pegawai terlapor")
    )
    examiner = models.CharField(_("pemeriksa"), max_length=20, choices=Examiner.choices, blank=True)
    superior_flagged_on = models.DateField(_("atasan ditandai lalai"), null=True, blank=True)
    track = models.CharField(_("jalur"), max_length=20, choices=Track.choices, blank=True)
    ethics_sanction = models.CharField(_("sanksi moral"), max_length=20, choices=EthicsSanction.choices, blank=True)
    discipline_sanction = models.CharField(
        _("hukuman disiplin"), max_length=20, choices=DisciplineSanction.choices, blank=True
    )
    election_stage = models.CharField(_("tahap pemilihan"), max_length=20, choices=ElectionStage.choices, blank=True)
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices, blank=True)
    forwarded_to = models.CharField(_("diteruskan ke"), max_length=20, choices=ForwardTarget.choices, blank=True)
    closed_on = models.DateField(_("ditutup tanggal"), null=True, blank=True)
    purge_on = models.DateField(_("kunci dimusnahkan tanggal"), null=True, blank=True)
    purged_on = models.DateField(_("kunci dimusnahkan"), null=True, blank=True)

    # Sealed under the report key: the form's answers, the reporter's identity and contact (if given).
    content = models.BinaryField(default=b"")
    # The report key, wrapped for the reporter's receipt and for the recovery key.
    receipt_locator = models.CharField(max_length=8, unique=True, null=True)
    receipt_salt = models.BinaryField(default=b"")
    receipt_verifier = models.BinaryField(default=b"")
    receipt_key = models.BinaryField(default=b"")
    recovery_key = models.ForeignKey("RecoveryKey", on_delete=models.PROTECT, null=True, related_name="+")
    recovery_wrapped = models.BinaryField(default=b"")
    # Wrong receipt codes in a row, and until when the receipt is refused.
    receipt_failures = models.PositiveSmallIntegerField(default=0)
    receipt_locked_until = models.DateTimeField(null=True, blank=True)
    # Set once the receipt's intake entry is in the ledger (see services.flush_intake_entries).
    awaiting_ledger = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["due_on", "number"]
        indexes = [models.Index(fields=["stage", "due_on"], name="report_stage_due")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_purged(self) -> bool:
        return self.purged_on is not None


class HandlerKey(models.Model):
    """A handler's X25519 key pair; the private half sealed under a key derived from their password."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_key")
    public_key = models.BinaryField()
    sealed_private = models.BinaryField()
    salt = models.BinaryField()
    # Argon2id cost the private key was sealed with (libsodium opslimit and memlimit in bytes).
    kdf_ops = models.PositiveIntegerField(default=2)
    kdf_mem = models.PositiveBigIntegerField(default=64 * 1024 * 1024)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kunci petugas")
        verbose_name_plural = _("kunci petugas")

    def __str__(self) -> str:
        return f"kunci {self.user_id}"


class TokenKey(models.Model):
    """A handler's private key sealed under a key derived from one API token (which only the client has)."""

    token = models.OneToOneField(ApiToken, on_delete=models.CASCADE, related_name="case_key")
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return f"kunci token {self.token_id}"


class RecoveryKey(models.Model):
    """The Inspektorat head's recovery key: public half here, private half printed once and kept in a safe."""

    public_key = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_recovery")]

    def __str__(self) -> str:
        return f"kunci pemulihan {self.pk}"


class Assignment(models.Model):
    """Who may open a report: the report key wrapped for them. Removing the row removes their access."""

    class Role(models.TextChoices):
        PETUGAS = "petugas", _("Petugas")
        PPK = "ppk", _("Wali Kota (PPK)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PETUGAS)
    wrapped_key = models.BinaryField()
    assigned_on = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.user_id}"


class Message(models.Model):
    """A message between reporter and handlers, or a handlers-only note. The body is sealed."""

    class Author(models.TextChoices):
        PELAPOR = "pelapor", _("Pelapor")
        PETUGAS = "petugas", _("Petugas")
        CATATAN = "catatan", pgettext_lazy("case", "Catatan internal")
        SISTEM = "sistem", _("Sistem")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    # A handler's own name is not secret to the reporter's case; the reporter has no user at all.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sent_on = models.DateField()
    body = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"pesan {self.pk}"

    @property
    def internal(self) -> bool:
        return self.author == self.Author.CATATAN


class Attachment(models.Model):
    """An evidence file: cleaned, sealed under the report key and stored under a random name."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    storage_name = models.CharField(max_length=64, unique=True)
    # File name and type, sealed; the size is padded to 4 KiB steps so it says little.
    meta = models.BinaryField()
    from_reporter = models.BooleanField(default=True)
    added_on = models.DateField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"berkas {self.pk}"


class Transition(models.Model):
    """One step of a case, as the ledger records it (hashes only). Never edited."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    on = models.DateField()
    # Recorded facts of the step (track, sanction, target), in the clear: they hold no reporter data.
    facts = models.JSONField(default=dict, blank=True)
    # The reason or note given, sealed under the report key.
    note = models.BinaryField(default=b"")
    # A random salt in the ledger payload: the hash of a short, guessable step cannot be confirmed.
    salt = models.CharField(max_length=32, default=_new_salt)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"


def transition_payload(transition: Transition) -> dict[str, Any]:
    return {
        "report": transition.report.number,
        "from": transition.from_stage,
        "to": transition.to_stage,
        "on": transition.on.isoformat(),
        "facts": transition.facts,
        "salt": transition.salt,
    }
