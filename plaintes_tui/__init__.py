"""plaintes-tui: terminal case management for a federal complaints service."""

__version__ = "0.1.0"
