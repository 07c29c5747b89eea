"""The Django admin for staffing, for the few who have it (``is_staff``).

The records eligibility reads — posts held, yearly performance ratings, discipline sanctions — are
BKPSDM's own data with no workflow behind them, so they may be corrected here one by one (the Excel
import does it in bulk). Everything else is changed only through the services, because each change
is a ledger entry or a rule that must hold (a policy period is revised by a new version with a
reason, a proposal moves one step at a time under the quota lock): the admin shows those read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pamong.staffing.models import (
    ActingAssignment,
    ActingExtension,
    DisciplineRecord,
    PerformanceRating,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    ServiceRecord,
    Vacancy,
)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["employee", "position_name", "level", "field", "starts_on", "ends_on"]
    list_filter = ["level", "field"]
    list_select_related = ["employee"]
    search_fields = ["employee__name", "employee__identity_number", "position_name"]
    raw_id_fields = ["employee"]
    date_hierarchy = "starts_on"


@admin.register(PerformanceRating)
class PerformanceRatingAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "rating"]
    list_filter = ["year", "rating"]
    list_select_related = ["employee"]
    search_fields = ["employee__name", "employee__identity_number"]
    raw_id_fields = ["employee"]


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(admin.ModelAdmin):
    list_display = ["employee", "level", "sanction", "decree_number", "starts_on", "ends_on"]
    list_filter = ["level"]
    list_select_related = ["employee"]
    search_fields = ["employee__name", "employee__identity_number", "decree_number"]
    raw_id_fields = ["employee"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: the services make these rows (and their ledger entries)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyPeriod)
class PolicyPeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "version", "starts_on", "ends_on", "others_from", "created_by", "created_at"]
    list_filter = ["code"]
    list_select_related = ["created_by"]
    search_fields = ["code", "name", "reason"]


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["position", "since", "reason", "field", "filled_on", "queued_until", "released_on"]
    list_filter = ["reason", "field", "position__level"]
    list_select_related = ["position"]
    search_fields = ["position__name", "position__opd__name"]


class ReadOnlyInline(admin.TabularInline):
    """Rows the services write (steps, candidates, extensions): shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalStepInline(ReadOnlyInline):
    model = ProposalStep
    fields = ("from_status", "to_status", "on", "by", "facts")


class ProposalCandidateInline(ReadOnlyInline):
    model = ProposalCandidate
    fields = ("employee", "eligible", "checked_on", "appointed")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["id", "vacancy", "status", "period_code", "quota_group", "counts_against_quota", "submitted_on"]
    list_filter = ["status", "period_code", "quota_group"]
    list_select_related = ["vacancy__position"]
    search_fields = ["vacancy__position__name", "decree_number", "mendagri_letter_number"]
    inlines = [ProposalStepInline, ProposalCandidateInline]


class ActingExtensionInline(ReadOnlyInline):
    model = ActingExtension
    fields = ("from_ends_on", "ends_on", "on", "created_by")


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["vacancy", "kind", "employee", "starts_on", "ends_on", "extended"]
    list_filter = ["kind", "extended"]
    list_select_related = ["vacancy__position", "employee"]
    search_fields = ["employee__name", "vacancy__position__name"]
    inlines = [ActingExtensionInline]
