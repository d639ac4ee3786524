"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib: no GNU gettext needed on the machine."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogues (pure Python)."

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as exc:  # pragma: no cover - polib is a dev dependency
            raise CommandError("polib is needed: pip install -e '.[dev]'") from exc
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                untranslated = [e.msgid for e in catalogue.untranslated_entries()]
                if untranslated:
                    self.stderr.write(f"{po_path}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path} ({len(catalogue.translated_entries())} messages)")
