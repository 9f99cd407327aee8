"""REFI-QDA 1.5 exchange: .qdpx projects and .qdc codebooks (QDA-XML 1.0 schemas).

``model`` holds the plain values both sides use, ``writer`` turns them into XML and
an archive, ``reader`` reads untrusted archives through ``safety``. No database code
lives here; ``qualcode.services.exchange`` maps studies to and from these values.
"""

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
