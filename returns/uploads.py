"""Uploaded files stay in memory and are refused past the size limit before they are
stored: Django's default handlers spool anything over 2.5 MB to a temporary file on
disk, which the size check in the form would only see afterwards."""

from django.conf import settings
from django.core.files.uploadhandler import (
    MemoryFileUploadHandler,
    SkipFile,
    TemporaryFileUploadHandler,
)


class LimitedMemoryUploadHandler(MemoryFileUploadHandler):
    """Every file in memory; a file that grows past ``SCORECARD_UPLOAD_MAX_BYTES`` is
    dropped as it streams in (the rest of the body is read and discarded), and the
    request is marked so the view can say why."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True  # never fall through to the temporary-file handler
        self.limit = settings.SCORECARD_UPLOAD_MAX_BYTES

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)  # raises StopFutureHandlers: this one keeps it

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """For police.uk archives (a force-year zips to ~10 MB and unpacks to ~50 MB): the
    file streams to a temporary file on disk, never into memory, and is dropped as it
    passes ``limit``."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            self.file.close()
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)
