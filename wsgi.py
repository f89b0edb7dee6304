"""The WSGI entry point: ``gunicorn wsgi:app`` (gunicorn.conf.py names it).

Everything the app needs comes from the environment through ``feedback_app/config.py``,
trusted proxies (``PROXY_COUNT``) included.
"""

from feedback_app import create_app

app = create_app()
