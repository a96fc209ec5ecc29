"""The fingerprint of the extraction code: every file it is made of, so any change re-extracts.

Pure Python. Every module and data file of the ``corpus_import`` package takes part (walked from
the folder, so a new or split module is never left out), except the parts that only write to the
database or plug into Django; plus the plain tables from ``tracker`` the extraction reads.
"""

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TRACKER = PACKAGE.parent / "tracker"
# Not extraction: the ORM writer, the Django app config and the command shells.
NOT_EXTRACTION = frozenset({"importer.py", "apps.py"})
NOT_EXTRACTION_DIRS = frozenset({"management", "__pycache__"})
DATA_SUFFIXES = frozenset({".py", ".toml", ".json", ".txt", ".tsv", ".csv"})
TRACKER_TABLES = ("taxonomy.py", "choices.py")


def extraction_files(package: Path = PACKAGE, tracker: Path = TRACKER) -> list[Path]:
    """The files whose content decides what the extraction produces, in a stable order."""
    files = [
        path
        for path in sorted(package.rglob("*"))
        if path.is_file()
        and path.suffix in DATA_SUFFIXES
        and path.name not in NOT_EXTRACTION
        and not NOT_EXTRACTION_DIRS.intersection(path.relative_to(package).parts[:-1])
    ]
    return files + [tracker / name for name in TRACKER_TABLES]


def code_fingerprint(package: Path = PACKAGE, tracker: Path = TRACKER) -> str:
    digest = hashlib.sha256()
    for path in extraction_files(package, tracker):
        root = package if path.is_relative_to(package) else tracker
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
