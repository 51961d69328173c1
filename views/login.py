"""Login and the acting user: the gate ``app.py`` passes before any page, and the shared helpers of the
database pages (审计, 定稿).

``PLANNER_MULTIUSER=1``: a login form (local accounts, ``planner.service``); nothing else is drawn until a login
succeeds; the session token lives in the browser session's state and expires (``SESSION_TTL``). Otherwise the
single-user mode: the implicit local admin, without touching the database until a database page needs it (so
``make run`` starts at once, even with no data folder yet).
"""

from __future__ import annotations

import logging
import os
import sys

import streamlit as st

from planner.domain import InputError
from planner.service import LOCAL_USER, Service
from planner.storage.accounts import ROLE_ZH, Actor
from views.i18n import lang

log = logging.getLogger("planner.app")
TOKEN = "auth_token"
ACTOR = "auth_actor"


def multiuser() -> bool:
    """Whether the app asks for a login (``PLANNER_MULTIUSER=1``)."""
    return os.environ.get("PLANNER_MULTIUSER", "").strip() == "1"


def tr(zh: str, en: str) -> str:
    """The text in the current language."""
    return en if lang() == "en" else zh


def show_error(exc: InputError) -> None:
    """A refused action's messages, in the current language, as plain text (never markdown)."""
    for m in exc.messages:
        st.error(m.en if lang() == "en" else m.zh, icon=":material/block:")


@st.cache_resource(show_spinner=False)
def _service(url: str) -> Service:
    svc = Service(url=url)
    if multiuser():
        from planner.storage.accounts import count_users

        if count_users(svc.engine) == 0:  # the first start: say on the console how to create the first admin
            print("计量能力缺口规划器：尚无账户，请运行 `planner users add 用户名 --role admin` 创建第一个管理员 / "
                  "no accounts yet: run `planner users add NAME --role admin` to create the first admin",
                  file=sys.stderr, flush=True)
    return svc


def service() -> Service:
    """The service over ``PLANNER_DB`` / the data folder's SQLite file (one per server process and URL); a
    database that cannot be opened stops the page with a message (the details go to the server log)."""
    from planner.storage.db import database_url

    try:
        return _service(database_url())
    except Exception:  # noqa: BLE001 - never a traceback in the browser
        log.exception("database")
        st.error(tr("无法打开数据库：请检查 PLANNER_DB 或数据文件夹（详情见服务器日志）",
                    "the database cannot be opened: check PLANNER_DB or the data folder (details in the server log)"))
        st.stop()
        raise


def actor() -> Actor:
    """The acting user of this browser session (set by ``gate``)."""
    return st.session_state.get(ACTOR) or Actor(LOCAL_USER, "admin", "")


def gate() -> Actor:
    """Single-user mode: the local admin. Multi-user mode: the logged-in user, or the login form and a stop."""
    if not multiuser():
        st.session_state[ACTOR] = Actor(LOCAL_USER, "admin", "")
        return st.session_state[ACTOR]
    svc = service()
    if os.environ.get("PLANNER_AUTH", "").strip().lower() == "oidc":
        return _single_sign_on(svc)
    token = st.session_state.get(TOKEN)
    if token:
        try:
            st.session_state[ACTOR] = svc.actor(token)
            _sidebar(svc)
            return st.session_state[ACTOR]
        except InputError as exc:
            st.session_state.pop(TOKEN, None)
            st.session_state.pop(ACTOR, None)
            show_error(exc)
    _login_form(svc)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _single_sign_on(svc: Service) -> Actor:
    """``PLANNER_AUTH=oidc``: Streamlit's ``st.login`` (the provider in ``.streamlit/secrets.toml`` [auth]);
    the identity's e-mail must be the name of an enabled account, which gives the role."""
    if not _auth_configured():
        st.error(tr("已设置 PLANNER_AUTH=oidc，但 .streamlit/secrets.toml 中没有 [auth] 配置：无法单点登录",
                    "PLANNER_AUTH=oidc is set but .streamlit/secrets.toml has no [auth] section: no single sign-on"))
        st.stop()
    if not st.user.get("is_logged_in", False):
        st.title(tr("登录", "Log in"))
        if st.button(tr("单点登录", "Single sign-on"), type="primary"):
            st.login()
        st.stop()
    try:
        st.session_state[ACTOR] = svc.actor_for_identity(str(st.user.get("email") or ""))
    except InputError as exc:
        show_error(exc)
        if st.button(tr("退出登录", "Log out")):
            st.logout()
        st.stop()
    return st.session_state[ACTOR]


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _login_form(svc: Service) -> None:
    from planner.storage.accounts import count_users

    st.title(tr("登录", "Log in"))
    if count_users(svc.engine) == 0:
        st.info(tr("尚无账户：管理员在服务器上运行 `planner users add 用户名 --role admin` 创建第一个账户",
                   "no accounts yet: on the server, run `planner users add NAME --role admin` for the first one"))
    with st.form("login"):
        username = st.text_input(tr("用户名", "User name"), max_chars=64)
        password = st.text_input(tr("密码", "Password"), type="password", max_chars=256)
        submitted = st.form_submit_button(tr("登录", "Log in"), type="primary")
    if submitted:
        try:
            st.session_state[TOKEN] = svc.login(username.strip(), password)
        except InputError as exc:
            show_error(exc)
            return
        st.rerun()


def _sidebar(svc: Service) -> None:
    who = st.session_state[ACTOR]
    with st.sidebar:
        role = ROLE_ZH.get(who.role, who.role) if lang() != "en" else who.role
        st.caption(f"{who.username} · {role}{' · ' + who.scope if who.scope else ''}")
        if st.button(tr("退出登录", "Log out"), key="logout"):
            svc.logout(st.session_state.pop(TOKEN, ""))
            st.session_state.pop(ACTOR, None)
            st.rerun()


def pick_dataset(svc: Service, who: Actor) -> str | None:
    """A select box of the database's datasets (None when there are none)."""
    names = svc.dataset_names(who)
    if not names:
        return None
    return st.selectbox(tr("数据集", "Dataset"), names, key="db_dataset")


def import_shipped(svc: Service, who: Actor) -> None:
    """An empty database: planners and admins may import the shipped Nantong workbook or upload one."""
    from pathlib import Path

    st.info(tr("数据库中还没有数据集。", "The database holds no dataset yet."))
    if who.role not in ("admin", "city_planner", "province_planner"):
        return
    shipped = Path(__file__).resolve().parent.parent / "data" / "nantong_capabilities.xlsx"
    name = st.text_input(tr("数据集名称", "Dataset name"), value="南通", max_chars=200, key="db_import_name")
    upload = st.file_uploader(tr("工作簿（不选则导入随附的南通数据）", "Workbook (none: the shipped Nantong data)"),
                              type=None, key="db_import_file")
    if st.button(tr("导入数据库", "Import into the database"), key="db_import"):
        try:
            from planner.io.sandbox import load_workbook_limited

            data = upload.getvalue() if upload is not None else shipped.read_bytes()
            # an upload is read within the CPU-time budget, in a child process, before anything is stored
            read = load_workbook_limited(data) if upload is not None else None
            svc.import_workbook(who, name.strip(), data, dataset=read)
        except InputError as exc:
            show_error(exc)
            return
        st.rerun()
