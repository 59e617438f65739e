"""Read an amount with its currency as a user types it in a search box.

``5000 USD``, ``5,000 usd``, ``USD 5000``, ``$5,000``, ``5.000.000 VND``,
``5 000 000 ₫``, ``> 1.5tr`` are understood; the result is ``(amount, code)``
where ``code`` is an ISO currency code or ``None`` (the company currency).
"""

import re

SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "₫": "VND",
    "đ": "VND",
    "vnđ": "VND",
    "vnd": "VND",
    "dong": "VND",
    "đồng": "VND",
    "¥": "JPY",
    "£": "GBP",
}
# Vietnamese shorthand: "5 triệu" (million), "2 tỷ" (billion), "500k"
MULTIPLIERS = {
    "k": 1e3,
    "nghìn": 1e3,
    "ngàn": 1e3,
    "tr": 1e6,
    "triệu": 1e6,
    "m": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
}

_NUMBER_RE = re.compile(r"\d[\d\s.,']*")


def parse_number(text):
    """``5,000`` → 5000, ``5.000.000`` → 5000000, ``1.5`` → 1.5, ``1.234,5`` → 1234.5."""
    text = re.sub(r"[\s']", "", text or "")
    if not text or not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit():
        raise ValueError(text)
    separators = [c for c in text if c in ".,"]
    if not separators:
        return float(text)
    last = text.rfind(separators[-1])
    decimals = text[last + 1 :]
    if len(set(separators)) == 2:
        # both used: the last one is the decimal separator
        whole = re.sub(r"[.,]", "", text[:last])
        return float(f"{whole}.{decimals}" if decimals else whole)
    groups = re.split(r"[.,]", text)
    if len(separators) > 1 or (len(decimals) == 3 and len(groups[0]) <= 3):
        # 5,000 / 5.000.000: thousands separators
        if not all(len(group) == 3 for group in groups[1:]):
            raise ValueError(text)
        return float("".join(groups))
    return float(text.replace(",", "."))


def parse_amount(query):
    """``(amount, currency_code_or_None)`` from a typed query; ``ValueError`` if none."""
    text = (query or "").strip().lower()
    text = re.sub(r"^(>=|=>|>|over|above|trên|từ)\s*", "", text)
    match = _NUMBER_RE.search(text)
    if not match:
        raise ValueError(query)
    amount = parse_number(match.group(0).strip())
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    words = [w for w in re.split(r"\s+", rest) if w]
    code = None
    for word in words:
        if word in MULTIPLIERS:
            amount *= MULTIPLIERS[word]
        elif word in SYMBOLS:
            code = SYMBOLS[word]
        elif re.fullmatch(r"[a-z]{3}", word):
            code = word.upper()
        else:
            # "$5000", "5000$", "500k", "5tr"
            for symbol in sorted(SYMBOLS, key=len, reverse=True):
                if word.startswith(symbol) or word.endswith(symbol):
                    code = SYMBOLS[symbol]
                    word = word.replace(symbol, "", 1)
                    break
            if word in MULTIPLIERS:
                amount *= MULTIPLIERS[word]
            elif word:
                raise ValueError(query)
    return amount, code
