"""The desk's texts in Swedish, by their English text (the id), in the ordlista's words.

The desk answers each request in the language the browser asks for, while the run-wide
catalogue (``sitegen.messages``, ``sitegen/locale``) speaks one language per run; so the
pages look their texts up here, per request. Templates call this translator ``_``, the
Python modules ``t`` (the run-wide catalogue's extractor collects every ``_`` in Python).
"""
from __future__ import annotations

from typing import Callable

SV = {
    "Addresses on the site that visitors asked for but that do not exist (404), most visited first. To send visitors on, add the old address to the right page's settings as an alias: an old address that should lead there.":
        "Adresser på webbplatsen som besökare har försökt nå men som inte finns (404), flest besök först. Lägg till den gamla adressen under aliases i inställningarna för rätt sida, så leds besökarna dit: en omdirigering från en gammal adress som ska leda hit.",
    "Answered no": "Svarade nej",
    "Answered yes": "Svarade ja",
    "Answers per page": "Svar per sida",
    "Approve after all": "Godkänn ändå",
    "Approve": "Godkänn",
    "Approved": "Godkänd",
    "Approved, it is shown to everyone on the site.":
        "Godkänner du kommentaren visas uppgifterna för alla på webbplatsen.",
    "Came from:": "Kom från:",
    "Copy the line": "Kopiera raden",
    "Copied.": "Kopierat.",
    "Comments on blog posts are shown on the site only when you approve them.":
        "Kommentarer på blogginlägg visas på webbplatsen först när du godkänner dem.",
    "Contains personal data:": "Innehåller personuppgifter:",
    "Decided": "Granskade",
    "Do not copy it on.": "För inte uppgifterna vidare.",
    "Download as CSV (for a spreadsheet)": "Ladda ner som CSV (för kalkylark)",
    "Editorial desk": "Redaktionen",
    "Everyone on the site sees it.": "Uppgifterna visas för alla på webbplatsen.",
    "Handled": "Hanterad",
    "Hide personal data": "Dölj personuppgifter",
    "If the page already has an aliases line, add the address to that list instead.":
        "Har sidan redan en rad med aliases: lägg då till adressen i den listan i stället.",
    "It is hidden.": "De är dolda.",
    "It is published on the site within a minute.": "Den publiceras på webbplatsen inom en minut.",
    "Last published {time}.": "Senast publicerat {time}.",
    "Line to paste into that page's settings (at the top of the file, between ---)":
        "Rad att klistra in i sidans inställningar (överst i filen, mellan ---)",
    "Mark handled": "Markera som hanterad",
    "Missing pages": "Sidor som inte finns (404)",
    "No answers in the last year.": "Inga svar det senaste året.",
    "No comments are waiting.": "Inga kommentarer väntar på granskning.",
    "No comments in this period.": "Inga synpunkter under perioden.",
    "No missing pages in this period.": "Inga saknade sidor under perioden.",
    "No page is similar enough to suggest.": "Ingen sida är tillräckligt lik för ett förslag.",
    "No referring site known.": "Ingen hänvisande webbplats känd.",
    "Note": "Anteckning",
    "Page": "Sida",
    "Pages for {site}": "Sidor för {site}",
    "Password": "Lösenord",
    "Period": "Period",
    "Publishing is not set up for this site: ask the operator to publish it.":
        "Publicering är inte inställd för webbplatsen: be driftansvarig publicera den.",
    "Publishing failed; ask the operator.": "Publiceringen misslyckades. Kontakta driftansvarig.",
    "Publishing now.": "Publicerar nu.",
    "Reject and unpublish": "Avvisa och avpublicera",
    "Reject": "Avvisa",
    "Rejected": "Avvisad",
    "Review comments": "Granska kommentarer",
    "Save": "Spara",
    "Saved.": "Sparat.",
    "Section": "Avsnitt",
    "Share of yes per month: {months}": "Andel ja per månad: {months}",
    "Show personal data": "Visa personuppgifter",
    "Show": "Visa",
    "Sign in to the editorial desk": "Logga in på redaktionen",
    "Sign in": "Logga in",
    "Sign out": "Logga ut",
    "Signed in as {name}": "Inloggad som {name}",
    "Sites": "Webbplatser",
    "Skip to content": "Till innehållet",
    "Suggested page:": "Föreslagen sida:",
    "The comment is approved.": "Kommentaren är godkänd.",
    "The comment is rejected and will not be shown on the site.":
        "Kommentaren är avvisad och visas inte på webbplatsen.",
    "The comments file could not be written; ask the operator.":
        "Kommentarsfilen kunde inte skrivas. Kontakta driftansvarig.",
    "The form could not be sent": "Formuläret kunde inte skickas",
    "The form did not come from the editorial desk, or you were signed out. Open the page again and send the form from there.":
        "Formuläret kom inte från redaktionen, eller så har du loggats ut. Öppna sidan igen och skicka formuläret därifrån.",
    "The name or the password is wrong. Check them and try again.":
        "Användarnamnet eller lösenordet är fel. Kontrollera dem och försök igen.",
    "The page does not exist": "Sidan finns inte",
    "The share of visitors who answered yes, per page, worst page first.":
        "Andelen besökare som svarade ja, per sida, sämst först.",
    "The whole site": "Hela webbplatsen",
    "There is no such page, or it belongs to a site you are not an editor of.":
        "Sidan finns inte, eller hör till en webbplats som du inte är redaktör för.",
    "To your sites": "Till dina webbplatser",
    "Too many attempts to sign in. Wait a quarter of an hour and try again.":
        "För många försök att logga in. Vänta en kvart och försök igen.",
    "Trend, 12 months": "Utveckling, 12 månader",
    "User name": "Användarnamn",
    "Visitors' comments": "Synpunkter",
    "Waiting for review": "Väntar på granskning",
    "Was the content useful?": "Hade du nytta av innehållet?",
    "What visitors wrote under “Was the content useful?”, newest first. Mark a comment handled when you have done what it needs.":
        "Det besökarna skrev under ”Hade du nytta av innehållet?”, nyast först. Markera en synpunkt som hanterad när du har gjort det som behövs.",
    "Your account is not an editor of any site yet. Ask the administrator to add you to a site.":
        "Ditt konto är inte redaktör för någon webbplats än. Be administratören lägga till dig.",
    "Your sites": "Dina webbplatser",
    "[e-mail address]": "[e-postadress]",
    "[personal identity number]": "[personnummer]",
    "[phone number]": "[telefonnummer]",
    "comment": "synpunkt",
    "date": "datum",
    "e-mail address": "e-postadress",
    "file": "filen",
    "handled": "hanterad",
    "last {days} days": "senaste {days} dagarna",
    "no": "nej",
    "note": "anteckning",
    "page": "sida",
    "personal data": "personuppgifter",
    "personal identity number": "personnummer",
    "phone number": "telefonnummer",
    "too few months": "för få månader",
    "useful": "nytta",
    "yes": "ja",
    "yes, {days} days": "ja, {days} dagar",
    "answers, {days} days": "svar, {days} dagar",
    "share of yes, {days} days": "andel ja, {days} dagar",
    "{days} days": "{days} dagar",
    "{hits} visits, the latest {time}": "{hits} besök, senast {time}",
    "{yes} yes, {no} no": "{yes} ja, {no} nej",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: text
    return lambda text: SV.get(text, text)
