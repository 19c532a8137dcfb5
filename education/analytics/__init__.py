"""Reads behind the authors' reports: lesson performance and path drop-off."""
