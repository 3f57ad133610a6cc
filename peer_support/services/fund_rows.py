"""Finding a fund row by what people type (pot name, application reference) and where
receipts live: shared by fund.py (changes) and fund_queries.py (reads)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, func, select

from peer_support.context import AppContext
from peer_support.domain.roles import Permission
from peer_support.errors import NotFoundError
from peer_support.i18n import _
from peer_support.services.access import require
from peer_support.storage.conditions import live
from peer_support.storage.tables.fund import FundApplication, FundPot

RECEIPTS = "receipts"


def find_pot_row(session: Session, name: str) -> FundPot:
    pot = session.exec(select(FundPot).where(func.lower(FundPot.name) == name.strip().lower(),
                                             live(FundPot))).first()
    if pot is None:
        raise NotFoundError(_("There is no fund pot called %(name)s.") % {"name": name.strip()})
    return pot


def find_application_row(session: Session, reference: str) -> FundApplication:
    row = session.exec(select(FundApplication).where(
        FundApplication.reference == reference.strip().upper(),
        live(FundApplication))).first()
    if row is None:
        raise NotFoundError(_("No application has the reference %(reference)s.")
                            % {"reference": reference.strip()})
    return row


def receipt_path(context: AppContext, receipt_file: str) -> Path:
    require(context, Permission.FUND)
    return context.files_dir(RECEIPTS) / Path(receipt_file).name
