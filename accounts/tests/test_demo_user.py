from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_ensure_demo_user_creates_once_and_prints_same_login(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second, quiet = StringIO(), StringIO(), StringIO()

    call_command("ensure_demo_user", stdout=first)
    call_command("ensure_demo_user", stdout=second)
    call_command("ensure_demo_user", "--quiet", stdout=quiet)

    password = (tmp_path / "demo-login.txt").read_text().strip()
    assert User.objects.filter(username="demo").count() == 1
    assert User.objects.get(username="demo").check_password(password)
    assert f"demo / {password}" in first.getvalue()
    assert first.getvalue() == second.getvalue()
    assert quiet.getvalue() == ""


def test_ensure_demo_user_resets_password_when_login_file_is_lost(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_user", "--quiet")
    (tmp_path / "demo-login.txt").unlink()

    call_command("ensure_demo_user", "--quiet")

    password = (tmp_path / "demo-login.txt").read_text().strip()
    assert User.objects.get(username="demo").check_password(password)
