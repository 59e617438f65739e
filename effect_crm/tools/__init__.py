from . import links
from . import tax_code
