from odoo import api, models
from odoo.tools import html2plaintext

from ..tools import vietnamese

# fields of the contract a document may change, with the kind of their value: reading a
# document back offers to take these values into the contract (only plain scalars: the
# value and the dates; the customer, the type or the state never come from a document)
APPLICABLE_FIELDS = {
    "contract.amount": ("amount", "amount"),
    "contract.date_signed": ("date_signed", "date"),
    "contract.date_signed_words": ("date_signed", "date"),
    "contract.date_start": ("date_start", "date"),
    "contract.date_start_words": ("date_start", "date"),
    "contract.date_end": ("date_end", "date"),
    "contract.date_end_words": ("date_end", "date"),
}


class EffectCrmTemplateData(models.AbstractModel):
    """The data offered to Word templates: one place, plain dicts, never records.

    Each ``_effect_*_data`` method turns one record into a dict of strings and numbers
    (an empty recordset gives the same keys with empty values, which is how the
    template check knows the available fields). Everything is read with the rights of
    the current user: a template sees no more than the user who renders it.
    """

    _name = "effect.crm.template.data"
    _description = "Word Template Data"

    # ------------------------------------------------------------------
    # Formatting
    # ------------------------------------------------------------------

    @api.model
    def _effect_amount(self, amount, currency):
        digits = 0 if not currency or currency.decimal_places == 0 else currency.decimal_places
        return vietnamese.format_amount(amount or 0.0, digits)

    @api.model
    def _effect_dates(self, prefix, value):
        return {
            prefix: vietnamese.date_short(value),
            f"{prefix}_words": vietnamese.date_in_words(value),
        }

    @api.model
    def _effect_selection_label(self, record, field_name):
        if not record:
            return ""
        selection = dict(record._fields[field_name]._description_selection(self.env))
        return selection.get(record[field_name], "") or ""

    # ------------------------------------------------------------------
    # One dict per source
    # ------------------------------------------------------------------

    @api.model
    def _effect_address(self, partner):
        if not partner:
            return ""
        parts = [
            partner.street,
            partner.street2,
            partner.city,
            partner.state_id.name,
            partner.country_id.name,
        ]
        return ", ".join(part for part in parts if part)

    @api.model
    def _effect_attributes(self, partner):
        """The customer attributes (partner properties), by their label."""
        definition = (
            self.env["properties.base.definition"]
            .sudo()  # the definition only names the attributes; values are read as the user
            ._get_definition_for_property_field("res.partner", "properties")
            .properties_definition
            or []
        )
        values = {}
        if partner:
            for item in partner.read(["properties"])[0]["properties"] or []:
                values[item.get("name")] = item
        attributes = {}
        for item in definition:
            label = (item.get("string") or item.get("name") or "").strip()
            if not label:
                continue
            attributes[label] = self._effect_property_text(values.get(item.get("name"), {}))
        return attributes

    @api.model
    def _effect_property_text(self, prop):
        value = prop.get("value")
        kind = prop.get("type")
        if value is None or value is False or value == []:
            return "" if kind != "boolean" else self.env._("No")
        if kind == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if kind == "many2one":
            return value[1] if isinstance(value, (list, tuple)) else str(value)
        if kind in ("many2many", "tags"):
            if kind == "tags":
                labels = {tag[0]: tag[1] for tag in prop.get("tags") or []}
                return ", ".join(labels.get(v, str(v)) for v in value)
            return ", ".join(v[1] if isinstance(v, (list, tuple)) else str(v) for v in value)
        if kind == "selection":
            return dict(prop.get("selection") or []).get(value, str(value))
        if kind == "date":
            return vietnamese.date_short(value)
        if kind in ("integer", "float", "monetary"):
            return vietnamese.format_amount(value, 0 if kind == "integer" else 2)
        return str(value)

    @api.model
    def _effect_customer_data(self, partner):
        partner = partner.commercial_partner_id if partner else partner
        return {
            "name": partner.name or "",
            "address": self._effect_address(partner),
            "street": partner.street or "",
            "city": partner.city or "",
            "province": partner.state_id.name or "",
            "country": partner.country_id.name or "",
            "tax_code": partner.vat or "",
            "phone": partner.phone or "",
            "email": partner.email or "",
            "website": partner.website or "",
            "director": partner.effect_director_name or "",
            "stage": self._effect_selection_label(partner, "effect_stage"),
            "business_type": partner.effect_business_type_id.name or "",
            "size": partner.effect_size_id.name or "",
            "industry": partner.industry_id.name or "",
            "territory": partner.effect_territory_id.name or "",
            "salesperson": partner.effect_salesperson_id.name or "",
            "tags": ", ".join(partner.category_id.mapped("name")),
            "bank_account": partner.bank_ids[:1].acc_number or "",
            "bank": partner.bank_ids[:1].bank_id.name or "",
            "attr": self._effect_attributes(partner),
        }

    @api.model
    def _effect_contact_data(self, contact):
        return {
            "name": contact.name or "",
            "function": contact.function or "",
            "phone": contact.phone or "",
            "email": contact.email or "",
        }

    @api.model
    def _effect_company_data(self, company):
        return {
            "name": company.name or "",
            "address": self._effect_address(company.partner_id),
            "tax_code": company.vat or "",
            "phone": company.phone or "",
            "email": company.email or "",
            "website": company.website or "",
            "bank_account": company.partner_id.bank_ids[:1].acc_number or "",
            "bank": company.partner_id.bank_ids[:1].bank_id.name or "",
        }

    @api.model
    def _effect_contract_data(self, contract):
        currency = contract.currency_id
        data = {
            "number": contract.name if contract else "",
            "title": contract.title or "",
            "type": contract.type_id.name or "",
            "amount": self._effect_amount(contract.amount, currency) if contract else "",
            "amount_words": vietnamese.amount_in_words(contract.amount, currency.name)
            if contract
            else "",
            "currency": currency.name or "",
            "department": contract.department_id.name or "",
            "salesperson": contract.user_id.name or "",
            "salesperson_phone": contract.user_id.phone or "",
            "salesperson_email": contract.user_id.email or "",
            "state": self._effect_selection_label(contract, "state"),
            "terms_summary": contract.terms_summary or "",
        }
        for name in ("date_signed", "date_start", "date_end"):
            data.update(self._effect_dates(name, contract[name] if contract else False))
        return data

    @api.model
    def _effect_promotion_data(self, promotion):
        return {
            "name": promotion.name or "",
            "description": promotion.description or "",
            "terms": html2plaintext(promotion.terms or "").strip() if promotion.terms else "",
            "discount": (
                f"{promotion.discount_percentage:g}%"
                if promotion.discount_type == "percentage"
                else self._effect_amount(promotion.discount_amount, promotion.currency_id)
            )
            if promotion
            else "",
            **self._effect_dates("date_start", promotion.date_start),
            **self._effect_dates("date_end", promotion.date_end),
        }

    @api.model
    def _effect_quotation_data(self, order):
        currency = order.currency_id
        return {
            "number": order.name or "",
            "date": vietnamese.date_short(order.date_order) if order else "",
            "date_words": vietnamese.date_in_words(order.date_order) if order else "",
            "validity": vietnamese.date_short(order.validity_date) if order else "",
            "currency": currency.name or "",
            "untaxed": self._effect_amount(order.amount_untaxed, currency) if order else "",
            "tax": self._effect_amount(order.amount_tax, currency) if order else "",
            "total": self._effect_amount(order.amount_total, currency) if order else "",
            "total_words": vietnamese.amount_in_words(order.amount_total, currency.name)
            if order
            else "",
            "payment_terms": order.payment_term_id.name or "",
            "note": html2plaintext(order.note or "").strip() if order.note else "",
            "salesperson": order.user_id.name or "",
        }

    @api.model
    def _effect_line_data(self, line, number):
        currency = line.currency_id
        return {
            "no": number,
            "name": line.name or "",
            "product": line.product_id.display_name or "",
            "code": line.product_id.default_code or "",
            "quantity": vietnamese.format_amount(line.product_uom_qty, 0)
            if float(line.product_uom_qty or 0).is_integer()
            else vietnamese.format_amount(line.product_uom_qty, 2),
            "uom": line.product_uom_id.name or "",
            "price_unit": self._effect_amount(line.price_unit, currency),
            "discount": f"{line.discount:g}%" if line.discount else "",
            "taxes": ", ".join(line.tax_ids.mapped("name")),
            "subtotal": self._effect_amount(line.price_subtotal, currency),
            "total": self._effect_amount(line.price_total, currency),
        }

    @api.model
    def _effect_tax_data(self, order):
        """The tax groups of a quotation's totals: name, base and amount."""
        if not order:
            return []
        currency = order.currency_id
        taxes = []
        for subtotal in (order.tax_totals or {}).get("subtotals", []):
            for group in subtotal.get("tax_groups", []):
                taxes.append(
                    {
                        "name": group.get("group_name", ""),
                        "base": self._effect_amount(group.get("base_amount_currency"), currency),
                        "amount": self._effect_amount(group.get("tax_amount_currency"), currency),
                    }
                )
        return taxes

    # ------------------------------------------------------------------
    # The whole data of a document
    # ------------------------------------------------------------------

    @api.model
    def _effect_build(self, partner=None, contract=None, order=None, contact=None):
        """The data of a document about ``partner``, ``contract`` and/or ``order``.

        The contract's quotation and customer fill in what is not given. The result
        holds only dicts, lists, strings and numbers.
        """
        contract = contract or self.env["effect.crm.contract"]
        order = order or contract.sale_order_id or self.env["sale.order"]
        partner = partner or contract.partner_id or order.partner_id or self.env["res.partner"]
        if not contact:
            contact = (
                order.partner_id
                if order.partner_id and order.partner_id != partner.commercial_partner_id
                else partner.child_ids.filtered(lambda c: c.type == "contact")[:1]
                if partner
                else self.env["res.partner"]
            )
        company = contract.company_id or order.company_id or self.env.company
        lines = order.order_line.filtered(lambda line: not line.display_type)
        today = self.env["effect.crm.clock"]._effect_today()
        return {
            "customer": self._effect_customer_data(partner),
            "contact": self._effect_contact_data(contact),
            "contract": self._effect_contract_data(contract),
            "quotation": self._effect_quotation_data(order),
            "lines": [self._effect_line_data(line, i) for i, line in enumerate(lines, 1)],
            "taxes": self._effect_tax_data(order),
            "promotion": self._effect_promotion_data(order.effect_promotion_id),
            "company": self._effect_company_data(company),
            "today": vietnamese.date_short(today),
            "today_words": vietnamese.date_in_words(today),
            "user": {"name": self.env.user.name or "", "email": self.env.user.email or ""},
        }

    @api.model
    def _effect_available_fields(self):
        """Every field a template may use, as dotted names (``lines.name`` for rows)."""
        sample = self._effect_build()
        sample["lines"] = [self._effect_line_data(self.env["sale.order.line"], 1)]
        sample["taxes"] = [{"name": "", "base": "", "amount": ""}]
        return sorted(_flatten(sample))


def _flatten(data, prefix=""):
    names = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            names.extend(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            names.extend(_flatten(value[0], f"{name}.") if value else [name])
        else:
            names.append(name)
    return names


def flatten_values(data, prefix=""):
    """``{"customer": {"name": "A"}}`` → ``{"customer.name": "A"}`` (lists kept whole)."""
    values = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            values.update(flatten_values(value, f"{name}."))
        else:
            values[name] = value
    return values
