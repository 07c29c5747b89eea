"""Neutrality declaration campaigns and their signatures."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pamong.organisation.models import OPD, Employee


def text_sha256(text: str) -> str:
    """The hash of a declaration text as signed: UTF-8, line endings normalised to \\n."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()


class Campaign(models.Model):
    """One declaration: its text (fixed once anyone has signed), window, who must sign, who witnesses."""

    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("teks deklarasi"))
    text_version = models.CharField(_("versi teks"), max_length=20, default="1")
    text_sha256 = models.CharField(max_length=64, editable=False)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    opens_on = models.DateField(_("mulai ditandatangani"))
    closes_on = models.DateField(_("batas penandatanganan"))
    election_date = models.DateField(_("tanggal pemilihan"), null=True, blank=True)
    # Who must sign: statuses (pns, pppk, ptt) and, when any are chosen, only these OPD.
    eligible_kinds = models.JSONField(_("status kepegawaian wajib"), default=list)
    eligible_opds = models.ManyToManyField(OPD, blank=True, verbose_name=_("OPD wajib (kosong = semua)"))
    witness_bodies = models.JSONField(_("lembaga saksi"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("kampanye deklarasi")
        verbose_name_plural = _("kampanye deklarasi")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_window_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: Any) -> bool:
        return self.opens_on <= day <= self.closes_on


class Signature(models.Model):
    """One person's signature on a campaign: as employee, as official (Wali Kota, Sekda), or as witness."""

    class Capacity(models.TextChoices):
        PEGAWAI = "pegawai", _("Pegawai")
        WALI_KOTA = "wali_kota", _("Wali Kota")
        SEKDA = "sekda", _("Sekda")
        SAKSI = "saksi", _("Saksi")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Where the signer stood when signing, kept so rosters do not move when people do.
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    employee_kind = models.CharField(max_length=4, blank=True)
    signer_name = models.CharField(max_length=200)
    identity_number = models.CharField(max_length=40)
    capacity = models.CharField(_("sebagai"), max_length=10, choices=Capacity.choices)
    witness_body = models.CharField(_("lembaga saksi"), max_length=100, blank=True)
    text_sha256 = models.CharField(max_length=64)
    drawing = models.TextField(_("tanda tangan digambar (SVG path)"), blank=True)
    signed_at = models.DateTimeField(_("waktu tanda tangan"))
    receipt_code = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("tanda tangan deklarasi")
        verbose_name_plural = _("tanda tangan deklarasi")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "signer"], name="signature_once_per_signer"),
            models.UniqueConstraint(
                fields=["campaign", "employee"], condition=Q(employee__isnull=False), name="signature_once_per_employee"
            ),
            models.CheckConstraint(
                condition=~Q(capacity="saksi") | ~Q(witness_body=""), name="signature_witness_has_body"
            ),
            models.CheckConstraint(
                condition=~Q(capacity="pegawai") | Q(employee__isnull=False), name="signature_employee_has_employee"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "opd"], name="signature_campaign_opd")]

    def __str__(self) -> str:
        return f"{self.signer_name} — {self.campaign}"
