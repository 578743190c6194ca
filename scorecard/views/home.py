from django.shortcuts import redirect

from partners.roles import Role, has_role, is_coordinator


def home(request):
    """Each role lands where its work is."""
    if is_coordinator(request.user):
        return redirect("review_queue")
    if has_role(request.user, Role.PARTNER_LEAD):
        return redirect("my_returns")
    return redirect("dashboard")
