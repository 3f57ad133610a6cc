"""Automatic newsletter sections, generated from the data when an issue is exported.

Each provider takes (context, language, issue date) and returns a Qt-free
``model.Section`` (or None when there is nothing to say). Every fixed word,
date and amount is in the *version's* language through ``Words``, never the
UI's: a Polish version printed on an English laptop says "Najbliższe spotkania".
Providers call the other areas' public service functions only.
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from typing import Protocol

from peer_support.context import AppContext
from peer_support.domain import newsletter_sanitise
from peer_support.domain.newsletter import COMPARTMENT_LABELS, CONTACTS, FEEDBACK, FUND, MEETINGS, PACKS
from peer_support.domain.newsletter_document import Item, Section
from peer_support.i18n import translations_for
from peer_support.i18n import formatting as fmt
from peer_support.services.access import internal_read
from peer_support.services.settings import get_group_settings

MEETINGS_AHEAD = timedelta(days=100)
MAX_MEETINGS = 4


class Words:
    """gettext in one given language (the version's), independent of the UI language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = translations_for(language)

    def _(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._catalog.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)


class AutomaticSectionProvider(Protocol):
    key: str

    def build(self, context: AppContext, language: str, issued_on: date) -> Section | None:
        """The section for a version in ``language`` of an issue dated ``issued_on``."""


class MeetingsProvider:
    """The next monthly meetings from the issue's date, with dates in the version's language."""

    key = MEETINGS

    def build(self, context: AppContext, language: str, issued_on: date) -> Section | None:
        from peer_support.domain.meetings import MeetingStatus
        from peer_support.services.meetings import list_meetings

        words = Words(language)
        coming = [m for m in list_meetings(context)
                  if issued_on <= m.on <= issued_on + MEETINGS_AHEAD][:MAX_MEETINGS]
        items = []
        for meeting in coming:
            when = words._("%(date)s, %(start)s–%(end)s") % {
                "date": fmt.format_date(meeting.on, "full", language),
                "start": fmt.format_time(meeting.starts_at, language=language),
                "end": fmt.format_time(meeting.ends_at, language=language)}
            if meeting.status == MeetingStatus.CANCELLED:
                when = words._("%(when)s (cancelled)") % {"when": when}
            details = [meeting.topic.strip(), meeting.venue.strip()]
            if meeting.online_link.strip():
                details.append(words._("Online: %(link)s") % {"link": meeting.online_link.strip()})
            items.append(Item(when, "\n".join(d for d in details if d)))
        if not items:
            blocks = newsletter_sanitise.parse(words._("No meetings are planned yet. Ask us about the next "
                                                       "one: everyone is welcome."))
            return Section(MEETINGS, words._("Upcoming meetings"), blocks=blocks)
        intro = newsletter_sanitise.parse(words._("Everyone is welcome: come for a cup of tea and a chat, "
                                                  "bring a friend, and stay as long as you like."))
        return Section(MEETINGS, words._("Upcoming meetings"), blocks=intro, items=tuple(items))


class ContactsProvider:
    """Who to call, and a QR code to the sign-up form (from Settings)."""

    key = CONTACTS

    def build(self, context: AppContext, language: str, issued_on: date) -> Section | None:
        words = Words(language)
        settings = get_group_settings(context)
        items = []
        if settings.contact_name:
            items.append(Item(words._("Contact"), settings.contact_name))
        if settings.contact_phone:
            items.append(Item(words._("Phone"), settings.contact_phone))
        if settings.contact_email:
            items.append(Item(words._("Email"), settings.contact_email))
        if settings.website:
            items.append(Item(words._("Website"), settings.website))
        if not items and not settings.signup_url:
            return None
        blocks = newsletter_sanitise.parse(words._("You are not alone. Whatever is on your mind, get in "
                                                   "touch: we listen, and we keep what you tell us private."))
        return Section(CONTACTS, words._("Get in touch"), blocks=blocks, items=tuple(items),
                       qr_url=settings.signup_url,
                       qr_label=words._("Scan to join the group") if settings.signup_url else "")


def _has(module: str, *names: str) -> bool:
    """Whether another area's service functions exist yet (they are built alongside)."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError:
        return False
    return all(hasattr(loaded, name) for name in names)


class PacksProvider:
    """How far the latest round of activity-pack deliveries has got."""

    key = PACKS

    def available(self) -> bool:
        return _has("peer_support.services.packs", "list_batches", "batch_progress")

    def build(self, context: AppContext, language: str, issued_on: date) -> Section | None:
        from peer_support.services.packs import batch_progress, list_batches

        words = Words(language)
        packed = [b for b in list_batches(context) if b.packed_on and b.packed_on <= issued_on]
        if not packed:
            return None
        batch = max(packed, key=lambda b: (b.packed_on, b.reference))
        progress, _runs = batch_progress(context, batch.reference)
        if not progress.total:
            return None
        text = words._("Our volunteers are delivering “%(batch)s” door to door.") % {"batch": batch.name}
        if progress.outstanding:
            text += " " + words._("If we have not reached you yet, we will: if nobody is home we "
                                  "leave a card and come back.")
        label = words.ngettext("%(delivered)s of %(total)s pack delivered so far",
                               "%(delivered)s of %(total)s packs delivered so far", progress.total) % {
            "delivered": fmt.format_number(progress.delivered, language),
            "total": fmt.format_number(progress.total, language)}
        return Section(PACKS, words._("Pack delivery progress"), blocks=newsletter_sanitise.parse(text),
                       progress=progress.delivered / progress.total, progress_label=label)


class FundProvider:
    """Whether the connectivity fund is open, and how many families it has helped."""

    key = FUND

    def available(self) -> bool:
        return _has("peer_support.services.fund_queries", "list_pots", "list_applications")

    def build(self, context: AppContext, language: str, issued_on: date) -> Section | None:
        from peer_support.domain.fund import COMMITTED
        from peer_support.services.fund_queries import list_applications, list_pots

        words = Words(language)
        with internal_read(context):  # the newsletter prints totals only
            pots = list_pots(context)
            applications = list_applications(context, statuses=COMMITTED)
        if not pots:
            return None
        open_pots = [p for p in pots if p.opens_on <= issued_on
                     and (p.closes_on is None or p.closes_on >= issued_on) and p.remaining_pence > 0]
        helped = [a for a in applications if a.received_on <= issued_on]
        if open_pots:
            text = words._("The connectivity fund is open for applications. It can pay for data "
                           "top-ups, a month of broadband or a refurbished device. Ring us or ask "
                           "at a meeting: applying takes five minutes.")
            closing = [p.closes_on for p in open_pots if p.closes_on]
            if closing and len(closing) == len(open_pots):
                text += " " + words._("Apply by %(date)s.") % {
                    "date": fmt.format_date(max(closing), "long", language)}
        else:
            text = words._("The connectivity fund is closed for now. We will tell you as soon as "
                           "it opens again.")
        families = len({a.family_reference for a in helped})
        items = (Item(words._("Families helped so far"), fmt.format_number(families, language)),
                 Item(words._("Paid out so far"),
                      fmt.format_money(sum(a.paid_pence for a in helped), language)))
        return Section(FUND, words._("Connectivity fund news"), blocks=newsletter_sanitise.parse(text),
                       items=items if helped else ())


class FeedbackProvider:
    """"You told us": totals from feedback forms, never fewer than five answers, never a name."""

    key = FEEDBACK
    RECENT = timedelta(days=92)  # the meetings since the last quarterly issue
    YEAR = timedelta(days=365)

    def build(self, context: AppContext, language: str, issued_on: date) -> Section | None:
        from peer_support.domain.outcomes import QuestionKind
        from peer_support.services.outcomes import period_outcomes

        words = Words(language)
        items = []
        for results in period_outcomes(context, issued_on - self.RECENT, issued_on):
            if results.form.repeated:
                continue
            for result in results.questions:
                if result.suppressed or result.question.kind not in (QuestionKind.RATING, QuestionKind.YES_NO):
                    continue
                if result.question.kind is QuestionKind.RATING:
                    share = (result.distribution.get(4, 0) + result.distribution.get(5, 0)) / result.answered
                    text = words._("%(share)s of you gave 4 or 5 out of 5") % {
                        "share": fmt.format_percent(share, language)}
                else:
                    text = words._("%(share)s of you said yes") % {
                        "share": fmt.format_percent(result.share(1), language)}
                items.append(Item(result.question.text(language), text))
        for results in period_outcomes(context, issued_on - self.YEAR, issued_on):
            if results.form.repeated and results.average_change is not None:
                items.append(Item(results.form.title(language), words.ngettext(
                    "%(improved)s of the %(families)s family who answered more than once feel things are better "
                    "than when they first answered",
                    "%(improved)s of the %(families)s families who answered more than once feel things are better "
                    "than when they first answered", len(results.changes)) % {
                    "improved": fmt.format_number(results.improved, language),
                    "families": fmt.format_number(len(results.changes), language)}))
        if not items:
            return None
        blocks = newsletter_sanitise.parse(words._("Thank you for filling in our feedback forms. Here is what you "
                                                   "told us (totals only: no answer can be traced to anyone)."))
        return Section(FEEDBACK, words._("You told us"), blocks=blocks, items=tuple(items))


def tip_section(language: str, compartment: str, tip_text: str) -> Section | None:
    """The organiser's tip of the month, tagged with its Resilience Framework compartment."""
    blocks = newsletter_sanitise.parse(tip_text)
    if not blocks:
        return None
    words = Words(language)
    tag = ""
    if compartment in COMPARTMENT_LABELS:
        tag = words._("Resilience Framework: %(compartment)s") % {
            "compartment": words._(COMPARTMENT_LABELS[compartment])}
    return Section("tip", words._("Tip of the month"), blocks=blocks, tag=tag)


def providers() -> dict[str, AutomaticSectionProvider]:
    """The providers whose area is available, by key, in printed order."""
    found: dict[str, AutomaticSectionProvider] = {MEETINGS: MeetingsProvider()}
    for provider in (PacksProvider(), FundProvider()):
        if provider.available():
            found[provider.key] = provider
    found[FEEDBACK] = FeedbackProvider()
    found[CONTACTS] = ContactsProvider()
    return found


__all__ = ["AutomaticSectionProvider", "ContactsProvider", "FUND", "FeedbackProvider", "MeetingsProvider", "PACKS",
           "Words", "providers", "tip_section"]
