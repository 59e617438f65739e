"""Quotations carry the customer's classification under the names every model shares
(``effect.crm.classification.mixin``: ``partner_business_type_id``...), no longer
``effect_partner_business_type_id``... Rename the columns before the registry loads,
with the field's definition and its external id, so the stored values are kept
(not recomputed for every quotation) and Odoo does not drop them as removed fields.
Interactions, contracts and mail-merge recipients keep their column names."""

from odoo.tools import SQL, sql

RENAMED = {
    "effect_partner_business_type_id": "partner_business_type_id",
    "effect_partner_size_id": "partner_size_id",
    "effect_partner_industry_id": "partner_industry_id",
    "effect_partner_state_id": "partner_state_id",
}


def migrate(cr, version):
    if not version:
        return
    for old, new in RENAMED.items():
        if not sql.column_exists(cr, "sale_order", old) or sql.column_exists(cr, "sale_order", new):
            continue
        sql.rename_column(cr, "sale_order", old, new)
        # Raw SQL: the registry is not loaded yet (a pre-migration), and the ORM has no
        # rename of a field; this is what it would find had the field always had the name.
        cr.execute(
            SQL(
                "UPDATE ir_model_fields SET name = %s WHERE model = 'sale.order' AND name = %s",
                new,
                old,
            )
        )
        cr.execute(
            SQL(
                "UPDATE ir_model_data SET name = %s"
                " WHERE module = 'effect_crm' AND model = 'ir.model.fields' AND name = %s",
                f"field_sale_order__{new}",
                f"field_sale_order__{old}",
            )
        )
    old_index = sql.make_index_name("sale_order", "effect_partner_business_type_id")
    if sql.index_exists(cr, old_index):
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(old_index),
                SQL.identifier(sql.make_index_name("sale_order", "partner_business_type_id")),
            )
        )
