"""sitegen: Markdown sites in, multi-site HTML out."""

__version__ = "0.2.0"
