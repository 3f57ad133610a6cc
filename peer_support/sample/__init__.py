"""Realistic sample data for trying the app (``peer-support demo``).

Each area adds a module here with ``ORDER`` (an int: families first) and
``seed(context, rng)``. Loading is idempotent: an area that has already been
seeded (see ``already_seeded``) is skipped, so running demo twice changes nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from types import ModuleType

from peer_support.context import AppContext
from peer_support.i18n import _
from peer_support.progress import NullProgress, Progress, check_cancelled
from peer_support.storage.tables.core import Setting

SEED = 2020  # the same sample every time


def _seeders() -> list[ModuleType]:
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted(modules, key=lambda module: module.ORDER)


def _marker(module: ModuleType) -> str:
    return f"sample:{module.__name__.rsplit('.', 1)[-1]}"


def already_seeded(context: AppContext, module: ModuleType) -> bool:
    with context.db.read() as session:
        return session.get(Setting, _marker(module)) is not None


def mark_seeded(session, module_name: str) -> None:
    """Called by a seeder inside its own transaction, so marker and data land together."""
    session.add(Setting(id=f"sample:{module_name.rsplit('.', 1)[-1]}", value="1"))


def load_sample_data(context: AppContext, progress: Progress | None = None) -> list[str]:
    """Seed every area not seeded yet; returns the areas seeded now."""
    progress = progress or NullProgress()
    seeded = []
    seeders = _seeders()
    for done, module in enumerate(seeders):
        check_cancelled(progress)
        progress.step(done, len(seeders), _("Loading sample data…"))
        if not already_seeded(context, module):
            module.seed(context, random.Random(f"{SEED}:{module.__name__}"))
            seeded.append(module.__name__.rsplit(".", 1)[-1])
    progress.step(len(seeders), len(seeders), _("Loading sample data…"))
    return seeded
