"""StreamField blocks of a lesson.

Rich text goes through Wagtail's whitelisting converter (no script can be stored), code
and quiz text are plain text escaped on output.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "code"]


class CalloutBlock(blocks.StructBlock):
    """A highlighted tip, note or warning."""

    style = blocks.ChoiceBlock(
        choices=[("tip", "Tip"), ("note", "Note"), ("warning", "Warning")], default="tip"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout_block.html"
        description = "A highlighted tip, note or warning"


class CodeBlock(blocks.StructBlock):
    """A code sample, shown verbatim."""

    language = blocks.ChoiceBlock(
        choices=[
            ("bash", "Shell"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("json", "JSON"),
            ("text", "Plain text"),
        ],
        default="text",
    )
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "cms/blocks/code_block.html"
        description = "A code sample"


class ImageBlock(blocks.StructBlock):
    """A screenshot or illustration with alternative text."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(max_length=200, help_text="Describe the image for screen readers.")
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/image_block.html"
        description = "An image with alternative text"


_YOUTUBE_HOSTS = {"www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def video_embed_url(url: str) -> str:
    """The privacy-friendly player URL for YouTube and Vimeo links; '' for anything else.

    Computed locally: no oEmbed request leaves the server when a lesson renders.
    """
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"}:
        return ""
    if parsed.hostname in _YOUTUBE_HOSTS:
        video_id = (
            parsed.path.lstrip("/")
            if parsed.hostname == "youtu.be"
            else (parse_qs(parsed.query).get("v") or [""])[0]
        )
        if re.fullmatch(r"[\w-]{6,20}", video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if parsed.hostname in _VIMEO_HOSTS:
        match = re.search(r"(\d{5,12})", parsed.path)
        if match:
            return f"https://player.vimeo.com/video/{match.group(1)}"
    return ""


class VideoBlock(blocks.StructBlock):
    """A video (YouTube or Vimeo are embedded; other links are shown as a link)."""

    url = blocks.URLBlock()
    caption = blocks.CharBlock(max_length=250, required=False)
    transcript = blocks.TextBlock(required=False, help_text="Shown to people who cannot watch.")

    class Meta:
        icon = "media"
        template = "cms/blocks/video_block.html"
        description = "A video with an optional transcript"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "list-ol"


class StepsBlock(blocks.StructBlock):
    """Numbered steps to follow in the product."""

    title = blocks.CharBlock(max_length=200, required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "cms/blocks/steps_block.html"
        description = "Numbered steps"


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "tick"


class QuizBlock(blocks.StructBlock):
    """A question with choices; the explanation is shown after answering."""

    question = blocks.TextBlock()
    choices = blocks.ListBlock(QuizChoiceBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        help_text="Why the right answer is right; shown after answering."
    )

    class Meta:
        icon = "help"
        template = "cms/blocks/quiz_block.html"
        description = "A quiz question with choices and an explanation"

    def clean(self, value):
        value = super().clean(value)
        choices = list(value["choices"])
        if len(choices) < 2:
            raise StructBlockValidationError(
                block_errors={"choices": ErrorList([ValidationError("Give at least two choices.")])}
            )
        if not any(choice["correct"] for choice in choices):
            raise StructBlockValidationError(
                block_errors={
                    "choices": ErrorList([ValidationError("Mark at least one choice as correct.")])
                }
            )
        return value


def validate_product_link(value: str) -> None:
    """A "try it" link is a path inside the product or an http(s) URL, nothing else."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if urlparse(value).scheme in {"http", "https"}:
        return
    raise ValidationError("Use a path inside the product (/settings/...) or an http(s) URL.")


class TryItBlock(blocks.StructBlock):
    """A deep link that opens the right place in the product."""

    label = blocks.CharBlock(max_length=80)
    path = blocks.CharBlock(max_length=500, validators=[validate_product_link])
    description = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "link"
        template = "cms/blocks/try_it_block.html"
        description = "A deep link into the product"


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, icon="pilcrow", template="cms/blocks/paragraph_block.html"
    )
    image = ImageBlock()
    video = VideoBlock()
    code = CodeBlock()
    callout = CalloutBlock()
    steps = StepsBlock()
    quiz = QuizBlock()
    try_it = TryItBlock()
