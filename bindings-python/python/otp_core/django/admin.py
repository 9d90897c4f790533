"""Admin pages for the two devices and the accounts' second-factor state
(:class:`otp_core.django.sites.OTPCoreAdminSite` is an admin site that
needs a verified second factor).

Secrets (sealed) and hashes are never shown; devices are created by
enrolment (or the import command), not in the admin, and only ``name`` and
``confirmed`` can be edited. A locked account is unlocked with the
"Unlock second-factor sign-in" action (or ``manage.py otp_core_unlock``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from otp_core.django.models import AccountState, BackupCode, BackupCodeDevice, ImportedDevice, TOTPDevice

_STATE = ["created_at", "last_used_at", "imported_from", "throttling_failure_count", "throttling_failure_timestamp"]


class _DeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_filter = ["confirmed"]
    raw_id_fields = ["user"]
    actions = ["reset_throttling"]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return ["name", f"user__{get_user_model().USERNAME_FIELD}"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Reset failed-attempt throttling"))
    def reset_throttling(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        n = queryset.update(throttling_failure_count=0, throttling_failure_timestamp=None)
        self.message_user(
            request,
            ngettext("Throttling reset on %(count)d device.", "Throttling reset on %(count)d devices.", n)
            % {"count": n},
        )


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(_DeviceAdmin):
    list_display = [
        "name",
        "user",
        "confirmed",
        "algorithm",
        "digits",
        "period",
        "last_used_at",
        "throttling_failure_count",
    ]
    list_filter = ["confirmed", "algorithm"]
    fields = ["user", "name", "confirmed", "algorithm", "digits", "period", "t0", "drift", "last_step", *_STATE]
    readonly_fields = ["user", "algorithm", "digits", "period", "t0", "drift", "last_step", *_STATE]


class BackupCodeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BackupCode
    fields = ["id", "used_at", "imported"]
    readonly_fields = ["id", "used_at", "imported"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BackupCodeDevice)
class BackupCodeDeviceAdmin(_DeviceAdmin):
    list_display = ["name", "user", "confirmed", "remaining_codes", "last_used_at", "throttling_failure_count"]
    fields = ["user", "name", "confirmed", *_STATE]
    readonly_fields = ["user", *_STATE]
    inlines = [BackupCodeInline]

    @admin.display(description=gettext_lazy("unused codes"))
    def remaining_codes(self, obj: BackupCodeDevice) -> int:
        return obj.remaining()


@admin.register(AccountState)
class AccountStateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "failures", "locked_at"]
    list_filter = [("locked_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["user"]
    fields = ["user", "failures", "locked_at"]
    readonly_fields = ["user", "failures", "locked_at"]
    actions = ["unlock"]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [f"user__{get_user_model().USERNAME_FIELD}"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting the row would unlock the account and restart its
        # generations silently: unlock with the action instead.
        return False

    @admin.action(description=gettext_lazy("Unlock second-factor sign-in"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccountState]) -> None:
        n = 0
        for state in queryset:
            state.unlock(by=f"admin:{request.user.pk}")
            n += 1
        self.message_user(
            request,
            ngettext(
                "Second-factor sign-in unlocked for %(count)d account.",
                "Second-factor sign-in unlocked for %(count)d accounts.",
                n,
            )
            % {"count": n},
        )


@admin.register(ImportedDevice)
class ImportedDeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["source", "imported_at"]
    search_fields = ["source"]
    readonly_fields = ["source", "imported_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
