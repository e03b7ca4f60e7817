"""Features that add pages or files to a site. One module per feature.

Each module has ``PHASE`` and one entry point ``run(build)``, where ``build`` is
the ``SiteBuild`` of one site. The builder calls them in this order, by phase:

- ``pages``: before rendering; add generated pages, attach data to pages.
- ``files``: after rendering; add files (feeds, redirects, sitemap).
- ``staged``: after the site is written to its staging folder (search index).
"""
FEATURES = [
    "sitegen.features.notfound",
    "sitegen.features.accessibility",
    "sitegen.features.news",
    "sitegen.features.blog",
    "sitegen.features.calendar",
    "sitegen.features.meals",
    "sitegen.features.contact",
    "sitegen.features.social",
    "sitegen.features.search",
    "sitegen.features.search_index",
    "sitegen.features.feeds",
    "sitegen.features.sitemap",
    "sitegen.features.redirects",   # last of the files: an alias must not take a generated file's place
    "sitegen.features.server_rules",   # the redirects' rules, and the CSP of every page
    "sitegen.features.ledger",         # after every file: what the site publishes, against its ledger
    "sitegen.features.precompress",    # staged: .gz beside every text file
]
