"""530 families across the town's areas and 8 secondary schools, and 25 volunteers.

Names and languages reflect the town: mostly English, some Polish, a few
Danish and German speakers.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from peer_support.context import AppContext
from peer_support.domain.families import FamilyDraft, MemberDraft, VolunteerDraft
from peer_support.domain.families_rules import fold
from peer_support.sample import mark_seeded
from peer_support.services.families import add_volunteer, ensure_list_items
from peer_support.services.families_bulk import BulkFamilyWriter
from peer_support.storage.tables.families import Area, School

ORDER = 10
FAMILY_COUNT = 530
VOLUNTEER_COUNT = 25

AREAS = ["Old Town", "Harbourside", "North Shore", "Westcliff", "Eastgate", "Marina", "Hillside",
         "Sandbanks"]
SCHOOLS = ["Seaview Academy", "St Mary's Catholic High School", "Harbour Community School",
           "Westcliff High School", "Eastgate Academy", "Bayside School", "Downs Secondary School",
           "Marine Park College"]
POSTCODE_DISTRICTS = {"Old Town": "CT9 1", "Harbourside": "CT9 2", "North Shore": "CT9 3",
                      "Westcliff": "CT9 4", "Eastgate": "CT9 5", "Marina": "CT10 1",
                      "Hillside": "CT10 2", "Sandbanks": "CT10 3"}
STREETS = ["Harbour Street", "Marine Parade", "Church Lane", "Albion Road", "Cliff Terrace",
           "Station Road", "Victoria Avenue", "Northdown Road", "Zion Place", "Hawley Square",
           "Grotto Hill", "Fort Road", "King Street", "Addington Street", "Sweyn Road"]

NAMES = {
    "en": (["Sarah", "Emma", "Claire", "Lisa", "Michelle", "Gemma", "Kelly", "Nicola", "Rachel",
            "Joanne", "David", "Mark", "Paul", "Lee", "Stacey", "Danielle", "Hayley", "Jade", "Amy",
            "Leanne", "Tom", "Chris", "Kirsty", "Laura", "Vicky"],
           ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Wright",
            "Green", "Hall", "Wood", "Harris", "Martin", "Jackson", "Clarke", "Turner", "Hill",
            "Cooper", "Ward", "Baker", "King", "Parker", "Fisher", "Knight"]),
    "pl": (["Agnieszka", "Katarzyna", "Małgorzata", "Joanna", "Magdalena", "Anna", "Ewa", "Tomasz",
            "Piotr", "Paweł", "Łukasz", "Żaneta", "Bożena"],
           ["Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zieliński",
            "Szymańska", "Dąbrowska", "Kozłowski", "Jankowska", "Mazur", "Krawczyk"]),
    "da": (["Mette", "Søren", "Anne", "Jens", "Birgitte", "Rasmus"],
           ["Jensen", "Nielsen", "Hansen", "Pedersen", "Sørensen", "Østergaard"]),
    "de": (["Anja", "Jörg", "Katrin", "Jürgen", "Sabine", "Günther"],
           ["Müller", "Schmidt", "Schäfer", "Weiß", "Köhler", "Groß"]),
}
CHILD_NAMES = ["Oliver", "Amelia", "Harry", "Isla", "Jack", "Ava", "Noah", "Mia", "Leo", "Freya",
               "Zofia", "Jakub", "Lena", "Emil", "Ida", "Maja"]


def _language(rng: random.Random) -> str:
    roll = rng.random()
    return "en" if roll < 0.80 else "pl" if roll < 0.93 else "da" if roll < 0.965 else "de"


def polish_surname_for(first_name: str, surname: str) -> str:
    """Polish surnames in -ski/-cki agree with the person: Anna Kowalska, Piotr Kowalski."""
    feminine = first_name.endswith("a")
    for masculine_end, feminine_end in (("ski", "ska"), ("cki", "cka")):
        if surname.endswith((masculine_end, feminine_end)):
            return surname[:-3] + (feminine_end if feminine else masculine_end)
    return surname


def _family(rng: random.Random, start: date) -> FamilyDraft:
    language = _language(rng)
    first_names, surnames = NAMES[language]
    surname = rng.choice(surnames)
    area = rng.choice(AREAS)
    children = rng.choices([1, 2, 3, 4], weights=[40, 35, 18, 7])[0]
    schools = sorted(set(rng.sample(SCHOOLS, k=min(children, rng.choice([1, 1, 1, 2])))))
    consent = rng.random() < 0.88
    kids = tuple(MemberDraft(name=f"{rng.choice(CHILD_NAMES)} {surname}", relationship="child",
                             school_year=rng.randint(7, 11), school=rng.choice(schools))
                 for _ in range(children))
    first_name = rng.choice(first_names)
    return FamilyDraft(
        name=f"{first_name} {polish_surname_for(first_name, surname) if language == 'pl' else surname}",
        address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}\nMargate",
        postcode=f"{POSTCODE_DISTRICTS[area]}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                 f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        area=area, phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        email=f"{fold(surname)}{rng.randint(1, 99)}@example.org" if rng.random() < 0.7 else "",
        language=language, children=children, schools=tuple(schools),
        needs_internet=rng.random() < 0.25, needs_device=rng.random() < 0.2,
        consent_date=start + timedelta(days=rng.randint(0, 900)) if consent else None,
        consent_contact=consent, consent_newsletter=consent and rng.random() < 0.85,
        consent_photos=consent and rng.random() < 0.4, members=kids)


def seed(context: AppContext, rng: random.Random) -> None:
    start = date(2020, 4, 1)
    with context.db.transaction("Sample data: families and volunteers") as uow:
        session = uow.session
        ensure_list_items(session, Area, AREAS)
        ensure_list_items(session, School, SCHOOLS)
        session.flush()
        writer = BulkFamilyWriter(uow)  # plain INSERTs (still logged), not an ORM object per row
        # Families joined over the last three years, oldest references first.
        joined = sorted((uow.now - timedelta(days=rng.uniform(0, 3 * 365)) for _ in range(FAMILY_COUNT)))
        families = [writer.add(_family(rng, start), created_at=when) for when in joined]
        writer.finish()
        for index in range(VOLUNTEER_COUNT):
            language = "en" if index < 20 else "pl"
            first_names, surnames = NAMES[language]
            parent = families[index * 7] if index % 3 == 0 else None
            first_name, surname = ((rng.choice(first_names), rng.choice(surnames)) if not parent
                                   else ("", ""))
            add_volunteer(session, VolunteerDraft(
                name=parent["name"] if parent else f"{first_name} {polish_surname_for(first_name, surname)}",
                phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                email=f"volunteer{index + 1}@example.org",
                areas=tuple(rng.sample(AREAS, k=rng.randint(1, 3))),
                active=index < 23, family_reference=parent["reference"] if parent else ""))
        mark_seeded(session, __name__)
