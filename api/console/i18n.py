"""The console's languages: Simplified Chinese first, English on request.

Messages are written in English in the templates and the console's Python
(``_("...")``) and translated through a gettext catalog
(``locale/zh/LC_MESSAGES/console.po``, read with Babel and compiled in
memory at first use: no build step, no binary file in the repository).
``tests/console/test_i18n.py`` extracts every message with Babel and fails
on one without a Chinese translation.

The language is the user's choice, kept in a cookie (``xb_console_lang``,
a year) set by ``/console/lang/{zh|en}``; without it the console speaks
Chinese.  Times are shown in China time (Asia/Shanghai, ``2026-12-02
18:51``), amounts with thousands separators and the currency's decimals.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
COOKIE = "xb_console_lang"
#: the ``lang`` attribute of the page per language
HTML_LANG = {"zh": "zh-CN", "en": "en"}
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOG = LOCALE_DIR / "zh" / "LC_MESSAGES" / "console.po"
CHINA = ZoneInfo("Asia/Shanghai")

Gettext = Callable[..., str]


@lru_cache(maxsize=4)
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English: the messages as written)."""
    if lang != "zh":
        return NullTranslations()
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh, locale="zh_Hans_CN")
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def gettext_for(lang: str) -> Gettext:
    """``_(message, **values)``: the translation, ``%(name)s`` placeholders
    filled from ``values``."""
    tr = translations(lang if lang in LANGS else DEFAULT_LANG)

    def _(message: str, **values: Any) -> str:
        text = tr.gettext(message) if message else message
        return text % values if values else text

    return _


def lang_of(cookies: dict[str, str]) -> str:
    lang = cookies.get(COOKIE, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def local_time(value: Any) -> str:
    """A timestamp in China time to the minute: ``2026-12-02 18:51``.
    Dates and text that is not a timestamp are shown as they are."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=ZoneInfo("UTC"))
        return aware.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def N_(message: str) -> str:
    """Marks a message for the catalog (Babel extracts ``N_``)."""
    return message


#: words the pages show from data (match rules, statuses, proposal kinds;
#: underscores shown as spaces), translated where shown
DATA_WORDS = (
    N_("reference"), N_("batch reference"), N_("amount date"), N_("one line many entries"), N_("many lines one entry"),
    N_("amount date with charges"), N_("reversal"), N_("manual"), N_("matched"), N_("pending fee"), N_("unmatched"),
    N_("pending"), N_("approved"), N_("rejected"), N_("manual match"), N_("split"), N_("adjustment"), N_("fee"),
    N_("standard"), N_("post pending"), N_("void pending"), N_("expire pending"),
)
