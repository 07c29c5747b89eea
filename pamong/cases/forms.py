"""The reporter's forms: the intake form is built from ``facts.FACTS`` for the chosen kind, so the
page, the API and the handler's view of a report ask for and show the same facts."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pamong.cases import attachments, crypto, facts, services
from pamong.cases.models import Kind
from pamong.core.clock import business_today
from pamong.organisation.models import OPD

ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx,image/jpeg,image/png,application/pdf"
# Nothing a reporter types is kept in the browser's form history (a shared phone would show it).
_PRIVATE = {"autocomplete": "off", "spellcheck": "false"}


class EvidenceUploadHandler(FileUploadHandler):
    """Keeps every uploaded file in memory, never in a temporary file: evidence in the clear must not
    reach the disk before it is cleaned and sealed. A file is kept up to one byte over the size
    limit (enough for the service to refuse it), and files beyond the allowed number are not kept."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.count = getattr(self, "count", 0) + 1
        self.file = BytesIO()
        self.room = attachments.MAX_BYTES + 1 if self.count <= services.MAX_FILES + 1 else 0
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.room > 0:
            kept = raw_data[: self.room]
            self.file.write(kept)
            self.room -= len(kept)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,  # the real size, though not all of a too-big file was kept
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's FileField takes one)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(item, initial) for item in items if item]


class EvidenceFilesMixin:
    """The files field and its cheap checks (count, size); type and metadata are the service's job."""

    def clean_files(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("files") or []  # type: ignore[attr-defined]
        if len(files) > services.MAX_FILES:
            raise ValidationError(_("Paling banyak %(n)d berkas sekali kirim.") % {"n": services.MAX_FILES})
        for upload in files:
            if (upload.size or 0) > attachments.MAX_BYTES:
                message = _("Berkas terlalu besar: paling besar %(mb)d MB.") % {
                    "mb": attachments.MAX_BYTES // (1024 * 1024)
                }
                raise ValidationError(f"{upload.name}: {message}")
        return files

    def file_pairs(self) -> list[tuple[str, bytes]]:
        return [(upload.name or "", upload.read()) for upload in self.cleaned_data.get("files") or []]  # type: ignore[attr-defined]


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Bukti (tidak wajib)"),
        required=False,
        widget=MultipleFileInput(
            attrs={
                "accept": ACCEPT,
                # For reporter.js, which warns before a slow upload is wasted.
                "data-max-files": services.MAX_FILES,
                "data-max-bytes": attachments.MAX_BYTES,
                "data-too-many": _("Paling banyak %(n)d berkas sekali kirim.") % {"n": services.MAX_FILES},
                "data-too-big": _("Berkas terlalu besar: paling besar %(mb)d MB.")
                % {"mb": attachments.MAX_BYTES // (1024 * 1024)},
            }
        ),
        help_text=_(
            "Foto (JPEG, PNG), PDF, atau dokumen Word/Excel; paling banyak %(n)d berkas, masing-masing paling "
            "besar %(mb)d MB. Lokasi GPS dan data pembuat dihapus dari berkas sebelum disimpan."
        )
        % {"n": services.MAX_FILES, "mb": attachments.MAX_BYTES // (1024 * 1024)},
    )


def _fact_field(fact: facts.Fact, required: bool) -> forms.Field:
    # Django's own "required" stays off: the facts module says what is missing, in the same words as the
    # API. The browser still gets the attribute, so a missing fact is caught before files are uploaded.
    attrs: dict[str, Any] = {"required": True} if required else {}
    if fact.kind != "choice":
        attrs.update(_PRIVATE)
    common: dict[str, Any] = {"label": fact.label, "required": False, "help_text": fact.help}
    if fact.kind == "text":
        return forms.CharField(
            max_length=facts.MAX_TEXT, widget=forms.Textarea(attrs={**attrs, "rows": 6}), strip=False, **common
        )
    if fact.kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={**attrs, "type": "date"}), **common)
    if fact.kind == "amount":
        return forms.CharField(max_length=20, widget=forms.TextInput(attrs={**attrs, "inputmode": "numeric"}), **common)
    if fact.kind == "choice":
        return forms.ChoiceField(choices=fact.choices, widget=forms.RadioSelect(attrs=attrs), **common)
    return forms.CharField(max_length=facts.MAX_LINE, widget=forms.TextInput(attrs=attrs), strip=False, **common)


