"""The data layer: the only code that reads data files.

``schema`` (the descriptor), ``validation`` and ``checks`` (every problem, with
``problems``), ``load`` (typed tables), ``dataset`` (:class:`Dataset`, what
``bm.open`` gives), ``provenance``, ``diff``, ``export``, and the words and codes
of the data: ``vocabulary``, ``countries``, ``groups``, ``numbers``.
"""
