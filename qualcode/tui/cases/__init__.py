"""Cases (F2): the cases and documents of the study, filtered and opened for reading."""
