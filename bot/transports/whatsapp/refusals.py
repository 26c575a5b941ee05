"""The Cloud API's refusals, read once: the one home of what a WhatsApp error code means
for the message that caused it.

Codes, as Meta's error-code reference names them
(https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes;
pywa's ``errors.py`` carries the same list with Meta's descriptions):
- 130429 throughput: the phone number sends faster than its limit (80/s by default);
- 131056 pair rate: too many messages to one person in a short time (about one every 6 s);
- 131047 re-engagement: more than 24 hours since the person last wrote; only a template
  may go (470 is its older name);
- 131026 undeliverable (not on WhatsApp, old app, terms not accepted): the person is
  unreachable here;
- 131049 "not delivered to maintain healthy ecosystem engagement" (the per-person limit
  on marketing templates): Meta says to wait at least 24 hours before sending that person
  another template; the message is held like one outside the window, and goes free-form
  (which that limit does not touch) once the person writes; they are not unreachable;
- 131048 spam rate limit, 4 / 80007 / 613 application and account rate limits, 131016
  and 131000 and 5xx service trouble: wait and try again;
- 190 an expired or revoked token, 368 and 131031 an account restricted or locked for a
  policy, 131042 a payment problem, 131064 the account's messaging limit reached (Meta:
  "due to template classification violations", for templates and free-form alike): a
  person must act in Meta's tools; every message waits meanwhile and nothing is given up;
- 132000-132999 the template is missing, not approved, paused, disabled or filled wrongly:
  refused for good, logged with the command that compares the file with the account;
- 131051 an unsupported message type, 131053 a media upload that failed, and any other
  code: refused for good (reported, never retried blindly).

Meta documents no error code of its own for the daily messaging limit (unique people
written to first in a moving 24 hours): the help desk counts those itself
(``WHATSAPP_DAILY_TIER``).
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
UNDELIVERABLE = 131026
ECOSYSTEM = 131049
SPAM_RATE = 131048
APP_RATE = (4, 80007, 613)
SERVICE = (131000, 131016, 1, 2)
TOKEN = 190
# The account cannot send until someone acts in Meta's tools; what to tell them.
ACCOUNT = {
    368: "the WhatsApp Business Account is restricted for a policy violation",
    131031: "the WhatsApp Business Account is locked",
    131042: "WhatsApp refused the account's payment method",
    131064: "the WhatsApp Business Account reached its messaging limit",
}
TEMPLATE = range(132000, 133000)

PAIR_WAIT = 6.0  # seconds before the same person may be written to again
THROUGHPUT_WAIT = 1.0
SPAM_WAIT = 60.0
ACCOUNT_WAIT = 600.0  # looked at again every ten minutes until it is fixed


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
    if code in REENGAGEMENT or code == ECOSYSTEM:
        return Delivery(Verdict.HELD, error=error)
    if code == UNDELIVERABLE:
        return Delivery(Verdict.UNREACHABLE, error=error)
    if code == TOKEN or exc.status == 401:
        log.error("WhatsApp refused WHATSAPP_ACCESS_TOKEN (%s); messages wait", exc.message)
        return Delivery(Verdict.RETRY, pause_all=True, error=error)
    if code in ACCOUNT:
        log.error(
            "%s (whatsapp %s: %s); messages wait until it is resolved in WhatsApp Manager",
            ACCOUNT[code],
            code,
            exc.message,
        )
        return Delivery(Verdict.RETRY, wait=ACCOUNT_WAIT, pause_all=True, error=error)
    if code in SERVICE or exc.status >= 500:
        return Delivery(Verdict.RETRY, pause_all=True, error=error)
    if code in TEMPLATE:
        log.error(
            "WhatsApp refused a template (%s); run `helpdesk whatsapp templates check`", error
        )
    return Delivery(Verdict.FAILED, error=error)
