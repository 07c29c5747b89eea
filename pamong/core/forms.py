from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pamong.core import ledger

RECEIPT_MAX_BYTES = 256 * 1024
_CODE = re.compile(r"[A-Z2-7]{16}")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: under the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ReceiptCodeForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode tanda terima"),
        max_length=40,
        help_text=_("16 huruf dan angka, misalnya ABCD-EFGH-IJKL-MNOP; tanda hubung boleh ditulis atau tidak."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_kode(self) -> str:
        code = ledger.normalise_receipt_code(self.cleaned_data["kode"])
        if not _CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Kode tanda terima terdiri dari 16 huruf (A–Z) dan angka (2–7), misalnya ABCD-EFGH-IJKL-MNOP.")
            )
        return ledger.format_receipt_code(code)


class ReceiptUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas tanda terima (JSON)"),
        help_text=_("Berkas tanda-terima-….json yang diunduh dari halaman verifikasi, paling besar 256 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    def clean_berkas(self) -> Any:
        upload = self.cleaned_data["berkas"]
        if upload.size > RECEIPT_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar: tanda terima paling besar 256 KB."))
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise forms.ValidationError(_("Berkas bukan JSON yang sah.")) from None
        if not isinstance(document, dict):
            raise forms.ValidationError(_("Berkas JSON ini bukan tanda terima Pamong."))
        self.cleaned_data["document"] = document
        return upload
