"""Framework (F4): the theme tree, edited in place."""
