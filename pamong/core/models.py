"""The transparency ledger: an append-only Merkle log (RFC 9162) with signed, witnessed checkpoints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LedgerHead(models.Model):
    """The one row every append locks: the log's size, and how far the stored tree is built."""

    size = models.PositiveBigIntegerField(default=0)
    built_size = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="ledger_head_single_row"),
            models.CheckConstraint(condition=Q(built_size__lte=models.F("size")), name="ledger_head_built_within_size"),
        ]

    def __str__(self) -> str:
        return f"ledger size {self.size}"


class LedgerEntry(models.Model):
    """One act that must stay provable. Only hashes of confidential content ever come here."""

    index = models.PositiveBigIntegerField(_("nomor urut"), unique=True)
    kind = models.CharField(_("jenis"), max_length=60)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)
    actor_role = models.CharField(_("peran pelaku"), max_length=30)
    # Who acted, for internal audit; never part of the leaf, never shown publicly.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("waktu"))
    leaf_input = models.TextField()
    leaf_hash = models.BinaryField(max_length=32)
    receipt_code = models.CharField(_("kode tanda terima"), max_length=16, unique=True)
    # Kept only for public kinds, so the verification page can show what was recorded.
    payload = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["index"]
        verbose_name = _("entri buku besar")
        verbose_name_plural = _("entri buku besar")
        indexes = [
            models.Index(fields=["kind", "index"], name="ledger_entry_kind"),
            models.Index(fields=["subject_type", "subject_id"], name="ledger_entry_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"


class LedgerNode(models.Model):
    """The hash of a perfect subtree: 2^level leaves from leaf ``index * 2^level``."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class LedgerKey(models.Model):
    """A public key the Pemda has signed checkpoints with (the private key never enters the database)."""

    name = models.CharField(max_length=100)
    public_key = models.BinaryField(max_length=32)
    key_id = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "key_id"], name="ledger_key_unique")]

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id}"


class Checkpoint(models.Model):
    size = models.PositiveBigIntegerField(_("ukuran pohon"), unique=True)
    root_hash = models.BinaryField(max_length=32)
    text = models.TextField()
    signature = models.TextField()
    key = models.ForeignKey(LedgerKey, on_delete=models.PROTECT)
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)

    class Meta:
        ordering = ["-size"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoint")

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Witness(models.Model):
    """A body outside the Pemda's administration (Inspektorat, KPU, Bawaslu) holding its own key."""

    name = models.CharField(_("nama kunci"), max_length=100, unique=True)
    body = models.CharField(_("lembaga"), max_length=150)
    public_key = models.BinaryField(max_length=32)
    registered_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["body"]
        verbose_name = _("saksi checkpoint")
        verbose_name_plural = _("saksi checkpoint")

    def __str__(self) -> str:
        return self.body


class Cosignature(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    line = models.TextField()
    signed_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="cosignature_once_per_witness")]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.checkpoint.size}"


class Notification(models.Model):
    """A message for one user inside Pamong (reminders, decisions); mail goes out beside it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
