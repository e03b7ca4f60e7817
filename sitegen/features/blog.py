"""Blogs: every folder of ``type: blog`` posts is a blog. Its section page lists the posts
(newest first, paginated), with a page per tag (``tagg/<tag>/``) and per author
(``skribenter/<author>/``), and RSS/Atom feeds. Each post shows its author, date, tags,
approved comments and, with ``comments: true``, the comment form.
"""
from __future__ import annotations

from dataclasses import dataclass

from sitegen import comments as comment_data
from sitegen.newslib import (DEFAULT_PAGE_SIZE, FeedSpec, feed_alternates, json_ld, listing_pages,
                             newest_first, register_feed, tag_groups, text)
from sitegen.model import Page, Site
from sitegen.slugs import slugify, swedish_sort_key

PHASE = "pages"
PROVIDES = ("pages", "feeds")


@dataclass
class ListLink:
    label: str
    href: str
    count: int
    current: bool = False


@dataclass(frozen=True)
class BlogListing:
    """What a page of a blog's list (all posts, a tag's, an author's) gets as ``blog``."""

    listing: object            # newslib.Listing
    href: str                  # the blog's first page
    tags: tuple                # ListLink, the current one marked
    authors: tuple             # ListLink
    feed: dict                 # {"rss", "atom"}


@dataclass(frozen=True)
class BlogPost:
    """What a post's page gets as ``blog``."""

    href: str                  # the blog it belongs to
    title: str
    author_name: str
    author_href: str           # "" without an author page
    tag_links: tuple           # (tag, href or "")
    comments: tuple            # approved comments
    comments_open: bool
    json_ld: str


@dataclass
class Blog:
    page: Page                 # the section page of the folder that holds the posts
    posts: list[Page]          # every post, newest first (expired ones too: their pages stay)
    listed: list[Page]         # the posts in lists and feeds

    def tag_url(self, slug: str) -> str:
        return f"{self.page.url}tagg/{slug}/"

    def author_url(self, slug: str) -> str:
        return f"{self.page.url}skribenter/{slug}/"


def run(build) -> None:
    site, strings = build.site, build.theme.strings
    posts = [p for p in site.pages if p.kind == "blog" and p.date is not None]
    approved = comment_data.load(site.data, site.config.content_dir, build.problems)
    for blog in _blogs(posts):
        if not blog.page.is_root:  # the start page stays the start page
            _blog_lists(site, blog, strings)
        pages = {"tags": set(tag_groups(blog.listed)), "authors": set(_authors(blog.listed))}
        for post in blog.posts:
            _post_data(site, blog, post, pages, approved.get(comment_data.page_key(site.href(post)), []))


def _blogs(posts: list[Page]) -> list[Blog]:
    folders: dict[int, Blog] = {}
    for post in newest_first(posts):
        blog = folders.setdefault(id(post.parent), Blog(post.parent, [], []))
        blog.posts.append(post)
        if not post.expired:
            blog.listed.append(post)
    return list(folders.values())


def _authors(posts: list[Page]) -> dict[str, tuple[str, list[Page]]]:
    groups: dict[str, tuple[str, list[Page]]] = {}
    for post in posts:
        author = post.meta.get("author", "")
        if slugify(author):
            groups.setdefault(slugify(author), (author, []))[1].append(post)
    return dict(sorted(groups.items(), key=lambda kv: swedish_sort_key(kv[1][0])))


def _blog_lists(site: Site, blog: Blog, strings: dict) -> None:
    config = site.config
    feed = FeedSpec(blog.page.url, f"{config.title} – {blog.page.title}",
                    blog.page.ingress or config.description or config.title, blog.page.url, blog.listed)
    register_feed(site, feed)
    tags = tag_groups(blog.listed)
    authors = _authors(blog.listed)
    tag_links = [(tag, blog.tag_url(slug), len(tagged)) for slug, (tag, tagged) in tags.items()]
    author_links = [(name, blog.author_url(slug), len(written)) for slug, (name, written) in authors.items()]

    def add(url: str, title: str, ingress: str, posts: list[Page]) -> None:
        for listing, page in listing_pages(site, blog.page, url, posts,
                                           config.news.get("page_size", DEFAULT_PAGE_SIZE), title, ingress,
                                           strings, "blog_index.html"):
            page.contribute("blog", BlogListing(
                listing=listing, href=site.href(blog.page.url),
                tags=tuple(ListLink(label, site.href(u), n, u == url) for label, u, n in tag_links),
                authors=tuple(ListLink(label, site.href(u), n, u == url) for label, u, n in author_links),
                feed={"rss": site.href(feed.rss), "atom": site.href(feed.atom)},
            ))
            page.alternates.extend(feed_alternates(site, feed))

    add(blog.page.url, blog.page.title, blog.page.ingress, blog.listed)
    for slug, (tag, tagged) in tags.items():
        add(blog.tag_url(slug), text(strings, "blog_tag_title", "Inlägg om {tag}", tag=tag),
            text(strings, "blog_tag_ingress", "Inlägg i {blog} med taggen {tag}.", blog=blog.page.title, tag=tag),
            tagged)
    for slug, (name, written) in authors.items():
        add(blog.author_url(slug), text(strings, "blog_author_title", "Inlägg av {author}", author=name),
            text(strings, "blog_author_ingress", "Inlägg i {blog} skrivna av {author}.", blog=blog.page.title,
                 author=name), written)


def _post_data(site: Site, blog: Blog, post: Page, pages: dict[str, set[str]], approved: list) -> None:
    """Author, tags (linked where their list page exists), comments and JSON-LD of one post."""
    author = post.meta.get("author", "")
    linked = not blog.page.is_root
    has_author_page = linked and slugify(author) in pages["authors"]
    post.contribute("blog", BlogPost(
        href=site.href(blog.page.url),
        title=blog.page.title,
        author_name=author,
        author_href=site.href(blog.author_url(slugify(author))) if has_author_page else "",
        tag_links=tuple((tag, site.href(blog.tag_url(slugify(tag))) if linked and slugify(tag) in pages["tags"]
                         else "") for tag in post.tags),
        comments=tuple(approved),
        comments_open=bool(post.meta.get("comments")),
        json_ld=json_ld(site, post, "BlogPosting"),
    ))
