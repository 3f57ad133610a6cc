"""The two ready-made forms, in English, Danish, German and Polish.

Their wording is data (a lead may edit it like any form's), written here once so every
laptop adds the same forms. Questions follow the Resilience Framework compartments.
"""

from __future__ import annotations

from peer_support.domain.outcomes import FormDraft, QuestionDraft, QuestionKind


def _q(kind: QuestionKind, compartment: str, en: str, da: str, de: str, pl: str,
       choices: dict[str, tuple[str, ...]] | None = None) -> QuestionDraft:
    return QuestionDraft(kind, compartment, {"en": en, "da": da, "de": de, "pl": pl}, choices or {})


AFTER_MEETING = FormDraft(
    titles={"en": "After the meeting", "da": "Efter mødet", "de": "Nach dem Treffen", "pl": "Po spotkaniu"},
    repeated=False,
    questions=(
        _q(QuestionKind.RATING, "belonging", "How useful was tonight's meeting for you?",
           "Hvor nyttigt var aftenens møde for dig?", "Wie hilfreich war das heutige Treffen für Sie?",
           "Jak przydatne było dla Ciebie dzisiejsze spotkanie?"),
        _q(QuestionKind.YES_NO, "belonging", "Did you feel welcome?", "Følte du dig velkommen?",
           "Haben Sie sich willkommen gefühlt?", "Czy czułeś się tu mile widziany?"),
        _q(QuestionKind.TEXT, "coping", "What would you like to talk about next time?",
           "Hvad vil du gerne tale om næste gang?", "Worüber möchten Sie beim nächsten Mal sprechen?",
           "O czym chciałbyś porozmawiać następnym razem?"),
    ))

HOW_ARE_THINGS = FormDraft(
    titles={"en": "How are things?", "da": "Hvordan går det?", "de": "Wie geht es Ihnen?", "pl": "Jak się sprawy mają?"},
    repeated=True,
    questions=(
        _q(QuestionKind.RATING, "basics", "I can pay for the basics my family needs (food, heating, internet).",
           "Jeg kan betale for det mest nødvendige, min familie har brug for (mad, varme, internet).",
           "Ich kann das Nötigste für meine Familie bezahlen (Essen, Heizung, Internet).",
           "Stać mnie na podstawowe potrzeby mojej rodziny (jedzenie, ogrzewanie, internet)."),
        _q(QuestionKind.RATING, "belonging", "I have people I can turn to when things are hard.",
           "Jeg har nogen, jeg kan gå til, når det er svært.",
           "Ich habe Menschen, an die ich mich wenden kann, wenn es schwer ist.",
           "Mam do kogo się zwrócić, gdy jest trudno."),
        _q(QuestionKind.RATING, "learning", "I feel confident helping my child with school.",
           "Jeg føler mig sikker, når jeg hjælper mit barn med skolen.",
           "Ich traue mir zu, meinem Kind bei der Schule zu helfen.",
           "Czuję się pewnie, pomagając dziecku w sprawach szkolnych."),
        _q(QuestionKind.RATING, "learning", "I know who to contact at my child's school.",
           "Jeg ved, hvem jeg skal kontakte på mit barns skole.",
           "Ich weiß, an wen ich mich in der Schule meines Kindes wenden kann.",
           "Wiem, z kim się kontaktować w szkole mojego dziecka."),
        _q(QuestionKind.RATING, "coping", "I am coping well with day-to-day life.",
           "Jeg klarer hverdagen godt.", "Ich komme im Alltag gut zurecht.",
           "Dobrze radzę sobie z codziennym życiem."),
        _q(QuestionKind.RATING, "core_self", "I feel good about myself as a parent.",
           "Jeg har det godt med mig selv som forælder.", "Ich fühle mich als Elternteil gut.",
           "Jestem zadowolony z siebie jako rodzic."),
        _q(QuestionKind.CHOICE, "belonging", "How do you usually join our meetings?",
           "Hvordan deltager du som regel i vores møder?", "Wie nehmen Sie meist an unseren Treffen teil?",
           "Jak zwykle uczestniczysz w naszych spotkaniach?",
           {"en": ("In person", "Online", "Both", "Not yet"),
            "da": ("Fremmøde", "Online", "Begge dele", "Ikke endnu"),
            "de": ("Vor Ort", "Online", "Beides", "Noch nicht"),
            "pl": ("Osobiście", "Online", "Na oba sposoby", "Jeszcze nie")}),
    ))

READY_MADE: dict[str, FormDraft] = {"after-meeting": AFTER_MEETING, "how-are-things": HOW_ARE_THINGS}
