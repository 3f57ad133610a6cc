"""The dashboard's figures and the fund and pack counts, in plain SQL.

The dashboard is the first page at start-up, and ``fund status``/``packs
progress`` are answers a volunteer waits for at a terminal: none of them should
wait for SQLAlchemy, SQLModel and the table classes to load (most of a second
on an old laptop). These functions read through a DB-API connection
(``Database.plain()``) and import nothing of the ORM. The ORM services use the
same functions for the same figures (``fund_queries.pot_records``,
``packs.progress_counts``), so a card, a command and a page cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timezone

from typing import TYPE_CHECKING

from peer_support.clock import local_today

if TYPE_CHECKING:
    from peer_support.domain.dashboard_figures import DashboardSummary, FundFigures, NextMeeting
    from peer_support.domain.pack_status import Progress

# Each function imports the domain module it needs: ``fund status`` loads nothing of the packs,
# ``packs progress`` nothing of the fund, and neither the dashboard's or the meetings' modules.


def sql_instant(instant: datetime) -> str:
    """An aware instant as the UTC text the tables hold (SQLAlchemy's SQLite DateTime format)."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _marks(count: int) -> str:
    return ",".join("?" * count)


# -- fund ---------------------------------------------------------------------------------

def pot_figures(connection, pot_ids: list[str]) -> dict[str, tuple[int, int, int, int]]:
    """Per pot: (committed pence, paid pence, applications, waiting for a decision)."""
    from peer_support.domain.fund_status import Status, committed_sql

    figures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for start in range(0, len(pot_ids), 400):
        chunk = pot_ids[start:start + 400]
        for pot_id, committed, applications, waiting in connection.execute(
                f"SELECT pot_id, sum(CASE WHEN {committed_sql('status')} THEN coalesce(approved_pence, 0) "
                f"ELSE 0 END), count(*), sum(status = ?) FROM fund_application "
                f"WHERE deleted = 0 AND pot_id IN ({_marks(len(chunk))}) GROUP BY pot_id",
                [str(Status.RECEIVED), *chunk]):
            figures[pot_id][0], figures[pot_id][2], figures[pot_id][3] = committed, applications, waiting
        for pot_id, amount in connection.execute(
                f"SELECT a.pot_id, sum(p.amount_pence) FROM fund_payment AS p "
                f"JOIN fund_application AS a ON a.id = p.application_id "
                f"WHERE p.deleted = 0 AND a.deleted = 0 AND a.pot_id IN ({_marks(len(chunk))}) "
                f"GROUP BY a.pot_id", chunk):
            figures[pot_id][1] = int(amount or 0)
    return {pot_id: tuple(row) for pot_id, row in figures.items()}  # type: ignore[misc]


def fund_figures(connection, today: date) -> FundFigures:
    """The pots open today (newest first) with what is left, and every waiting application."""
    from peer_support.domain.dashboard_figures import FundFigures, Link, PotFigures
    from peer_support.domain.fund_status import Status

    pots = connection.execute(
        "SELECT id, name, budget_pence FROM fund_pot WHERE deleted = 0 AND opens_on <= ? "
        "AND (closes_on IS NULL OR closes_on >= ?) ORDER BY opens_on DESC, name",
        (today.isoformat(), today.isoformat())).fetchall()
    figures = pot_figures(connection, [pot[0] for pot in pots])
    open_pots = tuple(PotFigures(name=name, budget_pence=budget, committed_pence=figures.get(pot_id, (0,) * 4)[0],
                                 paid_pence=figures.get(pot_id, (0,) * 4)[1],
                                 waiting=figures.get(pot_id, (0,) * 4)[3], link=Link("fund", name))
                      for pot_id, name, budget in pots)
    waiting = connection.execute(
        "SELECT count(*) FROM fund_application AS a JOIN family AS f ON f.id = a.family_id "
        "WHERE a.deleted = 0 AND a.status = ?", (str(Status.RECEIVED),)).fetchone()[0]
    return FundFigures(pots=open_pots, waiting=waiting, link=Link("fund", open_pots[0].name if open_pots else ""))


# -- packs --------------------------------------------------------------------------------

def progress_from(statuses: Counter, duplicates: int) -> Progress:
    from peer_support.domain.pack_status import Outcome, Progress

    total = sum(statuses.values())
    delivered = statuses[Outcome.DELIVERED.value]
    refused, returned = statuses[Outcome.REFUSED.value], statuses[Outcome.RETURNED.value]
    return Progress(total=total, delivered=delivered, outstanding=total - delivered - refused - returned,
                    not_home=statuses[Outcome.NOT_HOME.value], refused=refused, returned=returned,
                    duplicates=duplicates)


def pack_progress(connection, batch_id: str) -> tuple[Progress, dict[str | None, Progress]]:
    """The batch's progress and each run's (key: run id, None for packs in no run)."""
    from peer_support.domain.pack_status import Outcome

    by_run: dict[str | None, Counter] = defaultdict(Counter)
    for run_id, status, count in connection.execute(
            "SELECT run_id, status, count(*) FROM pack WHERE batch_id = ? AND deleted = 0 "
            "GROUP BY run_id, status", (batch_id,)):
        by_run[run_id][status] += count
    duplicates = Counter(dict(connection.execute(
        "SELECT p.run_id, count(*) FROM pack_event AS e JOIN pack AS p ON p.id = e.pack_id "
        "WHERE e.batch_id = ? AND e.deleted = 0 AND e.outcome = ? GROUP BY p.run_id",
        (batch_id, Outcome.DUPLICATE.value)).fetchall()))
    overall = sum(by_run.values(), Counter())
    return (progress_from(overall, sum(duplicates.values())),
            {run_id: progress_from(counts, duplicates[run_id]) for run_id, counts in by_run.items()})


def current_batch(connection) -> tuple[str, str, str, Progress] | None:
    """(id, reference, name, progress) of the batch being delivered (the latest with packs still
    out), else the latest; archived batches aside."""
    batches = connection.execute("SELECT id, reference, name FROM pack_batch WHERE deleted = 0 AND archived = 0 "
                                 "ORDER BY length(reference) DESC, reference DESC").fetchall()
    fallback = None
    for batch_id, reference, name in batches:
        progress, _runs = pack_progress(connection, batch_id)
        if progress.outstanding:
            return batch_id, reference, name, progress
        fallback = fallback or (batch_id, reference, name, progress)
    return fallback


# -- meetings -----------------------------------------------------------------------------

def next_meeting(connection, now: datetime) -> NextMeeting | None:
    """The next planned meeting not over yet, with its open actions and those carried to it."""
    from peer_support.domain.dashboard_figures import Link, NextMeeting
    from peer_support.domain.meeting_status import MeetingStatus

    row = connection.execute(
        "SELECT id, reference, starts_at, topic, venue FROM meeting WHERE deleted = 0 AND status = ? "
        "AND ends_at >= ? ORDER BY starts_at LIMIT 1", (MeetingStatus.PLANNED.value, sql_instant(now))).fetchone()
    if row is None:
        return None
    meeting_id, reference, starts_at, topic, venue = row
    own = connection.execute("SELECT count(*) FROM meeting_action WHERE meeting_id = ? AND deleted = 0 "
                             "AND done = 0", (meeting_id,)).fetchone()[0]
    carried = connection.execute(
        "SELECT count(*) FROM meeting_action AS a JOIN meeting AS m ON m.id = a.meeting_id "
        "WHERE a.deleted = 0 AND a.done = 0 AND m.deleted = 0 AND m.starts_at < ?", (starts_at,)).fetchone()[0]
    return NextMeeting(reference=reference, starts_at=_instant(starts_at), topic=topic or "", venue=venue or "",
                       open_actions=own + carried, link=Link("meetings", reference))


def open_action_count(connection) -> int:
    return connection.execute("SELECT count(*) FROM meeting_action AS a JOIN meeting AS m ON m.id = a.meeting_id "
                              "WHERE a.deleted = 0 AND a.done = 0").fetchone()[0]


# -- families -----------------------------------------------------------------------------

def family_counts(connection, today: date) -> tuple[int, int, int]:
    """(current families, missing consent, lapsed): the rules of services.family_lists."""
    from peer_support.domain.dashboard_figures import lapsed_cutoff
    from peer_support.domain.meeting_status import AttendanceStatus, MeetingStatus, local_to_utc

    cutoff = sql_instant(local_to_utc(lapsed_cutoff(today), time(0, 0)))
    # Three counts, each from its own index: the first two read only the small index on
    # (deleted, archived, consent_date); the lapsed ones start from the few families whose last
    # meeting is long past. One pass over every family row instead took 35 ms at 50,000 families.
    return connection.execute(
        "SELECT (SELECT count(*) FROM family WHERE deleted = 0 AND archived = 0), "
        "(SELECT count(*) FROM family WHERE deleted = 0 AND archived = 0 AND consent_date IS NULL), "
        "(SELECT count(*) FROM (SELECT a.family_id FROM attendance AS a JOIN meeting AS m ON m.id = a.meeting_id "
        "   WHERE a.deleted = 0 AND m.deleted = 0 AND a.status = ? AND m.status != ? "
        "   GROUP BY a.family_id HAVING max(m.starts_at) < ?) AS lapsed "
        " JOIN family AS f ON f.id = lapsed.family_id WHERE f.deleted = 0 AND f.archived = 0)",
        (AttendanceStatus.PRESENT.value, MeetingStatus.CANCELLED.value, cutoff)).fetchone()


# -- the dashboard ------------------------------------------------------------------------

def dashboard_summary(context) -> DashboardSummary:
    """Every figure of the dashboard, as it stands now, in a dozen small queries.
    Reads only; raises StorageError."""
    from peer_support.domain.dashboard_figures import (FAMILIES_LAPSED, FAMILIES_MISSING_CONSENT, BatchFigures,
                                               DashboardSummary, FamilyFigure, Link)

    today = local_today(context.clock)
    with context.db.plain() as connection:
        active, missing, lapsed = family_counts(connection, today)
        batch = current_batch(connection)
        return DashboardSummary(
            today=today, next_meeting=next_meeting(connection, context.clock.now()),
            open_actions=open_action_count(connection), fund=fund_figures(connection, today),
            batch=None if batch is None else BatchFigures(
                reference=batch[1], name=batch[2], total=batch[3].total, delivered=batch[3].delivered,
                outstanding=batch[3].outstanding, problems=batch[3].problems, link=Link("packs", batch[1])),
            missing_consent=FamilyFigure(missing or 0, Link("families", FAMILIES_MISSING_CONSENT)),
            lapsed=FamilyFigure(lapsed or 0, Link("families", FAMILIES_LAPSED)),
            active_families=active)


# -- first start ----------------------------------------------------------------------------

NOT_DATA = frozenset({"app_user"})  # "who is using" adds one before the first start's question


def is_first_run(context) -> bool:
    """Whether this is the first start: no data yet, whatever "who is using" already did
    (choosing a name adds a user, which does not count as data)."""
    return not has_records(context, ignore=NOT_DATA)


def has_records(context, ignore: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether any synced table (one with ``deleted`` and ``created_at``: storage/tables/base.py)
    other than ``ignore`` holds a current row. Plain SQL: asked before the window opens."""
    with context.db.plain() as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            if table in ignore:
                continue
            columns = {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
            if {"deleted", "created_at"} <= columns and connection.execute(
                    f'SELECT 1 FROM "{table}" WHERE deleted = 0 LIMIT 1').fetchone():
                return True
    return False


# -- what `fund status` and `packs progress` print (the fund and packs services delegate here) --

def _date(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def pot_records(context, name: str | None = None):
    """Every pot with its figures, newest first (or the one called ``name``: NotFoundError if none)."""
    from peer_support.domain.fund import PotRecord
    from peer_support.domain.roles import Permission
    from peer_support.services.access import require

    require(context, Permission.FUND)
    from peer_support.errors import NotFoundError
    from peer_support.i18n import _

    where, params = "deleted = 0", []
    if name is not None:
        where, params = "deleted = 0 AND lower(name) = ?", [name.strip().lower()]
    with context.db.plain() as connection:
        pots = connection.execute(f"SELECT id, name, funder, budget_pence, opens_on, closes_on, notes FROM fund_pot "
                                  f"WHERE {where} ORDER BY opens_on DESC, name", params).fetchall()
        if name is not None and not pots:
            raise NotFoundError(_("There is no fund pot called %(name)s.") % {"name": name.strip()})
        figures = pot_figures(connection, [pot[0] for pot in pots])
    empty = (0, 0, 0, 0)
    return [PotRecord(id=pot_id, name=pot_name, funder=funder or "", budget_pence=budget,
                      opens_on=date.fromisoformat(opens_on[:10]), closes_on=_date(closes_on), notes=notes or "",
                      committed_pence=figures.get(pot_id, empty)[0], paid_pence=figures.get(pot_id, empty)[1],
                      applications=figures.get(pot_id, empty)[2], waiting=figures.get(pot_id, empty)[3])
            for pot_id, pot_name, funder, budget, opens_on, closes_on, notes in pots]


_BATCH_COLUMNS = ("b.id, b.reference, b.name, b.description, b.contents, b.packed_on, b.target, "
                  "(SELECT count(*) FROM pack AS p WHERE p.batch_id = b.id AND p.deleted = 0)")


def _batch(row):
    from peer_support.domain.packs import BatchRecord

    batch_id, reference, name, description, contents, packed_on, target, count = row
    return BatchRecord(id=batch_id, reference=reference, name=name, description=description or "",
                       contents=tuple(line for line in (contents or "").splitlines() if line.strip()),
                       packed_on=_date(packed_on), target=target or "", pack_count=count)


def batch_records(context):
    """Every batch (archived ones too), by reference."""
    with context.db.plain() as connection:
        return [_batch(row) for row in connection.execute(
            f"SELECT {_BATCH_COLUMNS} FROM pack_batch AS b WHERE b.deleted = 0 ORDER BY b.reference")]


def batch_record(context, key: str):
    """A batch by reference (B01) or by name, ignoring case. Raises NotFoundError."""
    from peer_support.errors import NotFoundError
    from peer_support.i18n import _

    text = key.strip()
    with context.db.plain() as connection:
        row = connection.execute(
            f"SELECT {_BATCH_COLUMNS} FROM pack_batch AS b WHERE b.deleted = 0 AND "
            f"(upper(b.reference) = ? OR lower(b.name) = ?) ORDER BY b.reference LIMIT 1",
            (text.upper(), text.lower())).fetchone()
    if row is None:
        raise NotFoundError(_("There is no pack batch called %(batch)s.") % {"batch": text})
    return _batch(row)


def run_records(connection, batch_id: str):
    """The batch's delivery runs by number, with their volunteer and pack count."""
    from peer_support.domain.packs import RunRecord

    counts = dict(connection.execute("SELECT run_id, count(*) FROM pack WHERE batch_id = ? AND deleted = 0 "
                                     "GROUP BY run_id", (batch_id,)).fetchall())
    return [RunRecord(id=run_id, batch_id=batch_id, number=number, name=name or "", volunteer=volunteer or "",
                      volunteer_id=volunteer_id, pack_count=counts.get(run_id, 0))
            for run_id, number, name, volunteer_id, volunteer in connection.execute(
                "SELECT r.id, r.number, r.name, r.volunteer_id, v.name FROM pack_run AS r "
                "LEFT JOIN volunteer AS v ON v.id = r.volunteer_id "
                "WHERE r.batch_id = ? AND r.deleted = 0 ORDER BY r.number", (batch_id,))]


def batch_progress(context, key: str):
    """(batch, its progress, [RunProgress]) for ``packs progress`` and the Packs page."""
    from peer_support.domain.packs import RunProgress

    batch = batch_record(context, key)
    with context.db.plain() as connection:
        overall, by_run = pack_progress(connection, batch.id)
        empty = progress_from(Counter(), 0)
        runs = [RunProgress(run=run, progress=by_run.get(run.id, empty)) for run in run_records(connection, batch.id)]
    return batch, overall, runs


def retention_years(connection) -> int | None:
    """The retention period in years, or None when retention is off (services/retention.py)."""
    row = connection.execute("SELECT value, deleted FROM setting WHERE id = 'retention_years'").fetchone()
    if row is None or row[1] or not (row[0] or "").strip().isdigit() or int(row[0]) == 0:
        return None
    return int(row[0])
