"""The schemas themselves: the keys of site.yaml and the front matter of the built-in page
types, written with ``schema.Field`` (a site's own page types add theirs in ``pagetypes.py``).
"""
from __future__ import annotations

from sitegen.schema import WEB, Field

# --- site.yaml -------------------------------------------------------------

SITE_SCHEMA: dict[str, Field] = {
    "title": Field("str", required=True),
    "base_url": Field("str", required=True),
    "language": Field("str", choices=("sv", "en")),
    "theme": Field("str"),
    "organization": Field("str"),
    "description": Field("str"),
    "logo": Field("str"),
    "contact": Field("map", fields={
        "email": Field("email"), "phone": Field("phone"), "address": Field("str"), "page": Field("str"),
    }),
    "feedback": Field("map", fields={
        "endpoint": Field("url", schemes=(*WEB, "/")),
        "enabled": Field("bool"),
    }),
    "social": Field("maplist", fields={
        "network": Field("str", required=True),
        "name": Field("str", required=True),
        "url": Field("url", required=True),
        "feed": Field("str"),
        "feed_url": Field("url"),
        "image_hosts": Field("strlist"),
        "limit": Field("int", minimum=1),
    }),
    "accessibility": Field("map", fields={
        "status": Field("str", choices=("full", "partial", "none")),
        "shortcomings": Field("strlist"),
        "disproportionate_burden": Field("strlist"),
        "assessed": Field("date"),
        "method": Field("str"),
        "published": Field("date"),
        "updated": Field("date"),
        "contact_email": Field("email"),
        "contact_phone": Field("phone"),
        "response_time": Field("str"),
    }),
    "removed": Field("strlist"),
    "news": Field("map", fields={
        "folder": Field("str"),
        "page_size": Field("int", minimum=1),
        "block_size": Field("int", minimum=0),
        "disruption_days": Field("int", minimum=1),
    }),
    "calendar": Field("map", fields={
        "folder": Field("str"),
        "horizon_days": Field("int", minimum=1),
        "block_size": Field("int", minimum=1),
    }),
    "menu_depth": Field("int", choices=(1, 2)),
}

# --- front matter ----------------------------------------------------------

PAGE_TYPES = ("page", "news", "blog", "event")
NEWS_CATEGORIES = ("driftstorning", "servicenyhet", "nyhet")

COMMON_FIELDS: dict[str, Field] = {
    "title": Field("str", required=True),
    "ingress": Field("str", blank_is_missing=True),
    "type": Field("str", choices=PAGE_TYPES),
    "weight": Field("int"),
    "nav_title": Field("str"),
    "date": Field("date"),
    "updated": Field("date"),
    "draft": Field("bool"),
    "publish": Field("date"),
    "expires": Field("date"),
    "aliases": Field("strlist"),
    "image": Field("str"),
    "image_alt": Field("str"),
    "tags": Field("strlist"),
    "feedback": Field("bool"),
    "menu": Field("bool"),
    "cascade": Field("map", open=True),
}

TYPE_FIELDS: dict[str, dict[str, Field]] = {
    "page": {},
    "news": {
        "category": Field("str", choices=NEWS_CATEGORIES),
        "related": Field("strlist"),
    },
    "blog": {
        "author": Field("str"),
        "comments": Field("bool"),
    },
    "event": {
        "start": Field("date"),
        "end": Field("date"),
        "all_day": Field("bool"),
        "location": Field("str"),
        "rrule": Field("str"),
        "exdate": Field("datelist"),
        "registration_url": Field("url", schemes=(*WEB, "mailto", "tel")),
        "category": Field("str"),
        "timezone": Field("str"),
    },
}


def front_matter_schema(page_type: str, type_fields: dict | None = None) -> dict[str, Field]:
    """``type_fields``: type name -> its own fields (the built-in types, or a site's as well)."""
    type_fields = TYPE_FIELDS if type_fields is None else type_fields
    return {**COMMON_FIELDS, "type": Field("str", choices=tuple(type_fields)), **type_fields.get(page_type, {})}


def all_front_matter_keys(type_fields: dict | None = None) -> dict[str, Field]:
    """Every key any type knows: what a section's ``cascade`` may set."""
    type_fields = TYPE_FIELDS if type_fields is None else type_fields
    merged = {**COMMON_FIELDS, "type": Field("str", choices=tuple(type_fields))}
    for fields in type_fields.values():
        merged.update(fields)
    merged.pop("cascade")
    merged.pop("title")
    return merged


def cascade_schema(cascade, type_fields: dict | None = None) -> dict[str, Field]:
    """What a section's ``cascade`` may set: the keys of the type it sets, so a news
    ``category`` is checked as a page's own is; without a type, every key any type knows."""
    type_fields = TYPE_FIELDS if type_fields is None else type_fields
    page_type = cascade.get("type") if isinstance(cascade, dict) else None
    if page_type not in type_fields:
        return all_front_matter_keys(type_fields)
    schema = front_matter_schema(page_type, type_fields)
    schema.pop("cascade")
    schema.pop("title")
    return schema
