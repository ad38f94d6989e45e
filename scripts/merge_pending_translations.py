"""Merge the German translations engineers left in locale/pending/*.po into the catalogue.

    .venv/bin/python scripts/merge_pending_translations.py [--check]

1. `makemessages -l de`: locale/de/LC_MESSAGES/django.po gets every translatable string of
   the templates and Python code (new ones with an empty msgstr, stale ones dropped);
2. every entry of locale/pending/*.po (plain `msgid "…"` / `msgstr "…"` pairs, also with
   msgctxt or msgid_plural / msgstr[n]) fills the matching entry of the catalogue;
3. a pending file whose entries all found their string is deleted; one with entries that
   match nothing (the string changed or was never wrapped) is kept and its leftovers listed;
4. the catalogue is compiled to django.mo (committed: the servers need no gettext tools).

It ends by listing the strings still untranslated (empty or fuzzy); tests/test_i18n.py fails
while there are any. `--check` only reports, writing nothing.

Needs GNU gettext's xgettext/msgmerge (apt-get install gettext) for makemessages; polib
(requirements-dev.txt) reads and writes the catalogues.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
PENDING_DIR = LOCALE_DIR / "pending"
LANGUAGE = "de"
# Directories that are not the product: makemessages must not read them.
IGNORE_PATTERNS = [
    ".venv/*",
    ".pgdata/*",
    "staticfiles/*",
    "tests/*",
    "bench/*",
    "deploy/*",
    "scripts/*",
    "node_modules/*",
    "*/migrations/*",
    "*/management/*",
]


HEADER = (
    "German translations of Sourcemark's interface (Sie-form).\n"
    "Terms: claim = Aussage, source tag = Quellenangabe, workspace = Arbeitsbereich,\n"
    "outlet = Medium, cited source = zitierte Quelle, anonymous = anonym.\n"
    "Made by scripts/merge_pending_translations.py; new strings come from locale/pending/*.po."
)
METADATA = {
    "Project-Id-Version": "Sourcemark",
    "Language": LANGUAGE,
    "Language-Team": "German",
    "Last-Translator": "Sourcemark",
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def catalogue_path(locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / LANGUAGE / "LC_MESSAGES" / "django.po"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Settings insist on a database URL and a key; makemessages neither connects nor signs.
    os.environ.setdefault("DATABASE_URL", "postgresql://localhost/sourcemark")
    os.environ.setdefault("SECRET_KEY", "makemessages-only-" + "k" * 40)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def make_messages(*, locale_dir: Path = LOCALE_DIR) -> Path:
    """Run makemessages for German into locale_dir (merging with the .po already there).

    makemessages always writes into the project's own locale/ (it finds that directory while
    walking the tree, whatever LOCALE_PATHS says), so for a scratch locale_dir the real
    catalogue is swapped for the scratch one during the run and put back afterwards: --check
    and the tests then read the fresh result and leave the committed catalogue untouched."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    locale_dir.mkdir(parents=True, exist_ok=True)
    real_po, scratch_po = catalogue_path(), catalogue_path(locale_dir)
    scratch = real_po.resolve() != scratch_po.resolve()
    saved = real_po.read_bytes() if scratch and real_po.exists() else None
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        if scratch:
            real_po.parent.mkdir(parents=True, exist_ok=True)
            if scratch_po.exists():
                real_po.write_bytes(scratch_po.read_bytes())
            elif real_po.exists():
                real_po.unlink()
        with override_settings(LOCALE_PATHS=[locale_dir]):
            call_command(
                "makemessages",
                locale=[LANGUAGE],
                ignore_patterns=IGNORE_PATTERNS,
                no_obsolete=True,
                add_location="file",
                verbosity=0,
            )
        if scratch:
            scratch_po.parent.mkdir(parents=True, exist_ok=True)
            scratch_po.write_bytes(real_po.read_bytes())
    finally:
        if scratch:
            if saved is None:
                real_po.unlink(missing_ok=True)
            else:
                real_po.write_bytes(saved)
        os.chdir(cwd)
    return scratch_po


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values()) and bool(entry.msgstr_plural)
    return bool(entry.msgstr)


def fill_from_pending(*, catalogue: polib.POFile, pending: polib.POFile) -> list[polib.POEntry]:
    """Copy pending translations into the catalogue; return the pending entries that matched
    nothing there."""
    entries = {_key(entry): entry for entry in catalogue}
    leftovers = []
    for source in pending:
        if not source.msgid or not _translated(source):
            continue
        target = entries.get(_key(source))
        if target is None:
            leftovers.append(source)
            continue
        if target.msgid_plural:
            target.msgstr_plural = dict(source.msgstr_plural) or {0: source.msgstr}
        else:
            target.msgstr = source.msgstr
        if "fuzzy" in target.flags:
            target.flags.remove("fuzzy")
        # msgmerge's guess ("#| msgid …") is settled now: drop it.
        target.previous_msgid = target.previous_msgid_plural = target.previous_msgctxt = None
    return leftovers


def untranslated(catalogue: polib.POFile) -> list[polib.POEntry]:
    """Entries with no German yet: empty, or fuzzy (a guess msgmerge made, never checked)."""
    return [
        entry
        for entry in catalogue
        if not entry.obsolete and (not _translated(entry) or "fuzzy" in entry.flags)
    ]


def compile_catalogue(catalogue: polib.POFile, po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    setup_django()
    po_path = catalogue_path()
    if args.check:
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            tmp_po = catalogue_path(Path(tmp))
            tmp_po.parent.mkdir(parents=True)
            if po_path.exists():
                shutil.copy(po_path, tmp_po)
            catalogue = polib.pofile(str(make_messages(locale_dir=Path(tmp))), wrapwidth=100)
    else:
        catalogue = polib.pofile(str(make_messages()), wrapwidth=100)
    for pending_path in sorted(PENDING_DIR.glob("*.po")):
        pending = polib.pofile(str(pending_path), encoding="utf-8")
        leftovers = fill_from_pending(catalogue=catalogue, pending=pending)
        print(f"{pending_path.relative_to(ROOT)}: {len(pending) - len(leftovers)} merged")
        for entry in leftovers:
            print(f"  no such string in the code (kept in the file): {entry.msgid!r}")
        if not args.check and not leftovers:
            pending_path.unlink()
    missing = untranslated(catalogue)
    if not args.check:
        catalogue.header = HEADER
        catalogue.metadata_is_fuzzy = False
        catalogue.metadata.update(METADATA)
        catalogue.save(str(po_path))
        compile_catalogue(catalogue, po_path)
        print(f"wrote {po_path.relative_to(ROOT)} and django.mo ({len(catalogue)} strings)")
    for entry in missing:
        context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
        print(f"untranslated{context}: {entry.msgid!r}")
    if missing:
        print(f"{len(missing)} strings still need German (put them in {PENDING_DIR.name}/*.po)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
