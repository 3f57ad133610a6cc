"""The offline help's topics as data (ui/help.py shows them): the Help menu lists them at
start-up without loading the help window's widgets. Each step is its own translated
sentence, so translators never see markup."""

from __future__ import annotations

from typing import NamedTuple

from peer_support.i18n import N_


class HelpTopic(NamedTuple):  # loaded before the first paint: faster to make than a dataclass
    key: str
    title: str  # N_, translated when shown
    steps: tuple[str, ...]  # N_, translated when shown
    tip: str = ""


TOPICS = (
    HelpTopic("register", N_("Take the register at a meeting"), (
        N_("Open Meetings and choose the meeting in the list (Ctrl+3 goes to Meetings)."),
        N_("Open the Register tab. The cursor is in the box for the family at the door."),
        N_("Type a few letters of a name or a reference, or scan the family's card, then press Enter: "
           "the family is ticked present."),
        N_("When several families match, press Down, choose one with the arrow keys and press Enter."),
        N_("Someone new? Press 'New family…', fill in the name and press Enter: they are added and ticked."),
        N_("In the list, the letters shown under it mark present, apologies or absent; Delete clears a mark."),
    ), N_("Ctrl+Z takes back the last mark.")),
    HelpTopic("deliveries", N_("Log pack deliveries"), (
        N_("Open Packs and choose the batch at the top; stay on the Scan deliveries tab."),
        N_("Choose who is delivering in the first list."),
        N_("Scan each pack's label (or type its code and press Enter). A scan is recorded wherever the "
           "cursor is; the panel says what happened in words, with an icon and a sound."),
        N_("For a pack not delivered, press F2 (not at home), F3 (refused) or F4 (returned) before "
           "scanning it. It applies to that one scan."),
        N_("F8 takes back this laptop's last scan. The Progress tab shows what is still to deliver."),
    ), N_("The sound can be turned off with the tick box under the panel.")),
    HelpTopic("decide", N_("Decide a fund application"), (
        N_("Open Fund and choose the pot at the top."),
        N_("Choose 'Waiting for a decision (oldest first)' in the first filter."),
        N_("Choose the application and press Enter (or 'Decide…')."),
        N_("Approve an amount, or refuse with a reason. Warnings (an earlier award, an empty pot) "
           "are shown before you confirm."),
        N_("When the money is paid, choose 'Record payment…' and add the receipt if there is one."),
    ), N_("Every decision can be undone with Ctrl+Z.")),
    HelpTopic("newsletter", N_("Print a newsletter"), (
        N_("Open Newsletter and choose the issue in the list, or press 'New issue'."),
        N_("Write the title and the sections; tick the automatic sections you want (meetings, packs, fund)."),
        N_("Press Save. If you change to another issue or page first, you are asked whether to save."),
        N_("Open the Preview tab: it shows exactly what will be printed, in the language you choose."),
        N_("Press 'Print…' (Ctrl+P), or 'Export PDF…' to send it to a print shop."),
    ), N_("A ticked section with nothing to show is left out, and the app says so.")),
    HelpTopic("share", N_("Share with another laptop"), (
        N_("Make one folder that every laptop of the group can reach: a USB stick or a Syncthing folder. "
           "Never the Peer Support data folder itself."),
        N_("On each laptop open Sync, choose that folder and set the group's passphrase (the same everywhere)."),
        N_("Press 'Sync now'. The app also syncs at start, every few minutes and when it closes."),
        N_("A new laptop: on a laptop already in the group write a snapshot; on the new one, join "
           "from that folder before entering any data."),
        N_("When two laptops changed the same thing differently, a lead decides under Sync, Conflicts."),
    )),
    HelpTopic("overview", N_("Getting around"), (
        N_("The list on the left opens each part of Peer Support; Ctrl+1 to Ctrl+9 go straight there."),
        N_("Ctrl+N adds a new item on the page, Ctrl+F searches, Ctrl+P prints."),
        N_("Every change is saved at once. Ctrl+Z undoes it, Ctrl+Y (or Ctrl+Shift+Z) does it again."),
        N_("Archiving or deleting several things asks first and says how many; it is one step to undo."),
        N_("F1 opens help for the page on screen."),
    )),
)
AREA_TOPICS = {"meetings": "register", "packs": "deliveries", "fund": "decide", "newsletter": "newsletter",
               "sync": "share"}


def topic_for_area(area: str) -> HelpTopic:
    key = AREA_TOPICS.get(area, "overview")
    return next(topic for topic in TOPICS if topic.key == key)
