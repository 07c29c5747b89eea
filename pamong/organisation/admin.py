from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from pamong.organisation.models import OPD, Employee, Kecamatan, Kelurahan, Pemda, Position, RoleGrant, Unit, User


@admin.register(Pemda)
class PemdaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    exclude = ["boundary"]


@admin.register(Kelurahan)
class KelurahanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kecamatan"]
    list_select_related = ["kecamatan"]
    exclude = ["boundary"]


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "opd", "kind"]
    list_select_related = ["opd"]
    search_fields = ["name"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "opd", "level", "grade"]
    list_filter = ["level"]
    list_select_related = ["opd"]
    search_fields = ["name"]
    raw_id_fields = ["opd", "unit", "superior"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "identity_number", "kind", "opd", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["opd"]
    search_fields = ["name", "identity_number"]
    raw_id_fields = ["opd", "unit", "position"]


class RoleGrantInline(admin.TabularInline):
    """Read-only: a grant is a ledger entry, made only through services.grant_role
    (``manage.py grant_role``), never edited in place."""

    model = RoleGrant
    extra = 0
    can_delete = False
    readonly_fields = ("role", "opd", "witness_body", "granted_at")
    fields = ("role", "opd", "witness_body", "granted_at")

    def has_add_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["username"]
    list_display = ["username", "full_name", "is_active", "is_staff"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["employee"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profil", {"fields": ("full_name", "email", "employee")}),
        ("Izin", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),)
