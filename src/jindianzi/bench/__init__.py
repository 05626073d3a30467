"""Benchmarks (``jindianzi bench NAME``): measurements on generated data, not tests.

Each benchmark builds its data in memory from the demo generator, runs our
method and a plain baseline in the same process, and reports both.
"""
