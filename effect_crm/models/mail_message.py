from odoo import models


class MailMessage(models.Model):
    # the chatter of a CRM customer is CRM data (see the mixin and its record rule)
    _name = "mail.message"
    _inherit = ["mail.message", "effect.crm.customer.chatter.mixin"]

    _effect_document_model_field = "model"
