"""Stage 5: plan, run and check the report notebooks, and publish the site atomically.

Every process of the build (the command, its fork server and workers) goes without
``rfc3987_syntax``: jsonschema (imported by nbformat, so by papermill and nbconvert) imports it,
when installed, only to check the "iri" and "iri-reference" string formats, and that import builds
some 35 Earley parsers: 0.8 to 1.3 s on the project's machines, more than the rest of papermill
(jsonschema #1428). nbformat's schemas use no string formats, so jsonschema treats the module as
not installed with no loss. Notebook kernels are not build processes and are not affected.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
