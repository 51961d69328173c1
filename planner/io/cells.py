"""One cell's value: cleaned, parsed by kind, checked against its bounds.

Each parser returns ``(value, note)``: ``note`` is ``None`` when the cell was already tidy, else a ``Note``
saying what was normalised (full-width digits, a number stored as text, a Chinese or slashed date, an Excel
serial, odd spaces) so the caller can warn with the cell's location. A value that cannot be read without
guessing raises ``CellProblem``. Messages are Chinese and English; no library text reaches them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from planner.io import limits as L
from planner.io.xlsx import CellError, excel_serial_date


@dataclass(frozen=True)
class Note:
    """What was normalised in a cell (a warning once located)."""

    code: str
    zh: str
    en: str


class CellProblem(ValueError):
    """A cell that cannot be used; ``code``, ``zh`` and ``en`` say why (the caller adds the location)."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


# ---------------------------------------------------------------------------------------------- text

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
_INVISIBLE_NAMES = {"\u200b": "U+200B 零宽空格", "\u200c": "U+200C", "\u200d": "U+200D", "\u2060": "U+2060",
                    "\ufeff": "U+FEFF", "\u00ad": "U+00AD 软连字符", "\u180e": "U+180E", "\u3000": "全角空格",
                    "\u00a0": "不换行空格 NBSP", "\t": "制表符 TAB", "\n": "换行 LF", "\r": "回车 CR"}


def show(text: object) -> str:
    """The text with invisible characters made visible (⟨U+200B 零宽空格⟩), for messages."""
    s = str(text)
    if s.isprintable():
        return s[:80] + ("…" if len(s) > 80 else "")
    out = "".join(f"⟨{_INVISIBLE_NAMES.get(c, f'U+{ord(c):04X}')}⟩" if not c.isprintable() and c != " " else c
                  for c in s[:80])
    return out + ("…" if len(s) > 80 else "")


def clean_text(value: object) -> tuple[str, Note | None]:
    """A name or code: zero-width characters removed, every kind of space made one plain space, trimmed."""
    s = value if isinstance(value, str) else _plain(value)
    if s.isprintable() and s == s.strip() and "  " not in s:
        return s, None
    cleaned = " ".join(s.translate(ZERO_WIDTH).split())
    if cleaned == s.strip() and s.strip(" ") == cleaned:  # only ordinary leading/trailing spaces
        return cleaned, None
    return cleaned, Note("normalised_text", f"「{show(s)}」已规范为「{cleaned}」（去除不可见字符或多余空格）",
                         f"'{show(s)}' normalised to '{cleaned}' (invisible characters or extra spaces removed)")


def loose_key(text: str) -> str:
    """Two names are the same name when they differ only in width, case or spaces of any kind."""
    return "".join(unicodedata.normalize("NFKC", text).translate(ZERO_WIDTH).casefold().split())


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    return str(value)


def parse_text(value: object, max_len: int = L.MAX_TEXT) -> tuple[str, Note | None]:
    if isinstance(value, CellError):
        raise _formula_error(value)
    text, note = clean_text(value)
    if len(text) > max_len:
        raise CellProblem("text_too_long", f"文字过长（{len(text)} 个字符，上限 {max_len}）",
                          f"text too long ({len(text)} characters, limit {max_len})")
    return text, note


def parse_note(value: object, max_len: int = L.MAX_TEXT) -> str:
    """Free text (notes, sources): kept as written, trimmed; a formula error is still an error, and so is text
    past the cap (``MAX_TEXT``: the workbook written back would otherwise cut it at Excel's 32,767)."""
    if isinstance(value, CellError):
        raise _formula_error(value)
    text = _plain(value).strip()
    if len(text) > max_len:
        raise CellProblem("text_too_long", f"文字过长（{len(text):,} 个字符，上限 {max_len:,}）",
                          f"text too long ({len(text):,} characters, limit {max_len:,})")
    return text


def _formula_error(value: CellError) -> CellProblem:
    return CellProblem("formula_error", f"单元格显示公式错误 {value}，请修正公式或填入数值",
                       f"the cell shows the formula error {value}; fix the formula or type the value")


# -------------------------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?$|^[+-]?\.\d+$|^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")


