"""Every string has a Chinese translation, and the compiled catalogue matches the source."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"))


def test_there_is_a_chinese_catalogue():
    assert any("zh_Hans" in str(p) for p in CATALOGUES)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run `make messages`"
    compiled = {(e.msgid, e.msgstr) for e in polib.mofile(str(mo_path)) if not e.msgid_plural}
    source = {(e.msgid, e.msgstr) for e in po.translated_entries() if not e.msgid_plural}
    assert source <= compiled, "the .mo is older than the .po: run `make messages`"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_placeholders_survive_translation(po_path):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr)), (
            entry.msgid
        )


def test_chinese_is_active_when_asked():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
