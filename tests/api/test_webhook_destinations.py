"""Webhooks are no port scanner (issue #18): destinations that are not
globally routable -- in every spelling -- are refused at registration, at
PATCH and again at every delivery (DNS rebinding); deliveries connect to the
address that was checked, follow no redirect, and store what went wrong as
a fixed kind, never what answered.  On SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from sqlalchemy import select

from api import netguard
from api import webhooks as W
from api.netguard import DestinationRefused, NetPolicy
from ledger.config import Settings
from ledger.crypto import Keyring
from ledger.events import audit_log, emit_event
from tests.api.test_recon_api import K
from tests.api.test_webhooks import Receiver

PUBLIC = "93.184.215.14"  # a globally routable address (never called)

#: the spellings of the loopback and unspecified addresses the penetration test used
LITERALS = {
    "http://127.0.0.1/h": "loopback", "http://[::1]/h": "loopback", "http://localhost/h": "loopback", "http://2130706433/h": "loopback",
    "http://0x7f000001/h": "loopback", "http://0177.0.0.1/h": "loopback", "http://0.0.0.0/h": "unspecified", "http://127.1/h": "loopback",
}
#: other classes, each in one address
OTHERS = {
    "http://169.254.169.254/latest/meta-data/": "metadata", "http://[fd00:ec2::254]/": "metadata", "http://metadata.google.internal/": "metadata",
    "http://10.0.0.1/h": "private", "http://172.16.5.4/h": "private", "http://192.168.1.1/h": "private", "http://[fc00::1]/h": "private",
    "http://169.254.1.1/h": "link_local", "http://[fe80::1]/h": "link_local", "http://100.64.0.1/h": "shared", "http://224.0.0.1/h": "multicast",
    "http://240.0.0.1/h": "reserved", "http://192.0.2.1/h": "private", "http://[::]/h": "unspecified",
    "http://[::ffff:127.0.0.1]/h": "loopback", "http://[::ffff:10.0.0.1]/h": "private", "http://[64:ff9b::7f00:1]/h": "loopback",
    "http://[64:ff9b::a9fe:a9fe]/h": "metadata", "http://[2002:7f00:1::]/h": "loopback", "http://[::127.0.0.1]/h": "loopback",
    "http://no-such-host.invalid/h": "unresolvable", "http://[1]/h": "unresolvable",
}
#: the same addresses spelled otherwise: capitals, a trailing dot (the root), a port, expanded or
#: upper-case IPv6, mixed hexadecimal and zero-padded octets
VARIANTS = {
    "http://LOCALHOST/h": "loopback", "http://localhost./h": "loopback", "http://LocalHost.:8080/h": "loopback", "http://127.0.0.1./h": "loopback",
    "http://METADATA.GOOGLE.INTERNAL/h": "metadata", "http://metadata.google.internal./h": "metadata", "http://[::FFFF:7F00:1]/h": "loopback",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/h": "loopback", "http://0x7F.1/h": "loopback", "http://127.000.000.001/h": "loopback",
}


@pytest.fixture(scope="module")
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def keyring(settings) -> Keyring:
    return Keyring.from_settings(settings)


@pytest.fixture
def names(monkeypatch) -> dict[str, list[str]]:
    """Host names the checks resolve through a table (the resolver of
    api.netguard, which this module owns); other names go to the system."""
    table: dict[str, list[str]] = {}
    system = netguard.system_resolve

    async def resolve(host: str, port: int) -> list[str]:
        return list(table[host]) if host in table else await system(host, port)

    monkeypatch.setattr(netguard, "resolve", resolve)
    return table


LOCAL = NetPolicy.from_settings(Settings(webhook_allow_private="127.0.0.1/32"))


# -- the classification ----------------------------------------------------------------------


@pytest.mark.parametrize("url,reason", list(LITERALS.items()) + list(OTHERS.items()) + list(VARIANTS.items()))
async def test_each_spelling_of_a_non_public_destination_is_refused_with_its_class(url, reason):
    with pytest.raises(DestinationRefused) as refused:
        await NetPolicy().check(url)
    assert refused.value.reason == reason and refused.value.code == "webhook_destination_refused"
    assert not any(ch.isdigit() for ch in refused.value.message)  # the class, never the address


@pytest.mark.parametrize("url", [f"https://{PUBLIC}/hook", "http://[2606:4700:4700::1111]:8443/x", "https://8.8.8.8"])
async def test_public_addresses_are_admitted_and_pinned(url):
    target = await NetPolicy().check(url)
    assert ipaddress.ip_address(target.address).is_global
    pinned, host, extensions = target.pinned_request(url)
    assert host["Host"] == url.split("/")[2] and extensions == {}  # an address literal: no SNI name


async def test_a_name_with_one_private_address_among_public_ones_is_refused(names):
    names["partner.example"] = [PUBLIC, "8.8.8.8", "10.1.2.3"]
    with pytest.raises(DestinationRefused) as refused:
        await NetPolicy().check("https://partner.example/hook")
    assert refused.value.reason == "private"
    names["partner.example"] = [PUBLIC, "8.8.8.8"]
    target = await NetPolicy().check("https://partner.example/hook")
    url, host, extensions = target.pinned_request("https://partner.example/hook?a=1")
    assert url == f"https://{PUBLIC}/hook?a=1" and host == {"Host": "partner.example"} and extensions == {"sni_hostname": "partner.example"}


async def test_production_admits_https_only():
    production = NetPolicy.from_settings(Settings(env="production"))
    with pytest.raises(DestinationRefused) as refused:
        await production.check(f"http://{PUBLIC}/hook")
    assert refused.value.reason == "https_required"
    assert (await production.check(f"https://{PUBLIC}/hook")).scheme == "https"
    assert (await NetPolicy.from_settings(Settings(env="development")).check(f"http://{PUBLIC}/hook")).scheme == "http"


async def test_the_allow_list_admits_private_integrations_but_never_metadata_or_the_service_itself(names):
    names["erp.bank.internal"] = ["10.20.0.7"]
    names["api.bank.example"] = [PUBLIC]
    policy = NetPolicy.from_settings(Settings(
        webhook_allow_private="127.0.0.0/8, 169.254.0.0/16, erp.bank.internal", serve_address="127.0.0.1:8000", public_url="https://api.bank.example",
    ))
    assert (await policy.check("http://127.0.0.1:9000/h")).address == "127.0.0.1"
    assert (await policy.check("https://erp.bank.internal/hooks")).address == "10.20.0.7"  # by name
    for url, reason in (
        ("http://127.0.0.1:8000/v1/me", "own_address"), ("http://localhost:8000/", "own_address"), ("https://api.bank.example/v1/me", "own_address"),
        (f"https://{PUBLIC}/x", "own_address"), ("http://169.254.169.254/", "metadata"), ("http://10.20.0.7/h", "private"),  # by name only
        ("http://[::1]:9000/h", "loopback"),  # 127.0.0.0/8 is IPv4
    ):
        with pytest.raises(DestinationRefused) as refused:
            await policy.check(url)
        assert refused.value.reason == reason, url
    # the public URL's other ports are someone else's
    assert (await policy.check(f"https://{PUBLIC}:8443/x")).port == 8443
    # a server listening on every interface: its port on loopback is its own
    everywhere = NetPolicy.from_settings(Settings(webhook_allow_private="127.0.0.0/8", serve_address="0.0.0.0:8000"))
    with pytest.raises(DestinationRefused):
        await everywhere.check("http://127.0.0.1:8000/")


def test_the_settings_parse_into_the_policy():
    policy = NetPolicy.from_settings(Settings(webhook_allow_private=" 10.0.0.0/8 ,fd12::/16, Hooks.Partner.Internal. ,", serve_address="[::]:8000"))
    assert policy.allow_networks == (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd12::/16"))
    assert policy.allow_hosts == {"hooks.partner.internal"} and policy.own == (("::", 8000),) and not policy.require_https


# -- registration and PATCH over the API ----------------------------------------------------------


async def _refused(r, reason: str) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "webhook_destination_refused" and body["reason"] == reason and body["type"].endswith("/webhook_destination_refused")
    assert "127.0.0.1" not in r.text or "127.0.0.1" in r.request.content.decode()


async def test_literal_forms_are_refused_at_create_and_by_patch_from_a_public_url(client, tenant_a, engine):
    t = tenant_a
    for url, reason in LITERALS.items():
        await _refused(await client.post("/v1/webhook-endpoints", json={"url": url, "event_types": ["*"]}, headers=t.h(**K())), reason)
    # a bracketed host the pattern admits but that is no IPv6 address: refused likewise (audited too)
    await _refused(await client.post("/v1/webhook-endpoints", json={"url": "http://[12:]/h", "event_types": ["*"]}, headers=t.h(**K())), "unresolvable")
    assert (await client.get("/v1/webhook-endpoints", headers=t.h())).json()["data"] == []
    r = await client.post("/v1/webhook-endpoints", json={"url": f"https://{PUBLIC}/hook", "event_types": ["*"]}, headers=t.h(**K()))
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    for url, reason in {**LITERALS, "http://169.254.169.254/": "metadata", "http://[fd00:ec2::254]/": "metadata"}.items():
        await _refused(await client.patch(f"/v1/webhook-endpoints/{eid}", json={"url": url}, headers=t.h()), reason)
        await _refused(await client.patch(f"/v1/webhook-endpoints/{eid}", json={"url": url, "enabled": False}, headers=t.as_user("admin")), reason)
    ep = (await client.get(f"/v1/webhook-endpoints/{eid}", headers=t.h())).json()
    assert ep["url"] == f"https://{PUBLIC}/hook" and ep["enabled"] is True  # nothing changed
    async with engine.connect() as conn:
        audited = (await conn.execute(select(audit_log.c.action, audit_log.c.after).where(
            audit_log.c.institution_id == t.institution_id, audit_log.c.action == "webhook_endpoint.destination_refused"))).all()
    assert len(audited) == len(LITERALS) + 1 + 2 * (len(LITERALS) + 2)
    assert {a.after["reason"] for a in audited} == {"loopback", "unspecified", "metadata", "unresolvable"}


# -- delivery: checked again, pinned, no redirects, fixed errors -------------------------------------


async def _deliveries(engine, inst) -> list[dict]:
    async with engine.connect() as conn:
        return await W.list_deliveries(conn, inst)


async def _endpoint(engine, keyring, inst, url: str, policy: NetPolicy) -> dict:
    async with engine.begin() as conn:
        return await W.create_endpoint(conn, keyring, inst, url, ["*"], policy=policy)


async def _emit(engine, inst) -> None:
    async with engine.begin() as conn:
        await emit_event(conn, inst, "transaction.posted", {"n": 1})


async def test_the_local_receiver_is_refused_without_the_allow_list_at_create_and_at_delivery(engine, keyring, book, receiver, request):
    name = f"refused-{request.node.callspec.id}"
    url = receiver.url(name)
    async with engine.begin() as conn:
        with pytest.raises(DestinationRefused) as refused:
            await W.create_endpoint(conn, keyring, book.institution_id, url, ["*"], policy=NetPolicy())
    assert refused.value.reason == "loopback"
    # stored while the deployment allow-listed it (or before this check existed) ...
    await _endpoint(engine, keyring, book.institution_id, url, LOCAL)
    await _emit(engine, book.institution_id)
    # ... then delivered by a dispatcher without the allow-list: no connection
    async with W.WebhookDispatcher(engine, keyring, policy=NetPolicy(), base_delay=0.01, timeout=5.0) as d:
        assert await d.run_once() == 1
    [dl] = await _deliveries(engine, book.institution_id)
    assert dl["status"] == "pending" and dl["last_status_code"] is None and dl["last_error"] == "refused_destination"
    assert [(a["status_code"], a["error"]) for a in dl["attempts_log"]] == [(None, "refused_destination")]
    assert receiver.got(name) == []
    # with the allow-list the same delivery goes through
    async with W.WebhookDispatcher(engine, keyring, policy=LOCAL, base_delay=0.01, timeout=5.0) as d:
        assert await d.run_once(dl["next_attempt_at"]) == 1
    assert len(receiver.got(name)) == 1


async def test_a_name_public_at_registration_and_private_at_delivery_is_refused_without_a_connection(engine, keyring, book, receiver, names, request):
    name = f"rebind-{request.node.callspec.id}"
    url = f"http://rebind.example:{receiver.port}/hook/{name}"
    names["rebind.example"] = [PUBLIC]
    await _endpoint(engine, keyring, book.institution_id, url, NetPolicy())  # public now: admitted
    names["rebind.example"] = ["127.0.0.1"]  # the attacker's DNS answers otherwise at delivery
    await _emit(engine, book.institution_id)
    async with W.WebhookDispatcher(engine, keyring, policy=NetPolicy(), base_delay=0.01, timeout=5.0) as d:
        assert await d.run_once() == 1
    [dl] = await _deliveries(engine, book.institution_id)
    assert dl["last_error"] == "refused_destination" and dl["last_status_code"] is None
    assert receiver.got(name) == []


async def test_the_delivery_connects_to_the_address_it_checked(engine, keyring, book, receiver, names, request):
    """``pinned.example`` resolves only through the check's resolver (the
    system cannot resolve it): the delivery arrives, so the HTTP client
    connected to the checked address and resolved nothing itself; the
    receiver sees the name in Host."""
    name = f"pinned-{request.node.callspec.id}"
    names["pinned.example"] = ["127.0.0.1"]
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("pinned.example", receiver.port)
    await _endpoint(engine, keyring, book.institution_id, f"http://pinned.example:{receiver.port}/hook/{name}", LOCAL)
    await _emit(engine, book.institution_id)
    async with W.WebhookDispatcher(engine, keyring, policy=LOCAL, base_delay=0.01, timeout=5.0) as d:
        assert await d.run_once() == 1
    [req] = receiver.got(name)
    assert req.headers["host"] == f"pinned.example:{receiver.port}"
    assert (await _deliveries(engine, book.institution_id))[0]["status"] == "delivered"


async def test_a_redirect_is_a_failed_try_and_is_not_followed(engine, keyring, book, receiver, request):
    name = f"redirect-{request.node.callspec.id}"
    receiver.script(name, [("redirect", receiver.url(name + "-target")), ("redirect", "http://169.254.169.254/latest/meta-data/")])
    await _endpoint(engine, keyring, book.institution_id, receiver.url(name), LOCAL)
    await _emit(engine, book.institution_id)
    async with W.WebhookDispatcher(engine, keyring, policy=LOCAL, base_delay=0.01, timeout=5.0) as d:
        assert await d.run_once() == 1
        [dl] = await _deliveries(engine, book.institution_id)
        assert await d.run_once(dl["next_attempt_at"]) == 1
    [dl] = await _deliveries(engine, book.institution_id)
    assert dl["status"] == "pending" and [(a["status_code"], a["error"]) for a in dl["attempts_log"]] == [(302, "http_302"), (302, "http_302")]
    assert len(receiver.got(name)) == 2 and receiver.got(name + "-target") == []


async def test_stored_errors_are_fixed_kinds_never_what_answered(engine, keyring, book, receiver, request):
    name = f"quiet-{request.node.callspec.id}"
    receiver.script(name, [(500, b"Traceback: psycopg OperationalError password=hunter2 host=10.9.8.7"), (404, b"<h1>nginx internal</h1>")])
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead = s.getsockname()[1]
    s.close()
    await _endpoint(engine, keyring, book.institution_id, receiver.url(name), LOCAL)
    await _endpoint(engine, keyring, book.institution_id, f"http://127.0.0.1:{dead}/nothing-listens", LOCAL)
    await _emit(engine, book.institution_id)
    async with W.WebhookDispatcher(engine, keyring, policy=LOCAL, base_delay=0.01, timeout=5.0) as d:
        assert await d.run_once() == 2
        due = max(x["next_attempt_at"] for x in await _deliveries(engine, book.institution_id))
        assert await d.run_once(due) == 2
    errors = [(a["status_code"], a["error"]) for x in await _deliveries(engine, book.institution_id) for a in x["attempts_log"]]
    assert sorted(errors, key=str) == sorted([(404, "http_404"), (500, "http_500"), (None, "connect_error"), (None, "connect_error")], key=str)
    assert {x["last_error"] for x in await _deliveries(engine, book.institution_id)} == {"http_404", "connect_error"}


def test_error_kinds():
    import httpx

    assert W.error_kind(DestinationRefused("loopback")) == "refused_destination"
    assert W.error_kind(TimeoutError()) == "timeout" and W.error_kind(httpx.ReadTimeout("slow")) == "timeout"
    assert W.error_kind(httpx.RemoteProtocolError("Server disconnected: secret banner")) == "protocol_error"
    assert W.error_kind(httpx.ConnectError("[Errno 111] Connection refused to 10.0.0.1")) == "connect_error"
    assert W.error_kind(ValueError("anything else")) == "connect_error"


# -- https: the TLS name stays the host's while the connection goes to the checked address ---------


def _self_signed(tmp_path, name: str):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key()).serial_number(1)
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=36500))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_file, key_file


async def test_https_delivery_to_the_checked_address_presents_the_host_name(engine, keyring, book, names, tmp_path):
    import asyncio
    import ssl

    import httpx

    cert_file, key_file = _self_signed(tmp_path, "hooks.partner.example")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert_file, key_file)
    seen: dict[str, object] = {}

    def sni(sock, server_name, ctx) -> None:
        seen["sni"] = server_name

    server_ctx.sni_callback = sni

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen["request"] = head.decode("latin-1")
        writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    names["hooks.partner.example"] = ["127.0.0.1"]
    url = f"https://hooks.partner.example:{port}/xborder"
    client = httpx.AsyncClient(verify=ssl.create_default_context(cafile=str(cert_file)), follow_redirects=False, trust_env=False)
    try:
        await _endpoint(engine, keyring, book.institution_id, url, LOCAL)
        await _emit(engine, book.institution_id)
        async with W.WebhookDispatcher(engine, keyring, policy=LOCAL, client=client, timeout=5.0) as d:
            assert await d.run_once() == 1
    finally:
        await client.aclose()
        server.close()
        await server.wait_closed()
    [dl] = await _deliveries(engine, book.institution_id)
    assert dl["status"] == "delivered" and dl["last_status_code"] == 204, dl
    assert seen["sni"] == "hooks.partner.example"  # the certificate was checked against the name, not 127.0.0.1
    assert f"host: hooks.partner.example:{port}" in str(seen["request"]).lower()
