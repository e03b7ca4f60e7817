"""The model: URLs, cascade, order, drafts, publish/expires, the page tree."""
import datetime as dt

from testkit import page
from sitegen import sources, tree
from sitegen.config import load_site_config
from sitegen.problems import Problems
from sitegen.schema import STOCKHOLM

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=STOCKHOLM)


def model(content, name="demo", drafts=False):
    problems = Problems(root=content)
    config = load_site_config(content / name, problems)
    found, assets = sources.read_sources(content / name, problems)
    site = tree.build_site(config, found, assets, NOW, drafts, problems)
    return site, [p.format() for p in problems.items]


def test_urls_follow_slugged_paths(make_site):
    site, problems = model(make_site({
        "index.md": page("Start"),
        "Om oss/index.md": page("Om oss"),
        "Om oss/Jämställd styrning.md": page("Jämställd styrning"),
        "nyheter/2026-11-02-Ny skola.md": page("Ny skola", type="news"),
    }))
    assert problems == []
    urls = sorted(p.url for p in site.pages)
    assert urls == ["", "nyheter/", "nyheter/ny-skola/", "om-oss/", "om-oss/jamstalld-styrning/"]
    assert site.href(site.page_at("om-oss/jamstalld-styrning/")) == "/demo/om-oss/jamstalld-styrning/"


def test_date_in_file_name_becomes_the_date(make_site):
    site, _ = model(make_site({"nyheter/2026-11-02-ny.md": page("Ny", type="news")}))
    assert site.page_at("nyheter/ny/").date == dt.date(2026, 11, 2)


def test_folder_without_index_gets_a_section_page(make_site):
    site, _ = model(make_site({"index.md": page("Start"), "a/b.md": page("B")}))
    section = site.page_at("a/")
    assert section.is_section and section.title == "A"
    assert site.page_at("a/b/").parent is section


def test_siblings_order_by_weight_then_swedish_title(make_site):
    site, _ = model(make_site({
        "index.md": page("Start"),
        "s/index.md": page("S"),
        "s/o.md": page("Öppettider"),
        "s/a.md": page("Avgifter"),
        "s/z.md": page("Zoner"),
        "s/w.md": page("Viktigast", weight=1),
    }))
    titles = [p.title for p in site.page_at("s/").children]
    assert titles == ["Viktigast", "Avgifter", "Zoner", "Öppettider"]


def test_cascade_sets_defaults_below_the_section(make_site):
    site, problems = model(make_site({
        "nyheter/index.md": "---\ntitle: Nyheter\ningress: x\ncascade:\n  type: news\n  category: servicenyhet\n---\n",
        "nyheter/2026-01-01-a.md": page("A"),
        "nyheter/2026-01-02-b.md": page("B", category="driftstorning"),
    }))
    assert problems == []
    assert site.page_at("nyheter/").kind == "page"
    assert site.page_at("nyheter/a/").kind == "news"
    assert site.page_at("nyheter/a/").meta["category"] == "servicenyhet"
    assert site.page_at("nyheter/b/").meta["category"] == "driftstorning"


def test_unknown_cascade_key_is_an_error_at_its_line(make_site):
    _, problems = model(make_site({"s/index.md": "---\ntitle: S\ncascade:\n  typ: news\n---\n"}))
    assert problems == ["demo/s/index.md:4: error: unknown key 'cascade.typ' (did you mean 'cascade.type'?)"]


def test_drafts_are_left_out_unless_asked_for(make_site):
    content = make_site({"index.md": page("Start"), "utkast.md": page("Utkast", draft="true")})
    assert model(content)[0].page_at("utkast/") is None
    assert model(content, drafts=True)[0].page_at("utkast/") is not None


def test_pages_before_publish_are_hidden(make_site):
    site, _ = model(make_site({"snart.md": page("Snart", publish="2026-12-01"),
                               "nu.md": page("Nu", publish="2026-11-01")}))
    assert site.page_at("snart/") is None
    assert site.page_at("nu/") is not None


def test_expired_pages_are_kept_and_marked(make_site):
    site, _ = model(make_site({"gammal.md": page("Gammal", expires="2026-11-01")}))
    assert site.page_at("gammal/").expired


def test_empty_slug_is_an_error(make_site):
    _, problems = model(make_site({"!!!.md": page("Utropstecken")}))
    assert any("gives an empty URL segment" in p for p in problems)


def test_cascade_category_is_checked_like_a_news_page_category(make_site):
    _, problems = model(make_site({
        "nyheter/index.md": "---\ntitle: Nyheter\ningress: x\ncascade:\n  type: news\n  category: driftstoring\n---\n",
        "nyheter/2026-01-01-a.md": page("A"),
    }))
    assert problems == ["demo/nyheter/index.md:6: error: 'cascade.category' must be one of driftstorning, "
                        "servicenyhet, nyhet, not 'driftstoring' (did you mean 'driftstorning'?)"]


def test_cascade_key_of_another_type_is_an_error(make_site):
    _, problems = model(make_site({
        "nyheter/index.md": "---\ntitle: Nyheter\ningress: x\ncascade:\n  type: news\n  location: Sal 3\n---\n",
    }))
    assert problems == ["demo/nyheter/index.md:6: error: unknown key 'cascade.location'"]


