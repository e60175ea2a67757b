depth = features[second, FEATURES.index("bracket depth")]
bracket_cell = cells[second, best_cell["bracket depth"]]
depth_profile = [float(bracket_cell[depth == level].mean()) for level in range(3)]
print("mean activation at depth 0, 1, 2:", np.round(depth_profile, 2),
      f"({[int((depth == level).sum()) for level in range(3)]} characters)")
