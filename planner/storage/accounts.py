"""Local accounts: argon2 password hashes, session tokens that expire, failed logins rate-limited.

Only a token's SHA-256 is stored. After ``MAX_FAILURES`` failed logins for one user name within
``FAILURE_WINDOW``, every login for it is refused until the window has passed — even with the right password, so
guessing gains nothing by waiting for a lucky hit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session as DbSession

from planner.domain import Message
from planner.storage.datasets import StorageError, aware, now
from planner.storage.models import LoginAttempt, Session, User

ROLES = ("county_editor", "city_planner", "province_planner", "reviewer", "admin")
ROLE_ZH = {"county_editor": "县级填报员", "city_planner": "市级规划员", "province_planner": "省级规划员",
           "reviewer": "审核员", "admin": "管理员"}
SCOPED = ("county_editor", "city_planner", "province_planner")  # roles that need a region
SESSION_TTL = timedelta(hours=8)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10
USERNAME = re.compile(r"[A-Za-z0-9_.@+\-\u4e00-\u9fff]{1,64}")  # @ and +: e-mail names for single sign-on
_HASHER = PasswordHasher()


class AuthError(StorageError):
    """A refused login, or a session that is unknown or expired."""


def _auth(code: str, zh: str, en: str) -> AuthError:
    return AuthError(Message(code, zh, en))


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user's name, role and scope (a region, or a dataset name for a whole dataset)."""

    username: str
    role: str
    scope: str = ""

    @property
    def label(self) -> str:
        """e.g. "haian（县级填报员 海安）"."""
        return f"{self.username}（{ROLE_ZH.get(self.role, self.role)} {self.scope}）".replace(" ）", "）")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def add_user(engine: Engine, username: str, password: str, role: str, scope: str = "") -> None:
    """Create an account (bilingual errors for a bad name, role, scope or a short password)."""
    if not USERNAME.fullmatch(username):
        raise _auth("bad_username", "用户名须为 1–64 个字母、数字、汉字或 _ . - @ +",
                    "a user name is 1-64 letters, digits, Chinese characters or _ . - @ +")
    if role not in ROLES:
        raise _auth("bad_role", f"角色「{role}」无效（可选：{'、'.join(ROLES)}）",
                    f"invalid role '{role}' (choose from {', '.join(ROLES)})")
    if role in SCOPED and not scope.strip():
        raise _auth("no_scope", f"角色 {role} 须指定地区（--region）", f"role {role} needs a region (--region)")
    if len(password) < MIN_PASSWORD:
        raise _auth("short_password", f"密码至少 {MIN_PASSWORD} 个字符",
                    f"a password has at least {MIN_PASSWORD} characters")
    with DbSession(engine) as s, s.begin():
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise _auth("user_exists", f"用户「{username}」已存在", f"user '{username}' already exists")
        s.add(User(username=username, password_hash=hash_password(password), role=role,
                   scope=scope.strip() if role in SCOPED else "", disabled=False, created_at=now()))


def list_users(engine: Engine) -> list[dict]:
    """Every account (no hashes)."""
    with DbSession(engine) as s:
        return [{"username": u.username, "role": u.role, "scope": u.scope, "disabled": u.disabled,
                 "created_at": aware(u.created_at).isoformat(timespec="seconds")}
                for u in s.scalars(select(User).order_by(User.id))]


def set_disabled(engine: Engine, username: str, disabled: bool = True) -> None:
    """Disable (or enable) an account; a disabled account's sessions end at once."""
    with DbSession(engine) as s, s.begin():
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise _auth("no_user", f"没有用户「{username}」", f"no user '{username}'")
        user.disabled = disabled
        if disabled:
            s.execute(delete(Session).where(Session.user_id == user.id))


def count_users(engine: Engine) -> int:
    """How many accounts people log into exist (0: the first start, which says how to create the first admin);
    single-user mode's implicit local admin is not one."""
    with DbSession(engine) as s:
        return s.scalar(select(func.count(User.id)).where(User.username != "local")) or 0


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def login(engine: Engine, username: str, password: str, *, at: datetime | None = None) -> str:
    """A new session token for a correct password; ``AuthError`` otherwise. Every attempt is recorded."""
    at = at or now()
    with DbSession(engine) as s, s.begin():
        failures = s.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == username, LoginAttempt.ok.is_(False), LoginAttempt.at > at - FAILURE_WINDOW)) or 0
        if failures >= MAX_FAILURES:
            minutes = int(FAILURE_WINDOW.total_seconds() // 60)
            raise _auth("rate_limited", f"登录失败次数过多，请 {minutes} 分钟后再试",
                        f"too many failed logins: try again in {minutes} minutes")
        user = s.scalar(select(User).where(User.username == username))
        ok = False
        if user is not None and not user.disabled:
            try:
                ok = _HASHER.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # spend the same time as a real check, so timing does not tell which names exist
            try:
                _HASHER.verify(_DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                pass
        s.add(LoginAttempt(username=username, at=at, ok=ok))
        token = ""
        if ok:
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            token = secrets.token_urlsafe(32)
            s.add(Session(token_hash=_token_hash(token), user_id=user.id, created_at=at,
                          expires_at=at + SESSION_TTL))
    if not ok:  # raised after the commit: the failure is recorded even though the login is refused
        raise _auth("bad_login", "用户名或密码错误", "wrong user name or password")
    return token


_DUMMY_HASH = _HASHER.hash("not a password of anyone")


def actor_for(engine: Engine, token: str, *, at: datetime | None = None) -> Actor:
    """The actor of a live session; ``AuthError`` when the token is unknown, expired or the user disabled."""
    at = at or now()
    with DbSession(engine) as s:
        row = s.get(Session, _token_hash(token or ""))
        user = s.get(User, row.user_id) if row is not None else None
        if row is None or user is None or user.disabled or aware(row.expires_at) <= at:
            raise _auth("session_expired", "登录已过期或无效，请重新登录",
                        "the session has expired or is invalid: log in again")
        return Actor(user.username, user.role, user.scope)


def actor_for_identity(engine: Engine, username: str) -> Actor:
    """The actor of an identity proven elsewhere (single sign-on through ``st.login``): the enabled account of
    that name. An identity without an account gets no access — accounts and roles stay the admin's to give."""
    with DbSession(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or user.disabled or user.password_hash == "!" and user.username == "local":
            raise _auth("no_account", f"「{username}」没有账户或账户已停用：请管理员用 planner users add 创建",
                        f"'{username}' has no account or it is disabled: ask the admin to create it with "
                        "planner users add")
        return Actor(user.username, user.role, user.scope)


def logout(engine: Engine, token: str) -> None:
    """End a session."""
    with DbSession(engine) as s, s.begin():
        s.execute(delete(Session).where(Session.token_hash == _token_hash(token or "")))
