"""An independent reading of HTML (stdlib html.parser): tags, attributes, visible text."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []  # (tag, name, value)
        self.ids: set[str] = set()
        self.title = ""
        self._in: list[str] = []
        self._chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)
        if tag not in ("br", "meta", "link", "img", "input", "hr"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if not {"style", "script", "title"} & set(self._in):
            self._chunks.append(data)

    @property
    def text(self) -> str:
        """Visible text, whitespace collapsed."""
        return " ".join(" ".join(self._chunks).split())


def squash(text: str) -> str:
    return " ".join(text.split())
