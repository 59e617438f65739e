from . import aging
from . import handoff
