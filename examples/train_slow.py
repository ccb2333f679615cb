"""Train a small classifier on tokenized log lines: a realistic script with several slow paths.

Run `hotpath check examples/` to see them, and the quick fixes in VS Code.
"""
import re

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def tokenize(lines):
    """Turns each log line into its numbers."""
    rows = []
    for line in lines:
        number = re.compile(r"-?\d+(?:\.\d+)?")  # compiled again for every line
        rows.append([float(tok) for tok in number.findall(line)][:8])
    return rows


def build_features(rows):
    """Pads the rows to eight columns and stacks them."""
    features = np.empty((0, 8))
    for row in rows:
        padded = np.zeros(8)
        padded[: len(row)] = row
        features = np.append(features, [padded], axis=0)  # copies every row so far, each time
    return features


def standardize(features, mean, std):
    """Scales every value, one at a time."""
    out = np.zeros_like(features)
    for i in range(features.shape[0]):
        for j in range(features.shape[1]):
            out[i, j] = (features[i, j] - mean[j]) / std[j]
    return out


def train(features, labels, epochs=5):
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    data = TensorDataset(torch.tensor(features, dtype=torch.float32), torch.tensor(labels))
    loader = DataLoader(data, batch_size=64, shuffle=True)
    history = []
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            history.append(loss.item())  # waits for the device on every batch
    return model, history


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    lines = [f"step={i} loss={rng.random():.4f} lr=0.1 took={rng.integers(5, 50)}ms" for i in range(2000)]
    features = build_features(tokenize(lines))
    features = standardize(features, features.mean(axis=0), features.std(axis=0) + 1e-9)
    labels = (features[:, 1] > 0).astype(np.int64)
    model, history = train(features, labels)
    print(f"final loss {history[-1]:.4f}")
