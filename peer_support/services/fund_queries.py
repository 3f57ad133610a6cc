"""Connectivity fund: reading pots, applications, the queue and an application's history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, or_, select

from peer_support.context import AppContext
from peer_support.domain.fund import (ApplicationRecord, Channel, ChangeEntry, Need, PaymentMethod,
                                      PaymentRecord, PotRecord, Status, committed_condition)
from peer_support.errors import NotFoundError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_date, format_money
from peer_support.services.fund_rows import find_application_row, find_pot_row, receipt_path
from peer_support.services.history import history_of
from peer_support.storage.conditions import is_false, live
from peer_support.storage.tables.families import Area, Family
from peer_support.storage.tables.fund import FundApplication, FundPayment, FundPot
from peer_support.domain.roles import Permission
from peer_support.services.access import require

_LIVE_APPLICATION = live(FundApplication)


def pot_records(session: Session, pots: list[FundPot]) -> list[PotRecord]:
    from peer_support.services.summary import pot_figures
    from peer_support.storage.family_search import driver_connection

    figures = pot_figures(driver_connection(session), [pot.id for pot in pots])
    empty = (0, 0, 0, 0)
    return [PotRecord(id=p.id, name=p.name, funder=p.funder, budget_pence=p.budget_pence,
                      opens_on=p.opens_on, closes_on=p.closes_on, notes=p.notes,
                      committed_pence=figures.get(p.id, empty)[0], paid_pence=figures.get(p.id, empty)[1],
                      applications=figures.get(p.id, empty)[2], waiting=figures.get(p.id, empty)[3])
            for p in pots]


def pot_record(session: Session, pot: FundPot) -> PotRecord:
    return pot_records(session, [pot])[0]


def list_pots(context: AppContext) -> list[PotRecord]:
    """Every pot with its figures, newest first (plain SQL: services/summary.py)."""
    from peer_support.services.summary import pot_records as plain_pot_records

    return plain_pot_records(context)


def get_pot(context: AppContext, name: str) -> PotRecord:
    """One pot by name, ignoring case. Raises NotFoundError."""
    from peer_support.services.summary import pot_records as plain_pot_records

    return plain_pot_records(context, name)[0]


def application_records(session: Session, rows: list[FundApplication],
                        with_payments: bool = False) -> list[ApplicationRecord]:
    """Rows to records in a fixed number of queries, whatever the number of rows."""
    ids = [row.id for row in rows]
    pots = dict(session.exec(select(FundPot.id, FundPot.name)).all())
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    family_ids = {row.family_id for row in rows}
    families = {f.id: f for f in session.exec(select(Family).where(col(Family.id).in_(family_ids)))}
    payments: dict[str, list[PaymentRecord]] = defaultdict(list)
    paid: dict[str, int] = defaultdict(int)
    query = select(FundPayment).where(live(FundPayment))
    if len(ids) < 500:
        query = query.where(col(FundPayment.application_id).in_(ids))
    for p in session.exec(query.order_by(col(FundPayment.paid_on), col(FundPayment.created_at))):
        paid[p.application_id] += p.amount_pence
        if with_payments:
            payments[p.application_id].append(PaymentRecord(
                id=p.id, paid_on=p.paid_on, amount_pence=p.amount_pence, method=PaymentMethod(p.method),
                supplier=p.supplier, reference=p.reference, receipt_file=p.receipt_file,
                recorded_by=p.recorded_by))
    awards: dict[tuple[str, str], list[str]] = defaultdict(list)
    if family_ids:
        for pot_id, family_id, reference in session.exec(
                select(FundApplication.pot_id, FundApplication.family_id, FundApplication.reference)
                .where(_LIVE_APPLICATION, col(FundApplication.family_id).in_(family_ids),
                       committed_condition(FundApplication.status))
                .order_by(FundApplication.reference)):
            awards[(pot_id, family_id)].append(reference)
    records = []
    for row in rows:
        family = families.get(row.family_id)
        records.append(ApplicationRecord(
            id=row.id, reference=row.reference, pot=pots.get(row.pot_id, ""),
            family_reference=family.reference if family else "", family_name=family.name if family else "",
            area=areas.get(family.area_id or "", "") if family else "", received_on=row.received_on,
            channel=Channel(row.channel), need=Need(row.need), requested_pence=row.requested_pence,
            reason=row.reason, eligibility_notes=row.eligibility_notes, status=Status(row.status),
            approved_pence=row.approved_pence, paid_pence=paid[row.id], decided_by=row.decided_by,
            decided_on=row.decided_on, outcome_reason=row.outcome_reason,
            override_reason=row.override_reason, ended_on=row.ended_on,
            payments=tuple(payments[row.id]),
            earlier_awards=tuple(r for r in awards[(row.pot_id, row.family_id)] if r != row.reference)))
    return records


def application_record(session: Session, row: FundApplication) -> ApplicationRecord:
    return application_records(session, [row], with_payments=True)[0]


def list_applications(context: AppContext, pot: str = "", statuses: Iterable[Status] = (),
                      need: Need | None = None, area: str = "", text: str = "") -> list[ApplicationRecord]:
    """Applications matching the filters, oldest received first (the fair order to deal with them)."""
    require(context, Permission.FUND)
    with context.db.read() as session:
        query = (select(FundApplication).join(Family, col(Family.id) == FundApplication.family_id)
                 .where(_LIVE_APPLICATION))
        if pot:
            query = query.where(FundApplication.pot_id == find_pot_row(session, pot).id)
        wanted = [str(s) for s in statuses]
        if wanted:
            query = query.where(col(FundApplication.status).in_(wanted))
        if need is not None:
            query = query.where(FundApplication.need == str(need))
        if area:
            query = query.join(Area, col(Area.id) == Family.area_id).where(Area.name == area)
        if text.strip():
            pattern = f"%{text.strip()}%"
            query = query.where(or_(col(FundApplication.reference).ilike(pattern), col(Family.name).ilike(pattern),
                                    col(Family.reference).ilike(pattern), col(FundApplication.reason).ilike(pattern)))
        query = query.order_by(col(FundApplication.received_on), col(FundApplication.reference))
        return application_records(session, list(session.exec(query)))


def application_queue(context: AppContext, pot: str = "") -> list[ApplicationRecord]:
    """Applications waiting for a decision, oldest first."""
    require(context, Permission.FUND)
    return list_applications(context, pot=pot, statuses=[Status.RECEIVED])


def get_application(context: AppContext, reference: str) -> ApplicationRecord:
    """One application with its payments and the family's other awards from the same pot."""
    require(context, Permission.FUND)
    with context.db.read() as session:
        return application_record(session, find_application_row(session, reference))


