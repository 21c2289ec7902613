"""Use cases over one typed :class:`~analyzer.services.context.Context`, shared by every entry point.

The CLI, the API routes, the dashboard pages and the worker parse their input, call one function here and render
its result, so the same question gets the same answer through every door. Modules: ``context`` (what a process
builds once), ``cache`` (bounded, locked caches), ``deployed`` (the one reader of the deployed-model pointer),
``uploads``, ``analysis`` and ``runs`` (one job), ``findings``, ``deletion``, ``deploy``, ``samples``, ``demo``.
"""
