from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pamong.neutrality.models import Campaign
from pamong.organisation.models import OPD, Employee

# /deklarasi/baru/ is the create form: a campaign with that code could never be opened.
RESERVED_SLUGS = frozenset({"baru"})
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    """Create or change a campaign. Once anyone has signed, the text and its version are shown but fixed."""

    slug = forms.SlugField(
        label=_("Kode (untuk alamat)"),
        max_length=60,
        help_text=_("Huruf kecil, angka dan tanda hubung, misalnya netralitas-pilkada-2024. Tidak dapat diubah."),
    )
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(label=_("Teks deklarasi"), widget=forms.Textarea(attrs={"rows": 12}))
    text_version = forms.CharField(label=_("Versi teks"), max_length=20, initial="1")
    legal_basis = forms.CharField(label=_("Dasar hukum"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    opens_on = forms.DateField(label=_("Mulai ditandatangani"), widget=_DATE)
    closes_on = forms.DateField(label=_("Batas penandatanganan"), widget=_DATE)
    election_date = forms.DateField(label=_("Tanggal pemilihan"), required=False, widget=_DATE)
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Yang wajib menandatangani"),
        choices=Employee.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Employee.Kind.values),
    )
    eligible_opds = forms.ModelMultipleChoiceField(
        label=_("Hanya OPD berikut"),
        queryset=OPD.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Kosongkan agar semua OPD wajib menandatangani. Tahan Ctrl (atau Cmd) untuk memilih beberapa."),
    )
    witness_bodies = forms.CharField(
        label=_("Lembaga saksi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu lembaga per baris, ditulis persis seperti pada akun saksi, misalnya Bawaslu Kota Kupang."),
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, text_locked: bool = False, **kwargs: Any) -> None:
        if campaign is not None:
            kwargs.setdefault(
                "initial",
                {
                    "slug": campaign.slug,
                    "title": campaign.title,
                    "text": campaign.text,
                    "text_version": campaign.text_version,
                    "legal_basis": campaign.legal_basis,
                    "opens_on": campaign.opens_on,
                    "closes_on": campaign.closes_on,
                    "election_date": campaign.election_date,
                    "eligible_kinds": list(campaign.eligible_kinds or []),
                    "eligible_opds": list(campaign.eligible_opds.all()),
                    "witness_bodies": "\n".join(campaign.witness_bodies or []),
                },
            )
        super().__init__(*args, **kwargs)
        opds: QuerySet[OPD] = OPD.objects.filter(is_active=True).order_by("name")
        self.fields["eligible_opds"].queryset = opds  # type: ignore[attr-defined]
        self.fields["eligible_opds"].label_from_instance = lambda opd: opd.name  # type: ignore[attr-defined]
        if campaign is not None:
            # The code is in every link and QR code already handed out.
            del self.fields["slug"]
        self.text_locked = text_locked
        if text_locked:
            explanation = _(
                "Teks sudah ditandatangani sehingga tidak dapat diubah lagi. Untuk versi baru, buat kampanye baru."
            )
            for name in ("text", "text_version"):
                self.fields[name].disabled = True
                self.fields[name].help_text = explanation

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Kode ini dipakai oleh alamat Pamong sendiri; pilih kode lain."))
        return slug

    def clean_witness_bodies(self) -> list[str]:
        bodies: list[str] = []
        for line in self.cleaned_data["witness_bodies"].splitlines():
            body = " ".join(line.split())
            if body and body not in bodies:
                bodies.append(body)
        return bodies

    def service_fields(self) -> dict[str, Any]:
        """What create_campaign / update_campaign take, the fixed text left out once it is locked."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "text",
                "text_version",
                "legal_basis",
                "opens_on",
                "closes_on",
                "election_date",
                "eligible_kinds",
                "witness_bodies",
            )
        }
        if self.text_locked:
            del fields["text"], fields["text_version"]
        fields["eligible_opds"] = list(data["eligible_opds"])
        return fields


class SignForm(forms.Form):
    """The signing form: the reader's consent, the hash of the text they were shown, an optional drawing."""

    agree = forms.BooleanField(
        label=_("Saya telah membaca dan menyetujui deklarasi ini"),
        error_messages={"required": _("Centang pernyataan bahwa Anda telah membaca dan menyetujui deklarasi ini.")},
    )
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    drawing = forms.CharField(widget=forms.HiddenInput, required=False, strip=True)


class RemindForm(forms.Form):
    """One person ("Ingatkan") or, without an employee, everyone unsigned ("Ingatkan semua")."""

    employee = forms.IntegerField(required=False, min_value=1)
