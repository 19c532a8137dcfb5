"""Template filters for lesson pages."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from cms.html import sanitise_html

register = template.Library()


@register.filter
def safe_richtext(value) -> str:
    """Rich text expanded like Wagtail's ``richtext`` filter, then allow-list sanitised.

    Content imported through code or the API skips the editor's own filtering, so the
    page never trusts stored HTML.
    """
    source = getattr(value, "source", value) or ""
    return mark_safe(sanitise_html(expand_db_html(str(source))))  # noqa: S308
