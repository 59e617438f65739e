from odoo import models


class MailFollowers(models.Model):
    # who follows a CRM customer is CRM data (see the mixin and its record rule)
    _name = "mail.followers"
    _inherit = ["mail.followers", "effect.crm.customer.chatter.mixin"]
