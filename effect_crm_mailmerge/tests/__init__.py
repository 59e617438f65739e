from . import test_mailmerge
from . import test_ui
from . import test_done_when
