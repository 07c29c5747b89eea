"""The ground every module stands on: the Pemda, its areas, agencies, posts, people and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from collections.abc import Iterable


class Pemda(models.Model):
    """A regional government (Pemerintah Daerah). Kupang is 53.71."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=100)

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self) -> str:
        return self.name


class Kecamatan(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="kecamatan")
    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{2}\.\d{2}\.\d{2}$"), name="kecamatan_code_shape")
        ]

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="kelurahan")
    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"), null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(_("luas (km²)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"), name="kelurahan_code_shape"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OPD(models.Model):
    """An agency of the Pemda (Organisasi Perangkat Daerah)."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        SATPOL_PP = "satpol_pp", _("Satuan Polisi Pamong Praja")
        RSUD = "rsud", _("Rumah Sakit Umum Daerah")
        KECAMATAN = "kecamatan", _("Kantor kecamatan")
        KELURAHAN = "kelurahan", _("Kantor kelurahan")
        LAINNYA = "lainnya", _("Lainnya")

    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="opd")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    abbreviation = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("OPD induk"),
    )
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, null=True, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="opd_code_unique_per_pemda"),
            models.UniqueConstraint(fields=["pemda", "name"], name="opd_name_unique_per_pemda"),
            models.CheckConstraint(
                condition=~Q(kind="kelurahan") | Q(kelurahan__isnull=False),
                name="opd_kelurahan_office_has_kelurahan",
            ),
            models.CheckConstraint(
                condition=~Q(kind="kecamatan") | Q(kecamatan__isnull=False),
                name="opd_kecamatan_office_has_kecamatan",
            ),
        ]

    def __str__(self) -> str:
        return self.abbreviation or self.name

    @property
    def display_name(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit inside an OPD: sekretariat, bidang, sub-bagian, seksi, UPTD."""

    class Kind(models.TextChoices):
        PIMPINAN = "pimpinan", _("Pimpinan")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        BIDANG = "bidang", _("Bidang")
        SUBBAGIAN = "subbagian", _("Subbagian")
        SEKSI = "seksi", _("Seksi")
        UPTD = "uptd", _("UPTD")

    opd = models.ForeignKey(OPD, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["opd", "id"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        constraints = [models.UniqueConstraint(fields=["opd", "parent", "name"], name="unit_name_unique_in_parent")]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A post (jabatan). Structural posts (eselon II–IV) have one holder; others may have many."""

    class Level(models.TextChoices):
        JPT_PRATAMA = "jpt_pratama", _("JPT Pratama (eselon II)")
        ADMINISTRATOR = "administrator", _("Administrator (eselon III)")
        PENGAWAS = "pengawas", _("Pengawas (eselon IV)")
        PELAKSANA = "pelaksana", _("Pelaksana")
        FUNGSIONAL = "fungsional", _("Fungsional")

    class Grade(models.TextChoices):
        II_A = "II.a", "II.a"
        II_B = "II.b", "II.b"
        III_A = "III.a", "III.a"
        III_B = "III.b", "III.b"
        IV_A = "IV.a", "IV.a"
        IV_B = "IV.b", "IV.b"

    STRUCTURAL_LEVELS = frozenset({Level.JPT_PRATAMA, Level.ADMINISTRATOR, Level.PENGAWAS})

    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="positions")
    name = models.CharField(_("nama jabatan"), max_length=200)
    level = models.CharField(_("jenjang"), max_length=20, choices=Level.choices)
    grade = models.CharField(_("eselon"), max_length=5, choices=Grade.choices, blank=True)
    superior = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("atasan langsung"),
    )
    is_head_of_opd = models.BooleanField(_("kepala OPD"), default=False)

    class Meta:
        ordering = ["opd", "grade", "name"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        constraints = [
            # The eselon grade must belong to the level: II for JPT Pratama, III for Administrator,
            # IV for Pengawas, and none for pelaksana and fungsional posts.
            models.CheckConstraint(
                condition=(
                    Q(level="jpt_pratama", grade__in=["II.a", "II.b"])
                    | Q(level="administrator", grade__in=["III.a", "III.b"])
                    | Q(level="pengawas", grade__in=["IV.a", "IV.b"])
                    | Q(level__in=["pelaksana", "fungsional"], grade="")
                ),
                name="position_grade_matches_level",
            ),
            models.UniqueConstraint(fields=["opd"], condition=Q(is_head_of_opd=True), name="position_one_head_per_opd"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_structural(self) -> bool:
        return self.level in self.STRUCTURAL_LEVELS


class Employee(models.Model):
    """A civil servant (PNS, PPPK) or contract staff member (PTT) of the Pemda."""

    class Kind(models.TextChoices):
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")
        PTT = "ptt", _("PTT")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        CUTI = "cuti", _("Cuti")
        DIBERHENTIKAN_SEMENTARA = "diberhentikan_sementara", _("Diberhentikan sementara")
        PENSIUN = "pensiun", _("Pensiun")
        BERHENTI = "berhenti", _("Berhenti")
        MENINGGAL = "meninggal", _("Meninggal dunia")

    class Sex(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "sd", "SD"
        SMP = "smp", "SMP"
        SMA = "sma", _("SMA/SMK")
        D3 = "d3", "D-III"
        D4 = "d4", "D-IV"
        S1 = "s1", "S-1"
        S2 = "s2", "S-2"
        S3 = "s3", "S-3"

    ACTIVE_STATUSES = frozenset({Status.AKTIF, Status.CUTI})

    kind = models.CharField(_("status kepegawaian"), max_length=4, choices=Kind.choices)
    identity_number = models.CharField(_("nomor identitas"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    start_date = models.DateField(_("TMT pengangkatan"))
    rank = models.CharField(_("golongan"), max_length=10, blank=True)
    education = models.CharField(_("pendidikan"), max_length=3, choices=Education.choices, blank=True)
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.AKTIF)
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="employees", verbose_name=_("OPD"))
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit"))
    position = models.ForeignKey(
        Position,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("jabatan"),
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        indexes = [
            models.Index(fields=["opd", "name"], name="employee_opd_name"),
            # The employee list is ordered by (name, id) for every role; without this index the
            # database sorts the whole workforce to show 50 rows.
            models.Index(fields=["name", "id"], name="employee_name_id"),
            models.Index(fields=["kind", "status"], name="employee_kind_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind="ptt", rank="") | ~Q(kind="ptt"), name="employee_ptt_has_no_rank"),
            models.CheckConstraint(
                condition=Q(kind="ptt") | Q(birth_date__isnull=False), name="employee_asn_has_birth_date"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = self.name
        if self.front_title:
            name = f"{self.front_title} {name}"
        if self.back_title:
            name = f"{name}, {self.back_title}"
        return name

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_asn(self) -> bool:
        return self.kind in {self.Kind.PNS, self.Kind.PPPK}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: object) -> User:
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class Role(models.TextChoices):
    WALI_KOTA = "wali_kota", _("Wali Kota")
    SEKDA = "sekda", _("Sekda")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    BKPSDM = "bkpsdm", _("BKPSDM / BKPPD")
    BKAD = "bkad", _("BKAD / Bapenda")
    BAPPEDA = "bappeda", _("Bappeda")
    KEPALA_OPD = "kepala_opd", _("Kepala OPD")
    OPERATOR_OPD = "operator_opd", _("Operator OPD")
    PEGAWAI = "pegawai", pgettext_lazy("role", "Pegawai")
    SAKSI = "saksi", _("Saksi")


OPD_SCOPED_ROLES = frozenset({Role.KEPALA_OPD, Role.OPERATOR_OPD})


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who logs in. Staff log in with their identity number; witnesses with a user name."""

    username = models.CharField(_("nomor identitas / nama pengguna"), max_length=40, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    email = models.EmailField(_("surel"), blank=True)
    employee = models.OneToOneField(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="user")
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin Django"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    def _grants(self) -> list[RoleGrant]:
        # One query per request for all role questions; callers that change grants clear it.
        cached: list[RoleGrant] | None = self.__dict__.get("_grants_cache")
        if cached is None:
            cached = list(self.role_grants.all()) if self.pk else []
            self.__dict__["_grants_cache"] = cached
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_grants_cache", None)

    @property
    def roles(self) -> frozenset[str]:
        """Every role the user holds; Pegawai is implied by a linked employee record."""
        granted = {grant.role for grant in self._grants()}
        if self.employee_id is not None:
            granted.add(Role.PEGAWAI)
        return frozenset(granted)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def opd_ids_for(self, roles: Iterable[str] = OPD_SCOPED_ROLES) -> set[int]:
        wanted = set(roles)
        return {g.opd_id for g in self._grants() if g.role in wanted and g.opd_id is not None}

    @property
    def witness_bodies(self) -> list[str]:
        return [g.witness_body for g in self._grants() if g.role == Role.SAKSI]


class RoleGrant(models.Model):
    """A role given to a user, scoped to one OPD where the role is per-OPD."""

    # PROTECT: a grant is a ledger entry, so its user and OPD are deactivated, never deleted.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("OPD"))
    witness_body = models.CharField(
        _("lembaga saksi"), max_length=100, blank=True, help_text=_("Untuk peran Saksi: KPU, Bawaslu, …")
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberian peran")
        verbose_name_plural = _("pemberian peran")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "opd"], condition=Q(opd__isnull=False), name="role_grant_unique_in_opd"
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(opd__isnull=True), name="role_grant_unique_citywide"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["kepala_opd", "operator_opd"]) | Q(opd__isnull=False),
                name="role_grant_opd_scoped_roles_have_opd",
            ),
            models.CheckConstraint(condition=~Q(role="pegawai"), name="role_grant_pegawai_is_implied"),
            models.CheckConstraint(condition=~Q(role="saksi") | ~Q(witness_body=""), name="role_grant_saksi_has_body"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.opd})" if self.opd_id else self.get_role_display()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"token {self.pk} ({self.user})"

    def is_valid_at(self, moment: object) -> bool:
        return self.user.is_active and self.expires_at > moment  # type: ignore[operator]
