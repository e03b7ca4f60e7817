"""Features that add pages or files to a site. One module per feature.

A feature is registered in one place: the entry point group ``sitegen.features`` (the
built-in ones in pyproject.toml, so an installed package adds one the same way). Each module
has ``PHASE``, one entry point ``run(build)``, and says what it needs and provides::

    PHASE = "pages"                   # "pages": before rendering; "files": after; "staged": on the written folder
    PROVIDES = ("pages", "links")     # what later features may rely on
    NEEDS = ("pages",)                # run after every feature that provides these

A feature of another package may bring page types of its own: ``PAGE_TYPES = "types"`` names a
folder inside its package holding ``NAME.yaml`` (a site's ``_types/NAME.yaml`` format,
pagetypes.py) and ``NAME.html`` (its template, found after the theme chain: theme.py).

The order follows from these declarations, phase by phase; a need no feature provides (or
only one of a later phase) and a cycle are errors when the features are loaded, before any
site is read. Features that do not depend on each other run in the order of their names.
"""
from __future__ import annotations

import contextvars
import functools
import importlib
import importlib.metadata
import importlib.resources
import os
import sys
import traceback
from pathlib import Path
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


# The feature whose run() is going on: what it contributes must be under its own name (model.Page.contribute).
_running: contextvars.ContextVar[str | None] = contextvars.ContextVar("running_feature", default=None)


class FeatureError(Exception):
    """The features of this installation cannot be put in an order (a setup mistake, not content's)."""


@dataclass(frozen=True)
class Feature:
    name: str
    module: ModuleType
    phase: str
    needs: tuple = ()
    provides: tuple = ()
    types: Path | None = None   # the folder of its page types (PAGE_TYPES), inside its package


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
                   tuple(getattr(module, "PROVIDES", ())), _type_folder(entry, module))


def _type_folder(entry, module: ModuleType) -> Path | None:
    """The folder ``PAGE_TYPES`` names, beside the feature's module in its package. Inside the
    package, so that it is installed with the code and a build's stamp (stamps.py) and the
    page keys see it change."""
    folder = getattr(module, "PAGE_TYPES", None)
    if folder is None:
        return None
    package = code_path(module)
    found = None
    if isinstance(folder, str) and module.__package__ and package is not None and package.is_dir():
        found = Path(str(importlib.resources.files(module.__package__) / folder))
    if found is None or not found.is_dir() or not found.resolve().is_relative_to(package.resolve()):
        raise FeatureError(_("feature '{name}' ({module}) gives PAGE_TYPES {folder!r}, which is not a folder inside "
                             "its package: name a folder beside the module, like PAGE_TYPES = \"types\", holding "
                             "NAME.yaml and NAME.html, and include it in the package's files").format(
            name=entry.name, module=entry.value, folder=folder))
    return found


def _check_types(found: list[Feature]) -> None:
    """A feature's page type may take neither a built-in type's name nor another feature's:
    which type a page of that name has would depend on the installation."""
    from sitegen.pagetypes import BUILTIN   # pagetypes reads the features' types: imported when asked
    owners: dict[str, str] = {}
    for feature in found:
        for name in sorted(path.stem for path in feature.types.glob("*.yaml")) if feature.types else ():
            if name in BUILTIN:
                raise FeatureError(_("feature '{feature}' brings the page type '{name}' ({path}), the name of a "
                                     "built-in page type: rename the file in the package").format(
                    feature=feature.name, name=name, path=feature.types / f"{name}.yaml"))
            if name in owners:
                raise FeatureError(_("features '{first}' and '{second}' both bring the page type '{name}': a "
                                     "page's type must be one, so rename one of the files in its package").format(
                    first=owners[name], second=feature.name, name=name))
            owners[name] = feature.name


def type_folders() -> dict[str, Path]:
    """Feature name -> the folder of its page types, for the features that bring some."""
    return {feature.name: feature.types for feature in features() if feature.types is not None}


