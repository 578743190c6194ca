"""Set-up: the data-quality rules (coordinators only, like every set-up page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.models import AuditEntry
from partners.access import coordinator_required
from returns.models import ValidationRule
from returns.quality.services import RULE_FIELDS, validation_rule_delete, validation_rule_save
from setup.forms import ValidationRuleForm


@coordinator_required
def rule_list(request):
    audit = AuditEntry.objects.filter(action=AuditEntry.Action.RULE_CHANGED).select_related(
        "actor"
    )[:50]
    return render(
        request,
        "setup/rules.html",
        {"rules": ValidationRule.objects.all(), "audit": audit},
    )


def _save(request, form, rule):
    try:
        rule, changed = validation_rule_save(values=form.cleaned_data, by=request.user, rule=rule)
    except ValidationError as error:  # the service's rule checks, each beside its field
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(
                    field if field in form.fields else None, problem[0].upper() + problem[1:]
                )
        return None
    messages.success(request, f"Rule {rule.code} was saved.")
    return redirect("setup_rules")


@require_http_methods(["GET", "POST"])
@coordinator_required
def rule_new(request):
    form = ValidationRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ValidationRule.objects.filter(code=form.cleaned_data["code"]).exists():
            form.add_error("code", "A rule with this code exists already: edit it instead")
        elif response := _save(request, form, None):
            return response
    return render(
        request,
        "setup/rule_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def rule_edit(request, code):
    rule = get_object_or_404(ValidationRule, code=code)
    initial = {f: getattr(rule, f) for f in RULE_FIELDS}
    form = ValidationRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        taken = ValidationRule.objects.filter(code=form.cleaned_data["code"]).exclude(pk=rule.pk)
        if taken.exists():
            form.add_error("code", "Another rule has this code")
        elif response := _save(request, form, rule):
            return response
    return render(
        request,
        "setup/rule_form.html",
        {"form": form, "rule": rule, "creating": False},
        status=400 if form.errors else 200,
    )


@require_POST
@coordinator_required
def rule_delete(request, code):
    rule = get_object_or_404(ValidationRule, code=code)
    validation_rule_delete(rule=rule, by=request.user)
    messages.success(request, f"Rule {code} was deleted.")
    return redirect("setup_rules")
