"""The French, German and Spanish catalogues of otp_core.django and of the
demo are complete and current, and the pages, messages and e-mails come out
in the user's language.

Completeness is checked with GNU gettext's own tools against the strings
Django's ``makemessages`` extracts from the sources now: ``msgcmp`` fails on
a message that is missing, untranslated or fuzzy in a catalogue, and on a
catalogue entry that no source uses any more; ``msgfmt --check`` on a
translation whose placeholders differ from its message's; the committed
``.mo`` must be what ``msgfmt`` makes of the ``.po``.

``python test_translations.py --update`` (``make messages``) refreshes the
catalogues from the sources with the same extraction and compiles them; new
messages then need their translations (this test says which).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "python" / "otp_core" / "django"
DEMO = HERE.parent / "examples" / "django_demo" / "demo"
#: The catalogues: otp_core.django's (shipped in the wheel) and the demo's.
ROOTS = {"otp_core.django": PACKAGE, "demo": DEMO}
LANGUAGES = ("fr", "de", "es")
#: The one extraction both this test and ``--update`` use.
MAKEMESSAGES = ["makemessages", "--add-location=file", "--no-obsolete", "--ignore=static/*", "--ignore=locale/*"]
DJANGO_ADMIN = [sys.executable, "-m", "django"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (GNU gettext) is missing: run the tests through `make django-test`"
    return path


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # Extraction needs no settings (and must not load the tests').
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _fresh_template(root: Path, tmp: Path) -> Path:
    """The messages of ``root``'s sources now: a ``.pot`` made by
    ``makemessages`` in a copy of the tree (the committed catalogues are not
    touched)."""
    copy = tmp / root.name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    result = _run(*DJANGO_ADMIN, *MAKEMESSAGES, "--keep-pot", "-l", "xx", cwd=copy)
    assert result.returncode == 0, result.stderr
    return copy / "locale" / "django.pot"


def _po(root: Path, lang: str) -> Path:
    return root / "locale" / lang / "LC_MESSAGES" / "django.po"


def _complete(po: Path, pot: Path) -> subprocess.CompletedProcess[str]:
    """``msgcmp``: every message of ``pot`` translated in ``po`` (not fuzzy)."""
    return _run(_tool("msgcmp"), str(po), str(pot))


@pytest.mark.parametrize("name", ROOTS)
def test_every_message_is_translated_in_every_catalogue(name: str, tmp_path: Path) -> None:
    root = ROOTS[name]
    pot = _fresh_template(root, tmp_path)
    assert pot.read_text().count("msgid ") > 10, "nothing extracted"
    for lang in LANGUAGES:
        po = _po(root, lang)
        complete = _complete(po, pot)
        assert complete.returncode == 0, f"{name} {lang}: missing or untranslated:\n{complete.stderr}"
        stale = _run(_tool("msgcmp"), "--use-untranslated", str(pot), str(po))
        assert stale.returncode == 0, f"{name} {lang}: messages no source uses:\n{stale.stderr}"
        check = _run(_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(po))
        assert check.returncode == 0, f"{name} {lang}:\n{check.stderr}"
        assert re.search(r"^\d+ translated messages\.$", check.stderr.strip()), check.stderr


@pytest.mark.parametrize("name", ROOTS)
def test_compiled_catalogues_are_current(name: str, tmp_path: Path) -> None:
    for lang in LANGUAGES:
        po = _po(ROOTS[name], lang)
        fresh = tmp_path / f"{lang}.mo"
        assert _run(_tool("msgfmt"), "--check", "-o", str(fresh), str(po)).returncode == 0
        committed = _run(_tool("msgunfmt"), str(po.with_suffix(".mo"))).stdout
        assert committed == _run(_tool("msgunfmt"), str(fresh)).stdout, f"{po.with_suffix('.mo')}: run `make messages`"


def test_the_check_catches_an_untranslated_and_a_fuzzy_message(tmp_path: Path) -> None:
    """The completeness check itself: a catalogue with one translation
    emptied, or marked fuzzy, fails it."""
    pot = _fresh_template(PACKAGE, tmp_path)
    po = _po(PACKAGE, "fr").read_text()
    assert _complete(_po(PACKAGE, "fr"), pot).returncode == 0
    target = 'msgid "That code is not valid."\nmsgstr "'
    assert target in po
    emptied = tmp_path / "emptied.po"
    emptied.write_text(re.sub(r'(msgid "That code is not valid\."\nmsgstr )".*"', r'\1""', po))
    result = _complete(emptied, pot)
    assert result.returncode != 0 and "this message is untranslated" in result.stderr
    fuzzy = tmp_path / "fuzzy.po"
    fuzzy.write_text(po.replace(target, "#, fuzzy\n" + target))
    assert _complete(fuzzy, pot).returncode != 0


def _in(lang: str, client: Client) -> Client:
    client.cookies["django_language"] = lang  # what the demo's switcher (set_language) sets
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading", "wrong_code", "wait"),
    [
        ("fr", "Configurer une application d'authentification", "Ce code n'est pas valide.", "Réessayez dans"),
        ("de", "Authenticator-App einrichten", "Dieser Code ist ungültig.", "Versuchen Sie es in"),
        ("es", "Configurar una aplicación de autenticación", "Ese código no es válido.", "Inténtelo de nuevo en"),
    ],
)
def test_enrolment_in_the_users_language(
    client: Client, django_user_model: Any, lang: str, heading: str, wrong_code: str, wait: str
) -> None:
    user = django_user_model.objects.create_user("ana", password="pw-ana-123456")
    client.force_login(user)
    page = _in(lang, client).get(reverse("otp_core:enroll")).content.decode()
    assert f'<html lang="{lang}">' in page
    assert heading in page and "Set up an authenticator app" not in page
    with translation.override(lang):
        steps = [translation.gettext(s) for s in ("Scan the QR code", "Enter a code", "Save your backup codes")]
        label = translation.gettext("Code")
    assert all(s in page for s in steps) and "Scan the QR code" not in page
    # The form's label (a lazy string in the form class) follows the language too.
    assert re.search(rf'<label for="id_token">{re.escape(label)}\s*:</label>', page), page
    errors = []
    for _ in range(2):
        response = client.post(reverse("otp_core:enroll"), {"token": "000000"})
        error = re.search(r'id="otp-error" role="alert">([^<]*)<', response.content.decode())
        assert error, response.content.decode()[:300]
        errors.append(html.unescape(error.group(1)))
    # A wrong code; then one sent at once, refused untried: when to retry, plural and all.
    assert errors[0].startswith(wrong_code), errors[0]
    assert wait in errors[1], errors[1]


@pytest.mark.django_db
def test_without_a_choice_the_browsers_language_is_used(client: Client, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create_user("bo", password="pw-bo-1234567"))
    page = client.get(reverse("otp_core:enroll"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert "<h1>Authenticator-App einrichten</h1>" in page
    page = client.get(reverse("otp_core:enroll"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<h1>Set up an authenticator app</h1>" in page  # no Japanese catalogue: English


@pytest.mark.django_db
def test_security_mail_in_the_active_language(django_user_model: Any, settings: Any) -> None:
    from otp_core.django.models import BackupCodeDevice

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = django_user_model.objects.create_user("cy", email="cy@example.com", password="pw-cy-1234567")
    BackupCodeDevice.new_set_for(user, 3)  # the first set: no mail
    with translation.override("es"):
        BackupCodeDevice.new_set_for(user, 3)
    assert mail.outbox[-1].subject == "Nuevos códigos de respaldo para su cuenta"
    assert "Se creó una nueva serie de 3 códigos de respaldo para su cuenta (cy)." in mail.outbox[-1].body


def update() -> None:
    """Refreshes every catalogue from the sources, then compiles them."""
    for root in ROOTS.values():
        langs = [arg for lang in LANGUAGES for arg in ("-l", lang)]
        for command in ([*MAKEMESSAGES, *langs], ["compilemessages"]):
            env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
            subprocess.run([*DJANGO_ADMIN, *command], cwd=root, env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python test_translations.py --update")
    update()
