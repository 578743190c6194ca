"""Annual review sentences for the demo data match the partnership's 2019/20 review."""

import pytest
from django.urls import reverse

from core.formatting import count_noun
from core.periods import FinancialQuarter
from meetings.annual_review import annual_review_markdown, is_plural, noun_for
from meetings.models import AnnualReview
from reporting.selectors import scorecard_rows


@pytest.fixture
def text(demo):
    return annual_review_markdown(scorecard_rows(FinancialQuarter(2019, 4)), 2019)


def test_alcohol_sentence_matches_the_annual_review(text):
    # Paragraph 18: "There were 2,615 alcohol affected crimes in Southampton during
    # 2019/20, which is a decline of -1.2% (32 crimes) compared to the previous year."
    assert (
        "There were 2,615 alcohol-affected crimes in 2019-20, a decrease of 1.2% (32 crimes) "
        "compared with the previous year." in text
    )


def test_asb_sentence(text):
    # Paragraph 7: 7,765 in 2018/19 to 7,881 in 2019/20, a 1.5% increase.
    assert (
        "There were 7,881 anti-social behaviour incidents reported in 2019-20, an increase of "
        "1.5% (116 incidents) compared with the previous year." in text
    )


@pytest.mark.parametrize(
    "fragment",
    [
        "There were 9,969 violent crimes in 2019-20, an increase of 7.4%",
        "There were 3,220 domestic violent crimes in 2019-20, an increase of 9.7%",
        "There were 340 rape offences in 2019-20, an increase of 13.7%",
        "There were 1,076 drug offences in 2019-20, an increase of 37.4%",
        "There were 210 arson offences in 2019-20, a decrease of 35.6%",
        "There were 1,152 residential burglaries in 2019-20, a decrease of 12.1%",
        "There were 408 Most Serious Violence (MSV) offences in 2019-20, a decrease of 3.5%",
        "There were 931 hate crimes reported in 2019-20, an increase of 8.0%",
    ],
)
def test_stated_changes(text, fragment):
    assert fragment in text


def test_small_numbers_carry_caution_and_are_not_significant(text):
    line = next(
        s for s in text.splitlines() if s.startswith("There were 36 modern slavery offences")
    )
    assert "an increase of 16.1% (5 offences)" in line
    assert "not significant" in line
    assert "interpreted with caution" in line


def test_large_change_is_significant(text):
    line = next(s for s in text.splitlines() if s.startswith("There were 1,076 drug offences"))
    assert "This change is significant" in line


def test_percentages_use_percentage_points(text):
    assert (
        "Victims who experienced more than one crime in the year were 19.6% in 2019-20, compared "
        "with 18.2% in 2018-19, an increase of 1.4 percentage points." in text
    )


def test_grouped_by_priority(text):
    assert text.index("## Reduce crime and anti-social behaviour") < text.index("There were 7,881")
    assert text.index("## Reduce harm caused by drugs and alcohol") < text.index("There were 2,615")


def test_no_comparison(text):
    assert (
        "There were 236 young people engaged by youth workers in A&E in 2019-20, with no figure"
        in text
    )


def test_count_noun():
    assert count_noun("Alcohol-affected crimes") == "crimes"
    assert count_noun("Safe and Well visits completed") == "visits"
    assert count_noun("Residential burglaries") == "burglaries"
    assert count_noun("Something else") == ""


@pytest.mark.parametrize(
    ("number", "noun", "expected"),
    [(1, "crimes", "crime"), (1, "burglaries", "burglary"), (1, "people", "person"),
     (2, "crimes", "crimes"), (1, "", "")],
)  # fmt: skip
def test_noun_agrees_with_the_number(number, noun, expected):
    assert noun_for(number, noun) == expected


@pytest.mark.parametrize(
    ("name", "plural"),
    [
        ("Victims who experienced more than one crime in the year", True),
        ("Young people who reoffend within 12 months", True),
        ("Alcohol-related hospital admissions", True),
        ("First time entrants to the youth justice system", True),
        ("High Risk Domestic Abuse referrals with children in the household", True),
        ("Domestic violence as a share of violent offences", False),
        ("Domestic-flagged crime as a share of all recorded crime", False),
    ],
)
def test_the_verb_agrees_with_the_subject(name, plural):
    assert is_plural(name) is plural


def test_every_number_has_its_noun_and_names_keep_their_capitals(text):
    assert "a decrease of 12.1% (159 burglaries)" in text
    assert "There were 2,650 Safe and Well visits completed in 2019-20" in text
    assert "Alcohol-related hospital admissions were 816 per 100,000" in text


def test_a_caveat_and_a_caution_saying_the_same_are_written_once(text):
    line = next(s for s in text.splitlines() if s.startswith("There were 36 modern slavery"))
    assert line.count("interpreted with caution") == 1


