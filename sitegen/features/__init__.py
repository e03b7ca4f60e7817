"""Features that add pages or files to a site. One module per feature.

A feature is registered in one place: the entry point group ``sitegen.features`` (the
built-in ones in pyproject.toml, so an installed package adds one the same way). Each module
has ``PHASE``, one entry point ``run(build)``, and says what it needs and provides::

    PHASE = "pages"                   # "pages": before rendering; "files": after; "staged": on the written folder
    PROVIDES = ("pages", "links")     # what later features may rely on
    NEEDS = ("pages",)                # run after every feature that provides these

The order follows from these declarations, phase by phase; a need no feature provides (or
only one of a later phase) and a cycle are errors when the features are loaded, before any
site is read. Features that do not depend on each other run in the order of their names.
"""
from __future__ import annotations

import functools
import importlib.metadata
from dataclasses import dataclass
from types import ModuleType
from typing import Callable

from sitegen.messages import _

GROUP = "sitegen.features"
PHASES = ("pages", "files", "staged")
# The variables every page's template gets (render.py) and the template globals (theme.py,
# Jinja's own). A feature's contribution is a template variable named after the feature
# (model.Page.contribute), so no feature may have one of these names.
CORE_VARIABLES = frozenset({
    "site", "page", "canonical", "og_image", "href", "menu", "breadcrumbs", "cards", "child_cards",
    "show_feedback", "alternates", "now", "csp",
    "t", "theme", "range", "dict", "lipsum", "cycler", "joiner", "namespace",
})


class FeatureError(Exception):
    """The features of this installation cannot be put in an order (a setup mistake, not content's)."""


@dataclass(frozen=True)
class Feature:
    name: str
    module: ModuleType
    phase: str
    needs: tuple = ()
    provides: tuple = ()


def load_if_installed(name: str, load: Callable[[], ModuleType]) -> ModuleType | None:
    """``load()``, or None when the module ``name`` is not part of this installation (a feature
    or command registered, but left out); a module that is there but fails to import raises."""
    try:
        return load()
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def _described(entry, module: ModuleType) -> Feature:
    phase = getattr(module, "PHASE", None)
    if phase not in PHASES or not callable(getattr(module, "run", None)):
        raise FeatureError(_("feature '{name}' ({module}) needs PHASE (one of {phases}) and run(build)").format(
            name=entry.name, module=entry.value, phases=", ".join(PHASES)))
    if entry.name in CORE_VARIABLES:
        raise FeatureError(_("feature '{name}' ({module}) needs another name: its templates get what it "
                             "contributes as the variable '{name}', which is a core template variable").format(
            name=entry.name, module=entry.value))
    return Feature(entry.name, module, phase, tuple(getattr(module, "NEEDS", ())),
                   tuple(getattr(module, "PROVIDES", ())))


def order(features: list[Feature]) -> list[Feature]:
    """Phase by phase, each feature after the providers of what it needs (ties by name)."""
    providers: dict[str, list[Feature]] = {}
    for feature in features:
        for name in feature.provides:
            providers.setdefault(name, []).append(feature)
    after: dict[str, set[str]] = {}
    for feature in features:
        after[feature.name] = set()
        for need in feature.needs:
            found = [p for p in providers.get(need, []) if p.name != feature.name]
            if not found:
                raise FeatureError(_("feature '{name}' needs '{need}', which no feature provides").format(
                    name=feature.name, need=need))
            for provider in found:
                if PHASES.index(provider.phase) > PHASES.index(feature.phase):
                    raise FeatureError(_("feature '{name}' (phase {phase}) needs '{need}', which '{provider}' "
                                         "provides only later (phase {later})").format(
                        name=feature.name, phase=feature.phase, need=need, provider=provider.name,
                        later=provider.phase))
                after[feature.name].add(provider.name)
    by_name = {f.name: f for f in features}
    ordered, done = [], set()
    for phase in PHASES:
        waiting = sorted(f.name for f in features if f.phase == phase)
        while waiting:
            ready = [n for n in waiting if after[n] <= done | {d for d in after[n] if by_name[d].phase != phase}]
            if not ready:
                raise FeatureError(_("features {names} need each other: no order can run them").format(
                    names=", ".join(f"'{n}'" for n in waiting)))
            ordered.append(by_name[ready[0]])
            done.add(ready[0])
            waiting.remove(ready[0])
    return ordered


@functools.cache
def features() -> tuple[Feature, ...]:
    """The features of this installation, in the order they run."""
    found, seen = [], set()
    for entry in sorted(importlib.metadata.entry_points(group=GROUP), key=lambda e: e.name):
        if entry.name in seen:
            continue   # the same package found twice on the path
        seen.add(entry.name)
        module = load_if_installed(entry.value, entry.load)
        if module is not None:
            found.append(_described(entry, module))
    return tuple(order(found))


def feature_modules() -> list[ModuleType]:
    return [feature.module for feature in features()]


def in_phase(phase: str) -> list[ModuleType]:
    return [feature.module for feature in features() if feature.phase == phase]