def test_cascade_without_type_may_set_an_event_category(make_site):
    site, problems = model(make_site({
        "kalender/index.md": "---\ntitle: Kalender\ningress: x\ncascade:\n  category: konsert\n---\n",
        "kalender/a.md": page("A", type="event", start="2026-12-10 18:00"),
    }))
    assert problems == []
    assert site.page_at("kalender/a/").meta["category"] == "konsert"


def test_an_invalid_required_value_is_not_also_missing(make_site):
    _, problems = model(make_site({"kalender/a.md": page("A", type="event", start="nej")}))
    assert problems == ["demo/kalender/a.md:4: error: 'start' must be a date (YYYY-MM-DD) or date and time, "
                        "not 'nej': write it as, for example, start: 2027-03-14 18:00 (or start: 2027-03-14 "
                        "for the whole day)"]


def test_an_impossible_news_date_is_not_also_missing(make_site):
    _, problems = model(make_site({"nyheter/a.md": page("A", type="news", date="2026-02-30")}))
    assert problems == ["demo/nyheter/a.md:4: error: '2026-02-30' is not a valid date (YYYY-MM-DD)"]


# --- drafts and scheduled pages are marked where they are shown -----------------------------

def preview_build(make_site, tmp_path, files, *, drafts=True, site_yaml=None):
    from testkit import NOW as NOW_TEXT, run_sitegen
    content = make_site(files, site_yaml=site_yaml)
    out = tmp_path / "out"
    args = ["build", "--content", str(content), "--out", str(out), "--now", NOW_TEXT, "-q"]
    result = run_sitegen(*args, *(["--drafts"] if drafts else []))
    assert result.status == 0, result.stderr
    return out / "demo"


def status_line(html: str) -> str:
    import re
    found = re.search(r'<p class="preview-status [a-z]+" role="note">(.*?)</p>', html)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_a_draft_is_marked_draft_in_the_preview(make_site, tmp_path):
    site = preview_build(make_site, tmp_path, {"utkast.md": page("Utkast till sida", draft="true")})
    html = (site / "utkast/index.html").read_text(encoding="utf-8")
    assert status_line(html) == "Utkast – besökarna ser inte sidan än."
    assert "<strong>Utkast</strong>" in html   # a word, not a colour alone


def test_a_scheduled_page_says_when_it_is_published(make_site, tmp_path):
    site = preview_build(make_site, tmp_path, {"snart.md": page("Snart", publish="2027-01-01")})
    html = (site / "snart/index.html").read_text(encoding="utf-8")
    assert status_line(html) == "Publiceras 1 januari 2027 – besökarna ser inte sidan än."


def test_a_scheduled_time_is_shown_with_the_date(make_site, tmp_path):
    site = preview_build(make_site, tmp_path, {"snart.md": page("Snart", publish="2027-01-01T08:30")})
    assert status_line((site / "snart/index.html").read_text(encoding="utf-8")).startswith(
        "Publiceras 1 januari 2027 kl. 08:30")


def test_news_dated_ahead_is_marked_scheduled_in_the_preview(make_site, tmp_path):
    site = preview_build(make_site, tmp_path, {"nyheter/2026-12-24-jul.md": page("Jul", type="news")})
    assert status_line((site / "nyheter/jul/index.html").read_text(encoding="utf-8")).startswith(
        "Publiceras 24 december 2026")


def test_the_mark_is_in_the_sites_language(make_site, tmp_path):
    site = preview_build(make_site, tmp_path, {"draft.md": page("Draft page", draft="true")},
                         site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\nlanguage: en\n")
    assert status_line((site / "draft/index.html").read_text(encoding="utf-8")).startswith("Draft – visitors")


def test_published_pages_carry_no_mark(make_site, tmp_path):
    site = preview_build(make_site, tmp_path, {"nu.md": page("Nu", publish="2026-11-01")})
    assert "preview-status" not in (site / "nu/index.html").read_text(encoding="utf-8")


def test_an_unknown_page_type_says_what_to_do_in_swedish(make_site, monkeypatch):
    from sitegen import messages
    monkeypatch.setattr(messages, "_language", "sv")
    _, problems = model(make_site({"artikel.md": page("Artikel", type="artikel")}))
    assert problems == ["demo/artikel.md:3: fel: 'type' måste vara en av page, news, blog, event, inte 'artikel'. "
                        "Välj en av dem, eller ta bort raden för en vanlig sida"]


def test_a_setting_of_another_page_type_names_that_type(make_site):
    _, problems = model(make_site({"om.md": page("Om", related="[index.md]"), "index.md": page("Start")}))
    assert problems == ["demo/om.md:3: error: 'related' belongs only to pages with type: news. Remove the line, "
                        "or write type: news if the page is one"]


def test_a_setting_of_several_other_page_types_names_each(make_site, monkeypatch):
    from sitegen import messages
    monkeypatch.setattr(messages, "_language", "sv")
    _, problems = model(make_site({"om.md": page("Om", category="konsert"), "index.md": page("Start")}))
    assert problems == ["demo/om.md:3: fel: 'category' hör bara till sidor med type: news, event. Ta bort raden, "
                        "eller skriv type: news om sidan är en sådan"]


def test_an_impossible_date_in_a_news_file_name_is_one_error(make_site):
    """The date is missing because the file name's is wrong: mending the name mends both."""
    _, problems = model(make_site({"nyheter/2026-11-31-ny-kurs.md": page("Ny kurs", type="news")}))
    assert problems == ["demo/nyheter/2026-11-31-ny-kurs.md:1: error: '2026-11-31' in the file name is not a valid date"]
