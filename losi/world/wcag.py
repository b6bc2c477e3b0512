"""The home page's accessibility (#210, `wcag-conformance`): the "wcag-aa" feature.

A portal with the feature has a home page on which axe-core's WCAG 2.0/2.1 A and AA rules find
no violation (the world's markup is clean: the logo's image has an empty `alt`, the search field
an `aria-label`, the sign-in form's fields their `<label>`s, the text is black on white). A
portal without it carries one to three of the violations real home pages are full of, the six
the WebAIM Million finds most often, drawn per portal from a stream of its own
(`violations`), so no other draw of the world moves:

- `color-contrast` (axe-core's color-contrast): the lead paragraph in light grey on white
  (contrast 2.3 to 2.9);
- `image-alt` (image-alt): a banner image with no `alt`; on a portal whose markup is valid (the
  Nu Html Checker counts a missing `alt` as an error), an `<svg role="img">` with no name
  (svg-img-alt);
- `label` (label): a text-size slider with no label;
- `link-name` (link-name): a "back to the top" link that is only an arrow icon (never on the
  JS-menu portal, whose home page has no link in its HTML);
- `html-lang` (html-has-lang): no `lang` on `<html>`;
- `button-name` (button-name): a menu button of three bars, with no name.

None of them adds or changes a word or a link address another detector reads (the icon link
goes to `#main`, which the skip link names already; the slider's name is `text-size`; without
`lang` the page's language is still the one its text is in), and none
is an error for the Nu Html Checker (a missing `lang` is only its warning), so `valid-markup`
and the other features are measured as before. Only the home page carries them: #210 is
judged on the home page's render.

axe-core does not check the contrast of Arabic text: its color-contrast rule skips text it takes
for an icon font's ligature (`isIconLigature`: the first letter drawn alone differs from the
same letter inside the word), and joined Arabic letters are just that. The grey lead paragraph
of an Arabic portal is a real violation all the same, and stays in the ground truth: when it is
the portal's only one, `wcag-conformance` says present there, counted as a disagreement (a real
Arabic portal's grey text goes unseen in the same way).

A portal built from real pages (`WorldSpec.real_pages_dir`) has no ground truth at all (its
`features` are empty), so it has none for this feature either.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from losi.world.generate import Portal

FEATURE = "wcag-aa"
KINDS: tuple[str, ...] = ("color-contrast", "image-alt", "label", "link-name", "html-lang",
                          "button-name")
# kind -> the axe-core rules (any one of them) that report it
RULES: dict[str, frozenset[str]] = {
    "color-contrast": frozenset({"color-contrast"}),
    "image-alt": frozenset({"image-alt", "svg-img-alt"}),
    "label": frozenset({"label"}),
    "link-name": frozenset({"link-name"}),
    "html-lang": frozenset({"html-has-lang"}),
    "button-name": frozenset({"button-name"}),
}
# light greys on white: contrast 2.85, 2.52, 2.32 (AA asks 4.5 for body text)
_GREYS = ("#999999", "#a3a3a3", "#aaaaaa")
_HEADER = '<header class="site-header">\n'  # where the header's widgets go
_LEAD = '<p class="lead">'  # the home page's first paragraph


def violations(portal: Portal) -> tuple[str, ...]:
    """The kinds of violation a portal's home page carries (none with the feature): one to
    three of `KINDS`, drawn from the portal's own stream."""
    if portal._has.get(FEATURE, True):
        return ()
    # the JS-menu portal's home page has no link in its HTML (its scripts build them all)
    kinds = [k for k in KINDS if not (k == "link-name" and portal.hostile == "js-menu")]
    rng = _rng(portal)
    return tuple(sorted(rng.sample(kinds, rng.choice((1, 1, 2, 2, 3))), key=KINDS.index))


def _rng(portal: Portal) -> random.Random:
    return random.Random(f"{portal._world.spec.seed}:wcag:{portal.index}")


def plant(portal: Portal, page: str) -> str:
    """The home page's markup with the portal's violations (unchanged with the feature)."""
    kinds = violations(portal)
    if not kinds:
        return page
    rng = _rng(portal)
    rng.random()  # after the draw of `violations`
    widgets = []
    if "html-lang" in kinds:
        page = _once(page, f'<html lang="{portal.language}" ', "<html ")
    if "color-contrast" in kinds:
        page = _once(page, _LEAD, f'<p class="lead" style="color:{rng.choice(_GREYS)}">')
    if "button-name" in kinds:
        widgets.append('<button type="button" class="nav-toggle"><span class="bar"></span>'
                       '<span class="bar"></span><span class="bar"></span></button>\n')
    if "label" in kinds:
        # two boxes deep, so that no button of the header reads as the field's (Site.forms)
        widgets.append('<div class="toolbar"><div class="text-size"><input type="range" '
                       'name="text-size" min="80" max="160" step="10" value="100"></div></div>\n')
    if "image-alt" in kinds:
        if portal._has["valid-markup"]:
            widgets.append('<svg class="banner" role="img" viewBox="0 0 48 48" width="96" '
                           'height="96"><circle cx="24" cy="24" r="20" fill="#2a6"/></svg>\n')
        else:
            widgets.append('<img class="banner" src="/assets/logo.svg" width="96" height="96">\n')
    if "link-name" in kinds:
        widgets.append('<a class="to-top" href="#main"><svg viewBox="0 0 24 24" width="24" '
                       'height="24" aria-hidden="true" focusable="false"><path d="M12 4l8 8H4z"/>'
                       '</svg></a>\n')
    if widgets:
        page = _once(page, _HEADER, _HEADER + "".join(widgets))
    return page


def _once(page: str, old: str, new: str) -> str:
    """`page` with the first `old` made `new`; the markup must be there (a test checks every
    kind on a world's home pages, so a change of the generator's markup shows at once)."""
    if old not in page:
        raise ValueError(f"wcag: {old!r} is not on the home page any more (see losi/world/wcag.py)")
    return page.replace(old, new, 1)
