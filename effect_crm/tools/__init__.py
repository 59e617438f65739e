from . import links
from . import tax_code
from . import agenda
from . import followup
