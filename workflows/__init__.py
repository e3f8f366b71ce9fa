"""Change requests and the viewflow flows that carry them to approval and application."""
