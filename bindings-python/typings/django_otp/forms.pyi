from django.dispatch import Signal

# Sent by django-otp's forms when a token is refused (sender: the form's
# class, user); otp_core.django's code step sends it too.
otp_verification_failed: Signal
