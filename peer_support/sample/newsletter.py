"""Three past newsletter issues and one draft; the latest past issue also in Polish.

Dates are relative to today, so the sample always looks current.
"""

from __future__ import annotations

import random
from datetime import timedelta

from PIL import Image, ImageDraw

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.newsletter import (AUTOMATIC_SECTIONS, DRAFT, FINAL, ONE_COLUMN, TWO_COLUMN,
                                            IssueDraft, SectionRecord, SectionText, VersionRecord)
from peer_support.sample import mark_seeded
from peer_support.services.newsletter import FILES_AREA, clean_draft, next_issue_number, write_issue
from peer_support.storage.tables.newsletter import NewsletterIssue

ORDER = 60
PICTURE = "sample-beach-meetup.png"


def _section(heading: str, body: str, image: str = "", caption: str = "",
             polish: tuple[str, str, str] | None = None) -> SectionRecord:
    texts = [SectionText("en", heading, body, caption)]
    if polish:
        texts.append(SectionText("pl", *polish))
    return SectionRecord(None, image, tuple(texts))


ISSUE_1 = (
    "You are not alone", "belonging",
    "<p>Find one other parent at the school gate this month and say hello. A two-minute chat is "
    "how most friendships in our group began.</p>",
    [_section("Welcome to our first newsletter",
              "<p>When a handful of us first met in the back room of the community centre, we had "
              "one thing in common: we were <b>worried about our children</b> and tired of feeling "
              "we were the only ones. Two years on, more than five hundred families across town "
              "are part of this group.</p><p>This newsletter is for all of you: the parents who "
              "come every month, the ones who only read our messages late at night, and the ones "
              "who have not found the courage to come along yet. <i>There is a seat for you.</i></p>"),
     _section("What peer support means",
              "<p>None of us are experts, and that is the point. We listen without judging, we "
              "share what has worked for us, and we remind each other that asking for help is a "
              "strength.</p><ul><li>We keep what is said in the room private.</li><li>We never "
              "tell anyone what they <i>should</i> do.</li><li>We look out for each other between "
              "meetings too.</li></ul>")],
)

ISSUE_2 = (
    "Together we are stronger", "learning",
    "<p>Ask your child to teach <i>you</i> something they learnt this week. Being the expert "
    "builds their confidence, and you might learn something too.</p>",
    [_section("Activity packs are on their way",
              "<p>Thanks to a grant from the town's community fund, every family on our register "
              "will receive an <b>activity pack</b> this term: craft materials, a reading book for "
              "each child, seed packets and a card game to play together.</p><p>Our volunteers "
              "deliver them door to door. If nobody is home, we leave a card and try again. You "
              "do not need to do anything: just say hello when we knock!</p>",
              image=PICTURE, caption="Volunteers sorting packs after the September meeting."),
     _section("Thank you, volunteers",
              "<p>Twenty-five volunteers gave their evenings and weekends this summer: packing "
              "bags, driving, phoning families who wanted a chat. <b>Thank you.</b> If you would "
              "like to help, even for an hour a month, talk to us at the next meeting.</p>")],
)

