"""A small WebDAV endpoint so that Word opens and saves a contract's document.

``/effect_crm/dav/<token>/`` is a folder holding one file, the latest version of the
contract; the token (see ``effect.crm.webdav.token``) stands for the user. GET/HEAD
serve the latest version, PUT makes a new version (a version is never overwritten),
LOCK/UNLOCK keep a second writer out (locks are rows in PostgreSQL, so any worker
answers). The controller parses and answers; the models check rights.
"""

import logging
import re
from datetime import timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

from lxml import etree
from werkzeug.wrappers import Response

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.effect_crm_webdav import LOCK_MAX_SECONDS

# what the folder and its file allow; MKCOL is routed only to be refused as RFC 4918 says
ALLOWED_METHODS = ["OPTIONS", "PROPFIND", "HEAD", "GET", "LOCK", "UNLOCK", "PUT"]
DAV_METHODS = [*ALLOWED_METHODS, "MKCOL"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREFIX = "/effect_crm/dav/"
_TOKEN_IN_PATH = re.compile(r"(/effect_crm/dav/)[^/\s\"]+")


class _HideTokens(logging.Filter):
    """Keep "Edit in Word" tokens out of the request log."""

    def filter(self, record):
        if isinstance(record.msg, str) and PREFIX in record.msg:
            record.msg = _TOKEN_IN_PATH.sub(r"\1***", record.msg)
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_PATH.sub(r"\1***", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


for _name in ("werkzeug", "odoo.http", "odoo.service.server", "odoo.tests.common"):
    logging.getLogger(_name).addFilter(_HideTokens())


def _response(status, body=b"", headers=None, content_type=None):
    headers = dict(headers or {})
    headers.setdefault("DAV", "1,2")
    headers.setdefault("MS-Author-Via", "DAV")
    response = Response(body, status=status, headers=headers)
    if content_type:
        response.content_type = content_type
    return response


def _multistatus(responses):
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">'
        + "".join(responses)
        + "</D:multistatus>"
    )
    return _response(207, body.encode(), content_type='application/xml; charset="utf-8"')


def _lock_xml(lock, timeout):
    return (
        "<D:activelock><D:locktype><D:write/></D:locktype>"
        "<D:lockscope><D:exclusive/></D:lockscope><D:depth>0</D:depth>"
        f"<D:owner>{escape(lock.owner or '')}</D:owner>"
        f"<D:timeout>Second-{timeout}</D:timeout>"
        f"<D:locktoken><D:href>{escape(lock.lock_token)}</D:href></D:locktoken>"
        "</D:activelock>"
    )


def _timeout(header):
    match = re.search(r"Second-(\d+)", header or "")
    seconds = int(match.group(1)) if match else LOCK_MAX_SECONDS
    return max(1, min(seconds, LOCK_MAX_SECONDS))


def _tokens_in(header):
    """Lock tokens sent in an ``If`` or ``Lock-Token`` header."""
    return set(re.findall(r"<(opaquelocktoken:[^>]+)>", header or ""))


# what Word reads is served on a read-only cursor, as /web/content is (MKCOL writes nothing)
READ_METHODS = ("OPTIONS", "PROPFIND", "HEAD", "GET", "MKCOL")


def _reads_only(_controller, _rule, _args):
    return request.httprequest.method in READ_METHODS


class EffectCrmWebdav(http.Controller):
    @http.route(
        [f"{PREFIX}<string:token>", f"{PREFIX}<string:token>/<path:file_name>"],
        type="http",
        auth="none",
        methods=DAV_METHODS,
        csrf=False,
        save_session=False,
        readonly=_reads_only,  # LOCK/UNLOCK write locks, PUT makes versions
    )
    def effect_dav(self, token, file_name=None, **_kwargs):
        contract = request.env["effect.crm.webdav.token"]._effect_resolve(token)
        if contract is None:
            return _response(403, b"This link has expired or is not yours.")
        method = request.httprequest.method
        handler = getattr(self, f"_dav_{method.lower()}", None)
        if handler is None:
            return _response(405, headers={"Allow": ", ".join(ALLOWED_METHODS)})
        version = contract.version_ids.sorted("number", reverse=True)[:1]
        if method == "MKCOL":
            return self._dav_mkcol(version, file_name)
        if file_name is not None and (not version or file_name != _file_name(version)):
            return _response(404)
        try:
            return handler(contract, version, token, file_name)
        except AccessError:
            return _response(403)

    # ------------------------------------------------------------------

    def _dav_mkcol(self, version, file_name):
        """No collection is ever made (RFC 4918, 9.3.1): the folder of a contract holds
        its one document. 405 where something exists, 409 below a collection that does
        not, 403 for a new collection in the folder."""
        name = (file_name or "").strip("/")
        if not name or (version and name == _file_name(version)):
            return _response(405, headers={"Allow": ", ".join(ALLOWED_METHODS)})
        if "/" in name:
            return _response(409, b"No such collection.")
        return _response(403, b"A contract's folder holds its document only.")

    def _dav_options(self, contract, version, token, file_name):
        return _response(200, headers={"Allow": ", ".join(ALLOWED_METHODS), "Content-Length": "0"})

    def _dav_propfind(self, contract, version, token, file_name):
        depth = request.httprequest.headers.get("Depth", "1")
        folder = f"{PREFIX}{token}/"
        entries = []
        if file_name is None:
            entries.append(
                f"<D:response><D:href>{escape(folder)}</D:href><D:propstat><D:prop>"
                f"<D:displayname>{escape(contract.name)}</D:displayname>"
                "<D:resourcetype><D:collection/></D:resourcetype>"
                "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
            )
        if version and (file_name is not None or depth != "0"):
            entries.append(self._file_propstat(contract, version, folder))
        return _multistatus(entries)

    def _file_propstat(self, contract, version, folder):
        lock = request.env["effect.crm.webdav.lock"].sudo()._effect_current(contract)
        lock_xml = (
            f"<D:lockdiscovery>{_lock_xml(lock, LOCK_MAX_SECONDS)}</D:lockdiscovery>"
            if lock
            else "<D:lockdiscovery/>"
        )
        name = _file_name(version)
        return (
            f"<D:response><D:href>{escape(folder + name)}</D:href><D:propstat><D:prop>"
            f"<D:displayname>{escape(name)}</D:displayname>"
            "<D:resourcetype/>"
            f"<D:getcontentlength>{version.file_size}</D:getcontentlength>"
            f"<D:getcontenttype>{DOCX}</D:getcontenttype>"
            f'<D:getetag>"{version.checksum}"</D:getetag>'
            f"<D:getlastmodified>{_http_date(version.date)}</D:getlastmodified>"
            "<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope>"
            "<D:locktype><D:write/></D:locktype></D:lockentry></D:supportedlock>"
            f"{lock_xml}"
            "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        )

    def _dav_head(self, contract, version, token, file_name):
        # werkzeug sends the headers of the GET (its real Content-Length) without the body
        return self._dav_get(contract, version, token, file_name)

    def _dav_get(self, contract, version, token, file_name):
        if file_name is None:
            return _response(405)
        # served from the file store as /web/content serves it (no base64 round trip)
        stream = request.env["ir.binary"]._get_stream_from(
            version, "file", filename=_file_name(version), mimetype=DOCX
        )
        stream.etag = version.checksum  # the ETag PROPFIND gives
        stream.last_modified = version.date
        response = stream.get_response(as_attachment=False)
        response.headers["DAV"] = "1,2"
        response.headers["MS-Author-Via"] = "DAV"
        return response

    def _dav_lock(self, contract, version, token, file_name):
        Lock = request.env["effect.crm.webdav.lock"].sudo()  # locks are rows only the server writes
        headers = request.httprequest.headers
        seconds = _timeout(headers.get("Timeout"))
        current = Lock._effect_current(contract)
        body = request.httprequest.get_data()
        if not body.strip():
            # a refresh: the client names its lock in the If header
            if current and current.lock_token in _tokens_in(headers.get("If")):
                current._effect_refresh(seconds)
                return self._lock_answer(current, seconds)
            return _response(412)
        if version.state == "final":
            return _response(403, b"This version is final: it opens read-only.")
        owner = ""
        try:
            root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
            node = root.find("{DAV:}owner")
            if node is not None:
                owner = "".join(node.itertext()).strip()[:200]
        except etree.XMLSyntaxError:
            return _response(400)
        lock = Lock._effect_acquire(contract, contract.env.user, owner, seconds)
        if not lock:
            return _response(423, b"The document is locked by another user.")
        answer = self._lock_answer(lock, seconds)
        answer.headers["Lock-Token"] = f"<{lock.lock_token}>"
        return answer

    def _lock_answer(self, lock, seconds):
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<D:prop xmlns:D="DAV:"><D:lockdiscovery>'
            f"{_lock_xml(lock, seconds)}</D:lockdiscovery></D:prop>"
        )
        return _response(200, body.encode(), content_type='application/xml; charset="utf-8"')

    def _dav_unlock(self, contract, version, token, file_name):
        current = request.env["effect.crm.webdav.lock"].sudo()._effect_current(contract)
        sent = _tokens_in(request.httprequest.headers.get("Lock-Token"))
        if not current or current.lock_token not in sent:
            return _response(409)
        current.unlink()
        return _response(204)

    def _dav_put(self, contract, version, token, file_name):
        if version and version.state == "final":
            return _response(403, b"This version is final: save a copy and upload it.")
        current = request.env["effect.crm.webdav.lock"].sudo()._effect_current(contract)
        if current and current.lock_token not in _tokens_in(request.httprequest.headers.get("If")):
            return _response(423, b"The document is locked.")
        data = request.httprequest.get_data()
        try:
            contract._effect_save_from_word(data, file_name or _file_name(version))
        except (UserError, ValidationError) as error:
            # refused (damaged, macros, too large…): the previous version stays
            return _response(409, str(error).encode())
        return _response(201 if not version else 204)


def _http_date(value):
    return format_datetime(value.replace(tzinfo=timezone.utc), usegmt=True)


def _file_name(version):
    name = version.file_name or "document.docx"
    if not name.lower().endswith(".docx"):
        name = f"{name}.docx"
    return re.sub(r"[\\/]", "_", name)
