"""Report layer: tables, plots (matplotlib) and writers (the only report module touching files)."""
