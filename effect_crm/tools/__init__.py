from . import links
from . import tax_code
from . import revision_diff
from . import contract_files
from . import amounts
from . import promotions
from . import territory
