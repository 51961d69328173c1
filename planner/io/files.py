"""Files in and out, safely: inputs are read only if they are regular files of a sane size (a FIFO, a folder
or a device never hangs or crashes a read); outputs never overwrite an input, never overwrite anything
without being told to, and are written to a temporary file in the same folder and renamed into place, so an
interrupted write leaves the old file intact.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import tempfile
from pathlib import Path

from planner.domain import Message


class FileProblem(Exception):
    """A file that cannot be read or written; ``message`` is bilingual (the caller picks the error type)."""

    def __init__(self, message: Message):
        super().__init__(message.en)
        self.message = message


def _msg(code: str, zh: str, en: str) -> FileProblem:
    return FileProblem(Message(code, zh, en))


_ERRNO = {
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("没有权限", "permission denied"),
    errno.ENOENT: ("文件夹不存在", "the folder does not exist"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.ENOSPC: ("磁盘空间不足", "the disk is full"),
    errno.EROFS: ("文件系统只读", "the file system is read-only"),
    errno.ENAMETOOLONG: ("文件名过长", "the file name is too long"),
    errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
    errno.ELOOP: ("符号链接成环（链接指向自身）", "a symbolic link loop (the link points to itself)"),
    errno.EEXIST: ("路径中有一段是文件而不是文件夹", "a part of the path is a file, not a folder"),
    errno.EIO: ("磁盘读写错误", "a disk input/output error"),
    errno.EFBIG: ("文件过大", "the file is too large"),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """An OSError's reason in Chinese and English (never the library's text)."""
    return _ERRNO.get(exc.errno or 0, (f"系统错误（errno {exc.errno}）", f"system error (errno {exc.errno})"))


def read_input(path: str | Path, max_bytes: int, what_zh: str, what_en: str) -> bytes:
    """The bytes of an input file; ``FileProblem`` when it is missing, not a regular file, unreadable or
    larger than ``max_bytes``."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _msg("file_not_found", f"找不到文件 {path}（{what_zh}）", f"file not found: {path} ({what_en})") from None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise _msg("cannot_read", f"无法读取{what_zh} {path}：{zh}",
                   f"cannot read the {what_en} {path}: {en}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _msg("is_a_directory", f"{path} 是文件夹，不是{what_zh}", f"{path} is a folder, not a {what_en}")
    if not stat.S_ISREG(info.st_mode):
        raise _msg("not_a_file", f"{path} 不是普通文件（可能是管道或设备），不能作为{what_zh}读取",
                   f"{path} is not a regular file (a pipe or a device?); it cannot be read as a {what_en}")
    too_large = _msg("file_too_large", f"{what_zh} {path} 过大（上限 {_size(max_bytes)}）",
                     f"the {what_en} {path} is too large (limit {_size(max_bytes)})")
    if info.st_size > max_bytes:
        raise too_large
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, opening it cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise _msg("not_a_file", f"{path} 不是普通文件", f"{path} is not a regular file")
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        zh, en = os_reason(exc)
        raise _msg("cannot_read", f"无法读取{what_zh} {path}：{zh}",
                   f"cannot read the {what_en} {path}: {en}") from None
    if len(data) > max_bytes:
        raise too_large
    return data


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def resolve(path: str | Path) -> Path:
    """``path`` made absolute with its symlinks followed; a symlink loop is left as it is spelt (absolute)
    rather than raising (``Path.resolve`` raises RuntimeError on a loop in Python 3.11)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (symlinks, hard links, ``..`` and case-insensitive file systems)."""
    if resolve(a) == resolve(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, RuntimeError):
        return False


