from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pamong.cases"
    label = "cases"
    verbose_name = _("Laporan rahasia dan kasus")

    def ready(self) -> None:
        from pamong.cases import keyring  # noqa: F401 - connects the password and logout receivers
        from pamong.cases.models import transition_payload
        from pamong.core import ledger

        # Hashes only: the entry's payload is not published, and it holds no reporter data anyway.
        ledger.register_kind(
            "cases.transition",
            label=_("Langkah penanganan laporan"),
            model="cases.Transition",
            payload=transition_payload,
            public=False,
        )
