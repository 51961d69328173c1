"""A small streaming reader for .xlsx files: the sheet list (names, hidden state), then each sheet's rows.

Why not openpyxl for reading: its read-only mode pads every row to the sheet's declared width and fills every
missing row up to the last formatted one, so one styled cell at XFD1048576 means billions of empty cells; it
also re-parses a whole sheet when the <dimension> tag is missing. Here a sheet is parsed once, with expat, in
chunks, and only cells that hold a value are returned, as sparse ``{column: value}`` rows; the caller stops
whenever it has read enough. The same pass records merged ranges and formulas without a saved value, so a
blank cell can be explained without reading the file again. Writing stays with openpyxl.

Values: ``str``, ``int``/``float``, ``bool``, ``datetime`` (a number in a date format), ``CellError``
(``#DIV/0!`` and the like). Anything structurally wrong raises ``XlsxError`` with a code (no library text).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.styles.numbers import is_date_format

from planner.io import limits as L

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            "http://purl.oclc.org/ooxml/officeDocument/relationships")
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_CHUNK = 1 << 16

# Element codes for the sheet parser: full expat tag ("namespace}local") -> a small int.
_ROW, _CELL, _VALUE, _TEXT, _FORMULA, _PHONETIC, _MERGE = range(7)
_TAGS = {f"{ns}}}{local}": code for ns in _MAIN for local, code in
         (("row", _ROW), ("c", _CELL), ("v", _VALUE), ("t", _TEXT), ("f", _FORMULA), ("rPh", _PHONETIC),
          ("mergeCell", _MERGE))}


# What a damaged file can raise while it is unzipped and parsed (a bad CRC, a broken deflate stream, an
# encrypted or unsupported zip entry, invalid XML, a cell reference or number that does not parse).
DAMAGE = (expat.ExpatError, ElementTree.ParseError, ValueError, IndexError, KeyError, OverflowError, EOFError,
          OSError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError)


class XlsxError(Exception):
    """The file is not a readable .xlsx workbook; ``code`` says why (messages are built by the caller)."""

    def __init__(self, code: str, part: str = "", index: int | None = None):
        super().__init__(code)
        self.code = code
        self.part = part  # a sheet name, when one sheet is damaged; a file part (xl/…) for a damaged part
        self.index = index  # the shared string a sheet asked for (damaged_shared_strings)


@dataclass(frozen=True)
class CellError:
    """A formula error shown in the cell (#DIV/0!, #N/A, #REF! …)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible | hidden | veryHidden
    path: str  # the part inside the zip; "" for a chart sheet (no cells)

    @property
    def hidden(self) -> bool:
        return self.state != "visible"


@dataclass
class SheetScan:
    """One pass over a sheet: ``rows()`` streams; afterwards merged ranges and value-less formulas are known."""

    book: Book
    sheet: SheetInfo
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    formula_blanks: set[tuple[int, int]] = field(default_factory=set)  # (row, column) of formulas with no value

    def rows(self) -> Iterator[tuple[int, dict[int, object]]]:
        """(row number, {column number: value}) for every row holding at least one value, in sheet order."""
        if not self.sheet.path:
            return
        try:
            yield from self._parse()
        except XlsxError as exc:  # a shared string the shared-strings part lacks: that part is damaged
            raise XlsxError(exc.code, self.sheet.name, exc.index) from None
        except DAMAGE as exc:
            raise XlsxError("damaged_sheet", self.sheet.name) from exc

    def _parse(self) -> Iterator[tuple[int, dict[int, object]]]:
        shared, dates, epoch = self.book.shared_strings, self.book.date_styles, self.book.epoch
        merged_refs: list[str] = []
        formula_blanks = self.formula_blanks
        out: list[tuple[int, dict[int, object]]] = []
        texts: list[str] = []
        cells: dict[int, object] = {}
        columns = _COLUMN_INDEX
        # Parser state, kept in closure cells. The end-element handler is set only while a value's text is being
        # read (it would otherwise double the Python calls per cell); a cell is completed when the next cell or
        # row starts, or at the end.
        row_num = col_num = 0
        kind = style = None
        capture = phonetic = has_formula = in_cell = False

        def finish_cell() -> None:
            nonlocal in_cell
            in_cell = False
            raw = "".join(texts) if texts else None
            value = _value(raw, kind, style, shared, dates, epoch) if raw is not None else None
            if value is not None and value != "":
                cells[col_num] = value
            elif has_formula:
                formula_blanks.add((row_num, col_num))

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal row_num, col_num, kind, style, capture, phonetic, has_formula, in_cell, cells
            code = _TAGS.get(tag)
            if code is None:
                return
            capture = False
            if code == _CELL:
                if in_cell:
                    finish_cell()
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    col = columns.get(letters)
                    col_num = col if col is not None else _column_number(letters)
                else:
                    col_num += 1
                kind, style = attrs.get("t"), attrs.get("s")
                texts.clear()
                phonetic = has_formula = False
                in_cell = True
            elif code == _VALUE or (code == _TEXT and not phonetic):
                capture = True
                parser.EndElementHandler = end_text
            elif code == _ROW:
                if in_cell:
                    finish_cell()
                if cells:
                    out.append((row_num, cells))
                r = attrs.get("r")
                row_num = int(r) if r else row_num + 1
                if not 1 <= row_num <= 1_048_576:
                    raise ValueError("row number")
                col_num = 0
                cells = {}
            elif code == _FORMULA:
                has_formula = True
            elif code == _PHONETIC:
                phonetic = True
            elif code == _MERGE:
                if in_cell:
                    finish_cell()
                merged_refs.append(attrs.get("ref", ""))

        def end_text(tag: str) -> None:
            nonlocal capture
            capture = False
            parser.EndElementHandler = None

        def data(text: str) -> None:
            if capture:
                texts.append(text)

        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartElementHandler, parser.CharacterDataHandler = start, data
        with self.book.archive.open(self.sheet.path) as src:
            while chunk := src.read(_CHUNK):
                parser.Parse(chunk, False)
                if out:
                    yield from out
                    out.clear()
            parser.Parse(b"", True)
        if in_cell:
            finish_cell()
        if cells:
            out.append((row_num, cells))
        yield from out
        self.merged = [rng for ref in merged_refs if (rng := _range(ref)) is not None]


def _value(raw: str, kind: str | None, style: str | None, shared: list[str], dates: frozenset[str],
           epoch: datetime) -> object:
    if kind is None or kind == "n":
        try:
            number: float | int = int(raw)
        except ValueError:
            number = float(raw)
        if style is not None and style in dates and 0 < number < 2_958_466:  # a date format, up to year 9999
            return _serial_to_datetime(number, epoch)
        return number
    if kind == "s":
        index = int(raw)
        if not 0 <= index < len(shared):
            raise XlsxError("damaged_shared_strings", index=index)
        return shared[index]
    if kind == "inlineStr" or kind == "str":
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return CellError(raw)
    if kind == "d":
        return datetime.fromisoformat(raw.strip().rstrip("Z"))
    raise ValueError("cell type")


def _serial_to_datetime(serial: float, epoch: datetime) -> datetime:
    if epoch == _EPOCH_1900 and serial < 61:  # Excel's 1900 leap-year bug: serials before 1900-03-01
        serial += 1
    return epoch + timedelta(days=serial)


def excel_serial_date(serial: float, date1904: bool = False) -> datetime:
    """The date an Excel serial number stands for (General-format dates typed as numbers)."""
    return _serial_to_datetime(serial, _EPOCH_1904 if date1904 else _EPOCH_1900)


_COLUMN_INDEX: dict[str, int] = {}


def _column_number(letters: str) -> int:
    key = letters
    letters = letters.upper()
    if not letters or len(letters) > 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError("cell reference")
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    if n > 16_384:
        raise ValueError("cell reference")
    _COLUMN_INDEX[key] = n
    return n


_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


def _range(ref: str) -> tuple[int, int, int, int] | None:
    m = _RANGE.match(ref.strip())
    if not m:
        return None
    c1, r1 = _column_number(m.group(1)), int(m.group(2))
    c2, r2 = (_column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# ---------------------------------------------------------------------------------------------- the book

class Book:
    """An opened .xlsx: sheets in workbook order, shared strings and date styles, read once."""

    def __init__(self, data: bytes):
        self.archive = _open_zip(data)
        self._names = {n.lower(): n for n in self.archive.namelist()}
        self.shared_part = ""
        try:
            workbook_part = self._office_document()
            self.sheets, self.epoch, rels = self._workbook(workbook_part)
            self.shared_part = self._part(rels.get("sharedStrings", "")) or "" if rels.get("sharedStrings") else ""
            try:
                self.shared_strings = self._shared_strings(rels.get("sharedStrings", ""))
            except DAMAGE as exc:  # named: every sheet's text comes from it, so no sheet is to blame
                raise XlsxError("damaged_part", self.shared_part or "xl/sharedStrings.xml") from exc
            self.date_styles = self._date_styles(rels.get("styles", ""))
        except XlsxError:
            raise
        except DAMAGE as exc:
            raise XlsxError("damaged") from exc

    def close(self) -> None:
        self.archive.close()

    def scan(self, sheet: SheetInfo) -> SheetScan:
        return SheetScan(self, sheet)

    # -- parts

    def _part(self, name: str) -> str | None:
        return self._names.get(name.lstrip("/").lower())

    def _xml(self, name: str) -> ElementTree.Element:
        part = self._part(name)
        if part is None:
            raise XlsxError("damaged")
        with self.archive.open(part) as fh:
            return ElementTree.parse(fh).getroot()

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type's last word, resolved target) for a part."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if self._part(rels_part) is None:
            return {}
        out = {}
        for rel in self._xml(rels_part):
            if rel.tag != f"{{{_REL}}}Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
        return out

    def _office_document(self) -> str:
        for _, (kind, target) in self._rels("").items():
            if kind == "officeDocument" and self._part(target):
                return self._part(target) or target
        if self._part("xl/workbook.xml"):
            return self._part("xl/workbook.xml") or ""
        raise XlsxError(_other_format(self._names))

    def _workbook(self, part: str) -> tuple[list[SheetInfo], datetime, dict[str, str]]:
        root = self._xml(part)
        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        if ns not in _MAIN:
            raise XlsxError(_other_format(self._names))
        rels = self._rels(part)
        props = root.find(f"{{{ns}}}workbookPr")
        date1904 = props is not None and props.get("date1904", "").lower() in ("1", "true")
        sheets = []
        for el in root.iter(f"{{{ns}}}sheet"):
            rid = next((el.get(f"{{{d}}}id") for d in _DOC_REL if el.get(f"{{{d}}}id")), None)
            kind, target = rels.get(rid or "", ("", ""))
            path = self._part(target) or "" if kind == "worksheet" else ""
            if kind == "worksheet" and not path:
                raise XlsxError("damaged")
            sheets.append(SheetInfo(el.get("name", ""), el.get("state", "visible"), path))
        if not sheets:
            raise XlsxError("damaged")
        by_kind = {kind: target for kind, target in rels.values()}
        return sheets, _EPOCH_1904 if date1904 else _EPOCH_1900, by_kind

    def _shared_strings(self, part: str) -> list[str]:
        name = self._part(part) if part else None
        if name is None:
            return []
        out: list[str] = []
        for ns in _MAIN:
            si, t, r = f"{{{ns}}}si", f"{{{ns}}}t", f"{{{ns}}}r"
            with self.archive.open(name) as fh:
                for _, el in ElementTree.iterparse(fh):
                    if el.tag == si:
                        parts = [c.text or "" for c in el if c.tag == t]  # plain text
                        parts += [x.text or "" for c in el if c.tag == r for x in c if x.tag == t]  # rich runs
                        out.append("".join(parts))
                        el.clear()
            if out:
                break
        return out

    def _date_styles(self, part: str) -> frozenset[str]:
        """Cell style indexes (as the ``s`` attribute spells them) whose number format shows a date."""
        if not part or self._part(part) is None:
            return frozenset()
        root = self._xml(part)
        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        custom = {el.get("numFmtId"): el.get("formatCode", "") for el in root.iter(f"{{{ns}}}numFmt")}
        xfs = root.find(f"{{{ns}}}cellXfs")
        out = set()
        for n, xf in enumerate(xfs if xfs is not None else []):
            fid = xf.get("numFmtId", "0")
            code = custom.get(fid)
            if (code is not None and is_date_format(code)) or (code is None and fid.isdigit()
                                                                and int(fid) in _BUILTIN_DATE_FORMATS):
                out.add(str(n))
        return frozenset(out)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data:
        raise XlsxError("empty_file")
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise XlsxError("ole2")  # .xls (Excel 97-2003) or a password-protected .xlsx
    if not head.startswith(b"PK"):
        raise XlsxError(_text_format(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise XlsxError("damaged") from None
    if len(infos) > L.MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > L.MAX_UNPACKED_MB * 1_000_000:
        raise XlsxError("too_large_unpacked")
    seen: set[str] = set()
    for info in infos:
        # Two entries under one name (a botched edit of the zip): which one Excel reads is not ours to guess,
        # and Python's zipfile would silently read the last one.
        key = info.filename.lower()
        if key in seen:
            raise XlsxError("duplicate_part", info.filename)
        seen.add(key)
    return archive


def _text_format(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return "html_or_xml"
    try:
        data[:4096].decode("utf-8")
        return "text_file"
    except UnicodeDecodeError:
        try:
            data[:4096].decode("gb18030")
            return "text_file"
        except UnicodeDecodeError:
            return "not_a_workbook"


def _other_format(names: dict[str, str]) -> str:
    if "word/document.xml" in names:
        return "word_document"
    if "mimetype" in names or "content.xml" in names:
        return "opendocument"
    return "not_a_workbook"
