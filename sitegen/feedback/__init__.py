"""The feedback service: "Hade du nytta av innehållet?", comments and 404 reports.

``store`` is the data-access layer (SQLite or PostgreSQL), ``app`` the ASGI
service, ``report``/``report_html`` and ``export`` the editors' side, ``cli``
the ``sitegen feedback`` commands.
"""
