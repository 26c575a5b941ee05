"""Which handler answers which command or button action. One table, read top to bottom."""

from __future__ import annotations

from collections.abc import Callable

from handlers import ask
from handlers.announce import announce
from handlers.calendar import schedule
from handlers.context import Context
from handlers.curate import gaps as curate_gaps
from handlers.curate import review as curate_review
from handlers.desk import admin as desk_admin
from handlers.desk import liaison as desk_liaison
from handlers.desk import register as desk_register
from handlers.desk import staff as desk_staff
from handlers.faq import browse as faq
from handlers.home import accounts, menu, start
from handlers.port import Outcome
from handlers.register import ask_report, record

Handler = Callable[[Context, str], Outcome]

# Commands, with the Indonesian aliases liaisons type.
COMMANDS: dict[str, Handler] = {
    "start": start.start_or_redeem,  # /start <invite token> registers a liaison
    "menu": start.show_menu,
    "help": start.show_help,
    "bantuan": start.show_help,
    "language": start.ask_language,
    "bahasa": start.ask_language,
    "faq": faq.show_categories,
    "tanya": ask.ask,  # with a question from a liaison: a ticket; else the FAQ
    # the help desk: liaisons
    "daftar": desk_register.begin,
    "register": desk_register.begin,
    "akun": accounts.link_account,  # link a liaison's account in another app
    "account": accounts.link_account,
    "tiket": desk_liaison.my_tickets,
    "tickets": desk_liaison.my_tickets,
    # the help desk: officers, in their staff chat
    "catatan": desk_staff.note_command,
    "petugas": desk_admin.list_officers,
    "petugas_tambah": desk_admin.add,
    "petugas_hapus": desk_admin.remove,
    "tautkan": desk_admin.link,
    "undangan": desk_admin.invite,
    "verifikasi": desk_admin.unverified,
    "draf": curate_review.list_command,  # FAQ drafts waiting for review
    "draf_ubah": curate_review.edit_command,
    "celah": curate_gaps.gaps_command,  # questions the bot could not answer, grouped
    # the stage calendar, reminders and announcements
    "jadwal": schedule.show_schedule,
    "schedule": schedule.show_schedule,
    "senyap": schedule.mute,
    "aktifkan": schedule.unmute,
    "daftarkan_grup": schedule.register_this_group,
    "hapus_grup": schedule.unregister_this_group,
    "umumkan": announce.start_announcement,
    "laporan_umum": announce.report,
    # the register and reports, in a staff chat
    "laporan": ask_report.ask_report,
    "catat": record.record,
    "tamu": record.guest,
}

# Button actions: the part before the first ':' picks the handler, the rest is its argument.
ACTIONS: dict[str, Handler] = {
    "home": start.show_menu,
    "menu": menu.open_menu_entry,
    start.WROTE_BACK: start.wrote_back,  # "read it": the press opened the window; held answers go
    "lang": start.choose_language,
    "acc": accounts.on_action,  # unlink an account from its registration, confirmed
    "faq": ask.on_faq_action,  # the FAQ; its dead ends open tickets
    "rg": desk_register.on_action,  # registration steps
    "tk": desk_liaison.on_action,  # a liaison's ticket
    "dk": desk_staff.on_action,  # a ticket card in a staff chat
    "dv": desk_admin.verify,  # verify a liaison
    "kbd": curate_review.on_action,  # an FAQ draft: make ("Jadikan FAQ"), show, approve, reject
    "sch": schedule.schedule_action,  # the stage calendar: view, .ics, mute
    "ann": announce.announce_action,  # an announcement draft
    "ack": announce.acknowledge_action,  # "I have read this" under an announcement
    "lp": ask_report.on_action,  # /laporan: period and format
    "ct": record.on_action,  # /catat and /tamu: the register's forms
}

# Commands shown in the app's command menu, in this order; descriptions are labels.
MENU_COMMANDS: tuple[str, ...] = (
    "start",
    "menu",
    "faq",
    "tanya",
    "tiket",
    "jadwal",
    "help",
    "language",
)
