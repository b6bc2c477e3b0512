"""The methodology loader: the built-in LOSI 2024 file, and one clear line for each bad file."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from detectors.registry import load_registry

from scoring.methodology import (
    KEBAB_ID,
    MethodologyError,
    builtin_dir,
    find_methodology,
    load_methodology,
)

BUILTIN = builtin_dir() / "losi-2024.toml"
KNOWN = set(load_registry())


@pytest.fixture(scope="module")
def losi2024():
    return load_methodology(BUILTIN)


def test_builtin_has_95_indicators(losi2024):
    assert len(losi2024.indicators) == 95


def test_builtin_codes_are_unique(losi2024):
    assert len(set(losi2024.codes)) == 95


def test_builtin_binds_a_detector_to_every_indicator(losi2024):
    assert all(KEBAB_ID.match(i.detector) for i in losi2024.indicators)


def test_builtin_loads_against_the_detector_ids_it_uses():
    assert load_methodology(BUILTIN, known_detectors=KNOWN).id == "losi-2024"


def test_builtin_binding_of_coded_detectors(losi2024):
    bound = {i.code: i.detector for i in losi2024.indicators}
    assert {
        "201": "browser-compatibility", "205": "sitemap", "207": "advanced-search",
        "208": "markup-validity", "209": "css-validity", "210": "wcag-conformance",
        "204": "mobile-viewport", "206": "site-search", "212": "language-versions",
        "214": "contact-details", "219": "budget-information", "220": "procurement-notices",
        "234": "privacy-policy", "236": "open-data", "240": "help-faq", "266": "job-vacancies",
        "269a": "online-payment", "271": "feedback-form", "273": "social-networks",
        "274": "incident-reporting", "280": "council-meetings", "283": "mobile-apps",
        "288": "helpdesk-phone", "295": "events-section", "296": "news-section",
        "281": "official-portal", "245": "e-id-login", "270a": "live-chat", "270b": "ai-chatbot",
        "237": "open-data-metadata", "202": "search-engine-visibility",
        "250": "question-channels", "252": "question-channels",
        "259": "birth-certificate-service", "286": "water-bill-payment",
    }.items() <= bound.items()


def test_no_indicator_is_left_on_the_bare_placeholder(losi2024):
    assert [i.code for i in losi2024.indicators if i.detector == "manual"] == []


def test_builtin_has_six_criteria_of_which_five_published(losi2024):
    published = [c.id for c in losi2024.criteria if c.published]
    assert ([c.id for c in losi2024.criteria], published) == (
        ["IF", "CP", "SP", "PE", "EGL", "TEC"],
        ["IF", "CP", "SP", "PE", "TEC"],
    )


def test_builtin_indicators_per_criterion(losi2024):
    counts = Counter(i.criterion for i in losi2024.indicators)
    assert counts == {"IF": 6, "CP": 30, "SP": 22, "PE": 15, "EGL": 10, "TEC": 12}


def test_builtin_denominator_is_96(losi2024):
    assert losi2024.denominator == 96


def test_builtin_every_indicator_says_how_to_check_it(losi2024):
    assert all(i.how_checked.strip() and i.question.strip() for i in losi2024.indicators)


def test_builtin_if_open_data_policy_is_235_with_a_note(losi2024):
    policy = losi2024.indicator("235")
    assert (policy.criterion, "236" in policy.note) == ("IF", True)


def test_builtin_236_is_pe_open_data(losi2024):
    assert losi2024.indicator("236").criterion == "PE"


def test_builtin_https_is_a_check_not_an_indicator(losi2024):
    assert (losi2024.check("https").detector, "https" in losi2024.codes) == ("https", False)


def test_builtin_levels_highest_first(losi2024):
    assert [lv.name for lv in losi2024.levels] == ["very_high", "high", "middle", "low"]


def test_builtin_external_links_count_for_national_services(losi2024):
    assert losi2024.indicator("254").external_links_count is True


def test_to_dict_is_json(losi2024):
    data = json.loads(json.dumps(losi2024.to_dict()))
    assert len(data["indicators"]) == 95


def test_unknown_code_raises_key_error(losi2024):
    with pytest.raises(KeyError):
        losi2024.indicator("999")


def test_find_methodology_by_id():
    assert find_methodology("losi-2024", [builtin_dir()]) == BUILTIN


def test_find_methodology_defaults_to_builtin():
    assert find_methodology("losi-2024") == BUILTIN


def test_find_methodology_by_path(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text("", encoding="utf-8")
    assert find_methodology(path, []) == path


def test_find_methodology_earlier_folder_wins(tmp_path: Path):
    (tmp_path / "losi-2024.toml").write_text("", encoding="utf-8")
    assert find_methodology("losi-2024", [tmp_path, builtin_dir()]) == tmp_path / "losi-2024.toml"


def test_find_methodology_unknown_id_is_one_line():
    with pytest.raises(MethodologyError, match=r"^unknown methodology \"losi-2025\".*losi-2024"):
        find_methodology("losi-2025", [builtin_dir()])


def test_plugin_hook_returns_builtin_dir():
    plugins = pytest.importorskip("losi.plugins")
    from scoring import plugin

    pm = plugins.plugin_manager(plugin, entry_points=False)
    assert [builtin_dir()] in pm.hook.losi_methodologies()


# ---- bad files --------------------------------------------------------------------------------

VALID = """\
[methodology]
id = "tiny"
version = "1"
title = "Tiny"
edition = 2024
denominator = 2

