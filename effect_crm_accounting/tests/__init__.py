from . import test_receivables
from . import test_handoff
from . import test_access
from . import test_access_paths
from . import test_collection
from . import test_ui
from . import test_clock
from . import test_sales_figure
