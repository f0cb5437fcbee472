"""Per-endpoint body limits applied before CSRF parses the body; downloads are never cached."""

from __future__ import annotations

from consult.accounts.roles import Role
from tests import factories
from tests.conftest import form_tokens


def multipart(fields: dict[str, str], file: bytes) -> tuple[bytes, str]:
    """A multipart body built in memory (the test client spools large ones to a file that it
    does not close when the server refuses the body unread)."""
    boundary = "consult-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    head = (
        "".join(parts) + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="big.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    body = head.encode() + file + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_import_larger_than_the_app_limit_reaches_its_view(client, session):
    survey = factories.nisp(session)
    factories.login(client, factories.user(session, Role.admin))
    url = f"/admin/surveys/{survey.slug}/import"
    tokens = form_tokens(client, url)
    body, kind = multipart(tokens, b"x" * (2 * 1024 * 1024))  # over 1 MB, under the import's 20
    response = client.post(url, data=body, content_type=kind)
    assert response.status_code == 400  # read and refused for what it is, not for its size
    assert "This is not an Excel (.xlsx) file." in response.get_data(as_text=True)


def test_past_an_endpoints_limit_the_message_names_it(client, session):
    survey = factories.nisp(session)
    factories.login(client, factories.user(session, Role.admin))
    url = f"/admin/surveys/{survey.slug}/import"
    tokens = form_tokens(client, url)
    body, kind = multipart(tokens, b"x" * (21 * 1024 * 1024))
    response = client.post(url, data=body, content_type=kind)
    assert response.status_code == 413
    assert "larger than 20 MB" in response.get_data(as_text=True)
    answers = client.post(f"/s/{survey.slug}", data={"q_x": "y" * (2 * 1024 * 1024)})
    assert answers.status_code == 413
    assert "larger than 1 MB" in answers.get_data(as_text=True)


def test_downloads_and_pages_are_not_stored_by_caches(client, session):
    survey = factories.nisp(session)
    factories.login(client, factories.user(session, Role.admin))
    for url in (f"/admin/surveys/{survey.slug}/export.xlsx",
                f"/admin/surveys/{survey.slug}/summary.xlsx",
                f"/admin/surveys/{survey.slug}/form.xlsx", f"/s/{survey.slug}"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
        response.close()
