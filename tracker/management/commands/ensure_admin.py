"""Give a fresh install a way into the admin: a superuser with a generated password, printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a superuser with a generated password (printed once) unless one already exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Username of the superuser to create.")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            if options["verbosity"] >= 1:
                self.stdout.write("A superuser already exists; no account created.")
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created superuser “{username}” with password: {password}\n"
                "This password is shown only once: keep it (change it at /admin/password_change/)."
            )
        )
