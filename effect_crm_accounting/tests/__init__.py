from . import test_receivables
from . import test_handoff
