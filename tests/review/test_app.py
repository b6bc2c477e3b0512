"""Routes of the review app through FastAPI's TestClient: auth, CSRF, throttling, blindness,
the queue order, decisions and their integrity, the archive's sandbox."""

from __future__ import annotations

import re
import threading

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from losi.types import Round
from review.queue import Conflict, record_decision
from scoring.methodology import builtin_dir, load_methodology
from storage.db import session_scope
from storage.models import DecisionRow, LoginAttempt, ProposalRow, User
from tests.review.conftest import login
from tests.review.world import CITY, HOSTILE_TEXT, PASSWORD, csrf_of, field

M = load_methodology(builtin_dir() / "losi-2024.toml")


def decisions(engine: Engine) -> list[DecisionRow]:
    with session_scope(engine) as s:
        return list(s.scalars(select(DecisionRow).order_by(DecisionRow.id)))


def decide(client: TestClient, code: str, value: int, reason: str = "", page: str | None = None):  # type: ignore[no-untyped-def]
    html = page if page is not None else client.get(f"/cities/{CITY}/items/{code}").text
    return client.post(f"/cities/{CITY}/items/{code}", data={
        "csrf": csrf_of(html), "value": str(value), "reason": reason,
        "proposal_id": field(html, "proposal_id"), "expected_seq": field(html, "expected_seq")},
        follow_redirects=False)


# ---- sign-in, sessions, CSRF, throttling ---------------------------------------------------------


def test_pages_need_a_signed_in_user(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    r = client.get(f"/cities/{CITY}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_sign_in_sets_a_safe_session_cookie(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    form = client.get("/login")
    r = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf": csrf_of(form.text)},
                    follow_redirects=False)
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("losi_session=")][0].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert client.get("/").status_code == 200


def test_over_https_the_cookie_is_secure_and_host_only(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url="https://testserver")
    form = client.get("/login")
    r = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf": csrf_of(form.text)},
                    follow_redirects=False)
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("__Host-losi=")][0].lower()
    assert "secure" in cookie and "httponly" in cookie and "path=/" in cookie and "domain" not in cookie


