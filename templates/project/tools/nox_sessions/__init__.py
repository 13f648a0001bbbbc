"""nox sessions for the build targets, one module per target.

``noxfile.py`` imports every module here that does not start with an underscore, so
adding or removing a target adds or removes a file and never edits the noxfile.
"""
