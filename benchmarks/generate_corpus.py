"""Generate a synthetic corpus for the import benchmark: N documents of about 100 KB each.

Each document is built from the bundled ATA strategy: its executive summary, then its numbered
sections in a per-document random order, each sentence tagged with the document number so that
every document's items are distinct. Deterministic for a given N and seed.
"""

import argparse
import hashlib
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "ata-2006-regional-security-strategy.txt"
SECTION_RE = re.compile(r"^\s*(\d+(?:\.\d+)*)\.\s+\S", re.MULTILINE)


def split_sections(text: str) -> tuple[str, list[str]]:
    starts = [m.start() for m in SECTION_RE.finditer(text)]
    return text[: starts[0]], [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def make_document(number: int, head: str, sections: list[str], target_bytes: int, rng: random.Random) -> str:
    body = sections[:]
    rng.shuffle(body)
    tag = f" (variant {number})"
    parts = [f"Synthetic strategy {number}\n\n", head.replace(".\n", f"{tag}.\n")]
    size = sum(len(p.encode()) for p in parts)
    index = 0
    while size < target_bytes:
        section = body[index % len(body)].replace(". ", f"{tag}. ", 3)
        parts.append(section)
        size += len(section.encode())
        index += 1
    return "".join(parts)


def generate(folder: Path, documents: int, target_bytes: int = 100_000, seed: int = 2006) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head, sections = split_sections(SOURCE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    entries = []
    for number in range(1, documents + 1):
        text = make_document(number, head, sections, target_bytes, rng)
        name = f"synthetic-{number:05d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        entries.append(
            f'[[documents]]\nfile = "{name}"\nslug = "synthetic-{number:05d}"\n'
            f'reference_prefix = "SYN-{number:05d}"\ntitle = "Synthetic strategy {number}"\n'
            f'kind = "strategy"\npublisher = "Atlantic Treaty Association"\npublished = "2006-10"\n'
            f'sha256 = "{hashlib.sha256(text.encode()).hexdigest()}"\n'
        )
    manifest = folder / "manifest.toml"
    manifest.write_text("\n".join(entries), encoding="utf-8")
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--bytes", type=int, default=100_000, help="approximate size of each document")
    args = parser.parse_args()
    manifest = generate(args.folder, args.documents, args.bytes)
    print(f"wrote {args.documents} documents and {manifest}")


if __name__ == "__main__":
    main()
