#!/usr/bin/env python3
"""Profile the web client's requests of one operation of run.py through Odoo's HTTP stack.

    python3 bench/http_profile.py --db effect_bench --only "customer list" [--repeat 20]

Each request goes through Odoo's WSGI application in this process (session check,
authentication, routing, JSON-RPC, the ORM, JSON encoding), without a socket, so
that ``cProfile`` sees all of it: for the operation and each of its baselines, the
profile of ``--repeat`` warm rounds is written to ``<out>/<operation>-<role>.prof``
and its top functions (cumulative time) printed, with the time per round.
"""

import argparse
import cProfile
import io
import itertools
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web


class WsgiCaller(web.HttpCaller):
    """``web.HttpCaller`` whose requests are served by Odoo's WSGI app in this process."""

    _ids = itertools.count(1)

    def __init__(self, client, dbname, login):
        self.client = client
        super().__init__("", dbname, login)

    def _post(self, path, params):
        response = self.client.post(
            path,
            json={"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params},
            environ_overrides={"REMOTE_ADDR": "127.0.0.1"},
        )
        payload = json.loads(response.get_data())
        if "error" in payload:
            raise RuntimeError(f"{path}: {payload['error']['data']['message']}")
        return payload["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="effect_bench")
    parser.add_argument("--only", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--out", default="/tmp")
    args = parser.parse_args()
    _scale, ops, logins = web.prepare(args.db)
    from werkzeug.test import Client  # noqa: PLC0415

    import odoo.http  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config["db_name"] = [args.db]
    callers = {}
    for role, login in logins.items():
        client = Client(odoo.http.root)
        callers[role] = WsgiCaller(client, args.db, login)
    for op in ops:
        if args.only not in op["name"]:
            continue
        runs = [op["as"]] + [
            (role, fn) for _l, role, fn, _t in op["baselines"] if not getattr(fn, "in_process", 0)
        ]
        for role, function in runs:
            caller = callers[role]
            function(caller)  # warm-up
            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            for _round in range(args.repeat):
                function(caller)
            profiler.disable()
            elapsed = (time.perf_counter() - started) / args.repeat
            path = Path(args.out) / f"bench-{bench_slug(op['name'])}-{role}.prof"
            profiler.dump_stats(path)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(f"# {op['name']} as {role}: {elapsed * 1000:.1f} ms a round (profiled); {path}")
            print(out.getvalue())


def bench_slug(text):
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")[:40]


if __name__ == "__main__":
    main()
