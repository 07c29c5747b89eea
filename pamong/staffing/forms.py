"""Forms of the staffing pages. They only read the browser's input: every rule (who may, which step
may follow which, the quota, the queue date, eligibility, the acting limits) is checked by the service
the view calls, so most fields accept blanks and let the service say in words what is missing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from pamong.organisation.models import OPD, Employee, Position
from pamong.staffing.models import ActingAssignment, Field, PolicyPeriod, Proposal, Vacancy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE = forms.Textarea(attrs={"rows": 3})
# The structural levels, highest first: the only levels with vacancies, Plt/Plh, quotas and approvals.
STRUCTURAL_LEVELS = [
    (level.value, level.label)
    for level in (Position.Level.JPT_PRATAMA, Position.Level.ADMINISTRATOR, Position.Level.PENGAWAS)
]
QUOTA_ROWS = 3


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, **kwargs)


# --- filters -------------------------------------------------------------------------------------------------


class OPDChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OPD) -> str:
        return obj.name


class VacancyFilterForm(forms.Form):
    OPEN, FILLED, ALL = "lowong", "terisi", "semua"
    WAITING, RELEASED = "menunggu", "dilepas"

    opd = OPDChoiceField(label=_("OPD"), queryset=OPD.objects.none(), required=False, empty_label=_("Semua OPD"))
    level = forms.ChoiceField(
        label=_("Jenjang"), choices=[("", _("Semua jenjang")), *STRUCTURAL_LEVELS], required=False
    )
    keadaan = forms.ChoiceField(
        label=_("Keadaan"),
        choices=[(OPEN, _("Masih lowong")), (FILLED, _("Sudah terisi")), (ALL, _("Semua"))],
        required=False,
    )
    antrean = forms.ChoiceField(
        label=_("Antrean"),
        choices=[("", _("Semua")), (WAITING, _("Menunggu antrean")), (RELEASED, _("Dilepas dari antrean"))],
        required=False,
    )

    def __init__(self, *args: Any, opds: QuerySet[OPD], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opd"]
        assert isinstance(field, OPDChoiceField)
        field.queryset = opds


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status")), *Proposal.Status.choices], required=False
    )
    opd = OPDChoiceField(label=_("OPD"), queryset=OPD.objects.none(), required=False, empty_label=_("Semua OPD"))
    periode = forms.ChoiceField(label=_("Periode kebijakan"), choices=[("", _("Semua periode"))], required=False)

    def __init__(self, *args: Any, opds: QuerySet[OPD], periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opd"]
        assert isinstance(field, OPDChoiceField)
        field.queryset = opds
        period = self.fields["periode"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [("", _("Semua periode")), *periods]


class ActingFilterForm(forms.Form):
    NOW, ALL = "berjalan", "semua"
    keadaan = forms.ChoiceField(
        label=_("Penugasan"),
        choices=[(NOW, _("Yang berjalan hari ini")), (ALL, _("Semua, termasuk yang berakhir"))],
        required=False,
    )
    opd = OPDChoiceField(label=_("OPD"), queryset=OPD.objects.none(), required=False, empty_label=_("Semua OPD"))

    def __init__(self, *args: Any, opds: QuerySet[OPD], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opd"]
        assert isinstance(field, OPDChoiceField)
        field.queryset = opds


class SearchForm(forms.Form):
    """A name or identity number to look for (the employee chooser of Plt/Plh and of candidates)."""

    cari = forms.CharField(
        label=_("Cari nama atau NIP"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


# --- vacancies ---------------------------------------------------------------------------------------------


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.name} ({obj.get_level_display()})"


class VacancyForm(forms.Form):
    position = PositionChoiceField(
        label=_("Jabatan struktural yang lowong"),
        queryset=Position.objects.none(),
        empty_label=_("— pilih jabatan —"),
        help_text=_("Hanya jabatan struktural yang belum tercatat lowong."),
    )
    since = _date(_("Lowong sejak"))
    reason = forms.ChoiceField(label=_("Sebab"), choices=[("", "—"), *Vacancy.Reason.choices], required=False)
    field = forms.ChoiceField(
        label=_("Rumpun jabatan"),
        choices=Field.choices,
        initial=Field.UMUM,
        help_text=_("Dipakai untuk syarat masa jabatan di bidang terkait."),
    )

    def __init__(self, *args: Any, positions: QuerySet[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["position"]
        assert isinstance(field, PositionChoiceField)
        field.queryset = positions
        # Grouped by OPD, so a few hundred posts stay findable.
        groups: dict[str, list[tuple[int, str]]] = {}
        for post in positions:
            groups.setdefault(post.opd.name, []).append((post.pk, field.label_from_instance(post)))
        field.widget.choices = [("", field.empty_label), *groups.items()]


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        post = obj.position.name if obj.position_id and obj.position else _("tanpa jabatan")
        return f"{obj.full_name} — {obj.identity_number} — {post} ({obj.opd.abbreviation or obj.opd.name})"


def _offer(field: forms.ModelChoiceField, offered: list[Employee], chosen: Any) -> None:
    """What the select shows: the search results, and what was chosen before (kept on a re-render)."""
    assert isinstance(field, EmployeeChoiceField)
    people = list(offered)
    if chosen and all(str(p.pk) != str(chosen) for p in people):
        found = None
        if str(chosen).isdigit() and field.queryset is not None:
            found = field.queryset.filter(pk=chosen).select_related("position", "opd").first()
        if found is not None:
            people.insert(0, found)
    field.widget.choices = [("", _("— pilih pegawai —")), *[(p.pk, field.label_from_instance(p)) for p in people]]


class ActingForm(forms.Form):
    employee = EmployeeChoiceField(
        label=_("Pejabat yang ditugaskan"),
        queryset=Employee.objects.none(),
        error_messages={"required": _("Pilih pejabat yang ditugaskan; cari dulu nama atau NIP-nya.")},
    )
    kind = forms.ChoiceField(
        label=_("Jenis penugasan"),
        choices=ActingAssignment.Kind.choices,
        widget=forms.RadioSelect,
        initial=ActingAssignment.Kind.PLT,
    )
    starts_on = _date(_("Mulai"))
    ends_on = _date(_("Berakhir"))

    def __init__(self, *args: Any, officials: QuerySet[Employee], offered: list[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employee"]
        assert isinstance(field, EmployeeChoiceField)
        field.queryset = officials
        _offer(field, offered, self.data.get(self.add_prefix("employee")) if self.is_bound else None)


class ExtendForm(forms.Form):
    ends_on = _date(_("Diperpanjang sampai"))


class DraftProposalForm(forms.Form):
    urgency = forms.MultipleChoiceField(
        label=_("Alasan penting dan mendesak"),
        choices=Proposal.Urgency.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Centang yang berlaku. Tanpa alasan mendesak, lowongan baru dapat diajukan mulai tanggal antrean "
            "periode kebijakan."
        ),
    )
    justification = forms.CharField(
        label=_("Uraian alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Misalnya layanan apa yang terhenti, dan sejak kapan. Ringkasannya tampil di halaman publik."),
    )


class EmptyForm(forms.Form):
    pass


# --- proposals -------------------------------------------------------------------------------------------


class CandidateForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=Employee.objects.all(), widget=forms.HiddenInput)


class RemoveCandidateForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Saya sudah membaca usulan ini, alasannya, dan calonnya, dan menyetujuinya."),
        error_messages={"required": _("Centang pernyataan persetujuan dulu.")},
    )


class SendForm(forms.Form):
    letter_number = forms.CharField(
        label=_("Nomor surat usulan ke Kemendagri"),
        max_length=100,
        required=False,
        help_text=_("Nomor surat yang ditandatangani Wali Kota."),
    )


class DecisionForm(forms.Form):
    APPROVED, REJECTED = "disetujui", "ditolak"

    decision = forms.ChoiceField(
        label=_("Keputusan Kemendagri"),
        choices=[(APPROVED, _("Disetujui")), (REJECTED, _("Ditolak"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih: disetujui atau ditolak.")},
    )
    letter_number = forms.CharField(label=_("Nomor surat Kemendagri"), max_length=100, required=False)
    letter_date = _date(_("Tanggal surat Kemendagri"), required=False)

    @property
    def approved(self) -> bool:
        return self.cleaned_data.get("decision") == self.APPROVED


class AppointmentForm(forms.Form):
    appointee = EmployeeChoiceField(
        label=_("Yang diangkat"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("— pilih calon —"),
        error_messages={"invalid_choice": _("Yang diangkat harus salah satu calon dalam usulan ini.")},
    )
    decree_number = forms.CharField(label=_("Nomor SK pengangkatan"), max_length=100, required=False)
    decree_date = _date(_("Tanggal SK pengangkatan"), required=False)

    def __init__(self, *args: Any, candidates: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["appointee"]
        assert isinstance(field, EmployeeChoiceField)
        field.queryset = candidates


class ReportForm(forms.Form):
    reported_on = _date(_("Tanggal surat laporan"), required=False)
    letter_number = forms.CharField(label=_("Nomor surat laporan ke Kemendagri"), max_length=100, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penarikan"), required=False, widget=NOTE, help_text=_("Wajib; tercatat pada riwayat usulan.")
    )


# --- policy periods ---------------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """A policy period as a form: the quotas as a few fixed rows of label, levels and limit.

    A row keeps the code of the quota group it edits (hidden), because proposals count against a
    quota by that code: renaming a group must not free its places."""

    code = forms.SlugField(
        label=_("Kode periode"),
        max_length=40,
        help_text=_("Huruf kecil, angka dan tanda hubung, misalnya pra-pilkada-2024. Tidak dapat diubah."),
    )
    name = forms.CharField(label=_("Nama periode"), max_length=200)
    starts_on = _date(_("Mulai"))
    ends_on = _date(_("Berakhir"), required=False, help_text=_("Kosongkan bila sampai kepala daerah baru dilantik."))
    approval_levels = forms.MultipleChoiceField(
        label=_("Jenjang yang perlu persetujuan tertulis Mendagri sebelum penggantian"),
        choices=STRUCTURAL_LEVELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quota_source = forms.CharField(
        label=_("Dasar kuota"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    others_from = _date(
        _("Lowongan lain boleh diusulkan mulai"),
        required=False,
        help_text=_("Sebelum tanggal ini hanya lowongan penting dan mendesak yang diusulkan, dalam batas kuota."),
    )
    frees_on_withdrawal = forms.BooleanField(label=_("Usulan yang ditarik mengembalikan kuota"), required=False)
    frees_on_rejection = forms.BooleanField(
        label=_("Usulan yang ditolak Kemendagri mengembalikan kuota"), required=False
    )
    reason = forms.CharField(label=_("Alasan atau dasar"), required=False, widget=NOTE)

    def __init__(self, *args: Any, revising: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.revising = revising
        if revising:
            del self.fields["code"]
            self.fields["reason"].label = _("Alasan perubahan")
            self.fields["reason"].help_text = _("Wajib, misalnya nomor dan tanggal surat arahan yang baru.")
        for i in range(QUOTA_ROWS):
            self.fields[f"quota_{i}_code"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"quota_{i}_label"] = forms.CharField(label=_("Kelompok"), max_length=100, required=False)
            self.fields[f"quota_{i}_levels"] = forms.MultipleChoiceField(
                label=_("Jenjang"), choices=STRUCTURAL_LEVELS, widget=forms.CheckboxSelectMultiple, required=False
            )
            self.fields[f"quota_{i}_limit"] = forms.IntegerField(label=_("Batas usulan"), min_value=0, required=False)

    @staticmethod
    def initial_for(period: PolicyPeriod) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": period.name,
            "starts_on": period.starts_on,
            "ends_on": period.ends_on,
            "approval_levels": list(period.approval_levels or []),
            "quota_source": period.quota_source,
            "others_from": period.others_from,
            "frees_on_withdrawal": period.frees_on_withdrawal,
            "frees_on_rejection": period.frees_on_rejection,
        }
        for i, quota in enumerate((period.quotas or [])[:QUOTA_ROWS]):
            initial[f"quota_{i}_code"] = quota.get("code", "")
            initial[f"quota_{i}_label"] = quota.get("label", "")
            initial[f"quota_{i}_levels"] = list(quota.get("levels", []))
            initial[f"quota_{i}_limit"] = quota.get("limit")
        return initial

    def quota_rows(self) -> list[dict[str, Any]]:
        """The rows as the template lays them out: label, levels and limit side by side."""
        return [
            {
                "code": self[f"quota_{i}_code"],
                "label": self[f"quota_{i}_label"],
                "levels": self[f"quota_{i}_levels"],
                "limit": self[f"quota_{i}_limit"],
                "number": i + 1,
            }
            for i in range(QUOTA_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quotas: list[dict[str, Any]] = []
        used_codes: set[str] = set()
        for i in range(QUOTA_ROWS):
            label = (data.get(f"quota_{i}_label") or "").strip()
            levels = list(data.get(f"quota_{i}_levels") or [])
            limit = data.get(f"quota_{i}_limit")
            if not label and not levels and limit is None:
                continue  # an empty row
            if not levels:
                self.add_error(f"quota_{i}_levels", _("Pilih jenjang kelompok kuota ini."))
            if limit is None:
                self.add_error(f"quota_{i}_limit", _("Isi batas usulan kelompok ini (0 atau lebih)."))
            code = (data.get(f"quota_{i}_code") or "").strip()
            code = code or slugify(label).replace("-", "_") or f"kelompok_{i + 1}"
            while code in used_codes:
                code = f"{code}_{i + 1}"
            used_codes.add(code)
            quotas.append({"code": code[:40], "label": label or code, "levels": levels, "limit": limit})
        data["quotas"] = quotas
        return data

    def period_fields(self) -> dict[str, Any]:
        """The period's fields as ``services.create_period`` and ``revise_period`` take them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
            "approval_levels": list(data.get("approval_levels") or []),
            "quotas": data["quotas"],
            "quota_source": data.get("quota_source") or "",
            "others_from": data.get("others_from"),
            "frees_on_withdrawal": bool(data.get("frees_on_withdrawal")),
            "frees_on_rejection": bool(data.get("frees_on_rejection")),
        }
