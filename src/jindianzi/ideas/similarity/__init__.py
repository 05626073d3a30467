"""Similar ideas (二次优化整合): which ideas say the same thing, so staff can merge them.

- ``engine``: features of Chinese text, MinHash signatures, LSH bands, exact scores (no database).
- ``index``: keeps each idea's fingerprint and band keys in the database (the only writer).
- ``selectors``: the ideas like one idea, and groups of ideas to merge.
- ``tasks``: indexing one idea and rebuilding an edition, through the Django tasks interface.
"""
