"""The build: jobs, their plan, caches and manifests, running and rendering a report.

A notebook runs in-process or in a kernel, then becomes HTML and PDF; a pool of warm
workers builds many; files are written safely.
"""
