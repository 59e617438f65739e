from odoo import api, models

# what would replace or move the file of an attachment
LOCKED_KEYS = {"datas", "raw", "db_datas", "url", "type", "res_model", "res_id", "res_field"}


class IrAttachment(models.Model):
    # the files of a CRM customer's chatter are CRM data (see the mixin and its record rule)
    _name = "ir.attachment"
    _inherit = ["ir.attachment", "effect.crm.customer.chatter.mixin"]

    def _effect_check_final_contract_version(self):
        """The file of a final contract version is locked, also through its attachment."""
        versions = self.filtered(
            lambda a: a.res_model == "effect.crm.contract.version" and a.res_field == "file"
        )
        if versions:
            self.env["effect.crm.contract.version"].browse(
                versions.mapped("res_id")
            ).exists()._effect_check_unlocked()

    def write(self, vals):
        if LOCKED_KEYS.intersection(vals):
            self.sudo()._effect_check_final_contract_version()  # reads res_model/res_field only
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_final_contract_version(self):
        self.sudo()._effect_check_final_contract_version()  # reads res_model/res_field only
