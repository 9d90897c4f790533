from typing import Any

class Settings:
    OTP_LOGIN_URL: str
    def __getattr__(self, name: str) -> Any: ...

settings: Settings
