"""Forms of the handlers' pages. They only read the browser's input; every rule of the case (who may,
which step may follow which, what a sanction needs) is checked by the service the view calls, so the
forms accept blanks and let the service say in words what is missing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pamong.cases.models import (
    SANCTION_LEVEL,
    DisciplineLevel,
    DisciplineSanction,
    ElectionStage,
    EthicsSanction,
    Examiner,
    ForwardTarget,
    Kind,
    Stage,
    Track,
)
from pamong.organisation.identity import normalise_identity_number
from pamong.organisation.models import OPD, Employee, User

BLANK = [("", "—")]
_NOTE = forms.Textarea(attrs={"rows": 3})


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahap"), choices=[("", _("Semua tahap")), *Stage.choices], required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("", _("Semua jenis")), *Kind.choices], required=False)
    mine = forms.BooleanField(label=_("Hanya milik saya"), required=False)
    late = forms.BooleanField(label=_("Terlambat"), required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service checks count, type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        cleaned = []
        for item in items:
            if item and (value := super().clean(item, initial)):
                cleaned.append(value)
        return cleaned


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pelapor membaca pesan ini dengan kode tanda terimanya, kecuali bila ditandai catatan internal."),
    )
    internal = forms.BooleanField(
        label=_("Catatan internal: hanya untuk petugas, tidak dikirim ke pelapor"), required=False
    )
    uploads = MultipleFileField(label=_("Lampiran (foto, PDF, atau dokumen; paling banyak 5)"), required=False)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class AssignForm(forms.Form):
    # Any active account: the service says why someone may not handle this report.
    user = UserChoiceField(label=_("Tugaskan petugas"), queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args: Any, eligible: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, UserChoiceField)
        field.queryset = User.objects.filter(is_active=True)
        # What the page offers: the eligible handlers not yet assigned.
        field.widget.choices = [(u.pk, u.full_name or u.username) for u in eligible or []]


class UnassignForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), widget=forms.HiddenInput)


class OPDChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OPD) -> str:
        return obj.name


class IdentifyForm(forms.Form):
    number = forms.CharField(
        label=_("NIP / NI PPPK / nomor PTT terlapor"),
        max_length=40,
        required=False,
        help_text=_("Kosongkan bila pegawainya belum diketahui; pilih OPD-nya saja."),
    )
    opd = OPDChoiceField(
        label=_("OPD terlapor"),
        queryset=OPD.objects.none(),
        required=False,
        empty_label=_("Ikuti OPD pegawai terlapor"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opd"]
        assert isinstance(field, OPDChoiceField)
        field.queryset = OPD.objects.filter(is_active=True).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = normalise_identity_number(data.get("number") or "")
        employee: Employee | None = None
        if number:
            employee = Employee.objects.select_related("opd").filter(identity_number=number).first()
            if employee is None:
                self.add_error("number", _("Tidak ada pegawai dengan nomor itu. Periksa lagi angkanya."))
        elif not data.get("opd"):
            raise ValidationError(_("Isi NIP pegawai terlapor, atau pilih OPD-nya."))
        data["employee"] = employee
        return data


class ExamineForm(forms.Form):
    examiner = forms.ChoiceField(
        label=_("Pemeriksa"),
        choices=Examiner.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("PP 94/2021 Pasal 26: atasan langsung memeriksa; Inspektorat bila perlu tim atau atasan terlibat."),
    )
    note = forms.CharField(label=_("Catatan (tidak wajib)"), required=False, widget=_NOTE)


def _discipline_choices() -> list[Any]:
    """PP 94/2021 Pasal 8, grouped light / moderate / heavy."""
    groups: list[Any] = [("", "—")]
    for level in DisciplineLevel:
        options = [(s.value, s.label) for s in DisciplineSanction if SANCTION_LEVEL[s] == level]
        groups.append((level.label, options))
    return groups


class RecommendForm(forms.Form):
    track = forms.ChoiceField(
        label=_("Jalur"),
        choices=[(t.value, t.label) for t in Track if t != Track.TIDAK_TERBUKTI],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Pemeriksa menentukan jalurnya. Bila tidak terbukti, tutup laporan dari tahap pemeriksaan."),
    )
    ethics_sanction = forms.ChoiceField(
        label=_("Sanksi moral (kode etik)"), choices=BLANK + list(EthicsSanction.choices), required=False
    )
    discipline_sanction = forms.ChoiceField(
        label=_("Hukuman disiplin (PP 94/2021 Pasal 8)"), choices=_discipline_choices, required=False
    )
    election_stage = forms.ChoiceField(
        label=_("Tahap pemilihan saat perbuatan"),
        choices=BLANK + list(ElectionStage.choices),
        required=False,
        help_text=_("Wajib untuk pelanggaran netralitas: calon ditetapkan 22 September 2024."),
    )
    note = forms.CharField(label=_("Pertimbangan pemeriksa"), required=False, widget=_NOTE)


class DecideForm(forms.Form):
    APPROVE = "setujui"
    RETURN = "kembalikan"

    decision = forms.ChoiceField(
        label=_("Keputusan Wali Kota (PPK)"),
        choices=[
            (APPROVE, _("Tetapkan sanksi")),
            (RETURN, _("Kembalikan untuk diperiksa lagi")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih: tetapkan sanksi atau kembalikan untuk diperiksa lagi.")},
    )
    ethics_sanction = forms.ChoiceField(
        label=_("Sanksi moral yang ditetapkan"), choices=BLANK + list(EthicsSanction.choices), required=False
    )
    discipline_sanction = forms.ChoiceField(
        label=_("Hukuman disiplin yang ditetapkan"), choices=_discipline_choices, required=False
    )
    note = forms.CharField(
        label=_("Catatan atau alasan"),
        required=False,
        widget=_NOTE,
        help_text=_("Wajib bila dikembalikan untuk diperiksa lagi."),
    )

    def __init__(self, *args: Any, track: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Another sanction may be chosen, but only on the track the examiner chose.
        if track not in {Track.ETIK, Track.KEDUANYA}:
            del self.fields["ethics_sanction"]
        if track not in {Track.DISIPLIN, Track.KEDUANYA}:
            del self.fields["discipline_sanction"]

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == self.APPROVE


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Catatan penutupan"), required=False, widget=_NOTE)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        required=False,
        widget=_NOTE,
        help_text=_("Wajib. Pelapor membaca alasan ini; sebutkan saluran yang tepat bila ada."),
    )


class ForwardForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Teruskan ke"), choices=ForwardTarget.choices, widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=_NOTE)


class EmptyForm(forms.Form):
    pass


class RecoveryRestoreForm(forms.Form):
    text = forms.CharField(
        label=_("Kunci pemulihan"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Ketik persis seperti tercetak; spasi dan tanda hubung boleh."),
    )
    user = UserChoiceField(label=_("Berikan akses kepada"), queryset=User.objects.none())

    def __init__(self, *args: Any, handlers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, UserChoiceField)
        field.queryset = handlers if handlers is not None else User.objects.none()
