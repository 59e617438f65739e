"""Run Odoo's own test suites of some modules once EVERY installed module is loaded.

Called by bin/peer_tests inside Odoo's Python, on a database where everything is
installed already:

    python bin/peer_runner.py RESULT.json MODULE[,MODULE...] -- <odoo server options>

``odoo-bin --test-enable`` runs a module's at_install tests while that module is
being loaded, before the modules that depend on it (ours) are in the registry, so
Odoo's crm tests never meet effect_crm's overrides.  Here the registry is loaded
first with tests off (odoo/modules/loading.py runs nothing then), and the suites of
both positions are built and run as odoo/service/server.py's preload_registries
runs the post_install ones: odoo.tests.loader.make_suite / the same test tags, the
same OdooTestResult, the HTTP server of a ThreadedServer for the HttpCase tests,
the asset bundles generated beforehand.  RESULT.json gets the tests run and the id
of every failed one, as a test tag (``/module:Class.method``).
"""

import json
import sys
import time


def test_tag(test):
    """``/module:Class.method`` of a test, a subtest or a class-level error holder."""
    test = getattr(test, "test_case", test)  # a subtest (unittest's or odoo.tests.case's)
    if hasattr(test, "_testMethodName"):
        module = test.__class__.__module__.split(".")[2]
        return f"/{module}:{test.__class__.__name__}.{test._testMethodName}"
    # _ErrorHolder of a setUpClass/tearDownClass error: "setUpClass (odoo.addons.m.tests.f.Class)"
    method, _, where = str(test.id()).partition(" (")
    parts = where.rstrip(")").split(".")
    module = parts[2] if len(parts) > 2 else where
    return f"/{module}:{parts[-1]}.{method}"


def main(argv):
    result_path, modules = argv[0], argv[1].split(",")
    odoo_args = argv[argv.index("--") + 1 :]

    from odoo import api  # noqa: PLC0415
    from odoo.modules import module as odoo_module  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.service import server  # noqa: PLC0415
    from odoo.tests import loader  # noqa: PLC0415
    from odoo.tests.result import OdooTestResult  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    class RecordingResult(OdooTestResult):
        """Odoo's result, which also keeps the tag of each failed test."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.failed = []

        def addError(self, test, err):
            super().addError(test, err)
            self.failed.append(test_tag(test))

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self.failed.append(test_tag(test))

    config.parse_config([*odoo_args, "--test-enable", "--stop-after-init"], setup_logging=True)
    (dbname,) = config["db_name"]
    server.load_server_wide_modules()
    import odoo.http  # noqa: PLC0415

    # signal handlers and the HTTP server the HttpCase tests talk to (test_enable spawns
    # it); HttpCase finds its port through the module's global, as server.start() sets it
    threaded = server.server = server.ThreadedServer(odoo.http.root)
    threaded.start(stop=True)

    # load every module with tests off: nothing runs while the registry is incomplete
    config["test_enable"] = False
    registry = Registry.new(dbname)
    config["test_enable"] = True

    # the report Registry.new makes when tests are on (odoo/orm/registry.py)
    report = registry._assertion_report = OdooTestResult()
    failed, counts = [], {}
    for position in ("at_install", "post_install"):
        started = time.monotonic()
        suite = loader.make_suite(modules, position)
        if suite.has_http_case():
            with registry.cursor() as cr:
                api.Environment(cr, api.SUPERUSER_ID, {})["ir.qweb"]._pregenerate_assets_bundles()
        result = RecordingResult(global_report=report)
        odoo_module.current_test = True
        try:
            suite(result)
        finally:
            odoo_module.current_test = False
        report.update(result)
        failed += result.failed
        counts[position] = {
            "tests": result.testsRun,
            "failed": len(set(result.failed)),
            "seconds": round(time.monotonic() - started),
        }
    report.log_stats()
    with open(result_path, "w", encoding="utf-8") as out:
        json.dump(
            {"tests": report.testsRun, "failed": sorted(set(failed)), "positions": counts}, out
        )
    threaded.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