def fairness_warnings(record: ApplicationRecord) -> list[str]:
    """What a lead should know before deciding; translated sentences."""
    warnings = []
    if record.earlier_awards:
        warnings.append(_("This family already had an award from this pot: %(references)s.")
                        % {"references": ", ".join(record.earlier_awards)})
    return warnings


_MONEY_FIELDS = {"requested_pence", "approved_pence", "amount_pence", "budget_pence"}
_HIDDEN_FIELDS = {"id", "created_at", "application_id", "pot_id", "family_id", "left_to_pay_pence"}


def _field_label(name: str) -> str:
    labels = {
        "status": _("Status"), "approved_pence": _("Amount approved"), "requested_pence": _("Amount requested"),
        "decided_by": _("Decided by"), "decided_on": _("Decision date"), "outcome_reason": _("Reason"),
        "override_reason": _("Override reason"), "ended_on": _("Ended on"), "reason": _("Reason"),
        "eligibility_notes": _("Eligibility notes"), "amount_pence": _("Amount"), "paid_on": _("Paid on"),
        "method": _("Method"), "supplier": _("Supplier"), "reference": _("Reference"),
        "receipt_file": _("Receipt"), "received_on": _("Received"), "channel": _("How received"),
        "need": _("Need"), "deleted": _("Removed"), "recorded_by": _("Recorded by")}
    return labels.get(name, name)


def _show_value(name: str, value) -> str:
    from datetime import date

    if value is None or value == "":
        return "–"
    if name in _MONEY_FIELDS:
        return format_money(int(value))
    if name.endswith("_on"):
        return format_date(date.fromisoformat(value))
    enums: dict[str, type[Status] | type[Channel] | type[Need] | type[PaymentMethod]] = {
        "status": Status, "channel": Channel, "need": Need, "method": PaymentMethod}
    enum = enums.get(name)
    if enum is not None and value in enum._value2member_map_:
        return enum(value).label
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def application_history(context: AppContext, reference: str) -> list[ChangeEntry]:
    """Who changed what, when, for an application and its payments, oldest first."""
    require(context, Permission.FUND)
    record = get_application(context, reference)
    entries = history_of(context, "fund_application", record.id)
    for payment in record.payments:
        entries += history_of(context, "fund_payment", payment.id)
    # One line per user action (an approval or a payment may touch two rows).
    grouped: dict[str, list] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        grouped.setdefault(entry.action_id, []).append(entry)
    result = []
    for group in grouped.values():
        details = tuple(
            _("%(field)s: %(old)s → %(new)s") % {"field": _field_label(name), "old": _show_value(name, old),
                                                "new": _show_value(name, new)}
            for entry in group for name, (old, new) in sorted(entry.changes.items())
            if name not in _HIDDEN_FIELDS and (entry.op != "insert" or new not in (None, "", 0, False)))
        first = group[0]
        result.append(ChangeEntry(at=first.at, actor=first.actor, description=first.description,
                                  details=details))
    return result


def find_receipt(context: AppContext, reference: str, payment_id: str):
    """The copied receipt file of a payment. Raises NotFoundError."""
    require(context, Permission.FUND)
    record = get_application(context, reference)
    for payment in record.payments:
        if payment.id == payment_id and payment.receipt_file:
            path = receipt_path(context, payment.receipt_file)
            if path.is_file():
                return path
    raise NotFoundError(_("The receipt is missing from the data folder."))


def family_choices(context: AppContext) -> list[tuple[str, str]]:
    """(reference, name) of every current family, for the application form's completer."""
    require(context, Permission.FUND)
    with context.db.read() as session:
        return list(session.exec(select(Family.reference, Family.name).where(
            live(Family), is_false(Family.archived)).order_by(Family.reference)))