def type_templates() -> dict[str, Path]:
    """``NAME.html`` -> its file, for each page type a feature brings with its template."""
    found = {}
    for folder in type_folders().values():
        for path in sorted(folder.glob("*.html")):
            if path.with_suffix(".yaml").is_file():
                found[path.name] = path
    return found


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
                raise FeatureError(_("feature '{name}' needs '{need}', which no feature provides (what the "
                                     "features provide: {provided}): install the package that provides it, or "
                                     "take it out of NEEDS").format(
                    name=feature.name, need=need, provided=", ".join(f"'{n}'" for n in sorted(providers))))
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
                raise FeatureError(_("features {names} need each other: no order can run them ({reasons}); "
                                     "take out of NEEDS what a feature can do without").format(
                    names=", ".join(f"'{n}'" for n in waiting), reasons=_waiting_for(waiting, by_name, providers)))
            ordered.append(by_name[ready[0]])
            done.add(ready[0])
            waiting.remove(ready[0])
    return ordered


def _waiting_for(waiting: list[str], by_name: dict[str, Feature], providers: dict[str, list[Feature]]) -> str:
    """What each feature of a cycle needs from the others: "'a' needs 'links' from 'b'"."""
    reasons = []
    for name in waiting:
        for need in by_name[name].needs:
            others = [p.name for p in providers.get(need, []) if p.name in waiting and p.name != name]
            if others:
                reasons.append(_("'{name}' needs '{need}' from {providers}").format(
                    name=name, need=need, providers=", ".join(f"'{o}'" for o in others)))
    return "; ".join(reasons)


def _package(entry) -> str:
    return entry.dist.name if entry.dist is not None else entry.value.split(".")[0].split(":")[0]


def _load(entry) -> ModuleType | None:
    """The module of one entry point. One of sitegen's own left out of an installation is
    skipped; another package's feature that cannot be imported stops the run, saying why
    (a module that is not there, a dependency missing, a syntax error), never a traceback."""
    if _package(entry) == "sitegen":
        return load_if_installed(entry.value, entry.load)
    try:
        return entry.load()
    except Exception as exc:   # the package's own code: whatever it raises is its mistake
        raise FeatureError(_("feature '{name}' of the package {package} cannot be loaded from {module}: {cause}. "
                             "Check the entry point in the package's pyproject.toml and what the module imports, "
                             "or remove the package (pip uninstall {package})").format(
            name=entry.name, package=_package(entry), module=entry.value, cause=_cause(exc))) from exc


_IMPORTLIB = Path(importlib.__file__).parent


