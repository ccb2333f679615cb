"""A small NumPy script with one hot loop, profiled by the end-to-end tests."""
import numpy as np


def slow_norms(points):
    norms = []
    for row in points:
        total = 0.0
        for value in row:
            total += value * value
        norms.append(total ** 0.5)
    return np.array(norms)


def main():
    rng = np.random.default_rng(0)
    points = rng.random((8000, 100))
    for _ in range(8):
        norms = slow_norms(points)
    print(f"mean norm {norms.mean():.3f}")


if __name__ == "__main__":
    main()
