"""Links in a paper's text: code repositories and project pages named in its abstract.

Abstracts end with "Code is available at https://github.com/..." or "Project page:
https://x.github.io/"; those URLs become links on the paper (``schema:codeRepository`` for a
code host listed in ``kg/data/links.json``, ``kg:projectPage`` otherwise). Text is untrusted:
only http(s) URLs with a host are kept, trailing punctuation and LaTeX debris are cut off, and
characters an IRI cannot hold end a URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

DATA_FILE = Path(__file__).resolve().parent / "data" / "links.json"
#: At most this many links per paper (an abstract that lists hundreds is not a paper's links).
MAX_LINKS = 10

# A URL ends at whitespace or a character no IRI may hold raw (and at LaTeX braces).
_URL = re.compile(
    r"(?:https?://|(?<![\w@./-])www\.|(?<![\w@./-])(?:github\.com|gitlab\.com|huggingface\.co)/)"
    r"[^\s<>\"'{}|\\^`\[\]\u00a0\u2000-\u200f\u2028-\u202f\u3000]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*'\"»”’)"
#: A host name with at least two labels (no "localhost", no ".com").
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in a paper's text and its kind: ``code`` or ``page``."""

    url: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "kind": self.kind}


@lru_cache(maxsize=1)
def code_hosts() -> frozenset[str]:
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        return frozenset(h.lower() for h in data["code_hosts"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{DATA_FILE}: not a valid links data file ({exc})") from exc


def _trim(url: str) -> str:
    """Cut trailing punctuation, and a closing bracket the URL did not open."""
    while url:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] in _TRAILING:
            url = url[:-1]
            continue
        break
    return url


def _normalise(raw: str) -> str | None:
    url = _trim(raw)
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not _HOST.fullmatch(host):
        return None
    return url


def kind_of(url: str) -> str:
    """``code`` for a repository on a code host (a path after the host), else ``page``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in code_hosts() and parts.path.strip("/"):
        return "code"
    return "page"


def find_links(text: str) -> list[Link]:
    """The distinct http(s) links in ``text``, in order of first appearance."""
    out: list[Link] = []
    seen: set[str] = set()
    for m in _URL.finditer(text or ""):
        url = _normalise(m.group(0))
        if url is None:
            continue
        key = url.rstrip("/").lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(Link(url, kind_of(url)))
        if len(out) >= MAX_LINKS:
            break
    return out
