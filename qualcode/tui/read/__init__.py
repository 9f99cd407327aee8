"""Read & code (F3): a document with its codings, the code and suggestion panels."""
