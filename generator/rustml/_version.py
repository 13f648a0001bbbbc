"""The rustml version, which is also the version of the template it ships."""

__version__ = "0.3.0.dev0"
