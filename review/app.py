"""The review app: FastAPI + Jinja2, server-rendered, usable without JavaScript.

Routes (every page needs a signed-in user; every POST a CSRF token):

- `/login`, `/logout`: sign in and out (throttled).
- `/`: the person's home: an assessor's cities, a reviewer's cities with agreement, a
  coordinator's progress per city and assessor.
- `/cities/{city}`: the queue of one city for the person's round; `/cities/{city}/items/{code}`:
  one indicator with its evidence and the decision form; POST there records a decision and
  redirects to the next item (post/redirect/get).
- `/cities/{city}/assign`: a coordinator assigns assessors A and B and a reviewer.
- `/cities/{city}/responsiveness`: the #250/#252 question, its reply and the values they give.
- `/users`: a coordinator lists and adds accounts. `/agreement.csv`: Cohen's kappa, exported.
- `/archive/{crawl}/record?id=...`: an archived page, only ever inside a sandboxed frame, with a
  CSP that forbids scripts, forms, plugins and every fetch (`ARCHIVE_CSP`).
- `/archive/{crawl}/image?id=...`: a screenshot from a render.
"""

from __future__ import annotations

import base64
import calendar as calendar_module
import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from sqlalchemy import Engine, select
from starlette.datastructures import MutableHeaders

from losi.types import Round
from review import auth
from review.archive_view import IMAGE_TYPES, find_record, outline_for, pages_for, renders_of
from review.queue import (
    RANK_DONE,
    RANK_WAITING,
    RESPONSIVENESS_CODES,
    AssignmentError,
    Conflict,
    DecisionError,
    Item,
    assign,
    assignments,
    build_queue,
    cohen_kappa,
    final_values_of,
    history,
    latest_decisions,
    next_item,
    record_decision,
    round_for,
)
from storage.db import session_scope
from storage.models import City, Crawl, ResponsivenessTest, ReviewSession, User

HERE = Path(__file__).resolve().parent
LOGIN_CSRF_COOKIE = "losi_login_csrf"

# The app's own pages: only its own stylesheet, script and images; archived pages only in frames
# of its own origin; never framed itself.
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
           "frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Archived pages: a sandbox (opaque origin: no scripts, no forms, no popups, no navigation of the
# app, no cookies or storage of the app), no fetch of anything but inline styles and data: images,
# so a hostile page can neither run nor call home nor post to the app.
ARCHIVE_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
               "font-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'")


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Ctx:
    user: User
    sess: ReviewSession


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["http_url"] = http_url
    env.filters["when"] = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else ""
    env.filters["quote"] = lambda s: quote(str(s), safe="")
    return env