[[level]]
name = "high"
label = "High"
min = 0.5
min_inclusive = false

[[level]]
name = "low"
label = "Low"
min = 0.0

[[criterion]]
id = "EGL"
name = "E-government literacy"

[[indicator]]
code = "206"
criterion = "EGL"
name = "Internal search mechanism"
question = "Is there a search bar on the main page?"
how_checked = "Search for one word."
detector = "manual"

[[indicator]]
code = "234"
criterion = "EGL"
name = "Privacy policy"
question = "Is there a privacy statement?"
how_checked = "Look in the footer."
weight = 1
detector = "privacy-policy"
"""

PRIVACY_NAME = 'name = "Privacy policy"\n'


def load_text(tmp_path: Path, text: str, known: set[str] | None = None):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return load_methodology(path, known_detectors=known)


def error_for(tmp_path: Path, text: str, known: set[str] | None = None) -> str:
    with pytest.raises(MethodologyError) as info:
        load_text(tmp_path, text, known)
    return str(info.value)


def test_valid_text_loads(tmp_path: Path):
    assert load_text(tmp_path, VALID, KNOWN).codes == ("206", "234")


def test_toml_syntax_error_names_file_and_line(tmp_path: Path):
    message = error_for(tmp_path, VALID.replace('title = "Tiny"', "title = Tiny"))
    assert re.fullmatch(r".*bad\.toml: line 4, column \d+: invalid TOML: .+", message)


@pytest.mark.parametrize(
    ("old", "new", "known", "expected"),
    [
        pytest.param(PRIVACY_NAME, "", None, 'indicator 234: missing required key "name"',
                     id="missing-name"),
        pytest.param('code = "206"', 'code = "234"', None,
                     'indicator 234: duplicate indicator code "234"', id="duplicate-code"),
        pytest.param('weight = 1\ndetector = "privacy-policy"',
                     'weight = 1\ndetector = "privacy-policy"\ncriterion2 = 1', None,
                     'indicator 234: unknown key "criterion2"', id="unknown-key"),
        pytest.param('criterion = "EGL"\nname = "Privacy',
                     'criterion = "XYZ"\nname = "Privacy', None,
                     'indicator 234: unknown criterion "XYZ"', id="unknown-criterion"),
        pytest.param('detector = "privacy-policy"', 'detector = "privacy-statement"',
                     KNOWN, 'indicator 234: detector "privacy-statement" is not a known detector',
                     id="unknown-detector"),
        pytest.param('detector = "privacy-policy"', 'detector = "Privacy Policy"', None,
                     'indicator 234: detector "Privacy Policy" is not a kebab-case id',
                     id="detector-not-kebab"),
        pytest.param("weight = 1", "weight = -1", None,
                     "indicator 234: weight must be 0 or more, not -1", id="negative-weight"),
        pytest.param("weight = 1", 'weight = "1"', None,
                     "indicator 234: weight must be a number", id="weight-not-number"),
        pytest.param('code = "234"', "code = 234", None,
                     'indicator 234: code must be a string', id="integer-code"),
    ],
)
def test_bad_indicator_is_one_line_naming_file_and_code(tmp_path, old, new, known, expected):
    assert old in VALID
    message = error_for(tmp_path, VALID.replace(old, new, 1), known)
    assert "\n" not in message and message.startswith(str(tmp_path / "bad.toml") + ": ")
    assert expected in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("denominator = 2", "denominator = 0",
                     "[methodology]: denominator must be a positive number", id="zero-denominator"),
        pytest.param("denominator = 2", "denominator = 1",
                     "scores would exceed 1", id="denominator-below-weights"),
        pytest.param("min = 0.5", "min = 1.5", "level high: min must be within [0, 1]",
                     id="level-out-of-range"),
        pytest.param("min = 0.5", "min = 0.0", "level low: levels must be listed highest first",
                     id="levels-unsorted"),
        pytest.param("min = 0.0", "min = 0.1", "level low: the lowest level must start at min = 0",
                     id="levels-not-covering-zero"),
        pytest.param('id = "tiny"', 'id = "Tiny One"', '[methodology]: id "Tiny One"',
                     id="methodology-id"),
    ],
)
def test_bad_methodology_is_one_line_naming_file(tmp_path, old, new, expected):
    message = error_for(tmp_path, VALID.replace(old, new, 1))
    assert "\n" not in message and message.startswith(str(tmp_path / "bad.toml") + ": ")
    assert expected in message


def test_missing_file_is_one_line(tmp_path: Path):
    with pytest.raises(MethodologyError, match=r"^.*nowhere\.toml: cannot read the file"):
        load_methodology(tmp_path / "nowhere.toml")


def test_methodology_error_is_a_value_error():
    assert issubclass(MethodologyError, ValueError)


# ---- variants: extends -------------------------------------------------------------------------

VARIANT_BASE = """
[methodology]
id = "base"
version = "3"
title = "Base"
edition = 2024
denominator = 4

