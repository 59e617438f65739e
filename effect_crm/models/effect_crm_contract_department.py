from odoo import fields, models


class EffectCrmContractDepartment(models.Model):
    """The department that carries out a contract (delivery, installation, ...)."""

    _name = "effect.crm.contract.department"
    _description = "Executing Department"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    responsible_id = fields.Many2one(
        "res.users",
        index=True,
        help="Who answers for the contracts this department carries out.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)
    contract_count = fields.Integer(compute="_compute_contract_count")

    def _compute_contract_count(self):
        counts = dict(
            self.env["effect.crm.contract"]._read_group(
                [("department_id", "in", self.ids)], ["department_id"], ["__count"]
            )
        )
        for department in self:
            department.contract_count = counts.get(department, 0)
