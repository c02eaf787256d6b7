"""The web application: Flask app factory, blueprints and the command line."""
