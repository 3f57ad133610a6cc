"""Newsletter issues, their language versions and the sections organisers write.

An issue has a main language; each language it is written in has a
``NewsletterVersion`` row (title, tip of the month) and every section has one
``NewsletterSectionText`` row per language (heading, rich text, image caption).
The order of sections and their image are shared by all languages.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from peer_support.storage.ownership import NotPersonal
from peer_support.storage.tables.base import Entity


class NewsletterIssue(Entity, table=True):
    __tablename__ = "newsletter_issue"
    __owner__ = NotPersonal("a newsletter issue")

    number: int = Field(unique=True)
    issued_on: date
    language: str = Field(default="en", max_length=8)  # the main version's language
    status: str = Field(default="draft", max_length=16)  # draft | final
    template: str = Field(default="two_column", max_length=32)
    # Automatic sections switched on, as comma-separated keys (meetings,packs,fund,contacts).
    automatic: str = Field(default="")
    tip_compartment: str = Field(default="", max_length=16)  # a Resilience Framework key
    # A final issue's automatic sections as printed, per language (JSON); empty for a draft,
    # which always shows today's figures (services/newsletter_snapshot.py).
    snapshot: str = Field(default="", sa_column_kwargs={"server_default": ""})


class NewsletterVersion(Entity, table=True):
    """The words of one language version that are not in a section."""

    __tablename__ = "newsletter_version"
    __owner__ = NotPersonal("newsletter text", free_text=("title", "tip_text"))

    issue_id: str = Field(foreign_key="newsletter_issue.id", index=True)
    language: str = Field(max_length=8)
    title: str = Field(default="")
    tip_text: str = Field(default="")


class NewsletterSection(Entity, table=True):
    __tablename__ = "newsletter_section"
    __owner__ = NotPersonal("newsletter layout")

    issue_id: str = Field(foreign_key="newsletter_issue.id", index=True)
    position: int = Field(default=0)
    image_file: str = Field(default="")  # a file name inside the data folder's files/newsletter


class NewsletterSectionText(Entity, table=True):
    __tablename__ = "newsletter_section_text"
    __owner__ = NotPersonal("newsletter text", free_text=("heading", "body", "caption"))

    section_id: str = Field(foreign_key="newsletter_section.id", index=True)
    language: str = Field(max_length=8)
    heading: str = Field(default="")
    body: str = Field(default="")  # the safe rich-text subset (see domain/newsletter.py)
    caption: str = Field(default="")