def http_url(value: object) -> str:
    """The URL when it is http(s), else "": crawled content may hold javascript: or data: URLs,
    and autoescaping does not make an href safe."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in ("http", "https") else ""


def create_app(engine: Engine, methodology: Any | None = None, *,
               secure_cookies: bool | None = None) -> FastAPI:
    """The app over one database. `secure_cookies`: None = Secure exactly when the request came
    over HTTPS (behind a proxy, run uvicorn with --proxy-headers); True/False to force it."""
    if methodology is None:
        from scoring.methodology import builtin_dir, load_methodology

        methodology = load_methodology(builtin_dir() / "losi-2024.toml")
    m = methodology
    app = FastAPI(title="losi review", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(env=_env())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # ---- plumbing ----------------------------------------------------------------------------

    app.add_middleware(SecurityHeaders)

    def secure(request: Request) -> bool:
        return request.url.scheme == "https" if secure_cookies is None else secure_cookies

    def cookie_name(request: Request) -> str:
        # The __Host- prefix makes the browser refuse the cookie unless Secure, Path=/ and no
        # Domain: no subdomain can plant or read it.
        return "__Host-losi" if secure(request) else "losi_session"

    def ctx(request: Request) -> Ctx:
        with session_scope(engine) as s:
            return ctx_in(s, request)

    def ctx_in(s: Any, request: Request) -> Ctx:
        """`ctx` inside a page's own transaction: one connection and one commit a request (on
        PostgreSQL each costs round trips to a server that shares the machine)."""
        found = auth.find_session(s, request.cookies.get(cookie_name(request)))
        if found is None:
            raise NotSignedIn()
        return Ctx(user=found[1], sess=found[0])

    def check_csrf(c: Ctx, token: str) -> None:
        if not auth.same_token(c.sess.csrf_token, token):
            raise Forbidden("the form's security token is missing or stale: reload the page and "
                            "try again", 403)

    def page(request: Request, name: str, c: Ctx | None, status: int = 200, **data: Any) -> Response:
        data.update(user=c.user if c else None, csrf=c.sess.csrf_token if c else "",
                    methodology=m)
        return templates.TemplateResponse(request, name, data, status_code=status)

    def city_or_404(s: Any, city_id: str) -> City:
        city = s.get(City, city_id)
        if city is None:
            raise Forbidden(f"no city {city_id!r}", 404)
        return city

    def may_see_city(s: Any, user: User, city_id: str) -> bool:
        if user.role in ("reviewer", "coordinator"):
            return True
        return round_for(s, user, city_id, m.id) is not None

    @app.exception_handler(NotSignedIn)
    async def _to_login(request: Request, _exc: NotSignedIn) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return templates.TemplateResponse(request, "error.html", {"message": str(exc),
                                          "user": None, "methodology": m}, status_code=exc.status)

    # ---- sign in and out ---------------------------------------------------------------------

    def login_page(request: Request, message: str = "", status: int = 200,
                   name: str = "") -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or auth.secrets.token_urlsafe(24)
        response = templates.TemplateResponse(
            request, "login.html", {"message": message, "user": None, "login_csrf": token,
                                    "next": _safe_next(request.query_params.get("next", "")),
                                    "name": name, "methodology": m}, status_code=status)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=secure(request), path="/login")
        return response

    @app.get("/login")
    def login_form(request: Request) -> Response:
        return login_page(request)

    @app.post("/login")
    def login(request: Request, name: Annotated[str, Form()] = "",
              password: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
              next: Annotated[str, Form()] = "") -> Response:  # noqa: A002
        if not auth.same_token(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf):
            return login_page(request, "The form expired: please sign in again.", 403)
        client = request.client.host if request.client else "unknown"
        name = name.strip()[:120]
        with session_scope(engine) as s:
            wait = auth.throttled(s, name, client)
            if wait is not None:
                minutes = max(1, round(wait.retry_after / 60))
                response = login_page(request, f"Too many failed sign-ins: try again in about "
                                      f"{minutes} minute(s).", 429, name)
                response.headers["Retry-After"] = str(wait.retry_after)
                return response
            found = auth.password_hash_of(s, name)
        # argon2 (deliberately slow) runs with no database connection held: fifty people signing
        # in at once on a busy machine used to hold every pooled connection for seconds.
        ok = auth.verify_password(found[1] if found else None, password)
        with session_scope(engine) as s:
            user = auth.finish_sign_in(s, s.get(User, found[0]) if ok and found else None, name,
                                       password, client)
            token = auth.open_session(s, user) if user is not None else None
        if token is None:
            return login_page(request, "Wrong name or password.", 401, name)
        response = RedirectResponse(_safe_next(next) or "/", status_code=303)
        response.set_cookie(cookie_name(request), token, httponly=True, samesite="strict",
                            secure=secure(request), path="/", max_age=int(auth.SESSION_LIFETIME.total_seconds()))
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    @app.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        c = ctx(request)
        check_csrf(c, csrf)
        with session_scope(engine) as s:
            auth.close_session(s, request.cookies.get(cookie_name(request)))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(cookie_name(request), path="/")
        return response

    # ---- home ------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        c = ctx(request)
        with session_scope(engine) as s:
            rows = progress(s, c.user)
        return page(request, "home.html", c, rows=rows)

    def progress(s: Any, user: User) -> list[dict[str, Any]]:
        """Per city: who is assigned and how far each round is."""
        total = len(m.indicators)
        cities = list(s.scalars(select(City).order_by(City.id)))
        out = []
        for city in cities:
            who = assignments(s, city.id, m.id)
            if user.role == "assessor":
                mine = [r for r, u in who.items() if u.id == user.id and r in ("a", "b")]
                if not mine:
                    continue
                done = latest_decisions(s, city.id, m.id, mine)
                out.append({"city": city, "round": mine[0].upper(), "done": len(done), "total": total})
                continue
            if user.role == "reviewer" and not ({"a", "b"} <= set(who)):
                continue
            if user.role == "coordinator" or user.role == "reviewer":
                d = latest_decisions(s, city.id, m.id, ["a", "b", "reconciled"])
                codes = set(m.codes)
                a = {code: x.value for (r, code), x in d.items() if r == "a" and code in codes}
                b = {code: x.value for (r, code), x in d.items() if r == "b" and code in codes}
                rec = {code for (r, code) in d if r == "reconciled" and code in codes}
                both = sorted(set(a) & set(b))
                out.append({
                    "city": city, "total": total, "who": {r: u.name for r, u in who.items()},
                    "a": len(a), "b": len(b), "reconciled": len(rec),
                    "disagreements": sum(1 for k in both if a[k] != b[k] and k not in rec),
                    "kappa": cohen_kappa([(a[k], b[k]) for k in both]),
                })
        return out

    # ---- the queue -------------------------------------------------------------------------------

    def queue_for(s: Any, user: User, city: City) -> tuple[Round, list[Item]]:
        round_ = round_for(s, user, city.id, m.id)
        if round_ is None:
            raise Forbidden("you are not assigned to this city")
        return round_, build_queue(s, m, city.id, city.country, round_)

    @app.get("/cities/{city_id}", response_class=HTMLResponse)
    def queue(request: Request, city_id: str, saved: str = "") -> Response:
        with session_scope(engine) as s:
            c = ctx_in(s, request)
            if c.user.role == "coordinator":
                return RedirectResponse(f"/cities/{quote(city_id, safe='')}/assign", status_code=303)
            city = city_or_404(s, city_id)
            round_, items = queue_for(s, c.user, city)
            score = None
            if round_ is Round.RECONCILED:
                from scoring.score import score as compute

                # The reviewer's queue holds the latest reconciled decision of every indicator.
                score = compute(final_values_of(items), m)
        first = next_item(items)
        return page(request, "queue.html", c, city=city, round=round_, items=items, first=first,
                    rank_done=RANK_DONE, rank_waiting=RANK_WAITING, score=score,
                    saved=saved if saved in m.codes else "")

    def item_view(request: Request, c: Ctx | None, city_id: str, code: str, *, status: int = 200,
                  message: str = "", conflict: Any = None, reason: str = "",
                  saved: str = "") -> Response:
        with session_scope(engine) as s:
            if c is None:
                c = ctx_in(s, request)
            city = city_or_404(s, city_id)
            round_, items = queue_for(s, c.user, city)
            item = next((i for i in items if i.code == code), None)
            if item is None:
                raise Forbidden(f"{m.id} has no indicator {code!r}", 404)
            rounds = ["a", "b", "reconciled"] if round_ is Round.RECONCILED else [round_.value]
            past = history(s, city.id, m.id, code, rounds)
            evidence = []
            p = item.proposal
            if p is not None and p.evidence:
                crawl = s.get(Crawl, p.crawl_id)
                renders = renders_of(s, p.crawl_id)
                shown = p.evidence[:20]
                for ev, pg in zip(shown, pages_for(s, p.crawl_id, shown), strict=True):
                    render = renders.get(str(ev.get("page_url") or ""))
                    crop = str(ev.get("screenshot") or "")
                    shot = crop or (render.screenshot_desktop_record_id if render else "")
                    evidence.append({
                        "ev": ev, "link": http_url(ev.get("page_url")),
                        "record": pg.warc_record_id if pg is not None and pg.content_type.startswith("text/html") else "",
                        "download": pg.warc_record_id if pg is not None and not pg.content_type.startswith("text/html") else "",
                        "shot": shot, "crawl": crawl,
                        # A crop has its own coordinates: outlines go on the full screenshot only.
                        "outline": None if crop else outline_for(render, ev),
                    })
            at = items.index(item)
            nxt = next_item(items[at + 1:]) or next_item(items, after=code)
        # The outlines' places differ per item: one <style> element, allowed by its hash in this
        # response's CSP (the app's pages allow no inline style otherwise).
        outline_css = "".join(f"#outline-{n}{{{e['outline'].css}}}"
                              for n, e in enumerate(evidence, 1) if e["outline"] is not None)
        response = page(request, "item.html", c, status=status, city=city, round=round_,
                        item=item, evidence=evidence, past=past, message=message,
                        conflict=conflict, reason=reason, next=nxt,
                        position=items.index(item) + 1, count=len(items),
                        responsiveness=code in RESPONSIVENESS_CODES,
                        saved=saved if saved in m.codes else "", outline_css=Markup(outline_css))
        if outline_css:
            digest = base64.b64encode(hashlib.sha256(outline_css.encode()).digest()).decode()
            response.headers["Content-Security-Policy"] = APP_CSP.replace(
                "style-src 'self'", f"style-src 'self' 'sha256-{digest}'")
        return response

    @app.get("/cities/{city_id}/items/{code}", response_class=HTMLResponse)
    def item(request: Request, city_id: str, code: str, saved: str = "") -> Response:
        return item_view(request, None, city_id, code, saved=saved)

    @app.post("/cities/{city_id}/items/{code}")
    def decide(request: Request, city_id: str, code: str, csrf: Annotated[str, Form()] = "",
               value: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
               proposal_id: Annotated[str, Form()] = "", expected_seq: Annotated[str, Form()] = "",
               back: Annotated[str, Form()] = "") -> Response:
        with session_scope(engine) as s:
            c = ctx_in(s, request)
            check_csrf(c, csrf)
            city = city_or_404(s, city_id)
            round_ = round_for(s, c.user, city.id, m.id)
        if round_ is None:
            raise Forbidden("you are not assigned to this city")
        try:
            if value not in ("0", "1"):
                raise DecisionError("choose 1 (present) or 0 (absent)")
            if not re.fullmatch(r"\d{1,9}", expected_seq) or (proposal_id and not proposal_id.isdigit()):
                raise DecisionError("the form is damaged: reload the page")
            record_decision(engine, methodology=m, city_id=city.id, code=code, round_=round_,
                            value=int(value), reason=reason, proposal_id=int(proposal_id) if proposal_id else None,
                            expected_seq=int(expected_seq), user=c.user)
        except DecisionError as exc:
            if code not in m.codes:
                raise Forbidden(str(exc), 404) from None
            return item_view(request, c, city_id, code, status=422, message=str(exc), reason=reason)
        except Conflict as exc:
            return item_view(request, c, city_id, code, status=409, conflict=exc.latest, reason=reason)
        base = f"/cities/{quote(city.id, safe='')}"
        if back == "queue":  # the queue page ranks everything itself: no need to here
            return RedirectResponse(f"{base}?saved={quote(code)}", status_code=303)
        with session_scope(engine) as s:
            items = build_queue(s, m, city.id, city.country, round_)
        nxt = next_item(items, after=code)
        if nxt is None:
            return RedirectResponse(f"{base}?saved={quote(code)}", status_code=303)
        return RedirectResponse(f"{base}/items/{quote(nxt.code)}?saved={quote(code)}", status_code=303)

    # ---- assignment (coordinators) ---------------------------------------------------------------

    def coordinator(request: Request) -> Ctx:
        c = ctx(request)
        if c.user.role != "coordinator":
            raise Forbidden("only a coordinator can do this")
        return c

    def assign_page(request: Request, c: Ctx, city_id: str, message: str = "", status: int = 200) -> Response:
        with session_scope(engine) as s:
            city = city_or_404(s, city_id)
            who = assignments(s, city.id, m.id)
            users = list(s.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
        return page(request, "assign.html", c, status=status, city=city, who=who, message=message,
                    assessors=[u for u in users if u.role == "assessor"],
                    reviewers=[u for u in users if u.role == "reviewer"])

    @app.get("/cities/{city_id}/assign", response_class=HTMLResponse)
    def assign_form(request: Request, city_id: str) -> Response:
        return assign_page(request, coordinator(request), city_id)

    @app.post("/cities/{city_id}/assign")
    def assign_post(request: Request, city_id: str, csrf: Annotated[str, Form()] = "",
                    a: Annotated[str, Form()] = "", b: Annotated[str, Form()] = "",
                    reviewer: Annotated[str, Form()] = "") -> Response:
        c = coordinator(request)
        check_csrf(c, csrf)
        try:
            with session_scope(engine) as s:
                city = city_or_404(s, city_id)
                users = {u.name: u for u in s.scalars(select(User))}
                missing = [n for n in (a, b) if n not in users] + ([reviewer] if reviewer and reviewer not in users else [])
                if missing:
                    raise AssignmentError(f"no user named {missing[0]!r}")
                assign(s, city.id, m.id, users[a], users[b], users.get(reviewer) if reviewer else None,
                       by=c.user.name)
        except AssignmentError as exc:
            return assign_page(request, c, city_id, str(exc), 422)
        return RedirectResponse("/", status_code=303)

    # ---- accounts (coordinators) -----------------------------------------------------------------

    def users_page(request: Request, c: Ctx, message: str = "", status: int = 200) -> Response:
        with session_scope(engine) as s:
            users = list(s.scalars(select(User).order_by(User.name)))
        return page(request, "users.html", c, status=status, users=users, roles=auth.ROLES,
                    message=message)

    @app.get("/users", response_class=HTMLResponse)
    def users_list(request: Request) -> Response:
        return users_page(request, coordinator(request))

    @app.post("/users")
    def users_add(request: Request, csrf: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                  role: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
        c = coordinator(request)
        check_csrf(c, csrf)
        try:
            with session_scope(engine) as s:
                auth.add_user(s, name.strip(), role, password)
        except auth.AuthError as exc:
            return users_page(request, c, str(exc), 422)
        return RedirectResponse("/users", status_code=303)

    # ---- agreement -------------------------------------------------------------------------------

    @app.get("/agreement.csv")
    def agreement_csv(request: Request) -> Response:
        c = ctx(request)
        if c.user.role not in ("reviewer", "coordinator"):
            raise Forbidden("only reviewers and coordinators see agreement between assessors")
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["scope", "id", "pairs", "agreements", "kappa"])
        by_indicator: dict[str, list[tuple[int, int]]] = {}
        with session_scope(engine) as s:
            for city in s.scalars(select(City).order_by(City.id)):
                d = latest_decisions(s, city.id, m.id, ["a", "b"])
                pairs = []
                for code in m.codes:
                    if ("a", code) in d and ("b", code) in d:
                        pair = (d[("a", code)].value, d[("b", code)].value)
                        pairs.append(pair)
                        by_indicator.setdefault(code, []).append(pair)
                if pairs:
                    writer.writerow(_kappa_row("city", city.id, pairs))
        for code in m.codes:
            if code in by_indicator:
                writer.writerow(_kappa_row("indicator", code, by_indicator[code]))
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="agreement.csv"'})

    # ---- responsiveness test (#250, #252) ---------------------------------------------------------

    def responsiveness_page(request: Request, c: Ctx, city_id: str, message: str = "",
                            status: int = 200) -> Response:
        from review.responsiveness import calendar, evaluate

        with session_scope(engine) as s:
            city = city_or_404(s, city_id)
            if not may_see_city(s, c.user, city.id):
                raise Forbidden("you are not assigned to this city")
            tests = list(s.scalars(select(ResponsivenessTest).where(
                ResponsivenessTest.city_id == city.id, ResponsivenessTest.methodology_id == m.id)
                .order_by(ResponsivenessTest.id.desc())))
        cal = calendar(city.country)
        results = [(t, evaluate(t.sent_at, t.reply_at, t.useful, cal)) for t in tests]
        return page(request, "responsiveness.html", c, status=status, city=city, results=results,
                    cal=cal, message=message, may_edit=may_record(c.user),
                    weekend=", ".join(calendar_module.day_name[d] for d in sorted(cal.weekend)))

    def may_record(user: User) -> bool:
        return user.role in ("assessor", "coordinator")

    @app.get("/cities/{city_id}/responsiveness", response_class=HTMLResponse)
    def responsiveness(request: Request, city_id: str) -> Response:
        return responsiveness_page(request, ctx(request), city_id)

    @app.post("/cities/{city_id}/responsiveness")
    def responsiveness_add(request: Request, city_id: str, csrf: Annotated[str, Form()] = "",
                           channel: Annotated[str, Form()] = "", sent_to: Annotated[str, Form()] = "",
                           question: Annotated[str, Form()] = "", sent_at: Annotated[str, Form()] = "") -> Response:
        c = ctx(request)
        check_csrf(c, csrf)
        try:
            with session_scope(engine) as s:
                city = city_or_404(s, city_id)
                if not may_record(c.user) or not may_see_city(s, c.user, city.id):
                    raise Forbidden("only the city's assessors or a coordinator record the test")
                if channel not in ("email", "form"):
                    raise ValueError("choose how the question was sent: e-mail or the portal's form")
                if not sent_to.strip() or not question.strip():
                    raise ValueError("give the address (or form URL) and the question sent")
                s.add(ResponsivenessTest(city_id=city.id, methodology_id=m.id, channel=channel,
                                         sent_to=sent_to.strip()[:500], question=question.strip(),
                                         sent_at=_parse_local(sent_at, "sent"), recorded_by=c.user.name))
        except ValueError as exc:
            return responsiveness_page(request, c, city_id, str(exc), 422)
        return RedirectResponse(f"/cities/{quote(city_id, safe='')}/responsiveness", status_code=303)

    @app.post("/cities/{city_id}/responsiveness/{test_id}/reply")
    def responsiveness_reply(request: Request, city_id: str, test_id: int,
                             csrf: Annotated[str, Form()] = "", reply_at: Annotated[str, Form()] = "",
                             reply_text: Annotated[str, Form()] = "",
                             useful: Annotated[str, Form()] = "") -> Response:
        c = ctx(request)
        check_csrf(c, csrf)
        try:
            with session_scope(engine) as s:
                city = city_or_404(s, city_id)
                if not may_record(c.user) or not may_see_city(s, c.user, city.id):
                    raise Forbidden("only the city's assessors or a coordinator record the reply")
                test = s.get(ResponsivenessTest, test_id)
                if test is None or test.city_id != city.id:
                    raise Forbidden("no such responsiveness test", 404)
                if useful not in ("", "yes", "no"):
                    raise ValueError("say whether the answer was useful: yes, no, or not judged yet")
                if reply_at:
                    if test.reply_at is not None:
                        raise ValueError("the reply is already recorded; it is kept as it was")
                    when = _parse_local(reply_at, "reply")
                    if when < test.sent_at:
                        raise ValueError("the reply cannot come before the question was sent")
                    test.reply_at, test.reply_text = when, reply_text.strip()
                    test.reply_recorded_by, test.reply_recorded_at = c.user.name, auth.now()
                if useful:
                    if test.reply_at is None:
                        raise ValueError("record the reply before judging it")
                    if test.useful is not None:
                        raise ValueError("the answer is already judged; the judgement is kept")
                    test.useful = useful == "yes"
                if not reply_at and not useful:
                    raise ValueError("give the reply's date and time, or a judgement")
        except ValueError as exc:
            return responsiveness_page(request, c, city_id, str(exc), 422)
        return RedirectResponse(f"/cities/{quote(city_id, safe='')}/responsiveness", status_code=303)

    # ---- the archive -----------------------------------------------------------------------------

    def archived(request: Request, crawl_id: int, record_id: str) -> Any:
        c = ctx(request)
        with session_scope(engine) as s:
            crawl = s.get(Crawl, crawl_id)
            if crawl is None or not may_see_city(s, c.user, crawl.city_id):
                raise Forbidden("no such archived record", 404)
            record = find_record(s, crawl, record_id)
        if record is None:
            raise Forbidden("no such archived record", 404)
        return record

    @app.get("/archive/{crawl_id}/record")
    def archive_record(request: Request, crawl_id: int, id: str = "") -> Response:  # noqa: A002
        record = archived(request, crawl_id, id)
        ctype = record.content_type.split(";")[0].strip().lower()
        headers = {
            "Content-Security-Policy": ARCHIVE_CSP,
            "X-Frame-Options": "SAMEORIGIN",
            "Cross-Origin-Resource-Policy": "same-origin",
            "Cache-Control": "private, max-age=86400",  # a record never changes
        }
        if ctype in ("text/html", "application/xhtml+xml"):
            charset = _charset(record.content_type)
            media = f"text/html; charset={charset}" if charset else "text/html"
            return Response(record.body, media_type=media, headers=headers)
        # Anything else is offered as a download, never rendered by the browser here.
        headers["Content-Disposition"] = "attachment"
        return Response(record.body, media_type="application/octet-stream", headers=headers)

    @app.get("/archive/{crawl_id}/image")
    def archive_image(request: Request, crawl_id: int, id: str = "") -> Response:  # noqa: A002
        record = archived(request, crawl_id, id)
        ctype = record.content_type.split(";")[0].strip().lower()
        if ctype not in IMAGE_TYPES:
            raise Forbidden("that record is not an image", 404)
        return Response(record.body, media_type=ctype, headers={
            "Cache-Control": "private, max-age=86400", "Content-Security-Policy": "default-src 'none'"})

    return app


class SecurityHeaders:
    """Every response's security headers (a route may set its own CSP, X-Frame-Options or
    Cache-Control first). Plain ASGI rather than `@app.middleware("http")`, whose task group and
    streams cost more per request than the page's own queries."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", APP_CSP)
                headers.setdefault("X-Frame-Options", "DENY")
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if static:
                    headers["Cache-Control"] = "public, max-age=3600"
                else:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _kappa_row(scope: str, ident: str, pairs: list[tuple[int, int]]) -> list[str]:
    k = cohen_kappa(pairs)
    return [scope, ident, str(len(pairs)), str(sum(1 for x, y in pairs if x == y)),
            "" if k is None else f"{k:.4f}"]


def _charset(content_type: str) -> str:
    found = re.search(r"charset=([A-Za-z0-9._-]{1,40})", content_type)
    return found.group(1) if found else ""


def _safe_next(target: str) -> str:
    """Only a path of this app (never //host or a scheme): no open redirect after sign-in."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def _parse_local(value: str, what: str) -> datetime:
    try:
        # City-local wall-clock time: a zone given by the browser or a person is dropped.
        return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        raise ValueError(f"the {what} time {value!r} is not a date and time such as 2026-03-02T09:30") from None
