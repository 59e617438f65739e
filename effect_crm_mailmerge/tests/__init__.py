from . import test_mailmerge
from . import test_ui
