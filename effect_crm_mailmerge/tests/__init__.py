from . import test_mailmerge
