"""A small PyTorch job for "Hotpath: Profile CUDA Job": on a machine without a GPU it runs on the CPU."""
import torch


def train_step(model, batch, optimizer):
    optimizer.zero_grad()
    loss = model(batch).pow(2).mean()
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(128, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    batch = torch.randn(256, 128, device=device)
    for _ in range(40):
        train_step(model, batch, optimizer)


if __name__ == "__main__":
    main()
