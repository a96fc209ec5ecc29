"""The extraction library is pure Python, and its fingerprint covers every module of it."""

import shutil
import subprocess
import sys
from pathlib import Path

from corpus_import import fingerprint

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter where any import of Django fails, then import every extraction module
# (walked from the package, so a new module is covered) and extract the bundled corpus.
_NO_DJANGO_SCRIPT = r"""
import importlib, pkgutil, sys
from importlib.abc import MetaPathFinder

class NoDjango(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django.") or name.startswith("rest_framework"):
            raise ImportError(f"extraction imported {name}")
        return None

sys.meta_path.insert(0, NoDjango())
import corpus_import
skipped = {"corpus_import.importer", "corpus_import.apps"}
names = []
for info in pkgutil.walk_packages(corpus_import.__path__, "corpus_import."):
    if info.name in skipped or info.name.startswith("corpus_import.management"):
        continue
    importlib.import_module(info.name)
    names.append(info.name)
from corpus_import.extract import extract_document
from corpus_import.sources import load_corpus
count = sum(len(extract_document(meta, text).items) for meta, text in load_corpus("corpus"))
assert not any(name == "django" or name.startswith("django.") for name in sys.modules)
print(count, " ".join(sorted(names)))
"""


def test_extraction_runs_where_django_cannot_be_imported():
    result = subprocess.run(
        [sys.executable, "-c", _NO_DJANGO_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, modules = result.stdout.split(" ", 1)
    assert int(count) > 200
    assert {"corpus_import.records", "corpus_import.extract", "corpus_import.gazetteer"} <= set(modules.split())


def test_no_django_guard_catches_a_django_import(tmp_path):
    """The guard above is real: a module that imports tracker.enums (which imports Django) fails under it."""
    script = _NO_DJANGO_SCRIPT.split("import corpus_import\n")[0] + "import tracker.enums\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "extraction imported django" in result.stderr


def test_fingerprint_covers_every_extraction_module():
    files = {path.relative_to(ROOT).as_posix() for path in fingerprint.extraction_files()}
    package = ROOT / "corpus_import"
    modules = {
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*.py")
        if "management" not in path.parts and path.name not in ("importer.py", "apps.py")
    }
    assert modules <= files
    assert {"tracker/taxonomy.py", "tracker/choices.py", "corpus_import/extract.py"} <= files
    assert "corpus_import/importer.py" not in files


def test_fingerprint_changes_when_a_new_or_nested_module_changes(tmp_path):
    package = tmp_path / "corpus_import"
    shutil.copytree(ROOT / "corpus_import", package, ignore=shutil.ignore_patterns("__pycache__"))
    tracker = ROOT / "tracker"
    before = fingerprint.code_fingerprint(package, tracker)
    (package / "split_off.py").write_text("RULE = 1\n", encoding="utf-8")
    added = fingerprint.code_fingerprint(package, tracker)
    assert added != before
    nested = package / "vocabulary"
    nested.mkdir(exist_ok=True)
    (nested / "verbs.toml").write_text("x = 1\n", encoding="utf-8")
    assert fingerprint.code_fingerprint(package, tracker) != added
    # Changing only the database writer does not force a re-extraction.
    again = fingerprint.code_fingerprint(package, tracker)
    (package / "importer.py").write_text("# changed\n", encoding="utf-8")
    assert fingerprint.code_fingerprint(package, tracker) == again
