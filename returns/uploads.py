"""Uploaded files stay in memory and are refused past the size limit before they are
stored: Django's default handlers spool anything over 2.5 MB to a temporary file on
disk, which the size check in the form would only see afterwards."""

from django.conf import settings
from django.core.files.uploadhandler import (
    MemoryFileUploadHandler,
    SkipFile,
    TemporaryFileUploadHandler,
)


class _DroppedPastLimit:
    """A file that grows past ``self.limit`` is dropped as it streams in (the rest of the
    body is read and discarded), and the request is marked so the view can say why."""

    limit: int

    def new_file(self, *args, **kwargs):
        self.received = 0
        # the memory handler raises StopFutureHandlers here: that one keeps the file
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            self.discard()
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)

    def discard(self) -> None:
        """What was kept of the dropped file."""


class LimitedMemoryUploadHandler(_DroppedPastLimit, MemoryFileUploadHandler):
    """Every file in memory, up to ``SCORECARD_UPLOAD_MAX_BYTES``."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True  # never fall through to the temporary-file handler
        self.limit = settings.SCORECARD_UPLOAD_MAX_BYTES


class LimitedTemporaryFileUploadHandler(_DroppedPastLimit, TemporaryFileUploadHandler):
    """For police.uk archives (a force-year zips to ~10 MB and unpacks to ~50 MB): the
    file streams to a temporary file on disk, never into memory, up to ``limit``."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit

    def discard(self) -> None:
        self.file.close()
