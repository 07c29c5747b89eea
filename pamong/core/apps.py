from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pamong.core"
    label = "core"
    verbose_name = "Pamong"

    def ready(self) -> None:
        from pamong.core import ledger

        ledger.register_kind(
            "ledger.witness",
            label=_("Pendaftaran saksi checkpoint"),
            model="core.Witness",
            payload=ledger._witness_payload,
            describe=lambda p: [
                (_("Lembaga"), p["body"]),
                (_("Nama kunci"), p["name"]),
                (_("Kunci verifikasi"), p["verifier_key"]),
            ],
        )
