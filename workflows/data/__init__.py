"""Reference and demo data files (CSV), read with importlib.resources."""
