"""The admin site itself: administrators only, every change audited. Apart from
core/admin.py, which registers models on it (the site must exist before they do)."""

import json

from django.contrib import admin
from django.contrib.admin.models import LogEntry

from core.audit import record_audit
from core.models import AuditEntry


class AuditedMixin:
    """Writes an audit entry for every add, change and delete made through the admin,
    beside Django's admin log: the changed fields by name, and the admin's own change
    message (which names inline rows and many-to-many links such as a partner's leads)."""

    def audit_links(self, obj) -> dict:
        """The audit entry's links to the changed row (a return's admin links the return)."""
        return {}

    def _audit(self, request, obj, comment, **values):
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.ADMIN_CHANGE,
            **self.audit_links(obj),
            field=obj._meta.model_name,
            comment=comment[:2000],
            **values,
        )

    @staticmethod
    def _message(message) -> str:
        if isinstance(message, list):
            return LogEntry(change_message=json.dumps(message)).get_change_message()
        return str(message)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj._admin_changed_fields = list(form.changed_data)

    def log_addition(self, request, obj, message):
        self._audit(request, obj, f"{obj._meta.verbose_name} created", new_value=str(obj)[:500])
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = ", ".join(getattr(obj, "_admin_changed_fields", []))
        summary = self._message(message) or "no change"
        self._audit(
            request,
            obj,
            f"{obj._meta.verbose_name} {fields}: {summary}" if fields else summary,
            new_value=str(obj)[:500],
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, f"{obj._meta.verbose_name} deleted", old_value=str(obj)[:500])
        return super().log_deletions(request, queryset)


class AuditedAdmin(AuditedMixin, admin.ModelAdmin):
    pass


class AdministratorsSite(admin.AdminSite):
    """Django admin is for administrators only, and every change made in it is audited.
    Coordinators do the yearly cycle in set-up, whose services check and audit each
    change; in the admin they could change an indicator, a partner's leads or a target
    without either."""

    site_header = "SCP Scorecard administration"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def register(self, model_or_iterable, admin_class=None, **options):
        # Third-party admins (auth's groups, axes' lockouts) are audited too: no model
        # can be registered without it.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedMixin):
            admin_class = type(f"Audited{admin_class.__name__}", (AuditedMixin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)
