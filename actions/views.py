from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions import services as actions
from actions.forms import ActionUpdateForm
from actions.models import MeetingAction
from partners.access import scorecard_viewer_required


@require_GET
@scorecard_viewer_required
def action_list(request):
    show = request.GET.get("show", "open")
    qs = MeetingAction.objects.select_related("owner", "meeting").order_by("due_date", "id")
    if show in ("open", "overdue"):
        qs = qs.exclude(status__in=MeetingAction.CLOSED)
    if show == "overdue":
        qs = qs.filter(due_date__lt=timezone.localdate())
    return render(
        request,
        "packs/actions.html",
        {"actions": list(qs), "show": show, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@scorecard_viewer_required
def action_detail(request, action_pk):
    action = get_object_or_404(
        MeetingAction.objects.select_related("owner", "lead", "meeting", "created_by"),
        pk=action_pk,
    )
    may_update = actions.can_update(request.user, action)
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied("Only the owner partner's leads and the coordinators update it")
        if form.is_valid():
            actions.action_update(
                action=action,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
                by=request.user,
            )
            messages.success(request, "Your update was posted.")
            return redirect("action_detail", action.pk)
    return render(
        request,
        "packs/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("by"),
            "indicators": action.indicators.order_by("code"),
            "form": form if may_update else None,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )
