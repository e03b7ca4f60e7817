"""Blog: post pages with author and date, tag and author pages, approved comments and the form."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from testkit import build_files, NOW, REPO, page

GOLDEN = REPO / "tests" / "golden"
SITE_YAML = ("title: Demo\nbase_url: https://www.example.se/demo/\norganization: Demo kommun\n"
             "feedback:\n  endpoint: https://feedback.example.se/feedback\nnews:\n  page_size: 2\n")
COMMENTS = [
    {"page": "/demo/blogg/ova/", "name": "Karin", "text": "Bra tips!\n\nTack.", "date": "2026-10-07T19:12:00+02:00"},
    {"page": "https://www.example.se/demo/blogg/ova", "name": "<b>Per</b>",
     "text": "<script>alert(1)</script>", "date": "2026-10-06"},
    {"page": "/demo/blogg/annat/", "name": "Eva", "text": "Hej", "date": "2026-10-08"},
]
FILES = {
    "blogg/index.md": "---\ntitle: Bloggen\ningress: Lärarna skriver.\ncascade:\n  type: blog\n---\n\nOm bloggen.\n",
    "blogg/2026-10-05-ova.md": page("Att öva", author="Anna Lind", tags="[Musik, övning]", comments="true"),
    "blogg/2026-11-12-dansa.md": page("Dansa", author="Omar Haddad", tags="[dans, musik]"),
    "blogg/2026-09-01-sommar.md": page("Sommar", author="Anna Lind"),
    "blogg/2026-08-01-gammal.md": page("Gammal", author="Gunnar Ek", expires="2026-09-01", tags="[arkiv]"),
    "data/comments.json": json.dumps(COMMENTS, ensure_ascii=False, indent=1),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_files(tmp_path_factory.mktemp("blog"), {"site.yaml": SITE_YAML, **FILES})


def read(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def post_titles(html: str) -> list[str]:
    return re.findall(r'<li class="news-item">\s*<h3><a href="[^"]+">(.*?)</a>', html)


@pytest.mark.parametrize("url, expected", [
    ("blogg/", ["Dansa", "Att öva"]),
    ("blogg/sida/2/", ["Sommar"]),
    ("blogg/tagg/musik/", ["Dansa", "Att öva"]),
    ("blogg/tagg/ovning/", ["Att öva"]),
    ("blogg/tagg/dans/", ["Dansa"]),
    ("blogg/skribenter/anna-lind/", ["Att öva", "Sommar"]),
    ("blogg/skribenter/omar-haddad/", ["Dansa"]),
])
def test_blog_lists_newest_first(site, url, expected):
    assert post_titles(main_of(read(site, url))) == expected


def test_expired_posts_leave_lists_but_keep_their_page(site):
    assert not (site / "blogg/tagg/arkiv").exists() and not (site / "blogg/skribenter/gunnar-ek").exists()
    html = read(site, "blogg/gammal")
    assert "gäller inte längre" in html
    assert "Av Gunnar Ek ·" in html   # no link to an author page that does not exist


def test_tag_and_author_pages_have_titles_and_counts(site):
    html = read(site, "blogg/tagg/musik")
    assert "<h1>Inlägg om musik</h1>" in html   # 'Musik' and 'musik' are one tag, spelt as the newest post does
    assert '<a href="/demo/blogg/tagg/musik/" aria-current="page">musik <span class="count">(2)</span></a>' in html
    assert '<a href="/demo/blogg/skribenter/anna-lind/">Anna Lind <span class="count">(2)</span></a>' in html
    assert "<h1>Inlägg av Omar Haddad</h1>" in read(site, "blogg/skribenter/omar-haddad")


def test_post_page_shows_author_date_and_tags(site):
    html = main_of(read(site, "blogg/ova"))
    assert ('<p class="meta byline">Av <a href="/demo/blogg/skribenter/anna-lind/" rel="author">Anna Lind</a>'
            ' · Publicerad <time datetime="2026-10-05">5 oktober 2026</time></p>') in html
    assert '<a href="/demo/blogg/tagg/musik/" rel="tag">Musik</a>, <a href="/demo/blogg/tagg/ovning/" rel="tag">övning</a>' in html


def test_post_has_blogposting_json_ld(site):
    html = read(site, "blogg/ova")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "BlogPosting"
    assert data["author"] == {"@type": "Person", "name": "Anna Lind"}
    assert data["mainEntityOfPage"] == "https://www.example.se/demo/blogg/ova/"


def test_approved_comments_are_shown_oldest_first_and_escaped(site):
    html = main_of(read(site, "blogg/ova"))
    assert '<h2 id="comments-heading">Kommentarer (2)</h2>' in html
    names = re.findall(r'<p class="comment-meta"><strong>(.*?)</strong>', html)
    assert names == ["&lt;b&gt;Per&lt;/b&gt;", "Karin"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>Bra tips!</p>" in html and "<p>Tack.</p>" in html
    assert '<time datetime="2026-10-07T19:12:00+02:00">7 oktober 2026</time>' in html


def test_comment_form_posts_the_fields_the_receiver_expects(site):
    html = main_of(read(site, "blogg/ova"))
    form = html.split('<form class="comment-form"', 1)[1].split("</form>", 1)[0]
    assert 'method="post" action="https://feedback.example.se/comments"' in form
    assert '<input type="hidden" name="page" value="https://www.example.se/demo/blogg/ova/">' in form
    for name in ("name", "text", "website"):
        assert f'name="{name}"' in form
    assert '<p id="kommentar-tack" class="thanks" role="status">' in html


def test_the_comment_form_says_both_fields_are_required(site):
    form = main_of(read(site, "blogg/ova")).split('<form class="comment-form"', 1)[1].split("</form>", 1)[0]
    assert form.count(" required") == 2 and "Båda fälten måste fyllas i." in form   # said, not only marked


def test_comment_block_matches_golden_file(site):
    html = main_of(read(site, "blogg/ova"))
    actual = '<section class="comments"' + html.split('<section class="comments"', 1)[1].split("</section>", 1)[0] + "</section>\n"
    golden = GOLDEN / "blog__comments.html"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_no_form_without_comments_true(site):
    html = main_of(read(site, "blogg/dansa"))
    assert "comment-form" not in html and 'id="kommentarer"' not in html


def test_bad_comment_entry_is_reported_at_its_line(make_site, sitegen):
    entries = json.dumps([{"page": "/demo/blogg/ova/", "name": "A", "text": "Hej", "date": "2026-10-07"},
                          {"page": "/demo/blogg/ova/", "name": "", "text": "Hej"},
                          {"page": "/demo/blogg/ova/", "name": "B", "text": "Hej", "date": "igår"}], indent=1)
    content = make_site({**FILES, "data/comments.json": entries}, site_yaml=SITE_YAML)
    result = sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent)
    assert result.status == 0, result.stderr   # the site is right without them: warnings, in check too
    assert "content/demo/data/comments.json:8: warning: comment 2 has no 'name'; it is not shown" in result.stderr
    assert ("content/demo/data/comments.json:13: warning: comment 3: 'date' 'igår' is not a date "
            "(YYYY-MM-DD or YYYY-MM-DDTHH:MM)") in result.stderr


def test_comments_file_that_is_not_a_list_is_an_error(make_site, sitegen):
    content = make_site({**FILES, "data/comments.json": '{"page": "/demo/"}'}, site_yaml=SITE_YAML)
    result = sitegen("build", "--content", "content", "--out", "out", "--now", NOW, cwd=content.parent)
    assert result.status == 1
    assert "content/demo/data/comments.json:1: error: comments must be a list" in result.stderr
