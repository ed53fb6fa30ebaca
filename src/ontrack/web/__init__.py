"""The web app: server-rendered pages (Jinja2 + HTMX) with JSON twins, and the REST API."""
