"""The editorial desk: a web interface of the feedback service for editors.

Mounted at ``/desk`` when ``sitegen feedback serve`` is started with a desk (see
``docs/feedback.md``): sign-in, usefulness per page, visitors' comments, comment
moderation with publishing, missing pages with suggested aliases.
"""