ISSUE_3 = (
    "Staying connected", "coping",
    "<p>When everything feels too much, try the <b>five-four-three</b> pause: name five things "
    "you can see, four you can hear and three you can touch. It takes one minute and it works "
    "for children too.</p>",
    [_section("Nobody should be cut off",
              "<p>Homework, appointments, even a chat with family far away: so much now needs a "
              "phone or the internet. Our <b>connectivity fund</b> pays for data top-ups, a "
              "broadband month or a refurbished device for families who are struggling.</p>"
              "<p>Applying is simple: ring us, fill in a paper form at a meeting, or ask a "
              "volunteer at your door. We decide within two weeks, and we never ask for more "
              "than we need to know.</p>",
              polish=("Nikt nie powinien zostać bez kontaktu",
                      "<p>Zadania domowe, wizyty lekarskie, rozmowa z rodziną za granicą: dziś "
                      "wszystko wymaga telefonu albo internetu. Nasz <b>fundusz łączności</b> "
                      "pokrywa doładowania, miesiąc internetu albo odnowione urządzenie dla "
                      "rodzin, którym jest ciężko.</p><p>Wniosek jest prosty: zadzwoń do nas, "
                      "wypełnij papierowy formularz na spotkaniu albo poproś wolontariusza przy "
                      "drzwiach. Decyzję podejmujemy w ciągu dwóch tygodni i nie pytamy o więcej, "
                      "niż musimy wiedzieć.</p>", "")),
     _section("Darker evenings, warmer room",
              "<p>Winter can be hard. Our monthly meetings carry on as usual, with tea, biscuits "
              "and a crèche for younger brothers and sisters. Bring a friend, bring a neighbour: "
              "<i>you do not need to say a word if you would rather just listen.</i></p>",
              polish=("Ciemniejsze wieczory, cieplejsza sala",
                      "<p>Zima bywa trudna. Nasze comiesięczne spotkania odbywają się jak zwykle, "
                      "z herbatą, ciastkami i opieką dla młodszego rodzeństwa. Przyprowadź "
                      "przyjaciółkę albo sąsiada: <i>nie musisz nic mówić, jeśli wolisz tylko "
                      "posłuchać.</i></p>", ""))],
)
ISSUE_3_POLISH = ("W kontakcie", "<p>Kiedy wszystkiego jest za dużo, spróbuj pauzy "
                  "<b>pięć-cztery-trzy</b>: nazwij pięć rzeczy, które widzisz, cztery, które "
                  "słyszysz, i trzy, których możesz dotknąć. To zajmuje minutę i działa także "
                  "u dzieci.</p>")

ISSUE_4 = (
    "Looking ahead", "core_self",
    "<p>Write down three things you did well this year, however small. Keep the list somewhere "
    "you will see it in January.</p>",
    [_section("A year of solidarity",
              "<p>This year we delivered activity packs to hundreds of homes, helped families stay "
              "online through the connectivity fund, and met every single month. None of it would "
              "have happened without you.</p><p><i>Draft: add the thank-you list and the dates "
              "for the new year.</i></p>")],
)


def _picture(context: AppContext) -> None:
    """A simple black-and-white drawing (sun, sea, people) so the sample prints a picture."""
    target = context.files_dir(FILES_AREA) / PICTURE
    if target.exists():
        return
    image = Image.new("L", (900, 420), 250)
    draw = ImageDraw.Draw(image)
    draw.ellipse((640, 40, 780, 180), outline=30, width=8)
    for offset in range(0, 900, 60):
        draw.arc((offset - 30, 250, offset + 30, 290), 200, 340, fill=60, width=6)
        draw.arc((offset, 300, offset + 60, 340), 200, 340, fill=110, width=5)
    draw.rectangle((0, 360, 900, 420), fill=200)
    for index, x in enumerate(range(120, 560, 110)):
        height = 120 if index % 2 else 95
        draw.ellipse((x - 20, 360 - height - 40, x + 20, 360 - height), fill=40)
        draw.line((x, 360 - height, x, 360 - 35), fill=40, width=14)
        draw.line((x, 360 - 35, x - 18, 362), fill=40, width=10)
        draw.line((x, 360 - 35, x + 18, 362), fill=40, width=10)
        draw.line((x - 45, 360 - height + 30, x + 45, 360 - height + 30), fill=40, width=9)
    image.save(target, "PNG")


def seed(context: AppContext, rng: random.Random) -> None:
    today = local_today(context.clock)
    _picture(context)
    plans = [(ISSUE_1, today - timedelta(days=173), FINAL, TWO_COLUMN, None),
             (ISSUE_2, today - timedelta(days=82), FINAL, TWO_COLUMN, None),
             (ISSUE_3, today - timedelta(days=23), FINAL, TWO_COLUMN, ISSUE_3_POLISH),
             (ISSUE_4, today + timedelta(days=9), DRAFT, ONE_COLUMN, None)]
    with context.db.transaction("Sample data: newsletters") as uow:
        for (title, compartment, tip, sections), issued_on, status, template, polish in plans:
            versions = [VersionRecord("en", title, tip)]
            if polish:
                versions.append(VersionRecord("pl", *polish))
            draft = clean_draft(IssueDraft(
                issued_on=issued_on, language="en", status=status, template=template,
                automatic=AUTOMATIC_SECTIONS, tip_compartment=compartment, versions=tuple(versions),
                sections=tuple(sections)))
            issue = NewsletterIssue(number=next_issue_number(uow.session), issued_on=issued_on)
            write_issue(uow.session, issue, draft)
            uow.session.flush()
        mark_seeded(uow.session, __name__)
