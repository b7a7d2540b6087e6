"""`mgi bench`: figures of the running local stack, each against a floor measured in the same run.

Not a test: it never fails on a goal, it prints figures, writes bench.json and bench.png.
"""
