"""The setting an editor meant by an unknown name: a near spelling ("ingres"), or the
Swedish word editors use for it in the CMS they know ("rubrik" for title, see the ordlista)."""
from __future__ import annotations

import difflib

# Swedish words (lower case) -> the setting's name. Only names the schema in use knows are
# suggested, so a word for an event's setting is not offered on an ordinary page.
SWEDISH_KEYS = {
    "rubrik": "title", "titel": "title", "sidrubrik": "title",
    "menyrubrik": "nav_title", "menytitel": "nav_title",
    "sammanfattning": "ingress",
    "typ": "type", "sidtyp": "type",
    "datum": "date", "publiceringsdatum": "date",
    "uppdaterad": "updated", "uppdaterat": "updated", "granskad": "updated",
    "bild": "image", "alternativtext": "image_alt", "alt": "image_alt", "alttext": "image_alt",
    "taggar": "tags", "tagg": "tags", "etiketter": "tags",
    "vikt": "weight", "ordning": "weight",
    "utkast": "draft",
    "publicera": "publish", "publiceras": "publish",
    "avpublicera": "expires", "avpubliceras": "expires", "upphör": "expires", "tas_bort": "expires",
    "omdirigering": "aliases", "omdirigeringar": "aliases", "gammal_adress": "aliases",
    "gamla_adresser": "aliases",
    "kategori": "category",
    "relaterade": "related", "relaterat": "related",
    "författare": "author", "skribent": "author", "kommentarer": "comments",
    "plats": "location", "början": "start", "slut": "end", "heldag": "all_day",
    "återkommande": "rrule", "undantag": "exdate", "anmälan": "registration_url",
    "tidszon": "timezone",
    "meny": "menu", "huvudmeny": "menu", "återkoppling": "feedback",
    # site.yaml (contact:, the site's own settings)
    "epost": "email", "e_post": "email", "mejl": "email", "mail": "email",
    "telefon": "phone", "telefonnummer": "phone", "tel": "phone", "adress": "address", "postadress": "address",
    "språk": "language", "tema": "theme", "beskrivning": "description", "organisation": "organization",
    "kontakt": "contact", "tillgänglighet": "accessibility",
}


def meant(key: str, known) -> str | None:
    """The name in ``known`` that ``key`` most likely stands for, or None."""
    word = key.strip().lower().replace(" ", "_").replace("-", "_")
    if SWEDISH_KEYS.get(word) in known:
        return SWEDISH_KEYS[word]
    close = difflib.get_close_matches(key, list(known), n=1)
    return close[0] if close else None


def nearest_choice(value: str, choices) -> str | None:
    """The choice a misspelt value most likely stands for ("driftstoring", "störning" for
    driftstorning), or None."""
    close = difflib.get_close_matches(value, [str(c) for c in choices], n=1)
    return close[0] if close else None
