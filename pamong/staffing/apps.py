from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "pamong.staffing"
    label = "staffing"
    verbose_name = _("Kepegawaian: lowongan, Plt/Plh, dan usulan")

    def ready(self) -> None:
        from pamong.core import ledger
        from pamong.staffing.models import acting_payload, extension_payload, step_payload

        ledger.register_kind(
            "staffing.proposal_step",
            label=_("Langkah usulan pengisian jabatan"),
            model="staffing.ProposalStep",
            payload=step_payload,
        )
        ledger.register_kind(
            "staffing.acting",
            label=_("Penugasan Plt/Plh"),
            model="staffing.ActingAssignment",
            payload=acting_payload,
        )
        ledger.register_kind(
            "staffing.acting_extension",
            label=_("Perpanjangan Plt/Plh"),
            model="staffing.ActingExtension",
            payload=extension_payload,
        )
