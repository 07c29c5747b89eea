from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "pamong.organisation"
    label = "organisation"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from pamong.core import ledger
        from pamong.organisation import audit  # noqa: F401  (registers the audit trail)
        from pamong.organisation.models import RoleGrant

        def grant_payload(grant: RoleGrant) -> dict[str, object]:
            # Only fields a grant never changes: the ledger recomputes this from the row.
            return {
                "user_id": grant.user_id,
                "role": grant.role,
                "opd_id": grant.opd_id,
                "witness_body": grant.witness_body,
                "granted_at": ledger.format_time(grant.granted_at),
            }

        ledger.register_kind(
            "organisation.role_granted",
            label=_("Pemberian peran"),
            model="organisation.RoleGrant",
            payload=grant_payload,
        )
