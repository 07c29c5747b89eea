from typing import Any

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

        def describe_grant(payload: dict[str, Any]) -> list[tuple[Any, Any]]:
            from pamong.organisation.models import OPD, Role, User

            user = User.objects.filter(pk=payload["user_id"]).only("full_name").first()
            opd = OPD.objects.filter(pk=payload["opd_id"]).only("name").first() if payload["opd_id"] else None
            rows: list[tuple[Any, Any]] = [
                (_("Peran"), Role(payload["role"]).label if payload["role"] in Role.values else payload["role"]),
                (_("Diberikan kepada"), user.full_name if user else f"#{payload['user_id']}"),
            ]
            if opd is not None:
                rows.append((_("OPD"), opd.name))
            if payload["witness_body"]:
                rows.append((_("Lembaga saksi"), payload["witness_body"]))
            rows.append((_("Waktu pemberian (UTC)"), payload["granted_at"]))
            return rows

        ledger.register_kind(
            "organisation.role_granted",
            label=_("Pemberian peran"),
            model="organisation.RoleGrant",
            payload=grant_payload,
            describe=describe_grant,
        )
