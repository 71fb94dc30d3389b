"""PyTorch eager peer of `workbench bench train`: the transformer agent (Workbench.Models.TransformerAgent) with the
same sizes, batch shape, loss, AdamW and clipping, timed the same way (data / forward / backward / optimizer).
Prints one JSON line. PyTorch 1.13 has no F.scaled_dot_product_attention, so attention is written out
(softmax(QK^T / sqrt(d)) V with the same padding mask), which is what SDPA's math path computes on CPU.
"""
import argparse, json, math, re, time
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {"tiny": (32, 2, 2), "small": (128, 4, 4), "base": (256, 6, 8)}  # dim, layers, heads (mlp ratio 2)


class Block(nn.Module):
    def __init__(self, d, heads, ratio=2):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, ratio * d), nn.Linear(ratio * d, d)

    def forward(self, x, keep):  # x (N, S, D), keep (N, 1, 1, S) bool
        n, s, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(n, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        attn = scores.masked_fill(~keep, float("-inf")).softmax(-1) @ v  # (N, H, S, Dh)
        x = x + self.proj(attn.transpose(1, 2).reshape(n, s, d))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Agent(nn.Module):
    def __init__(self, d, layers, heads, vocab=64, max_len=16):
        super().__init__()
        self.d = d
        self.obj, self.col, self.state = nn.Embedding(11, d), nn.Embedding(6, d), nn.Embedding(3, d)
        self.row_e, self.col_e, self.dir = nn.Embedding(7, d), nn.Embedding(7, d), nn.Embedding(4, d)
        self.word, self.word_pos = nn.Embedding(vocab, d, padding_idx=0), nn.Embedding(max_len, d)
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.memory = nn.GRU(d, d, batch_first=True)
        self.head = nn.Linear(d, 7)

    def forward(self, grid, direction, mission, mask):  # (B, T, 7, 7, 3), (B, T), (B, L), (B, T)
        b, t = mask.shape
        index = mask.reshape(-1).nonzero().squeeze(1)
        episode = torch.div(index, t, rounding_mode="floor")
        l = mission.shape[1]
        words = self.word(mission) + self.word_pos(torch.arange(l)).unsqueeze(0)
        g = grid.view(b * t, 49, 3).index_select(0, index)
        n = g.shape[0]
        cell = torch.arange(49)
        cells = self.obj(g[:, :, 0]) + self.col(g[:, :, 1]) + self.state(g[:, :, 2]) + \
            (self.row_e(torch.div(cell, 7, rounding_mode="floor")) + self.col_e(cell % 7)).unsqueeze(0)
        dirs = self.dir(direction.view(b * t).index_select(0, index)).unsqueeze(1)
        x = torch.cat([self.cls.expand(n, 1, self.d), dirs, cells, words.index_select(0, episode)], 1)
        keep = torch.cat([torch.ones(n, 51, dtype=torch.bool), mission.ne(0).index_select(0, episode)], 1).view(n, 1, 1, -1)
        for block in self.blocks:
            x = block(x, keep)
        summary = self.norm(x[:, 0])
        per_step = torch.zeros(b * t, self.d).index_copy(0, index, summary).view(b, t, self.d)
        hidden, _ = self.memory(per_step)
        return self.head(hidden)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", default="tiny")
    p.add_argument("--episodes", type=int, default=16)
    p.add_argument("--steps", type=int, default=16)
    p.add_argument("--mission-length", type=int, default=5)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = Agent(*SIZES[a.size])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    b, t = a.episodes, a.steps
    # Episode records as Python lists of bytes (like the C# side's byte[] per step); "data" turns them into tensors.
    obs = torch.stack([torch.randint(0, 11, (b, t, 7, 7)), torch.randint(0, 6, (b, t, 7, 7)), torch.randint(0, 3, (b, t, 7, 7))], -1).to(torch.uint8)
    records = [[bytes(obs[i, j].flatten().tolist()) for j in range(t)] for i in range(b)]
    dirs = torch.randint(0, 4, (b, t)).tolist()
    words = torch.randint(2, 40, (b, a.mission_length)).tolist()
    acts = torch.randint(0, 7, (b, t)).tolist()
    times = [0.0, 0.0, 0.0, 0.0]
    for i in range(a.warmup + a.iterations):
        t0 = time.perf_counter()
        grid = torch.tensor([[list(step) for step in episode] for episode in records], dtype=torch.int64).view(b, t, 7, 7, 3)
        direction, mission, actions = torch.tensor(dirs), torch.tensor(words), torch.tensor(acts)
        mask = torch.ones(b, t, dtype=torch.bool)
        t1 = time.perf_counter()
        opt.zero_grad()
        logits = model(grid, direction, mission, mask)
        index = mask.reshape(-1).nonzero().squeeze(1)
        loss = F.cross_entropy(logits.reshape(-1, 7).index_select(0, index), actions.reshape(-1).index_select(0, index), reduction="sum") / (b * t)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        t4 = time.perf_counter()
        if i >= a.warmup:
            for k, dt in enumerate([t1 - t0, t2 - t1, t3 - t2, t4 - t3]):
                times[k] += dt
    times = [x / a.iterations for x in times]
    blas = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    print(json.dumps({"torch": torch.__version__, "blas": blas.group(1) if blas else "unknown", "threads": torch.get_num_threads(), "parameters": sum(p.numel() for p in model.parameters()),
                      "data_s": times[0], "forward_s": times[1], "backward_s": times[2], "optimizer_s": times[3], "step_s": sum(times)}))


if __name__ == "__main__":
    main()
