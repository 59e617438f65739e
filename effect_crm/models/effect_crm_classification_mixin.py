from odoo import fields, models


class EffectCrmClassificationMixin(models.AbstractModel):
    """The customer's classification, copied onto a record about a customer.

    Interactions, quotations, contracts, mail-merge recipients and collection
    requests are grouped, filtered and counted by their customer's stage, business
    type, size, industry and province. Stored copies (related fields kept up to date
    by the ORM when the customer changes) make those group-bys a column of the
    record's own table instead of a join to 200,000 customers, and give every model
    the same field names, so a pivot or a filter reads the same everywhere.

    The model must have a ``partner_id`` to ``res.partner``; the classification is
    its commercial partner's (a quotation addressed to a contact person counts for
    the contact's company). A new classification field is added here, once.
    """

    _name = "effect.crm.classification.mixin"
    _description = "Customer Classification (copied for statistics)"

    # declared for the related fields below (each model declares its own customer
    # field, whose attributes complete this one)
    partner_id = fields.Many2one("res.partner", "Customer")
    # Copies, never tracked: a related field takes the tracking of the customer's field
    # (the stage is tracked on the customer), which would post a message on each of a
    # customer's quotations, contracts and interactions whenever the customer changes.
    partner_stage = fields.Selection(
        related="partner_id.commercial_partner_id.effect_stage",
        store=True,
        tracking=False,
        string="Customer Stage",
    )
    partner_business_type_id = fields.Many2one(
        related="partner_id.commercial_partner_id.effect_business_type_id",
        store=True,
        tracking=False,
        string="Customer Business Type",
    )
    partner_size_id = fields.Many2one(
        related="partner_id.commercial_partner_id.effect_size_id",
        store=True,
        tracking=False,
        string="Customer Size",
    )
    partner_industry_id = fields.Many2one(
        related="partner_id.commercial_partner_id.industry_id",
        store=True,
        tracking=False,
        string="Customer Industry",
    )
    partner_state_id = fields.Many2one(
        related="partner_id.commercial_partner_id.state_id",
        store=True,
        tracking=False,
        string="Customer Province",
    )

    def _valid_field_parameter(self, field, name):
        # ``tracking=False`` above, also on models that are not mail threads
        return name == "tracking" or super()._valid_field_parameter(field, name)
