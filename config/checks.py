from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_configured(app_configs, **kwargs):
    if getattr(settings, "SECRET_KEY_FROM_ENV", True):
        return []
    return [
        Error(
            "SECRET_KEY is not set in the environment.",
            hint="Each process is using a throwaway key, so sessions will not survive a "
            "restart or be shared between gunicorn workers. Set SECRET_KEY.",
            id="scorecard.E001",
        )
    ]
