from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "pamong.organisation"
    label = "organisation"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from pamong.organisation import audit  # noqa: F401  (registers the audit trail)
