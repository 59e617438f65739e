from . import portal
from . import webdav
