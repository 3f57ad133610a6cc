"""What a final newsletter issue printed: its automatic sections, kept as JSON.

A draft shows today's figures (upcoming meetings, pack deliveries, the fund);
once an issue is made final, the figures it printed are stored with it, so
printing it again next year gives the same newsletter. Setting it back to
draft drops the snapshot.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from peer_support.context import AppContext
from peer_support.domain.newsletter_document import Block, Item, ListBlock, Paragraph, Run, Section
from peer_support.services.newsletter_sections import providers

VERSION = 1


def take_snapshot(context: AppContext, languages: tuple[str, ...], automatic: tuple[str, ...],
                  issued_on: date) -> str:
    """The automatic sections of every language version as they would print now (JSON). Reads only."""
    snapshot: dict[str, list[dict]] = {}
    for language in dict.fromkeys(languages):
        sections = []
        for key, provider in providers().items():
            if key in automatic:
                built = provider.build(context, language, issued_on)
                if built is not None:
                    sections.append(_section_data(built))
        snapshot[language] = sections
    return json.dumps({"version": VERSION, "languages": snapshot}, ensure_ascii=False, sort_keys=True)


def snapshot_sections(snapshot: str, language: str) -> list[Section] | None:
    """The stored sections of one language version, or None when there is no usable snapshot."""
    if not snapshot:
        return None
    try:
        data = json.loads(snapshot)
        sections = data["languages"][language]
        return [_section(item) for item in sections]
    except (ValueError, KeyError, TypeError):
        return None  # an unreadable snapshot: show today's figures rather than nothing


def _section_data(section: Section) -> dict:
    data = asdict(section)
    data["image"] = None  # automatic sections have no pictures
    data["blocks"] = [{"list": asdict(block)} if isinstance(block, ListBlock) else {"paragraph": asdict(block)}
                      for block in section.blocks]
    return data


def _runs(items) -> tuple[Run, ...]:
    return tuple(Run(**run) for run in items)


def _section(data: dict) -> Section:
    blocks: list[Block] = []
    for block in data.get("blocks", []):
        if "list" in block:
            blocks.append(ListBlock(block["list"]["ordered"], tuple(_runs(item) for item in block["list"]["items"])))
        else:
            blocks.append(Paragraph(_runs(block["paragraph"]["runs"])))
    return Section(kind=data["kind"], heading=data["heading"], blocks=tuple(blocks),
                   items=tuple(Item(**item) for item in data.get("items", [])), tag=data.get("tag", ""),
                   progress=data.get("progress"), progress_label=data.get("progress_label", ""),
                   qr_url=data.get("qr_url", ""), qr_label=data.get("qr_label", ""))