def _cause(exc: Exception) -> str:
    """The exception in one line, at the file and line where it was raised."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{type(exc).__name__}: {exc.msg} ({exc.filename}:{exc.lineno})"
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f for f in reversed(frames) if not f.filename.startswith("<")
                  and not Path(f.filename).is_relative_to(_IMPORTLIB) and f.filename != __file__),
                 None)   # the package's own line, not the importer's
    return f"{type(exc).__name__}: {exc}" + (f" ({where.filename}:{where.lineno})" if where else "")


def _check_shortcodes(found: list[Feature]) -> None:
    """A shortcode has one Python side: two features preparing the same name is a setup mistake
    (the one loaded last would silently replace the other's)."""
    owners: dict[str, str] = {}
    for feature in found:
        for shortcode in getattr(feature.module, "SHORTCODES", {}):
            if shortcode in owners:
                raise FeatureError(_("features '{first}' and '{second}' both prepare the shortcode '{shortcode}': "
                                     "a shortcode has one Python side, so rename one of them").format(
                    first=owners[shortcode], second=feature.name, shortcode=shortcode))
            owners[shortcode] = feature.name


@functools.cache
def features() -> tuple[Feature, ...]:
    """The features of this installation, in the order they run."""
    found, seen = [], {}
    for entry in sorted(importlib.metadata.entry_points(group=GROUP), key=lambda e: e.name):
        if entry.name in seen:
            if seen[entry.name].value == entry.value:
                continue   # the same package found twice on the path
            first, second = sorted((seen[entry.name].value, entry.value))
            raise FeatureError(_("two features are named '{name}' ({first}, {second}): a feature's name is "
                                 "its template variable and can be taken once, so rename one entry point in "
                                 "its package's pyproject.toml").format(
                name=entry.name, first=first, second=second))
        seen[entry.name] = entry
        module = _load(entry)
        if module is not None:
            found.append(_described(entry, module))
    _check_shortcodes(found)
    _check_types(found)
    return tuple(order(found))


def feature_modules() -> list[ModuleType]:
    return [feature.module for feature in features()]


def in_phase(phase: str) -> list[ModuleType]:
    return [feature.module for feature in features() if feature.phase == phase]


def run_feature(module: ModuleType, build) -> None:
    """``module.run(build)``, known meanwhile as the feature running (``running``)."""
    name = next((f.name for f in features() if f.module is module), None)
    token = _running.set(name)
    try:
        module.run(build)
    except FeatureError:
        raise
    except Exception as exc:   # a bug of the feature's own: one line naming it and where, not a traceback
        if os.environ.get("SITEGEN_TRACEBACK"):
            raise
        raise FeatureError(_("feature '{name}' stopped with an error of its own: {error} ({where}); nothing was "
                             "published. Tell whoever maintains it; SITEGEN_TRACEBACK=1 shows the whole "
                             "traceback").format(name=name or module.__name__, error=_error_text(exc),
                                                 where=_where(exc, module))) from None
    finally:
        _running.reset(token)


def _error_text(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _where(exc: Exception, module: ModuleType) -> str:
    """The file and line in the feature's own package where it failed (else the last one)."""
    frames = traceback.extract_tb(exc.__traceback__)
    home = Path(module.__file__ or "").parent
    own = [frame for frame in frames if Path(frame.filename).parent == home or home in Path(frame.filename).parents]
    frame = (own or frames)[-1]
    return f"{frame.filename}:{frame.lineno}"


def running() -> str | None:
    """The name of the feature whose run() is going on, None outside one."""
    return _running.get()


class FeatureFiles(dict):
    """A build's files (output path -> content), each known by the feature that wrote it: a
    feature that writes a path another feature wrote is refused, where the last one would win
    in silence (two packages' ``sitemap.xml``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writers: dict[str, str] = {}

    def __setitem__(self, rel: str, content) -> None:
        writer = running()
        if writer is not None:
            earlier = self.writers.setdefault(rel, writer)
            if earlier != writer:
                raise FeatureError(_("features '{first}' and '{second}' both write the file '{path}': one of "
                                     "them must write another path (or leave the file to the other)").format(
                    first=earlier, second=writer, path=rel))
        super().__setitem__(rel, content)


def is_own(module: ModuleType) -> bool:
    """One of sitegen's own features (its code is read with sitegen's)."""
    return module.__name__.startswith("sitegen.")


def code_path(module: ModuleType) -> Path | None:
    """Where a feature of another package has its code: its top-level package's folder (any
    module of it may be the feature's), or the module's own file when it stands alone."""
    top = sys.modules.get(module.__name__.partition(".")[0])
    file = getattr(top, "__file__", None) or getattr(module, "__file__", None)
    if file is None:
        return None
    path = Path(file)
    return path.parent if path.name == "__init__.py" else path


def code_of(module: ModuleType) -> bytes:
    """A feature's source, for the keys of what it makes: sitegen's own module file, or every
    Python file of another package's code (``code_path``), edited in place or not."""
    path = Path(module.__file__) if is_own(module) else code_path(module)
    if path is None:
        return b""
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return b"".join(f.as_posix().encode() + b"\0" + f.read_bytes() for f in files)