class ReportForm(EvidenceFilesMixin, forms.Form):
    """A new report of one kind. ``named_allowed``: the visitor is logged in and may report under their name."""

    ANONYMOUS = "tanpa_nama"
    NAMED = "dengan_nama"

    def __init__(self, *args: Any, kind: str, named_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fact_names = []
        for fact in facts.facts_for(kind):
            self.fields[fact.name] = _fact_field(fact, kind in fact.required)
            self.fields[fact.name].fact_required = kind in fact.required  # type: ignore[attr-defined]
            self.fact_names.append(fact.name)
        opds: QuerySet[OPD] = OPD.objects.filter(is_active=True).order_by("name")
        self.fields["opd"] = forms.ModelChoiceField(
            label=_("OPD tempat terlapor bekerja"),
            queryset=opds,
            required=False,
            empty_label=_("Tidak tahu"),
        )
        self.fields["opd"].label_from_instance = lambda opd: opd.name  # type: ignore[attr-defined]
        self.fields["reported_number"] = forms.CharField(
            label=_("NIP terlapor (bila tahu)"),
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={**_PRIVATE, "inputmode": "numeric"}),
            help_text=_("18 angka, tanpa spasi pun boleh. Kosongkan bila tidak tahu."),
        )
        self.fields["files"] = _files_field()
        if kind == Kind.TEKANAN:
            self.fields["keep_from_mayor"] = forms.BooleanField(
                label=_("Wali Kota atau orang dekatnya ikut terlibat: jangan bagikan laporan ini kepadanya"),
                required=False,
                help_text=_(
                    "Biasanya laporan tekanan langsung dibaca Wali Kota. Centang ini bila ia terlibat; "
                    "Inspektorat menanganinya atau meneruskannya ke BKN."
                ),
            )
        self.fields["contact"] = forms.CharField(
            label=_("Cara menghubungi Anda (tidak wajib)"),
            required=False,
            max_length=facts.MAX_LINE,
            widget=forms.TextInput(attrs=_PRIVATE),
            help_text=_(
                "Nomor HP, e-mail, atau cara lain. Perhatian: petugas akan tahu cara menghubungi Anda, "
                "jadi Anda kurang tersamar. Tanpa ini pun Anda bisa membaca balasan dengan kode tanda terima."
            ),
        )
        if named_allowed:
            self.fields["identity"] = forms.ChoiceField(
                label=_("Kirim sebagai"),
                choices=[
                    (self.ANONYMOUS, _("Kirim tanpa nama")),
                    (self.NAMED, _("Kirim dengan nama saya")),
                ],
                initial=self.ANONYMOUS,
                required=False,  # and without an answer, no name
                widget=forms.RadioSelect,
                help_text=_(
                    "Tanpa nama: laporan tidak dikaitkan dengan akun Anda, walaupun Anda sedang masuk. "
                    "Dengan nama: hanya petugas yang menangani yang dapat membaca nama Anda."
                ),
            )

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fact_names]

    def clean_contact(self) -> str:
        try:
            return facts.check_text(
                self.cleaned_data.get("contact", ""), _("Cara menghubungi Anda"), limit=facts.MAX_LINE
            )
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def clean_reported_number(self) -> str:
        try:
            return facts.check_text(self.cleaned_data.get("reported_number", ""), _("NIP terlapor"), limit=40)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers = {name: cleaned.get(name, "") for name in self.fact_names if name not in self.errors}
        try:
            cleaned["answers"] = facts.clean_facts(self.kind, answers, today=business_today())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:  # a field's own error (too long, say) comes first
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned

    @property
    def wants_name(self) -> bool:
        return self.cleaned_data.get("identity") == self.NAMED


class ReceiptForm(forms.Form):
    """A receipt code typed by the reporter: to open their report, or to confirm they wrote it down."""

    kode = forms.CharField(
        label=gettext_lazy("Kode tanda terima"),
        max_length=60,
        widget=forms.TextInput(
            attrs={
                **_PRIVATE,
                "autocapitalize": "characters",
                "autocorrect": "off",
                "class": "receipt-input",
                "placeholder": "ABCDEF-GHIJ-KLMN-OPQR-STUV",
            }
        ),
        help_text=gettext_lazy("22 huruf dan angka; tanda hubung, spasi dan huruf kecil boleh."),
        error_messages={"required": gettext_lazy("Tulis kode tanda terima Anda.")},
    )

    def clean_kode(self) -> str:
        code = self.cleaned_data["kode"]
        if crypto.receipt_locator(code) is None:
            raise ValidationError(
                _("Kode tanda terima terdiri dari 22 huruf (A–Z) dan angka (2–7), misalnya ABCDEF-GHIJ-KLMN-OPQR-STUV.")
            )
        return str(code)


class ReplyForm(EvidenceFilesMixin, forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Pesan Anda"),
        required=False,
        max_length=services.MAX_MESSAGE,
        strip=False,
        widget=forms.Textarea(attrs={**_PRIVATE, "rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = _files_field()
        self.fields["files"].label = _("Tambah bukti (tidak wajib)")
