"""Realistic demo data, the same for the same seed: complainants, cases at every stage, journal.

Receipts fall over the 18 months before ``today``; older cases are mostly closed, recent ones
still running, and some acknowledgements and replies are overdue. ``vocabulary`` holds the
words, ``draws`` draws the numbers, ``load`` writes the store.
"""

from plaintes_tui.store.demo.draws import niss_for
from plaintes_tui.store.demo.load import DemoResult, generate_demo

__all__ = ["DemoResult", "generate_demo", "niss_for"]
