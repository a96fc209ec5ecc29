#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not any(os.environ.get(name) for name in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL")):
        # Nothing configured: a development checkout on its embedded SQLite database, so commands run in
        # development mode. A configured deployment (DATABASE_URL set) still needs DJANGO_SECRET_KEY.
        os.environ["DJANGO_DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
