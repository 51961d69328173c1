"""``planner db …`` and ``planner users …``: the database and the accounts from the command line.

The command line acts as the local administrator (whoever can run it can read the database file or its URL
anyway); the database is ``PLANNER_DB`` or the SQLite file in ``PLANNER_DATA_DIR`` (see ``planner.storage.db``).
Storage modules are imported inside the commands, so other commands start as fast as before.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from planner.domain import InputError, Message


def _url_shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _service():
    from planner.service import Service

    return Service()


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


# ------------------------------------------------------------------------------------------------- db

def db_arguments(p: argparse.ArgumentParser) -> None:
    """The ``db`` subcommands."""
    sub = p.add_subparsers(dest="action", required=True)
    sub.add_parser("upgrade", help="create or migrate the schema / 创建或升级数据库结构")
    b = sub.add_parser("backup", help="every row as JSON lines (.gz compresses) / 备份")
    b.add_argument("file")
    b.add_argument("--force", action="store_true", help="replace an existing file")
    r = sub.add_parser("restore", help="load a backup into an empty database / 恢复到空数据库")
    r.add_argument("file")
    i = sub.add_parser("import", help="import a workbook as a dataset (one transaction) / 导入工作簿")
    i.add_argument("name", help="the dataset's name, e.g. 南通")
    i.add_argument("workbook")
    i.add_argument("--reason", default="")
    i.add_argument("--based-on", type=int, metavar="VERSION",
                   help="the version the workbook was exported from: refused if the dataset changed since "
                        "(without it, the workbook's cells become the current state, each change an event)")
    e = sub.add_parser("export", help="a version of a dataset as a workbook / 导出工作簿")
    e.add_argument("name")
    e.add_argument("--out", required=True)
    e.add_argument("--version", type=int, help="an event id (default: the current version)")
    e.add_argument("--at", metavar="TIME", help="the version as it was at this time, e.g. 2026-12-01T18:00 "
                                                "(ISO 8601; UTC unless an offset is given)")
    e.add_argument("--force", action="store_true")
    h = sub.add_parser("history", help="the change history of a dataset / 修改记录")
    h.add_argument("name")
    h.add_argument("--region")
    h.add_argument("--kind")
    h.add_argument("--author")
    h.add_argument("--since", metavar="TIME", help="only changes at or after this time (ISO 8601, UTC by default)")
    h.add_argument("--until", metavar="TIME", help="only changes at or before this time")
    h.add_argument("--limit", type=int, default=200)
    h.add_argument("--json", action="store_true")
    d = sub.add_parser("diff", help="cells changed between two versions / 版本差异")
    d.add_argument("name")
    d.add_argument("old", type=int)
    d.add_argument("new", type=int, nargs="?")
    d.add_argument("--json", action="store_true")
    c = sub.add_parser("import-city", help="collect cities' workbooks into a province dataset / 省级汇总")
    c.add_argument("--province", required=True, help="the province's name, the top of the hierarchy")
    c.add_argument("--name", help="the dataset's name (default: the province's)")
    c.add_argument("--dry-run", action="store_true", help="check and report only")
    c.add_argument("workbooks", nargs="+")


def cmd_db(args: argparse.Namespace) -> int:
    """Run a ``db`` subcommand."""
    from planner.storage import backup, datasets, db

    if args.action == "upgrade":
        engine = db.make_engine()
        db.upgrade(engine)
        print(f"数据库已是最新结构 / database at schema revision {db.current_revision(engine)}: "
              f"{_url_shown(db.database_url())}")
        from planner.storage.accounts import count_users

        if count_users(engine) == 0:
            print("尚无账户：用 `planner users add 用户名 --role admin` 创建第一个管理员 / no accounts yet: create the "
                  "first admin with `planner users add NAME --role admin`")
        return 0
    if args.action == "restore":
        engine = db.make_engine()
        db.upgrade(engine)
        counts = backup.restore(engine, _existing(args.file))
        print(f"已恢复 {sum(counts.values())} 行 / restored {sum(counts.values())} rows: {counts}")
        return 0
    svc = _service()
    admin = svc.local_admin()
    if args.action == "backup":
        path = Path(args.file)
        _refuse_existing(path, args.force)
        counts = backup.backup(svc.engine, path)
        print(f"已备份 {sum(counts.values())} 行到 {path} / backed up {sum(counts.values())} rows to {path}")
    elif args.action == "import":
        from planner.io.limits import MAX_WORKBOOK_MB

        data = _read(args.workbook, MAX_WORKBOOK_MB)
        version = svc.import_workbook(admin, args.name, data, reason=args.reason, seen=args.based_on)
        print(f"已导入「{args.name}」，版本 {version} / imported '{args.name}', version {version}")
    elif args.action == "export":
        from planner.io.files import write_atomic

        _refuse_existing(Path(args.out), args.force)
        version = args.version
        if args.at:
            version = svc.version_at(admin, args.name, _parse_time(args.at))
        write_atomic(args.out, svc.export(admin, args.name, version))
        print(f"已导出到 {args.out} / exported to {args.out}")
    elif args.action == "history":
        rows = svc.history(admin, args.name, region=args.region, kind=args.kind, author=args.author,
                           since=_parse_time(args.since) if args.since else None,
                           until=_parse_time(args.until) if args.until else None, limit=args.limit)
        if args.json:
            _print_json(rows)
        for r in [] if args.json else rows:
            where = " ".join(str(x) for x in (r["region"], r["item"], r["year"] or "") if x)
            print(f"#{r['id']} {r['at']} {r['author']} {r['kind']} {where}: {r['old']} -> {r['new']}"
                  f"{'  ' + r['reason'] if r['reason'] else ''}")
    elif args.action == "diff":
        rows = [vars(x) for x in svc.diff(admin, args.name, args.old, args.new)]
        if args.json:
            _print_json(rows)
        for r in [] if args.json else rows:
            print(f"{r['kind']} {r['region']} {r['item']} {r['year'] or ''}: {r['old']} -> {r['new']}")
    elif args.action == "import-city":
        from planner.io.limits import MAX_WORKBOOK_MB
        from planner.io.workbook import load_workbook
        from planner.storage.collect import collect

        parts = [(Path(w).name, load_workbook(_read(w, MAX_WORKBOOK_MB))) for w in args.workbooks]
        result = collect(parts, args.province)
        for m in result.warnings:
            print(f"注意 / note: {m.text()}", file=sys.stderr)
        name = args.name or args.province
        if args.dry_run:
            print(f"可以汇总：{len(result.dataset.regions)} 个地区 / can be collected: "
                  f"{len(result.dataset.regions)} regions")
            return 0
        version = datasets.import_workbook(svc.engine, name, result.data, admin.username,
                                           reason=f"省级汇总 / collected: {', '.join(args.workbooks)}",
                                           dataset=result.dataset)
        print(f"已汇总为「{name}」，版本 {version} / collected as '{name}', version {version}")
    return 0


def _parse_time(text: str):
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(Message("bad_time", f"时间「{text}」无法识别（例：2026-12-01T18:00）",
                                 f"cannot read the time '{text}' (e.g. 2026-12-01T18:00)")) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _existing(path: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise InputError(Message("no_file", f"文件不存在：{path}", f"no such file: {path}"))
    return p


def _read(path: str, max_mb: int) -> bytes:
    from planner.io.files import FileProblem, read_input

    try:
        return read_input(path, max_mb * 1024 * 1024, "工作簿", "workbook")
    except FileProblem as exc:
        raise InputError(exc.message) from None


def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputError(Message("output_exists", f"{path} 已存在（用 --force 覆盖）",
                                 f"{path} exists (use --force to replace it)"))


# ---------------------------------------------------------------------------------------------- users

def users_arguments(p: argparse.ArgumentParser) -> None:
    """The ``users`` subcommands."""
    sub = p.add_subparsers(dest="action", required=True)
    a = sub.add_parser("add", help="create an account / 创建账户")
    a.add_argument("username")
    a.add_argument("--role", required=True,
                   help="county_editor, city_planner, province_planner, reviewer or admin (checked on add)")
    a.add_argument("--region", default="", help="county, city or province (or a dataset name) the role applies to")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    ls = sub.add_parser("list", help="list accounts / 账户列表")
    ls.add_argument("--json", action="store_true")
    d = sub.add_parser("disable", help="disable an account and end its sessions / 停用账户")
    d.add_argument("username")
    e = sub.add_parser("enable", help="enable a disabled account / 启用账户")
    e.add_argument("username")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get("PLANNER_PASSWORD"):
        return os.environ["PLANNER_PASSWORD"]
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再次输入 / again: ") != first:
        raise InputError(Message("password_mismatch", "两次输入的密码不同", "the passwords differ"))
    return first


def cmd_users(args: argparse.Namespace) -> int:
    """Run a ``users`` subcommand."""
    svc = _service()
    admin = svc.local_admin()
    if args.action == "add":
        svc.add_user(admin, args.username, _password(args.password_stdin), args.role, args.region)
        print(f"已创建账户 {args.username}（{args.role}）/ account {args.username} created ({args.role})")
    elif args.action == "list":
        users = svc.list_users(admin)
        if args.json:
            _print_json(users)
        for u in [] if args.json else users:
            state = "停用 disabled" if u["disabled"] else "启用 enabled"
            print(f"{u['username']}\t{u['role']}\t{u['scope'] or '-'}\t{state}\t{u['created_at']}")
    else:
        svc.disable_user(admin, args.username, disabled=args.action == "disable")
        print(f"已{'停用' if args.action == 'disable' else '启用'}账户 {args.username} / account {args.username} "
              f"{args.action}d")
    return 0