def parse_number(value: object, lo: float, hi: float, unit: str = "") -> tuple[float, Note | None]:
    """A finite number within [lo, hi]; text such as ``１２．５`` or ``1,234`` is read and reported."""
    note = None
    if isinstance(value, bool) or isinstance(value, CellError | datetime | date):
        raise _not_a_number(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).translate(ZERO_WIDTH).strip().replace("−", "-")
        if not _NUMBER.match(text):
            raise _not_a_number(value)
        number = float(text.replace(",", ""))
        note = Note("number_as_text", f"「{show(value)}」是文本形式的数字，按 {_fmt(number)} 读取",
                    f"'{show(value)}' is a number stored as text; read as {_fmt(number)}")
    if not math.isfinite(number):
        raise _not_a_number(value)
    if number < lo:
        if number < 0 <= lo:
            raise CellProblem("negative_value", f"不能为负数（{_fmt(number)}）",
                              f"must not be negative ({_fmt(number)})")
        raise _out_of_range(number, lo, hi, unit)
    if number > hi:
        raise _out_of_range(number, lo, hi, unit)
    return number, note


def parse_int(value: object, lo: int, hi: int, unit: str = "") -> tuple[int, Note | None]:
    number, note = parse_number(value, lo, hi, unit)
    if not number.is_integer():
        raise CellProblem("not_an_integer", f"应为整数（{_fmt(number)}）", f"must be a whole number ({_fmt(number)})")
    return int(number), note


def _not_a_number(value: object) -> CellProblem:
    if isinstance(value, CellError):
        return _formula_error(value)
    if isinstance(value, datetime | date):
        return CellProblem("not_a_number", f"「{_plain(value)}」是日期，应为数字（请检查单元格格式）",
                           f"'{_plain(value)}' is a date, expected a number (check the cell format)")
    return CellProblem("not_a_number", f"「{show(value)}」不是数字", f"'{show(value)}' is not a number")


def _out_of_range(number: float, lo: float, hi: float, unit: str) -> CellProblem:
    u = f" {unit}" if unit else ""
    return CellProblem("out_of_range", f"{_fmt(number)} 超出允许范围 {_fmt(lo)}–{_fmt(hi)}{u}",
                       f"{_fmt(number)} is outside the allowed range {_fmt(lo)}–{_fmt(hi)}{u}")


def _fmt(x: float) -> str:
    if abs(x) >= 1e15 or (x != 0 and abs(x) < 1e-4):
        return f"{x:.6g}"
    return f"{x:,.6f}".rstrip("0").rstrip(".") if not float(x).is_integer() else f"{int(x):,}"


# ---------------------------------------------------------------------------------------------- dates

_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
)
_ISO_MIDNIGHT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T]00:00(?::00)?$")
_ACCEPTED = "YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD、YYYY年M月D日"


def parse_date(value: object, lo: date = L.MIN_DATE, hi: date = L.MAX_DATE) -> tuple[date, Note | None]:
    """A date cell, an ISO date, ``2024/12/31``, ``2024.12.31``, ``2024年12月31日`` or an Excel serial."""
    note = None
    if isinstance(value, CellError):
        raise _formula_error(value)
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, bool):
        raise _not_a_date(value)
    elif isinstance(value, int | float):
        lo_serial, hi_serial = _serial(lo), _serial(hi)
        if not (math.isfinite(value) and lo_serial <= value <= hi_serial + 1):
            raise _not_a_date(value)
        result = excel_serial_date(value).date()
        note = Note("date_from_serial", f"数字 {_fmt(value)} 按 Excel 日期序号读取为 {result.isoformat()}",
                    f"the number {_fmt(value)} read as an Excel date serial: {result.isoformat()}")
    else:
        text = unicodedata.normalize("NFKC", str(value)).translate(ZERO_WIDTH).strip()
        m = _ISO_MIDNIGHT.match(text) or next((f.match(text) for f in _DATE_FORMS if f.match(text)), None)
        if m is None:
            raise _not_a_date(value)
        try:
            result = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise CellProblem("not_a_date", f"「{show(value)}」不是有效日期",
                              f"'{show(value)}' is not a valid date") from None
        if str(value).strip() != result.isoformat():
            note = Note("normalised_date", f"「{show(value)}」按日期 {result.isoformat()} 读取",
                        f"'{show(value)}' read as the date {result.isoformat()}")
    if not lo <= result <= hi:
        raise CellProblem("out_of_range", f"日期 {result.isoformat()} 超出允许范围 {lo.isoformat()}–{hi.isoformat()}",
                          f"the date {result.isoformat()} is outside the allowed range "
                          f"{lo.isoformat()}–{hi.isoformat()}")
    return result, note


def _serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def _not_a_date(value: object) -> CellProblem:
    return CellProblem("not_a_date", f"「{show(_plain(value))}」不是日期（可用格式：{_ACCEPTED}）",
                       f"'{show(_plain(value))}' is not a date (accepted: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, "
                       "YYYY年M月D日)")