[[level]]
name = "all"
label = "All"
min = 0.0

[[criterion]]
id = "A"
name = "Alpha"

[[indicator]]
code = "1"
criterion = "A"
name = "One"
question = "One?"
how_checked = "Look."
detector = "privacy-policy"

[[indicator]]
code = "2"
criterion = "A"
name = "Two"
question = "Two?"
how_checked = "Look."
detector = "news-section"

[[indicator]]
code = "3"
criterion = "A"
name = "Three"
question = "Three?"
how_checked = "Look."
detector = "events-section"
"""


def write_pair(tmp_path: Path, variant: str) -> Path:
    (tmp_path / "base.toml").write_text(VARIANT_BASE, encoding="utf-8")
    path = tmp_path / "variant.toml"
    path.write_text(variant, encoding="utf-8")
    return path


def test_a_variant_adds_drops_and_reweights_the_base_indicators(tmp_path: Path):
    path = write_pair(tmp_path, """
[methodology]
extends = "base"
id = "variant"
version = "1"
drop = ["2"]

[[criterion]]
id = "B"
name = "Beta"

[[indicator]]
code = "3"
weight = 2

[[indicator]]
code = "9"
criterion = "B"
name = "Nine"
question = "Nine?"
how_checked = "Look."
detector = "gis-maps"
""")
    m = load_methodology(path, known_detectors=KNOWN)
    assert (m.id, m.version, m.title, m.edition) == ("variant", "1", "Base", 2024)
    assert [(i.code, i.weight, i.detector) for i in m.indicators] == [
        ("1", 1, "privacy-policy"), ("3", 2, "events-section"), ("9", 1, "gis-maps")]
    assert [c.id for c in m.criteria] == ["A", "B"]
    # The base's extra point (denominator 4 for 3 points) is kept: 4 - 3 + 4 = 5.
    assert m.denominator == 5


def test_a_variant_may_set_its_own_denominator_and_levels(tmp_path: Path):
    path = write_pair(tmp_path, """
[methodology]
extends = "base"
id = "variant"
version = "1"
denominator = 10

[[level]]
name = "top"
label = "Top"
min = 0.5

[[level]]
name = "rest"
label = "Rest"
min = 0.0
""")
    m = load_methodology(path)
    assert m.denominator == 10 and [lv.name for lv in m.levels] == ["top", "rest"]


@pytest.mark.parametrize("variant, message", [
    ('[methodology]\nextends = "nowhere"\nid = "v"\nversion = "1"\n', "extends unknown methodology"),
    ('[methodology]\nextends = "base"\nid = "v"\nversion = "1"\ndrop = ["42"]\n', "does not have"),
    ('[methodology]\nextends = "variant"\nid = "variant"\nversion = "1"\n', "cycle"),
    ('[methodology]\nid = "v"\nversion = "1"\ntitle = "V"\nedition = 2024\ndenominator = 1\ndrop = ["1"]\n', "only for a variant"),
    ('[methodology]\nextends = "base"\nid = "v"\nversion = "1"\n\n[[indicator]]\ncode = "7"\ncriterion = "Z"\nname = "Seven"\nquestion = "?"\nhow_checked = "Look."\ndetector = "gis-maps"\n', "unknown criterion"),
])
def test_a_bad_variant_is_one_clear_line(tmp_path: Path, variant: str, message: str):
    path = write_pair(tmp_path, variant)
    with pytest.raises(MethodologyError, match=message) as err:
        load_methodology(path)
    assert "variant.toml" in str(err.value) and "\n" not in str(err.value)


def test_the_workshop_variant_extends_losi_2024_with_eight_detected_indicators():
    m = load_methodology(find_methodology("losi-2024-workshop"), known_detectors=KNOWN)
    base = load_methodology(BUILTIN)
    added = [i for i in m.indicators if i.criterion == "WS"]
    assert len(m.indicators) == 103 and len(added) == 8
    assert [i.code for i in m.indicators[:95]] == list(base.codes)
    assert m.denominator == base.denominator + 8
    assert all(i.detector in KNOWN and i.detector != "manual" for i in added)
    assert not m.criterion("WS").published