def test_the_password_is_stored_as_an_argon2_hash(engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        stored = s.scalar(select(User.password_hash).where(User.name == "ana"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_wrong_password_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    form = client.get("/login")
    r = client.post("/login", data={"name": "ana", "password": "nope nope nope", "csrf": csrf_of(form.text)})
    assert r.status_code == 401 and "Wrong name or password" in r.text


def test_sign_in_without_the_form_token_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    r = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_is_throttled_after_repeated_failures(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        assert client.post("/login", data={"name": "ana", "password": "bad password!", "csrf": token}).status_code == 401
    r = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "Too many" in r.text
    # Another account from the same address is not locked by these five.
    login(app, "ben")
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.ok.is_(False))) == 5


def test_no_open_redirect_after_sign_in(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    form = client.get("/login?next=//evil.example/x")
    r = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf": csrf_of(form.text),
                                    "next": field(form.text, "next")}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_a_decision_without_the_csrf_token_is_refused(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    html = ana.get(f"/cities/{CITY}/items/234").text
    for token in ("", "x" * 43):
        r = ana.post(f"/cities/{CITY}/items/234", data={
            "csrf": token, "value": "1", "proposal_id": field(html, "proposal_id"), "expected_seq": "0"})
        assert r.status_code == 403
    assert decisions(engine) == []


def test_sign_out_ends_the_session(as_user) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    token = csrf_of(ana.get("/").text)
    cookie = ana.cookies.get("losi_session")
    assert ana.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    ana.cookies.set("losi_session", cookie)  # a stolen copy of the cookie no longer works
    assert ana.get("/", follow_redirects=False).status_code == 303


def test_app_pages_forbid_framing_and_foreign_scripts(as_user) -> None:  # type: ignore[no-untyped-def]
    r = as_user("ana").get(f"/cities/{CITY}")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"


# ---- assignment and blindness --------------------------------------------------------------------


def test_an_assessor_sees_only_assigned_cities(as_user) -> None:  # type: ignore[no-untyped-def]
    assert as_user("carl").get(f"/cities/{CITY}").status_code == 403
    assert "Testville" in as_user("ana").get("/").text


def test_assessors_are_blind_to_each_other(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana, ben = as_user("ana"), as_user("ben")
    assert decide(ana, "281", 1, "secret-reason-of-ana").status_code == 303
    page = ben.get(f"/cities/{CITY}/items/281").text
    queue = ben.get(f"/cities/{CITY}").text
    assert "secret-reason-of-ana" not in page + queue and ">ana<" not in page
    assert field(page, "expected_seq") == "0"  # B's own chain is untouched
    rita = as_user("rita").get(f"/cities/{CITY}/items/281").text
    assert "secret-reason-of-ana" in rita


def test_a_coordinator_assigns_two_different_assessors(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    coord = as_user("coord")
    html = coord.get(f"/cities/{CITY}/assign").text
    same = coord.post(f"/cities/{CITY}/assign", data={"csrf": csrf_of(html), "a": "carl", "b": "carl"})
    assert same.status_code == 422 and "two different people" in same.text
    ok = coord.post(f"/cities/{CITY}/assign", data={"csrf": csrf_of(html), "a": "ana", "b": "carl",
                                                   "reviewer": "rita"}, follow_redirects=False)
    assert ok.status_code == 303
    assert as_user("carl").get(f"/cities/{CITY}").status_code == 200
    assert as_user("ben").get(f"/cities/{CITY}").status_code == 403
    home = coord.get("/").text
    assert "carl" in home and "rita" in home


def test_only_a_coordinator_assigns_and_adds_accounts(as_user) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    assert ana.get(f"/cities/{CITY}/assign").status_code == 403
    assert ana.get("/users").status_code == 403


def test_a_coordinator_adds_an_account(as_user, app) -> None:  # type: ignore[no-untyped-def]
    coord = as_user("coord")
    token = csrf_of(coord.get("/users").text)
    bad = coord.post("/users", data={"csrf": token, "name": "dora", "role": "boss", "password": "long enough pw"})
    assert bad.status_code == 422 and "unknown role" in bad.text
    assert coord.post("/users", data={"csrf": token, "name": "dora", "role": "assessor",
                                      "password": "long enough pw"}, follow_redirects=False).status_code == 303
    login(app, "dora", "long enough pw")


# ---- the queue -----------------------------------------------------------------------------------


def codes_in_order(html: str) -> list[str]:
    return re.findall(r'<td><a href="/cities/[^/]+/items/([^"]+)">', html)


def test_the_queue_puts_what_needs_a_person_first(as_user) -> None:  # type: ignore[no-untyped-def]
    order = codes_in_order(as_user("ana").get(f"/cities/{CITY}").text)
    # needs_review (281), then no proposal at all, then low confidence (204), then confident.
    assert order.index("281") < order.index("204") < order.index("234")
    assert order.index("204") < order.index("208")
    assert len(order) == len(M.indicators)


def test_confirm_moves_to_the_next_item(as_user, engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    r = decide(ana, "234", 1)
    assert r.status_code == 303 and "/items/" in r.headers["location"] and "saved=234" in r.headers["location"]
    (d,) = decisions(engine)
    assert (d.value, d.assessor, d.round, d.proposal_id, d.seq) == (1, "ana", "a", world.proposals["234"], 1)


def test_one_click_confirm_from_the_queue(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    html = ana.get(f"/cities/{CITY}").text
    form = re.search(r'action="/cities/fra-testville/items/208".*?name="proposal_id" value="(\d+)".*?'
                     r'name="expected_seq" value="(\d+)".*?name="value" value="(\d)"', html, re.S)
    assert form and form.group(3) == "0"
    r = ana.post(f"/cities/{CITY}/items/208", data={"csrf": csrf_of(html), "proposal_id": form.group(1),
                 "expected_seq": form.group(2), "value": "0", "back": "queue"}, follow_redirects=False)
    assert r.headers["location"] == f"/cities/{CITY}?saved=208"
    assert [d.value for d in decisions(engine)] == [0]


def test_an_override_needs_a_comment(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    r = decide(ana, "234", 0)
    assert r.status_code == 422 and "an override needs a comment" in r.text
    assert decisions(engine) == []
    assert decide(ana, "234", 0, "the link goes to a cookie banner").status_code == 303
    assert decisions(engine)[0].reason == "the link goes to a cookie banner"


def test_bad_values_get_a_clear_message(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    html = ana.get(f"/cities/{CITY}/items/234").text
    r = ana.post(f"/cities/{CITY}/items/234", data={"csrf": csrf_of(html), "value": "2", "expected_seq": "0"})
    assert r.status_code == 422 and "choose 1 (present) or 0 (absent)" in r.text
    r = ana.post(f"/cities/{CITY}/items/999", data={"csrf": csrf_of(html), "value": "1", "expected_seq": "0"})
    assert r.status_code == 404
    assert decisions(engine) == []


# ---- integrity -----------------------------------------------------------------------------------


def test_decisions_are_append_only(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    decide(ana, "234", 1)
    decide(ana, "234", 0, "changed my mind")
    rows = decisions(engine)
    assert [(d.value, d.seq) for d in rows] == [(1, 1), (0, 2)]
    page = ana.get(f"/cities/{CITY}/items/234").text
    assert "changed my mind" in page and "Your current value: 0" in page


def test_two_reviewers_at_once_lose_nothing(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    decide(as_user("ana"), "234", 1)
    decide(as_user("ben"), "234", 0, "banner only")
    rita, remy = as_user("rita"), as_user("remy")
    page_rita = rita.get(f"/cities/{CITY}/items/234").text
    page_remy = remy.get(f"/cities/{CITY}/items/234").text
    assert decide(rita, "234", 1, "the policy is there", page=page_rita).status_code == 303
    late = decide(remy, "234", 0, "remy thinks not", page=page_remy)
    assert late.status_code == 409
    assert "Not saved: rita recorded 1" in late.text and "remy thinks not" in late.text
    assert field(late.text, "expected_seq") == "1"
    # Having seen rita's value, remy decides again and that is kept too.
    assert decide(remy, "234", 0, "remy thinks not", page=late.text).status_code == 303
    rec = [d for d in decisions(engine) if d.round == "reconciled"]
    assert [(d.assessor, d.value, d.seq) for d in rec] == [("rita", 1, 1), ("remy", 0, 2)]


def test_the_database_refuses_the_later_of_two_simultaneous_decisions(engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        users = {u.name: u for u in s.scalars(select(User))}
    barrier = threading.Barrier(8)
    results: list[object] = []

    def one(i: int) -> None:
        barrier.wait()
        try:
            results.append(record_decision(engine, methodology=M, city_id=CITY, code="281", round_=Round.A,
                                           value=i % 2, reason=f"t{i}", proposal_id=None, expected_seq=0,
                                           user=users["ana"]))
        except Conflict as exc:
            results.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = decisions(engine)
    assert len(stored) == 1 and len(results) == 8
    assert sum(isinstance(r, Conflict) for r in results) == 7
    assert all(r.latest.id == stored[0].id for r in results if isinstance(r, Conflict))  # type: ignore[union-attr]


def test_reconciling_waits_for_both_assessors(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    decide(as_user("ana"), "234", 1)
    r = decide(as_user("rita"), "234", 1)
    assert r.status_code == 422 and "both assessors must decide" in r.text


def test_the_reviewer_sees_disagreements_first_and_the_final_score(as_user, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    ana, ben, rita = as_user("ana"), as_user("ben"), as_user("rita")
    for code, a, b in (("208", 0, 0), ("234", 1, 0), ("204", 1, 1)):
        decide(ana, code, a, "" if a == 1 or code == "208" else "x")
        decide(ben, code, b, "" if b == 1 or code == "208" else "only a banner")
    order = codes_in_order(rita.get(f"/cities/{CITY}").text)
    assert order[0] == "234"  # the one disagreement
    assert order.index("204") < order.index("281")  # agreed before waiting
    r = decide(rita, "234", 1)
    assert r.status_code == 422 and "needs a comment" in r.text
    decide(rita, "234", 1, "footer link works")
    decide(rita, "204", 1)
    queue = rita.get(f"/cities/{CITY}").text
    assert "Final score from reconciled decisions: <strong>0.0208</strong> (2/96)" in queue
    csv_text = rita.get("/agreement.csv").text
    assert f"city,{CITY},3,2," in csv_text and "indicator,234,1,0," in csv_text


def test_a_detector_rerun_never_changes_a_decision_and_flags_it(as_user, engine: Engine, world) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    decide(ana, "234", 1)
    decide(ana, "208", 0)
    with session_scope(engine) as s:
        s.add(ProposalRow(crawl_id=world.crawl_id, city_id=CITY, methodology_id="losi-2024",
                          methodology_version="1", indicator_code="234", outcome="absent", confidence=0.8,
                          detector_id="test-detector", detector_version=2, reason="link gone", run_id="run2"))
    assert [(d.indicator_code, d.value) for d in decisions(engine)] == [("234", 1), ("208", 0)]
    html = ana.get(f"/cities/{CITY}").text
    assert codes_in_order(html)[0] == "234"
    assert "a newer proposal (absent, run run2) contradicts the decision 1" in html


# ---- safety --------------------------------------------------------------------------------------


def test_crawled_text_is_escaped_and_javascript_urls_are_not_links(as_user) -> None:  # type: ignore[no-untyped-def]
    html = as_user("ana").get(f"/cities/{CITY}/items/234").text
    assert HOSTILE_TEXT not in html and "&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/keys.js" defer>']
    assert '<iframe sandbox=""' in html


def test_archived_pages_come_with_a_sandbox_csp(as_user, world) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    src = re.search(r'<iframe sandbox="" [^>]*src="([^"]+)"', ana.get(f"/cities/{CITY}/items/234").text)
    assert src
    r = ana.get(src.group(1).replace("&amp;", "&"))
    assert r.status_code == 200 and b"/canary/script" in r.content
    csp = r.headers["content-security-policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp
    assert "form-action 'none'" in csp and r.headers["x-content-type-options"] == "nosniff"


def test_the_archive_is_closed_to_strangers(as_user, app, world) -> None:  # type: ignore[no-untyped-def]
    url = f"/archive/{world.crawl_id}/record"
    ana = as_user("ana")
    html = ana.get(f"/cities/{CITY}/items/234").text
    rid = re.search(r'record\?id=([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert TestClient(app).get(f"{url}?id={rid}", follow_redirects=False).status_code == 303
    assert as_user("carl").get(f"{url}?id={rid}").status_code == 404
    assert ana.get(f"{url}?id=%3Curn:uuid:nope%3E").status_code == 404


def test_screenshots_are_served_as_images_only(as_user, world) -> None:  # type: ignore[no-untyped-def]
    ana = as_user("ana")
    html = ana.get(f"/cities/{CITY}/items/204").text
    src = re.search(r'<img src="(/archive/\d+/image\?id=[^"]+)"', html)
    assert src
    r = ana.get(src.group(1))
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content.startswith(b"\x89PNG")
    page_id = re.search(r'record\?id=([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert ana.get(f"/archive/{world.crawl_id}/image?id={page_id}").status_code == 404
