"""What ``sitegen deploy`` checks before a build goes online: a build made with ``--drafts`` is
not published unless the operator says so, and no address that the release online answers is
lost (the build's ``_server/build.json`` against the online release's).

The online release is the truth at deploy time: it also knows addresses that were published
but never recorded in the site's ledger (``publicerade-adresser.txt``)."""
from __future__ import annotations

from pathlib import Path

from sitegen import ledger
from sitegen.messages import _


SHOWN = 50   # lost addresses named in one refusal


class Refused(Exception):
    """The build must not go online; the message says why and what to do."""


def check_drafts(src: Path, allowed: bool) -> None:
    record = ledger.read_record(src / ledger.RECORD)
    if record is not None and record.get("drafts") and not allowed:
        raise Refused(_("{src} was built with --drafts: its drafts and pages not yet published would go "
                        "online. Build again without --drafts, or deploy with --allow-drafts if they are "
                        "meant to be seen").format(src=src))


def check_addresses(src: Path, live_text: str | None, where: str, site: str) -> None:
    """Refuse a build that would no longer answer an address the online release answers.
    ``live_text``: the online release's build record (None: nothing online, or a release made
    before sitegen kept records: there is nothing to compare with)."""
    live = ledger.parse_record(live_text) if live_text is not None else None
    if live is None:
        return
    new = ledger.read_record(src / ledger.RECORD)
    if new is None:
        raise Refused(_("{src} holds no list of the addresses it publishes ({record}), so it cannot be "
                        "compared with the release online at {where}: build it again with this sitegen "
                        "(sitegen build {site})").format(src=src, record=ledger.RECORD, where=where, site=site))
    host = str(new.get("host") or live.get("host") or "")
    lost = lost_addresses(live, new, host)
    if not lost:
        return
    lines = [_("{src} would no longer answer {count} addresses that the release online at {where} "
               "answers:").format(src=src, count=len(lost), where=where)]
    lines += ["  " + advice for advice in _advice(lost[:SHOWN], live, new, host)]
    if len(lost) > SHOWN:   # a build of another site, most likely: the first ones say enough
        lines.append("  " + _("… and {count} more").format(count=len(lost) - SHOWN))
    lines.append(_("Add the lines, run 'sitegen adresser uppdatera {site}' so that check and build know "
                   "every published address, then build and deploy again.").format(site=site))
    raise Refused("\n".join(lines))


def lost_addresses(live: dict, new: dict, host: str) -> list[str]:
    """The promised addresses of ``live`` that ``new`` neither answers nor has a decision for."""
    have = {ledger.key(address, host) for address in new["addresses"]}
    decided = set(new.get("unpublished") or [])
    lost = []
    for address, info in live["addresses"].items():
        if not isinstance(info, dict) or info.get("kind") not in ledger.PROMISED:
            continue
        found = ledger.key(address, host)
        if found is not None and found not in have and ledger.unpublished_digest(found) not in decided:
            lost.append(address)
    return sorted(lost)


def _published(address: str, info: dict) -> ledger.Published:
    return ledger.Published(address, str(info.get("kind", "")), note=str(info.get("note", "")),
                        title=str(info.get("title", "")), body=str(info.get("body", "")),
                        source=str(info.get("source", "")))


def _advice(lost: list[str], live: dict, new: dict, host: str) -> list[str]:
    """For each lost address: the page that has its content now, or the removed: line."""
    pages = [_published(a, i) for a, i in new["addresses"].items()
             if isinstance(i, dict) and i.get("kind") == "page"]
    was_live = {ledger.key(address, host) for address in live["addresses"]}
    new_pages = [page for page in pages if ledger.key(page.address, host) not in was_live]
    advice = []
    for address in lost:
        old = _published(address, live["addresses"][address])
        hint = ledger.Hint(title=old.title, body=old.body, target=ledger.note_target(old.note))
        found = ledger.moved_to(hint, new_pages, pages, host)
        reason = found and {"text": _("has its text now"), "title": _("has its title now"),
                            "led": _("is where it led")}[found[1]]
        if found is not None:
            advice.append(_("{address}: the page {source} {reason}: add the address to it as an old address "
                            "that leads there ({line})").format(address=address, source=found[0].source, reason=reason,
                                                     line=ledger.flow_list("aliases", [address])))
        elif address.startswith("/"):
            advice.append(_("{address}: add it to the page that has its content now ({line}), or, if it is "
                            "gone for good, as a removed page in site.yaml ({removed})").format(
                address=address, line=ledger.flow_list("aliases", [address]),
                removed=ledger.flow_list("removed", [address])))
        else:
            advice.append(_("{address}: add it to the page that should answer it ({line})").format(
                address=address, line=ledger.flow_list("aliases", [address])))
    return advice
