"""The web client's JSON-RPC envelope, shared by web.py (the Odoo venv) and the load
test's Locust users (their own venv, without Odoo): plain Python and a requests session."""

import itertools

_ids = itertools.count(1)


class RpcError(RuntimeError):
    """The server answered a JSON-RPC call with an error (what the web client shows)."""


def rpc(session, url, path, params, timeout=600):
    """POST ``params`` to ``url + path`` as the web client does; the call's result."""
    response = session.post(
        url + path,
        json={"jsonrpc": "2.0", "method": "call", "id": next(_ids), "params": params},
        timeout=timeout,
    )
    response.raise_for_status()
    payload = response.json()
    if "error" in payload:
        error = payload["error"]
        data = error.get("data") or {}
        raise RpcError(f"{path}: {data.get('name', '')}: {data.get('message', error)}")
    return payload["result"]
