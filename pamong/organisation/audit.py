"""Who changed which organisation or people record, when, and what (django-auditlog)."""

from auditlog.registry import auditlog

from pamong.organisation.models import OPD, Employee, Kecamatan, Kelurahan, Pemda, Position, RoleGrant, Unit, User

auditlog.register(Pemda)
auditlog.register(Kecamatan, exclude_fields=["boundary"])
auditlog.register(Kelurahan, exclude_fields=["boundary"])
auditlog.register(OPD)
auditlog.register(Unit)
auditlog.register(Position)
auditlog.register(Employee, exclude_fields=["updated_at"])
auditlog.register(RoleGrant)
auditlog.register(User, exclude_fields=["password", "last_login"])
