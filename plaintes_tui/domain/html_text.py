"""An HTML e-mail body as the plain text a person reads: its words with their accents (every
entity decoded), paragraphs and list items on lines of their own, and nothing else — no
Markdown marks (``**``, ``1\\.``, ``[link](…)``), no script, no style.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags that start a new paragraph, and those that start a new line.
_PARAGRAPH = {"p", "div", "table", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_LINE = {"br", "tr", "li", "hr"}
_HIDDEN = {"script", "style", "head", "title", "template"}
_NESTED_ITEM = re.compile(r"^ +(- |\d+\. )")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # &eacute; &#233; &amp; … as characters
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.lists: list[int | None] = []  # each open list: its next number, None if bulleted

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "pre":
            self.pre += 1
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            self.lists.append(1 if tag == "ol" else None)
            self.parts.append("\n")
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            self.parts.append("\n" + "  " * max(0, len(self.lists) - 1))
            if number is None:
                self.parts.append("- ")
            else:
                self.parts.append(f"{number}. ")
                self.lists[-1] = number + 1
        elif tag in _PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in _LINE:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.parts.append("\n")
        elif tag in _PARAGRAPH:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The readable text of ``html``."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    lines = [
        line.rstrip() if _NESTED_ITEM.match(line) else line.strip()
        for line in "".join(reader.parts).replace("\xa0", " ").split("\n")
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
