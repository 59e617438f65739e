from . import test_access
from . import test_attributes
from . import test_customer_profile
from . import test_documents
from . import test_tax_code
from . import test_quote_revisions
from . import test_quote_status
