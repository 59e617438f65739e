import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models, modules, tools

_logger = logging.getLogger(__name__)

# demo only: the Vietnamese chart is loaded once every module is loaded (see _register_hook)
DEMO_VIETNAM_PENDING = "effect_crm_accounting.demo_vietnam_pending"

# demo invoices: customer, days since the invoice, days until due (negative: overdue),
# what was sold, quantity, unit price in dong
DEMO_INVOICES = [
    ("partner_company_01_demo", 75, -45, "Thép cuộn cán nóng SS400 (tấn)", 10, 16_800_000),
    ("partner_company_01_demo", 40, -10, "Thép tấm 10 ly (tấn)", 8, 18_500_000),
    ("partner_company_01_demo", 10, 20, "Ống thép D60 (cây)", 40, 245_000),
    (
        "partner_company_06_demo",
        130,
        -100,
        "Vận chuyển container Hải Phòng – Sài Gòn",
        3,
        25_000_000,
    ),
    ("partner_company_06_demo", 95, -65, "Phí lưu kho tháng", 2, 8_000_000),
    ("partner_company_11_demo", 20, 10, "Linh kiện điện tử", 100, 350_000),
    ("partner_company_02_demo", 100, -70, "Nguyên liệu thực phẩm", 50, 2_400_000),
    ("partner_company_09_demo", 50, -20, "Bao bì dược phẩm", 200, 185_000),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    effect_handoff_user_id = fields.Many2one(
        "res.users",
        "Accounting Contact for Hand-offs",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Who gets the activity when a prospect becomes a customer. Empty: the first "
        "accounting administrator of the company.",
    )

    # ------------------------------------------------------------------
    # Demo data: a Vietnamese company (VND, Vietnam's chart of accounts, 10% VAT)
    # ------------------------------------------------------------------

    @api.model
    def _effect_demo_vietnam(self):
        """Demo only: make the demo company Vietnamese with Odoo's ``l10n_vn``.

        Neither addon depends on an accounting localisation: the demo asks Odoo to install
        ``l10n_vn`` with the modules being installed, and loads its chart on the demo
        company once every module is loaded (a chart can only be loaded then). Without
        ``l10n_vn`` in the Odoo at hand, the company keeps its chart.
        """
        company = self.env.ref("base.main_company")
        l10n_vn = self.env["ir.module.module"].search([("name", "=", "l10n_vn")])
        # as Odoo's own automatic install of a localisation (res.company.install_l10n_modules),
        # not while testing: the tests run on the company's chart as installed
        testing = tools.config["test_enable"] or modules.module.current_test
        if company.chart_template == "vn" or not l10n_vn or testing:
            self._effect_demo_invoices()
            return
        if l10n_vn.state == "uninstalled":
            l10n_vn.button_install()
        self.env["ir.config_parameter"].sudo().set_param(DEMO_VIETNAM_PENDING, "1")

    def _register_hook(self):
        super()._register_hook()
        parameters = self.env["ir.config_parameter"].sudo()
        if not parameters.get_param(DEMO_VIETNAM_PENDING):
            return
        if "vn" not in self.env["account.chart.template"]._get_chart_template_mapping():
            return  # l10n_vn is not loaded yet
        parameters.set_param(DEMO_VIETNAM_PENDING, False)
        self._effect_demo_vietnam_finish()

    @api.model
    def _effect_demo_vietnam_finish(self):
        company = self.env.ref("base.main_company")
        # Odoo's way to give a demo company its localisation: its demo accounting entries
        # (Odoo's, in the old currency) are replaced by the chart's own demo entries
        self.env["account.chart.template"].try_loading("vn", company, install_demo=True)
        vat = company.account_sale_tax_id
        _logger.info("EFFECT demo: %s uses Vietnam's chart, %s", company.name, vat.name)
        default_pricelist = self.env.ref("product.list0", raise_if_not_found=False)
        if default_pricelist and default_pricelist.company_id in (company, company.browse()):
            default_pricelist.currency_id = company.currency_id
        # EFFECT's products carry the VAT of the chart; the working revisions follow
        products = self.env["product.product"].browse(
            [
                self.env.ref(f"effect_crm.{xmlid}").id
                for xmlid in (
                    "product_steel_plate_demo",
                    "product_steel_pipe_demo",
                    "product_steel_coil_demo",
                    "product_installation_demo",
                    "product_maintenance_demo",
                )
            ]
        )
        products.taxes_id = vat
        drafts = self.env["sale.order.line"].search(
            [("product_id", "in", products.ids), ("order_id.state", "=", "draft")]
        )
        drafts.filtered(lambda line: not line.order_id.effect_is_frozen).tax_ids = vat
        self._effect_demo_invoices()

    @api.model
    def _effect_demo_invoices(self):
        """Posted invoices, some overdue: what the demo customers owe today."""
        company = self.env.ref("base.main_company")
        today = self.env["effect.crm.clock"]._effect_today()
        moves = (
            self.env["account.move"]
            .with_company(company)
            .create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.env.ref(f"effect_crm.{partner}").id,
                        "invoice_date": today - relativedelta(days=age),
                        "invoice_date_due": today + relativedelta(days=due),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": name,
                                    "quantity": quantity,
                                    "price_unit": price,
                                    # the same amounts on any chart: what is owed
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for partner, age, due, name, quantity, price in DEMO_INVOICES
                ]
            )
        )
        moves.action_post()
        return moves
