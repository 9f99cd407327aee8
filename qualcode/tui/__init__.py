"""The terminal workbench (the only package that imports textual).

One package per workspace (its screen, widgets, data loading and changes), ``shared/``
for what every workspace uses, ``workspaces.py`` for the one registration of each
workspace, and ``app.py`` for the App that routes between them."""
