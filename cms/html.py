"""Allow-listed HTML: everything a customer reads passes through here, whatever the CMS
already filtered (content imported through code skips the editor's own filtering)."""

import nh3
from django.conf import settings

_EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")
_TAGS = {
    "a", "aside", "b", "br", "code", "details", "div", "em", "figcaption", "figure", "h2",
    "h3", "h4", "i", "iframe", "img", "li", "ol", "p", "pre", "section", "span", "strong",
    "summary", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "title", "loading", "allowfullscreen"},
    "section": {"aria-label"},
    "aside": {"role"},
    "pre": {"data-language"},
}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if value.startswith(_EMBED_PREFIXES) else None
    return value


def sanitise_html(html: str) -> str:
    """Allow-listed HTML with absolute links, so it renders the same inside any page."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        url_relative=("rewrite_with_base", settings.WAYPOINT_BASE_URL + "/"),
    )
