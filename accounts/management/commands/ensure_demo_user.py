"""Create the embedded default's demo login once, and print it on every start."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.services import user_create

USERNAME = "demo"


class Command(BaseCommand):
    help = "Create the local demo user (if missing) and print how to log in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")
        parser.add_argument("--quiet", action="store_true", help="Create only; print nothing.")

    def handle(self, *args: Any, url: str, quiet: bool = False, **options: Any) -> None:
        login_file = settings.VAR_DIR / "demo-login.txt"
        if User.objects.filter(username=USERNAME).exists() and login_file.is_file():
            password = login_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            user = User.objects.filter(username=USERNAME).first()
            if user is None:
                user_create(username=USERNAME, password=password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            login_file.write_text(password + "\n")
            login_file.chmod(0o600)
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Quantum Trader is starting at {url}  -  log in as {USERNAME} / {password}"
            )
        )
