"""`plaintes serve`: the same app in a browser, one app process per browser tab (textual-serve).

Bound to 127.0.0.1 by default: the service puts its reverse proxy in front, which authenticates
the agent and names them in a request header (``[serve] user_header``), with a key only the
proxy knows (``X-Plaintes-Proxy-Key``, from the file ``[serve] proxy_key_file``, which only
the service account reads). Each app started for a browser receives that login signed with the
key, and is that agent — whom the agent directory must know, as in a terminal; an app trusts
it only when it runs as the service account. Without a user header,
the agent is the operating-system user running ``plaintes serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import html
import re
import secrets
import shlex
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from plaintes_tui.commands.base import EXIT_OK, Context, int_between
from plaintes_tui.domain.access import AccessRefused, Job, web_signature
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.identity import WEB_AGENT_ENV, WEB_SIGNATURE_ENV, Way
from plaintes_tui.secret_file import read_secret

PROXY_KEY_HEADER = "X-Plaintes-Proxy-Key"
# A page's ticket for its terminal connection is good once, within this many seconds.
TICKET_SECONDS = 60


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help=tr("help.command.serve"),
        description=tr("help.about.serve"),
    )
    parser.add_argument("--host", metavar="HOST", help=tr("help.serve.host"))
    parser.add_argument(
        "--port", type=int_between(1, 65535), metavar="PORT", help=tr("help.serve.port")
    )
    parser.set_defaults(handler=run, job=Job.SERVE)


def app_command(context: Context) -> str:
    """The command each browser tab runs: this program, on the same settings and store."""
    parts = [sys.executable, "-m", "plaintes_tui", "--db", str(context.db_path.absolute())]
    if context.settings.source is not None:
        parts += ["--config", str(context.settings.source.absolute())]
    return shlex.join(parts)


def run(context: Context, args: argparse.Namespace) -> int:
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    serve = context.settings.serve
    host, port = args.host or serve.host, args.port or serve.port
    key = ""
    if serve.user_header:  # agents named by the proxy: only the service account trusts them
        account = context.settings.agents.service_account
        if not account or context.agent != account or context.way is not Way.SYSTEM:
            raise UserError(tr("serve.not_service_account", account=account or "—"))
        if serve.proxy_key_file is None:
            raise UserError(tr("serve.no_proxy_key"))
        key = read_secret(serve.proxy_key_file, "serve.proxy_key_file")
    else:
        context.actor()  # the agent is this user: refused now rather than in every tab
    with context.open_store():
        pass  # the store is there and usable before anyone connects

    class AgentService(AppService):
        """The app process of one tab, told who the agent is."""

        def __init__(self, *args: Any, login: str | None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.login = login

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment: dict[str, str] = super()._build_environment(width, height)
            environment.pop(WEB_AGENT_ENV, None)
            environment.pop(WEB_SIGNATURE_ENV, None)
            if self.login is not None:
                environment[WEB_AGENT_ENV] = self.login
                environment[WEB_SIGNATURE_ENV] = web_signature(key, self.login)
            return environment

    class AgentServer(Server):
        """textual-serve's server, refusing what did not come through the proxy.

        The page the proxy let through carries a ticket for its websocket (once, within a
        minute): the terminal's connection needs no header of its own.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tickets: dict[str, tuple[str | None, float]] = {}

        def agent_of(self, request: Any) -> str | None:
            if not serve.user_header:
                return None
            given = request.headers.get(PROXY_KEY_HEADER, "")
            login = request.headers.get(serve.user_header, "").strip()
            # As bytes: a key with a character outside ASCII is refused, not a server error.
            same = hmac.compare_digest(given.encode("utf-8", "surrogateescape"), key.encode())
            if not same or not login:
                raise web.HTTPForbidden(text=tr("serve.forbidden"))
            return str(login)

        def redeem(self, ticket: str) -> str | None:
            if ticket not in self.tickets:
                raise web.HTTPForbidden(text=tr("serve.forbidden"))
            login, issued = self.tickets.pop(ticket)
            if time.monotonic() - issued > TICKET_SECONDS:
                raise web.HTTPForbidden(text=tr("serve.forbidden"))
            return login

        async def _make_app(self) -> Any:
            app = await super()._make_app()
            app.router.add_get("/ws/{ticket}", self.handle_websocket)
            _serve_fonts_locally(aiohttp_jinja2.get_env(app))

            @web.middleware
            async def through_proxy(request: Any, handler: Callable[[Any], Awaitable[Any]]) -> Any:
                if "ticket" not in request.match_info:
                    self.agent_of(request)
                return await handler(request)

            app.middlewares.append(through_proxy)
            return app

        async def handle_index(self, request: Any) -> Any:
            login = self.agent_of(request)
            if login is not None:  # a login the directory refuses is told why, in the page
                try:
                    context.settings.agents.actor(login)
                except AccessRefused as refused:
                    where = context.settings.source or "—"
                    sentence = tr(refused.key, **refused.values, settings=where)
                    raise web.HTTPForbidden(
                        text=_refusal_page(sentence), content_type="text/html"
                    ) from None
            ticket = secrets.token_urlsafe(24)
            now = time.monotonic()
            for old in [t for t, (_, at) in self.tickets.items() if now - at > TICKET_SECONDS]:
                del self.tickets[old]  # pages that never connected
            self.tickets[ticket] = (login, now)
            page = getattr(Server.handle_index, "__wrapped__")  # noqa: B009 - its template data
            data = await page(self, request)
            data["app_websocket_url"] += f"/{ticket}"
            return aiohttp_jinja2.render_template(LOCAL_INDEX, request, data)

        async def handle_websocket(self, request: Any) -> Any:
            """As textual-serve's own, with the agent's login given to the app process."""
            ticket = request.match_info.get("ticket")
            login = self.redeem(ticket) if ticket else self.agent_of(request)
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _number(request.query.get("width"), 80)
            height = _number(request.query.get("height"), 24)
            service = None
            try:
                await websocket.prepare(request)
                service = AgentService(
                    self.command,
                    login=login,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                if service is not None:
                    await service.stop()
            return websocket

    server = AgentServer(
        app_command(context),
        host=host,
        port=port,
        title=tr("app.title"),
        public_url=serve.public_url or None,
    )
    server.serve()
    return EXIT_OK


# textual-serve's page, with its font served from this server instead of Google's: no request
# from an agent's browser leaves the intranet.
LOCAL_INDEX = "plaintes_index.html"
_GOOGLE_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
      }
    </style>"""


def _serve_fonts_locally(environment: Any) -> None:
    """Add :data:`LOCAL_INDEX` to the page templates: textual-serve's own page, its font link
    to Google replaced by the same font from the package's static files."""
    import jinja2

    source, _, _ = environment.loader.get_source(environment, "app_index.html")
    page = _GOOGLE_FONT.sub(_LOCAL_FONT, source)
    environment.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({LOCAL_INDEX: page}), environment.loader]
    )


def _refusal_page(sentence: str) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(tr('app.title'))}</title></head>"
        '<body style="font-family: sans-serif; margin: 3em">'
        f"<p>{html.escape(sentence)}</p></body></html>"
    )


def _number(text: str | None, default: int) -> int:
    try:
        return max(10, min(500, int(text or default)))
    except ValueError:
        return default