def test_coordinator_edits_and_downloads(demo, coordinator, client):
    client.force_login(coordinator)
    page = client.get(reverse("annual_review", args=["2019-20"])).content.decode()
    assert "There were 2,615 alcohol-affected crimes" in page
    assert not AnnualReview.objects.exists()  # a GET changes nothing
    generated = annual_review_markdown(scorecard_rows(FinancialQuarter(2019, 4)), 2019)
    edited = generated + "\nThe partnership thanks its partners. <script>x</script>\n"
    assert (
        client.post(reverse("annual_review", args=["2019-20"]), {"text": edited}).status_code == 302
    )
    html = client.get(reverse("annual_review_download", args=["2019-20", "html"]))
    assert html["Content-Disposition"].endswith('.html"')
    body = html.content.decode()
    assert "<h2>Reduce crime and anti-social behaviour</h2>" in body
    assert "The partnership thanks its partners." in body
    assert "<script>" not in body and "&lt;script&gt;" in body
    md = client.get(reverse("annual_review_download", args=["2019-20", "md"])).content.decode()
    assert md.startswith("# Safe City Partnership annual review 2019-20")
    assert client.get(reverse("annual_review_download", args=["2019-20", "exe"])).status_code == 404


def test_regenerate_discards_edits(demo, coordinator, client):
    client.force_login(coordinator)
    client.get(reverse("annual_review", args=["2019-20"]))
    client.post(reverse("annual_review", args=["2019-20"]), {"text": "Edited"})
    client.post(reverse("annual_review", args=["2019-20"]), {"regenerate": "1"})
    assert AnnualReview.objects.get(year=2019).text.startswith("# Safe City Partnership")


def test_annual_review_is_for_coordinators(demo, member, client):
    client.force_login(member)
    assert client.get(reverse("annual_review", args=["2019-20"])).status_code == 403


def active_markup(html: str) -> list[str]:
    """Tags and attributes that would run or load something in a browser."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "img", "iframe", "object", "style"):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on"):
                    found.append(name)
                if name in ("href", "src") and (value or "").strip().lower().startswith(
                    ("javascript:", "data:")
                ):
                    found.append(value)

    Collect().feed(html)
    return found


@pytest.mark.parametrize(
    "text",
    [
        'Hello\n{: onmouseover="alert(1)" }\n',
        "# Title {: onclick=alert(1) }\n",
        "[Read this](javascript:alert(1))\n",
        "<img src=x onerror=alert(1)>\n",
        "<script>alert(1)</script>\n",
    ],
)
def test_the_download_and_page_carry_no_script(demo, coordinator, client, text):
    import markdown

    from meetings.views import render_markdown

    unsafe = markdown.markdown(text, extensions=["extra"])
    assert active_markup(unsafe) != []  # plain Markdown would let this one through
    client.force_login(coordinator)
    client.post(reverse("annual_review", args=["2019-20"]), {"text": text})
    body = client.get(reverse("annual_review_download", args=["2019-20", "html"]))
    assert active_markup(body.content.decode()) == []
    page = client.get(reverse("annual_review", args=["2019-20"])).content.decode()
    preview = page.split('id="annual-review-preview">')[1].split("</div>")[0]
    assert active_markup(preview) == []
    assert active_markup(render_markdown(text)) == []


def test_indicator_names_cannot_become_markup(demo):
    from indicators.models import Indicator

    Indicator.objects.filter(code="ASB-01").update(name="[Click](javascript:alert(1)) {: x=1 }")
    text = annual_review_markdown(scorecard_rows(FinancialQuarter(2019, 4)), 2019)
    assert "\\[Click\\](javascript:alert(1)) \\{: x=1 \\}" in text
    from meetings.views import render_markdown

    html = render_markdown(text)
    assert "<a " not in html and "[Click](javascript:alert(1))" in html


def test_a_series_break_is_explained_in_words(demo):
    text = annual_review_markdown(scorecard_rows(FinancialQuarter(2019, 4)), 2019)
    assert (
        "In 2019-20 Q1 the series changed (Home Office counting rules changed and recording "
        "of stalking improved), so the comparison with the previous year is not like for "
        "like." in text
    )


@pytest.mark.parametrize(
    "text",
    [
        "![pixel](https://tracker.example/p.gif)\n",
        "![pixel][p]\n\n[p]: https://tracker.example/p.gif\n",
        "<img src=https://tracker.example/p.gif>\n",
    ],
)
def test_the_downloaded_review_loads_no_remote_image(text):
    """Found by probing: opened from disk, an image in the Markdown was a tracking pixel."""
    from meetings.views import render_markdown

    html = render_markdown(f"# Review\n\n{text}")
    assert "<img" not in html and 'tracker.example/p.gif"' not in html
