"""The hosting operator's pages: every partnership at a glance, and a new one."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.tenancy import across_partnerships
from hosting import selectors, services
from hosting.forms import PartnershipForm
from meetings.publishing import forget_public_pages
from partnerships.resolution import is_operator


def operator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_operator(request.user):
            raise PermissionDenied("Only the hosting operator can do this")
        return view(request, *args, **kwargs)

    return wrapped


@operator_required
def overview(request):
    with across_partnerships():
        lines = selectors.overview()
    return render(request, "hosting/overview.html", {"lines": lines})


@require_http_methods(["GET", "POST"])
@operator_required
def partnership_new(request):
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            populations = [
                services.parse_population(line)
                for line in data["population"].splitlines()
                if line.strip()
            ]
            partnership = services.partnership_create(
                slug=data["slug"],
                name=data["name"],
                short_name=data["short_name"],
                area_description=data["area_description"],
                populations=populations,
                coordinator={
                    "email": data["coordinator_email"],
                    "first_name": data["coordinator_first_name"],
                    "last_name": data["coordinator_last_name"],
                },
                by=request.user,
            )
        except services.PartnershipError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            forget_public_pages(partnership)  # /public/ becomes the list of partnerships
            messages.success(
                request,
                f"{partnership.name} was created. An invitation was sent to "
                f"{data['coordinator_email']}.",
            )
            return redirect("hosting_overview")
    return render(
        request,
        "hosting/partnership_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
