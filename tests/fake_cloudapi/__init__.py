"""A fake WhatsApp Cloud API for tests (see ``server``)."""

from .server import FakeCloudAPI, Sent

__all__ = ["FakeCloudAPI", "Sent"]
