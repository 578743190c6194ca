"""Moving between partnerships: the header's switcher posts here."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from partnerships.resolution import SESSION_KEY, partnerships_for


@require_POST
def switch(request):
    """Remembers the chosen partnership for the session; one the person does not
    belong to is a 404 (its existence is not confirmed)."""
    slug = request.POST.get("partnership", "")
    if slug not in {p.slug for p in partnerships_for(request.user)}:
        raise Http404("No such partnership")
    request.session[SESSION_KEY] = slug
    return redirect("home")