def check_output(path: str | Path, inputs: list[Path], force: bool = False) -> Path:
    """Refuse an output path that is one of the inputs (always) or an existing file (unless ``force``)."""
    path = Path(path)
    for source in inputs:
        if same_file(path, source):
            raise _msg("output_is_input", f"不能写到输入文件 {path}：这样会覆盖您的数据（请换一个文件名）",
                       f"refusing to write over the input file {path}: your data would be lost (choose another name)")
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 (a name typed in a GBK terminal): nothing could cite it
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        raise _msg("bad_file_name", f"输出文件名 {shown} 不是有效的 UTF-8 文字（可能来自 GBK 终端）：请换一个文件名",
                   f"the output file name {shown} is not valid UTF-8 text (typed in a GBK terminal?): choose "
                   "another name") from None
    if path.is_dir():
        raise _msg("output_is_directory", f"{path} 是文件夹，请给出文件名", f"{path} is a folder: give a file name")
    if (path.exists() or path.is_symlink()) and not force:
        raise _msg("output_exists", f"文件 {path} 已存在，未覆盖（确需覆盖请加 --force）",
                   f"{path} already exists and was not overwritten (add --force to overwrite it)")
    return path


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (``os.umask`` sets it to read it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_mode(path: Path) -> int:
    """The permissions an output gets: an existing file's own (``--force`` keeps a 0664 file 0664), else what
    the umask gives a new file (0666 less the umask), never the temporary file's forced 0600."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it into place:
    readers see the old file or the new one, never half of one. ``FileProblem`` on failure."""
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_part_prefix(path), suffix=".part")
        os.fchmod(fd, output_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        zh, en = os_reason(exc)
        raise _msg("cannot_write", f"无法写入 {path}：{zh}", f"cannot write {path}: {en}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return path


def _host() -> str:
    return "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:40] or "host"


def _part_prefix(path: Path) -> str:
    """Temporary files are named ``.NAME.HOST-PID.xxxx.part``: the pid tells a stale one (its writer was killed,
    ``kill -9`` leaves no chance to clean up) from one being written right now; the host keeps a writer on
    another machine sharing the folder from being taken for a dead one."""
    return f".{path.name}.{_host()}-{os.getpid()}."


def remove_stale_parts(path: Path) -> list[Path]:
    """Delete the temporary files earlier writes of ``path`` on this machine left behind when their process
    was killed (their pid no longer runs); files of a live writer, of another machine, and any other file are
    left alone. Returns those removed."""
    removed = []
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent or ".") if n.startswith(prefix) and n.endswith(".part")]
    except OSError:
        return removed
    here = _host()
    for name in names:
        host, _, pid = name[len(prefix):].split(".", 1)[0].rpartition("-")
        if host != here or not pid.isdigit() or _running(int(pid)):
            continue
        try:
            os.unlink(path.parent / name)
            removed.append(path.parent / name)
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def write_new(path: str | Path, data: bytes) -> Path:
    """Write a new file, never replacing one: a complete temporary file is linked into place (atomic) and
    ``FileExistsError`` is raised if ``path`` exists."""
    path = Path(path)
    remove_stale_parts(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_part_prefix(path), suffix=".part")
    try:
        os.fchmod(fd, output_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)  # fails if path exists: no overwrite, and no half-written file under its name
    finally:
        os.unlink(tmp)
    return path


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a UTF-8 file (with or without BOM), else GB18030 (Windows Notepad's default in China).
    Returns (text, encoding); ``FileProblem`` for UTF-16/32, binary data or anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _msg("bad_encoding", "文件是 UTF-16 编码；请另存为 UTF-8", "the file is UTF-16 encoded: save it as UTF-8")
    if b"\x00" in data:
        raise _msg("bad_encoding", "这不是文本文件（含二进制数据）", "this is not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _msg("bad_encoding", "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）",
                   "unknown text encoding (expected UTF-8 or GBK/GB18030)") from None
    if any(0xE000 <= ord(c) <= 0xF8FF or (ord(c) < 32 and c not in "\t\r\n") for c in text):
        raise _msg("bad_encoding", "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）",
                   "unknown text encoding (expected UTF-8 or GBK/GB18030)")
    return text, "gb18030"
