from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pamong.organisation.identity import normalise_identity_number, parse_identity_number
from pamong.organisation.models import OPD, Employee, Position, Unit


def canonical_username(text: str) -> str:
    """The account name for what someone typed: an identity number in canonical form, or a
    witness's user name in lower case."""
    try:
        return parse_identity_number(text).number
    except ValidationError:
        cleaned = normalise_identity_number(text)
        return cleaned if cleaned.isdigit() or cleaned.startswith("PTT") else (text or "").strip().lower()


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("NIP / NI PPPK / nomor PTT"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters", "autofocus": True}),
        help_text=_("Saksi dari KPU atau Bawaslu memakai nama pengguna yang diberikan."),
    )
    password = forms.CharField(
        label=_("Kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean_username(self) -> str:
        return canonical_username(self.cleaned_data["username"])


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Kode 6 digit dari aplikasi autentikator"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class PasswordChangeForm(DjangoPasswordChangeForm):
    pass


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau nomor"), required=False, max_length=100)
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=OPD.objects.none(), required=False, empty_label=_("Semua OPD")
    )
    kind = forms.ChoiceField(
        label=_("Status kepegawaian"), required=False, choices=[("", _("Semua")), *Employee.Kind.choices]
    )

    def __init__(self, *args: Any, opds: QuerySet[OPD], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]


class EmployeeForm(forms.Form):
    """One form for creating and editing; the identity number is fixed once registered."""

    identity_number = forms.CharField(
        label=_("NIP / NI PPPK / nomor PTT"),
        max_length=40,
        help_text=_("NIP dan NI PPPK 18 digit; nomor PTT seperti PTT-2019-00421."),
    )
    front_title = forms.CharField(label=_("Gelar depan"), max_length=40, required=False)
    name = forms.CharField(label=_("Nama"), max_length=150)
    back_title = forms.CharField(label=_("Gelar belakang"), max_length=60, required=False)
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=Employee.Sex.choices,
        required=False,
        help_text=_("Untuk PNS dan PPPK dibaca dari nomor identitas."),
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Untuk PNS dan PPPK dibaca dari nomor identitas."),
    )
    rank = forms.CharField(
        label=_("Golongan"), max_length=10, required=False, help_text=_("PNS: III/a; PPPK: IX; PTT: kosong.")
    )
    education = forms.ChoiceField(
        label=_("Pendidikan"), choices=[("", "–"), *Employee.Education.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Employee.Status.choices, initial=Employee.Status.AKTIF)
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=OPD.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.none(), required=False)
    phone = forms.RegexField(
        label=_("Telepon"),
        regex=r"^\+?[0-9 \-]{8,20}$",
        required=False,
        max_length=20,
        error_messages={"invalid": _("Nomor telepon hanya berisi angka, spasi, tanda - dan awalan +.")},
    )
    email = forms.EmailField(label=_("Surel"), required=False)

    def __init__(self, *args: Any, opds: QuerySet[OPD], instance: Employee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(opd__in=opds).select_related("opd")  # type: ignore[attr-defined]
        self.fields["position"].queryset = Position.objects.filter(opd__in=opds).select_related("opd")  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["identity_number"].disabled = True
            self.initial.update(
                {
                    "identity_number": instance.identity_number,
                    **{
                        name: getattr(instance, name)
                        for name in self.fields
                        if name not in {"identity_number", "opd", "unit", "position"}
                    },
                    "opd": instance.opd_id,
                    "unit": instance.unit_id,
                    "position": instance.position_id,
                }
            )

    def clean_identity_number(self) -> str:
        value: str = self.cleaned_data["identity_number"]
        if self.instance is not None:
            return self.instance.identity_number
        return parse_identity_number(value).number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("identity_number", "")
        if number.startswith("PTT") and not data.get("sex"):
            self.add_error("sex", _("Untuk PTT, jenis kelamin wajib diisi."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("identity_number", None)
        is_ptt = self.cleaned_data["identity_number"].startswith("PTT")
        if not is_ptt:
            # For ASN these come from the identity number, never from the form.
            data.pop("sex", None)
            data.pop("birth_date", None)
        return data
