"""Pages about the service itself, for everyone: the accessibility statement that the
Public Sector Bodies Accessibility Regulations 2018 (regulation 7) require."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "accessibility.html")
