"""What the build's fork server imports once, before it forks the report workers (``workers.fork_server``).

Everything done here is paid once per build and inherited by every worker: papermill, nbconvert
and the rest of ``analysis.publish.render``, and the compiled page template.

jsonschema (imported by nbformat) imports ``rfc3987_syntax``, when it is installed, only to check
the "iri" and "iri-reference" string formats, and that import builds some 35 Earley parsers:
1.3 s on the project's machines, more than everything else here together (jsonschema #1428).
nbformat's schemas use no string formats, so these processes go without it: jsonschema treats the
module as not installed. Nothing else in a worker imports it.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)

from analysis.publish import render  # noqa: E402

try:
    render.compile_template()
except Exception:  # the fork server must start: each report then meets (and reports) the problem itself
    pass
