"""What the build's fork server imports once, before it forks the report workers (``workers.fork_server``).

Everything done here is paid once per build and inherited by every worker: papermill, nbconvert
and the rest of ``analysis.publish.render``, and the compiled page template.

jsonschema goes without ``rfc3987_syntax`` here too (see ``analysis.publish``).
"""

from analysis.publish import render

try:
    render.compile_template()
except Exception:  # the fork server must start: each report then meets (and reports) the problem itself
    pass
