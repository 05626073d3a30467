"""The projects app's Chinese catalogue (projects/locale) is complete, compiled and covers its strings.

It sits beside the main catalogue until the two are folded together; Django reads both.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

import jindianzi.projects

APP = Path(jindianzi.projects.__file__).parent
PO = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_project_string_has_a_chinese_translation_and_is_compiled():
    assert not [e.msgid for e in entries() if not e.translated()]
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert not [e.msgid for e in entries() if compiled.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural or {})]


def test_the_catalogue_is_used_at_run_time():
    with translation.override("zh-hans"):
        assert translation.gettext("Being integrated") == "整合中"
        assert translation.gettext("Offers") == "承接邀请"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_covers_every_string_of_the_app(tmp_path):
    copy = tmp_path / "projects"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run([str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "zh_Hans",
                    "--no-obsolete", "--no-location"], cwd=copy, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / PO.relative_to(APP))) if not e.obsolete}
    assert not fresh - {(e.msgctxt, e.msgid) for e in entries()}
