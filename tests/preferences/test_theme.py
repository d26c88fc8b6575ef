"""The colour theme: each person chooses System, Light or Dark with the top bar's buttons; the
choice is kept for them alone, drawn on <html> of every page they open, and the page they were
on comes back. A choice that is not one of the three is refused with a clear 400.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from galtea_admin.preferences.models import Appearance
from tests.html_tree import parse
from tests.phone_connections.pages import LIST_URL

pytestmark = pytest.mark.django_db

THEME_URL = "/preferences/theme/"
HERE = f"{LIST_URL}?sort=name&name=line"


def drawn_theme(client, url: str = LIST_URL) -> tuple[str | None, list[str]]:
    """The theme on the page's <html>, and the top bar's pressed theme button(s)."""
    response = client.get(url)
    assert response.status_code == 200
    doc = parse(response)
    form = doc.one("form", class_="theme-form")
    pressed = [
        button.attrs["value"]
        for button in form.find_all("button")
        if button.attrs.get("aria-pressed") == "true"
    ]
    return doc.one("html").attrs.get("data-theme"), pressed


def choose(client, theme: str | None, *, next: str = HERE, **headers):
    data = {"next": next} if theme is None else {"theme": theme, "next": next}
    return client.post(THEME_URL, data, headers=headers)


def test_someone_who_never_chose_follows_their_system(viewer_client):
    assert drawn_theme(viewer_client) == (None, ["system"])


def test_the_top_bar_offers_the_three_choices_as_a_form_that_returns_here(viewer_client):
    doc = parse(viewer_client.get(HERE))
    form = doc.one("form", class_="theme-form")

    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == THEME_URL
    assert [button.attrs["value"] for button in form.find_all("button")] == [
        "system",
        "light",
        "dark",
    ]
    assert [button.text.strip() for button in form.find_all("button")] == [
        "System",
        "Light",
        "Dark",
    ]
    assert form.one("input", name="next").attrs["value"] == HERE


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_a_choice_is_kept_and_the_person_returns_where_they_were(viewer_client, theme):
    response = choose(viewer_client, theme)

    assert response.status_code == 302
    assert response.url == HERE
    assert drawn_theme(viewer_client, response.url) == (theme, [theme])
    assert drawn_theme(viewer_client, "/activity/") == (theme, [theme])  # on every page


def test_a_sign_in_reads_the_choice_once_and_later_pages_cost_no_query_for_it(
    client, operator, api
):
    Appearance.objects.create(user=operator, theme="dark")
    client.force_login(operator)

    with CaptureQueriesContext(connection) as first:
        assert drawn_theme(client) == ("dark", ["dark"])
    with CaptureQueriesContext(connection) as later:
        assert drawn_theme(client, "/activity/") == ("dark", ["dark"])

    def reads(queries) -> int:
        return sum(Appearance._meta.db_table in query["sql"] for query in queries)

    assert (reads(first), reads(later)) == (1, 0)


def test_system_again_leaves_it_to_the_system(viewer_client):
    choose(viewer_client, "dark")

    choose(viewer_client, "system")

    assert drawn_theme(viewer_client) == (None, ["system"])


def test_one_persons_choice_is_theirs_alone(client, operator, editor, api):
    client.force_login(operator)
    choose(client, "dark")
    client.force_login(editor)

    assert drawn_theme(client) == (None, ["system"])
    choose(client, "light")
    assert drawn_theme(client) == ("light", ["light"])

    client.force_login(operator)
    assert drawn_theme(client) == ("dark", ["dark"])
    assert dict(Appearance.objects.values_list("user__username", "theme")) == {
        operator.username: "dark",
        editor.username: "light",
    }


@pytest.mark.parametrize("bad", ["purple", "", "DARK", "dark ", "x" * 5000])
def test_a_theme_that_is_not_one_of_the_three_is_refused_clearly(viewer_client, bad):
    choose(viewer_client, "dark")

    response = choose(viewer_client, bad)

    assert response.status_code == 400
    page = parse(response)
    assert page.one("h1").text == "The theme was not changed"
    message = page.one("p", role="alert").text
    assert message.endswith("System, Light or Dark.")
    assert "x" * 100 not in response.content.decode()  # what was sent is not echoed
    assert page.one("a", class_="button-primary").attrs["href"] == HERE  # the way back
    assert drawn_theme(viewer_client) == ("dark", ["dark"])  # the earlier choice stays


def test_no_theme_at_all_is_refused_clearly(viewer_client):
    response = choose(viewer_client, None)

    assert response.status_code == 400
    assert "Choose a theme: System, Light or Dark." in parse(response).one("p", role="alert").text
    assert not Appearance.objects.exists()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/phone-connections/", "javascript:alert(1)", ""],
)
def test_the_way_back_is_only_ever_a_page_of_this_site(viewer_client, target):
    response = choose(viewer_client, "dark", next=target)

    assert response.status_code == 302
    assert response.url == "/"
    assert drawn_theme(viewer_client) == ("dark", ["dark"])


def test_in_the_background_it_answers_json(viewer_client):
    accepted = choose(viewer_client, "dark", Accept="application/json")
    refused = choose(viewer_client, "sepia", Accept="application/json")

    assert (accepted.status_code, accepted.json()) == (200, {"theme": "dark"})
    assert refused.status_code == 400
    assert "choose System, Light or Dark" in refused.json()["error"]
    assert drawn_theme(viewer_client) == ("dark", ["dark"])


def test_it_changes_nothing_on_a_get(viewer_client):
    response = viewer_client.get(THEME_URL, {"theme": "dark"})

    assert response.status_code == 405
    assert not Appearance.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in_and_nothing_is_kept(client):
    response = choose(client, "dark")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Appearance.objects.exists()


def test_the_sign_in_page_follows_the_system(client):
    doc = parse(client.get("/accounts/login/"))

    assert "data-theme" not in doc.one("html").attrs
    assert doc.find("form", class_="theme-form") is None
