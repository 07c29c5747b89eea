from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "pamong.staffing"
    label = "staffing"
    verbose_name = _("Kepegawaian: lowongan, Plt/Plh, dan usulan")

    def ready(self) -> None:
        from pamong.core import ledger
        from pamong.staffing.models import step_payload

        ledger.register_kind(
            "staffing.proposal_step",
            label=_("Langkah usulan pengisian jabatan"),
            model="staffing.ProposalStep",
            payload=step_payload,
        )
