from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "pamong.staffing"
    label = "staffing"
    verbose_name = _("Kepegawaian: lowongan, Plt/Plh, dan usulan")

    def ready(self) -> None:
        from pamong.staffing import ledger_kinds

        ledger_kinds.register()
