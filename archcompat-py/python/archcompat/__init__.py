"""archcompat: will this container run on that machine? If not, why, and what do I change?

Thin bindings over the Rust core. Every function returns the same shapes as the CLI's
``--json`` output (dicts and lists). Every error derives from :class:`ArchcompatError`.
"""

from ._archcompat import *  # noqa: F401,F403
from ._archcompat import __version__  # noqa: F401
