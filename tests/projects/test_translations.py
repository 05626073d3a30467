"""The projects app's strings live in the main catalogue (src/jindianzi/locale).

tests/test_translations.py checks that catalogue is complete, compiled and covers
every string of the package; here we only check the app has no catalogue of its
own any more and that its strings are translated at run time.
"""

from pathlib import Path

from django.utils import translation

import jindianzi.projects

APP = Path(jindianzi.projects.__file__).parent


def test_the_app_has_no_catalogue_of_its_own():
    assert not (APP / "locale").exists()


def test_the_main_catalogue_translates_project_strings_at_run_time():
    with translation.override("zh-hans"):
        assert translation.gettext("Being integrated") == "整合中"
        assert translation.gettext("Offers") == "承接邀请"
        assert translation.pgettext("match offer", "Declined") == "已谢绝"
        assert translation.gettext("Declined") == "不予采纳"
