#!/usr/bin/python3
"""Export scikit-learn's digits data set to digits.csv beside this script.

Run with Debian's python3 and python3-sklearn:

    /usr/bin/python3 make_digits.py

Each row is the class label followed by the 64 pixel values (0 to 16) of
one 8x8 image, in load_digits() order. The data ships inside scikit-learn,
so nothing is downloaded.
"""

import csv
import os

from sklearn.datasets import load_digits


def main():
    digits = load_digits()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.csv")
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["label"] + [f"pixel{i}" for i in range(64)])
        for label, row in zip(digits.target, digits.data):
            writer.writerow([int(label)] + [int(v) for v in row])


if __name__ == "__main__":
    main()
