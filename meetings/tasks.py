"""Pack rendering off the request. Named as before the split (see notifications.tasks)."""

from celery import shared_task

from core.tenancy import own_scope
from meetings.packs import meeting_pack_generate


@shared_task(name="scorecard.tasks.generate_meeting_pack", bind=True, max_retries=0)
@own_scope
def generate_meeting_pack(self, pack_id):
    """Failures are recorded on the pack (status failed, with the reason) for a
    coordinator to retry; the previous version stays available meanwhile."""
    try:
        return meeting_pack_generate(pack_id)
    except Exception:  # noqa: BLE001 - already recorded on the pack
        return False
