"""PyTorch eager peer of `workbench bench train`: the transformer agent (Workbench.Models.TransformerAgent) with the
same sizes, symbolic or pixel input (the per-cell conv image tower of Workbench.Models.CellEncoder, distinct tiles
encoded once), the same loss, AdamW and clipping, trained on the batch the TorchSharp side wrote (--batch: raw
little-endian arrays and batch.json with the shapes) and timed the same way (data / forward / backward / optimizer).
Prints one JSON line. PyTorch 1.13 has no F.scaled_dot_product_attention, so attention is written out
(softmax(QK^T / sqrt(d)) V with the same padding mask), which is what SDPA's math path computes on CPU.
"""
import argparse, json, math, os, re, time
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {"tiny": (32, 2, 2, 16), "small": (128, 4, 4, 32), "base": (256, 6, 8, 48)}  # dim, layers, heads, cell channels (mlp ratio 2)
OBJECTS, COLOURS, STATES, VIEW = 12, 6, 3, 7


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


class CellEncoder(nn.Module):
    """One token per view cell from its tile: conv 3x3 (3 -> C), ReLU, [max-pool 2 if tile >= 8], conv 3x3 (C -> 2C), ReLU,
    adaptive average pool 4x4, Linear (32C -> D); each distinct tile of the batch is encoded once."""

    def __init__(self, tile, channels, d):
        super().__init__()
        self.tile, self.d = tile, d
        self.conv1 = nn.Conv2d(3, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, 2 * channels, 3, padding=1)
        self.proj = nn.Linear(2 * channels * 16, d)

    def forward(self, view):  # (N, 7t, 7t, 3) uint8 -> (N, 49, D)
        n, t = view.shape[0], self.tile
        tiles = view.view(n, VIEW, t, VIEW, t, 3).permute(0, 1, 3, 2, 4, 5).reshape(n * VIEW * VIEW, t * t * 3)
        distinct, inverse = torch.unique(tiles, sorted=True, return_inverse=True, dim=0)
        x = ((distinct.view(-1, t, t, 3).float() / 255.0 - 0.5) / 0.25).permute(0, 3, 1, 2)
        x = F.relu(self.conv1(x))
        if t >= 8:
            x = F.max_pool2d(x, 2)
        x = F.adaptive_avg_pool2d(F.relu(self.conv2(x)), 4)
        return self.proj(x.flatten(1)).index_select(0, inverse).view(n, VIEW * VIEW, self.d)


class Agent(nn.Module):
    def __init__(self, d, layers, heads, channels, vocab, max_len, tile):
        super().__init__()
        self.d = d
        if tile:
            self.image = CellEncoder(tile, channels, d)
        else:
            self.image = None
            self.obj, self.col, self.state = nn.Embedding(OBJECTS, d), nn.Embedding(COLOURS, d), nn.Embedding(STATES, d)
        self.row_e, self.col_e, self.dir = nn.Embedding(VIEW, d), nn.Embedding(VIEW, d), nn.Embedding(4, d)
        self.word, self.word_pos = nn.Embedding(vocab, d, padding_idx=0), nn.Embedding(max_len, d)
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.memory = nn.GRU(d, d, batch_first=True)
        self.head = nn.Linear(d, 7)

    def cells(self, obs):  # (N, H, W, 3) uint8 -> (N, 49, D)
        if self.image is not None:
            return self.image(obs)
        g = obs.view(obs.shape[0], VIEW * VIEW, 3).long()
        return self.obj(g[:, :, 0]) + self.col(g[:, :, 1]) + self.state(g[:, :, 2])

    def forward(self, obs, direction, mission, mask):  # (B, T, H, W, 3), (B, T), (B, L), (B, T)
        b, t = mask.shape
        index = mask.reshape(-1).nonzero().squeeze(1)
        episode = torch.div(index, t, rounding_mode="floor")
        l = mission.shape[1]
        words = self.word(mission) + self.word_pos(torch.arange(l)).unsqueeze(0)
        real = obs.flatten(0, 1).index_select(0, index)
        n = real.shape[0]
        cell = torch.arange(VIEW * VIEW)
        cells = self.cells(real) + (self.row_e(torch.div(cell, VIEW, rounding_mode="floor")) + self.col_e(cell % VIEW)).unsqueeze(0)
        dirs = self.dir(direction.view(b * t).index_select(0, index)).unsqueeze(1)
        x = torch.cat([self.cls.expand(n, 1, self.d), dirs, cells, words.index_select(0, episode)], 1)
        keep = torch.cat([torch.ones(n, 2 + VIEW * VIEW, dtype=torch.bool), mission.ne(0).index_select(0, episode)], 1).view(n, 1, 1, -1)
        for block in self.blocks:
            x = block(x, keep)
        summary = self.norm(x[:, 0])
        per_step = torch.zeros(b * t, self.d).index_copy(0, index, summary).view(b, t, self.d)
        hidden, _ = self.memory(per_step)
        return self.head(hidden)


def load(folder):
    shapes = json.load(open(os.path.join(folder, "batch.json")))
    def raw(name, dtype):
        return torch.frombuffer(bytearray(open(os.path.join(folder, name), "rb").read()), dtype=dtype)
    b, t = shapes["obs"][0], shapes["obs"][1]
    return (raw("obs.bin", torch.uint8).view(*shapes["obs"]), raw("direction.bin", torch.int64).view(b, t),
            raw("mission.bin", torch.int64).view(*shapes["mission"]), raw("actions.bin", torch.int64).view(b, t),
            raw("mask.bin", torch.uint8).view(b, t).bool())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", default="tiny")
    p.add_argument("--batch", required=True, help="folder written by Workbench.Training.PyTorchPeer.WriteBatch")
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--tile", type=int, default=0, help="pixels per cell of RGB observations; 0 = symbolic")
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    obs_b, dir_b, mission_b, actions_b, mask_b = load(a.batch)
    d, layers, heads, channels = SIZES[a.size]
    model = Agent(d, layers, heads, channels, a.vocab, mission_b.shape[1], a.tile)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    samples = int(mask_b.sum())
    times = [0.0, 0.0, 0.0, 0.0]
    for i in range(a.warmup + a.iterations):
        t0 = time.perf_counter()
        obs, direction, mission, actions, mask = obs_b.clone(), dir_b.clone(), mission_b.clone(), actions_b.clone(), mask_b.clone()
        t1 = time.perf_counter()
        opt.zero_grad()
        logits = model(obs, direction, mission, mask)
        index = mask.reshape(-1).nonzero().squeeze(1)
        loss = F.cross_entropy(logits.reshape(-1, 7).index_select(0, index), actions.reshape(-1).index_select(0, index), reduction="sum") / samples
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
    print(json.dumps({"torch": torch.__version__, "blas": blas.group(1) if blas else "unknown", "threads": torch.get_num_threads(),
                      "parameters": sum(p.numel() for p in model.parameters()), "samples": samples,
                      "data_s": times[0], "forward_s": times[1], "backward_s": times[2], "optimizer_s": times[3], "step_s": sum(times)}))


if __name__ == "__main__":
    main()
