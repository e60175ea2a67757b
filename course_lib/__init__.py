"""The small shared library of the RNN course.

One module per concept. A notebook imports a piece from here only after it has
built that piece by hand.
"""
