from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeutralityConfig(AppConfig):
    name = "pamong.neutrality"
    label = "neutrality"
    verbose_name = _("Netralitas")

    def ready(self) -> None:
        from pamong.core import ledger
        from pamong.neutrality.services import describe_signature, signature_payload

        ledger.register_kind(
            "neutrality.signature",
            label=_("Tanda tangan deklarasi netralitas"),
            model="neutrality.Signature",
            payload=signature_payload,
            describe=describe_signature,
        )
