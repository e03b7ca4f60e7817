"""Search, person search and embeds in a real browser, on the example sites."""
from urllib.parse import urlsplit

import json

import pytest
from testkit import NOW, REPO, run_sitegen

pytestmark = pytest.mark.browser


def search(tab, base, site, query):
    tab.goto(f"{base}/{site}/sok/")
    tab.fill("#search-q", query)
    tab.press("#search-q", "Enter")
    tab.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    return {link.inner_text(): link.get_attribute("href") for link in tab.locator(".search-results a").all()}


def test_nothing_of_the_index_is_loaded_until_a_search(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    tab.goto(f"{base}/fordjupning/sok/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("#search-section option").count() >= 3   # the filters are there at once
    assert not [url for url in tab.requests if "/pagefind/" in url]
    search(tab, base, "fordjupning", "jämställdhet")
    assert [url for url in tab.requests if "/pagefind/" in url]


def test_swedish_stemming_finds_every_form_of_the_word(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    found = search(tab, base, "fordjupning", "jämställdhet")
    # "Jämställd styrning" (jämställd) and its method page (jämställdheten).
    assert found["Jämställd styrning"] == "/fordjupning/projekt/jamstalld-styrning/"
    assert found["Metod för jämställdhetsanalys"] == "/fordjupning/projekt/jamstalld-styrning/metod/"
    assert "träffar för ”jämställdhet”" in tab.locator("#search-status").inner_text()
    assert tab.locator(".search-results p").first.inner_text()  # the ingress is shown
    hosts = {urlsplit(url).netloc for url in tab.requests}
    assert hosts == {urlsplit(base).netloc}


def test_results_can_be_filtered_by_section_and_linked(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    search(tab, base, "fordjupning", "jämställdhet")
    assert "q=j%C3%A4mst%C3%A4lldhet" in tab.url
    tab.select_option("#search-section", "Nyheter")
    tab.wait_for_function("[...document.querySelectorAll('.search-results a')]"
                          ".every(a => a.getAttribute('href').includes('/nyheter/'))")
    assert tab.locator(".search-results a").count() >= 1


@pytest.fixture(scope="module")
def parted_build(tmp_path_factory):
    """The example sites with the search index in parts of three pages, as a large site has."""
    out = tmp_path_factory.mktemp("parted-build")
    result = run_sitegen("build", "--content", str(REPO / "content"), "--out", str(out), "--now", NOW, "-q", "--no-cache",
                         env={"SITEGEN_SEARCH_PART_SIZE": "3"})
    assert result.status == 0, result.stderr
    return out


def test_an_index_in_parts_is_searched_as_one(parted_build, serve_dir, open_page):
    listing = json.loads((parted_build / "fordjupning/pagefind/sitegen-parts.json").read_text(encoding="utf-8"))
    assert len(listing["parts"]) >= 3
    base = serve_dir(parted_build)
    tab = open_page()
    found = search(tab, base, "fordjupning", "jämställdhet")
    assert found["Jämställd styrning"] == "/fordjupning/projekt/jamstalld-styrning/"
    assert found["Metod för jämställdhetsanalys"] == "/fordjupning/projekt/jamstalld-styrning/metod/"
    options = tab.locator("#search-section option").all_inner_texts()
    assert "Nyheter" in options and "Projekt" in options   # filters of every part, merged
    wasm = [url for url in tab.requests if url.endswith(".pagefind") and "/wasm." in url]
    assert len(wasm) == 1   # the search program is loaded once, not once per part


def test_menus_and_footers_are_not_indexed(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    search(tab, base, "fordjupning", "kakor")  # only in the footer: "Webbplatsen använder inga kakor."
    assert tab.locator(".search-results li").count() == 0
    assert "Inga träffar" in tab.locator("#search-status").inner_text()


def test_lists_of_other_pages_are_not_indexed_with_the_page_that_shows_them(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    # "hiphop" is in the Dans page's ingress, which Kurser shows on a card: only Dans is found.
    found = search(tab, base, "kulturskolan", "hiphop")
    assert found.get("Dans") == "/kulturskolan/kurser/dans/"
    assert "Kurser" not in found and "Kulturskolan" not in found


def test_without_javascript_the_search_page_points_to_the_site_map(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page(javascript=False)
    tab.goto(f"{base}/fordjupning/sok/")
    assert not tab.locator("form.site-search").is_visible()
    assert "Sökningen behöver JavaScript" in tab.locator("main").inner_text()
    tab.locator("main a", has_text="webbplatskartan").click()
    assert tab.locator("h1").inner_text() == "Webbplatskarta"
    link = tab.locator(".site-map a[href='/fordjupning/projekt/jamstalld-styrning/']")
    assert link.inner_text() == "Jämställd styrning"


def test_person_search_filters_in_place(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page(375)
    tab.goto(f"{base}/kulturskolan/kontakt/")
    assert tab.locator(".person:visible").count() == 5
    tab.fill("#people-q", "musik")
    tab.wait_for_function("document.querySelectorAll('.person:not([hidden])').length === 2")
    assert "2 av 5 personer visas" in tab.locator("#people-count").inner_text()
    tab.fill("#people-q", "öberg piano")
    tab.wait_for_function("document.querySelectorAll('.person:not([hidden])').length === 1")
    assert tab.locator(".person:visible h3").inner_text() == "Erik Öberg"


def test_person_list_is_complete_without_javascript(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page(javascript=False)
    tab.goto(f"{base}/kulturskolan/kontakt/")
    assert tab.locator(".person").count() == 5
    assert not tab.locator("#people-q").is_visible()


def test_an_embed_asks_nothing_of_the_network_until_clicked(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    own = urlsplit(base).netloc
    tab.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == own
              else route.abort())  # the test never reaches the real network
    tab.goto(f"{base}/kulturskolan/om-oss/")
    tab.wait_for_load_state("networkidle")
    assert {urlsplit(url).netloc for url in tab.requests} == {own}
    assert tab.context.cookies() == []
    assert tab.locator("iframe").count() == 0
    tab.click("text=Visa inlägget från Instagram här")
    frame = tab.locator("figure.social-embed iframe")
    assert frame.get_attribute("src") == "https://www.instagram.com/p/DJulkonsert1/embed/"
    assert frame.get_attribute("title") == "Inlägg från Instagram"
    tab.wait_for_function("document.querySelector('figure.social-embed iframe') !== null")
    assert any(urlsplit(url).netloc == "www.instagram.com" for url in tab.requests)


@pytest.fixture(scope="module")
def many_hits_build(tmp_path_factory):
    """A site where 25 pages mention "badplats": more than one batch of results."""
    from testkit import build_files, page
    files = {"site.yaml": "title: Bad\nbase_url: https://www.orebro.se/bad/\n", "index.md": page("Bad")}
    for n in range(1, 26):
        files[f"bad-{n:02}.md"] = page(f"Strand {n:02}", body=f"Badplats nummer {n} med brygga och sandstrand.")
    return build_files(tmp_path_factory.mktemp("many-hits"), files, name="bad").parent


def test_results_come_ten_at_a_time_with_the_count_of_all(many_hits_build, serve_dir, open_page):
    base = serve_dir(many_hits_build)
    tab = open_page(375)
    found = search(tab, base, "bad", "badplats")
    assert len(found) == 10
    assert "25 träffar för ”badplats”" in tab.locator("#search-status").inner_text()
    fragments = [url for url in tab.requests if url.endswith(".pf_fragment")]
    assert len(fragments) == 10   # only the results shown are fetched
    tab.click("text=Visa fler träffar")
    tab.wait_for_function("document.querySelectorAll('.search-results li').length === 20")
    eleventh = tab.locator(".search-results li a").nth(10)
    assert eleventh.evaluate("a => a === document.activeElement")   # the keyboard goes on where the new ones start
    tab.click("text=Visa fler träffar")
    tab.wait_for_function("document.querySelectorAll('.search-results li').length === 25")
    assert not tab.locator(".search-more").is_visible()
    titles = tab.locator(".search-results li a").all_inner_texts()
    assert sorted(titles) == [f"Strand {n:02}" for n in range(1, 26)]   # each page once


def test_generated_pages_of_text_are_found_but_not_lists(example_build, serve_dir, open_page):
    base = serve_dir(example_build)
    tab = open_page()
    found = search(tab, base, "fordjupning", "Storskolan")   # a school's menu page
    assert found.get("Storskolan") == "/fordjupning/matsedlar/storskolan/"
    found = search(tab, base, "kulturskolan", "kontaktuppgifter")   # the contact page's own text
    assert "/kulturskolan/kontakt/" in found.values()
    found = search(tab, base, "kulturskolan", "syntolkning")        # the accessibility statement
    assert "/kulturskolan/tillganglighet/" in found.values()
    found = search(tab, base, "kulturskolan", "julkonsert")   # news, not the archive listing it
    assert "/kulturskolan/nyheter/" not in found.values() and found
