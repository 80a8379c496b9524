"""pytest set-up shared by the client suites (see clientenv.py for the environment).

test_access.py checks what a keyed gateway refuses: it runs only when a key is given
(OLLAMAMAX_TEST_API_KEY), so an open server is not asked to refuse anything.
"""

import os

collect_ignore = [] if os.environ.get("OLLAMAMAX_TEST_API_KEY", "").strip() else ["test_access.py"]
