"""The one form of the plugin: a code (TOTP or backup code)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from otp_core.django.models import MAX_TOKEN_LEN


class TokenForm(forms.Form):
    """A code from the authenticator app, or a backup code. Spaces are
    dropped (apps show ``123 456``); everything else is left to the device.
    ``remember`` is the "remember this device" box of the sign-in."""

    token = forms.CharField(
        label=_("Code"),
        max_length=MAX_TOKEN_LEN,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "autocapitalize": "off"}
        ),
    )
    remember = forms.BooleanField(required=False, label=_("Remember this device"))

    def clean_token(self) -> str:
        return "".join(str(self.cleaned_data["token"]).split())
