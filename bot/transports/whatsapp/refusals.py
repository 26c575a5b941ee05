"""The Cloud API's refusals, read once: the one home of what a WhatsApp error code means
for the message that caused it.

Codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes):
- 130429 throughput: the phone number sends faster than its limit (80/s by default);
- 131056 pair rate: too many messages to one person in a short time (about one every 6 s);
- 131047 re-engagement: more than 24 hours since the person last wrote; only a template
  may go (470 is its older name);
- 131026 undeliverable (not on WhatsApp, old app, blocked us); 131049 Meta chose not to
  deliver (marketing limits);
- 131048 spam rate limit, 4 / 80007 application and account rate limits, 131016 and
  131000 and 5xx service trouble: wait and try again;
- 190 an expired or revoked token: a person must fix it; nothing is given up meanwhile.
"""

from __future__ import annotations

import logging

import httpx

from bot.delivery.courier import Delivery, Verdict
from bot.transports.whatsapp.graph import GraphError

log = logging.getLogger(__name__)

THROUGHPUT = 130429
PAIR_RATE = 131056
REENGAGEMENT = (131047, 470)
UNDELIVERABLE = (131026, 131049)
SPAM_RATE = 131048
APP_RATE = (4, 80007, 613)
SERVICE = (131000, 131016, 1, 2)
TOKEN = 190

PAIR_WAIT = 6.0  # seconds before the same person may be written to again
THROUGHPUT_WAIT = 1.0
SPAM_WAIT = 60.0


def delivery_of(exc: BaseException) -> Delivery | None:
    """What the error means for the message; None for an error that is not the app's."""
    if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
        return Delivery(Verdict.UNCERTAIN, error=f"no answer from WhatsApp: {exc!r}"[:255])
    if isinstance(exc, httpx.TransportError):
        return Delivery(Verdict.RETRY, pause_all=True, error=f"WhatsApp unreachable: {exc!r}"[:255])
    if not isinstance(exc, GraphError):
        return None
    error = f"whatsapp {exc.code}: {exc.message}"[:255]
    code = exc.code
    if code == PAIR_RATE:
        return Delivery(Verdict.RETRY, wait=PAIR_WAIT, error=error)
    if code == THROUGHPUT:
        return Delivery(Verdict.RETRY, wait=THROUGHPUT_WAIT, pause_all=True, error=error)
    if code == SPAM_RATE or code in APP_RATE:
        return Delivery(Verdict.RETRY, wait=SPAM_WAIT, pause_all=True, error=error)
    if code in REENGAGEMENT:
        return Delivery(Verdict.HELD, error=error)
    if code in UNDELIVERABLE:
        return Delivery(Verdict.UNREACHABLE, error=error)
    if code == TOKEN or exc.status == 401:
        log.error("WhatsApp refused WHATSAPP_ACCESS_TOKEN (%s); messages wait", exc.message)
        return Delivery(Verdict.RETRY, pause_all=True, error=error)
    if code in SERVICE or exc.status >= 500:
        return Delivery(Verdict.RETRY, pause_all=True, error=error)
    return Delivery(Verdict.FAILED, error=error)
