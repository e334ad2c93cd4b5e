"""Plain-PyTorch re-implementation of BGRL's transductive training (nerdslab/bgrl@60f9f19: train_transductive.py,
bgrl/{bgrl,models,predictors,scheduler,transforms}.py, config/amazon-photos.cfg) run on Cora or CiteSeer, with PyG's
GCNConv, BatchNorm and dropout_adj spelled out.  A diagnostic: it tells whether our C# BGRL or the setting is what
stands between our Cora 77.80 and the published 82.7.  It writes the online encoder's node embeddings (eval mode, as
train_transductive.py's eval) to OUT.npy; `graphssl evaluate --embeddings OUT.npy --dataset Cora` probes them with our
public-split probe, so the probe is not a difference.
usage: python3 bgrl_cora_replica.py PLANETOID_ROOT cora|citeseer SEED OUT.npy [key=value …: epochs=10000 warmup=1000 lr=1e-4 bn_momentum=0.99 …]"""
import copy, math, os, random, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "graphmae-cora-replica"))
from graphmae_cora_replica import load_cora  # noqa: E402  (row-normalised features, symmetric edges, public split)

# config/amazon-photos.cfg lines 4-20 (the only settings the authors give; there is no Planetoid config)
SETTINGS = dict(epochs=10000, warmup=1000, lr=1e-4, weight_decay=1e-5, mm=0.99, hidden=256, out=128, predictor=512,
                drop_edge_1=0.4, drop_feat_1=0.1, drop_edge_2=0.1, drop_feat_2=0.2, bn_momentum=0.99)


class GCNConv(nn.Module):
    """PyG's GCNConv: x·W (Glorot, no bias), add self-loops, D^-1/2 (A+I) D^-1/2 with the degree counted at the
    target of each (directed) edge, sum at the target, then + bias (zeros)."""
    def __init__(self, fin, fout):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(fin, fout)); self.bias = nn.Parameter(torch.empty(fout))
        self.reset_parameters()

    def reset_parameters(self):
        a = math.sqrt(6.0 / (self.weight.shape[0] + self.weight.shape[1]))
        nn.init.uniform_(self.weight, -a, a); nn.init.zeros_(self.bias)

    def forward(self, x, src, dst):
        n = x.shape[0]
        loops = torch.arange(n)
        s, d = torch.cat([src, loops]), torch.cat([dst, loops])
        deg = torch.zeros(n).index_add_(0, d, torch.ones(d.shape[0]))
        dinv = deg.pow(-0.5)
        norm = dinv[s] * dinv[d]
        h = x @ self.weight
        out = torch.zeros(n, h.shape[1]).index_add_(0, d, h[s] * norm.unsqueeze(1))
        return out + self.bias


class Encoder(nn.Module):
    """bgrl/models.py GCN(layer_sizes, batchnorm=True): per layer GCNConv, BatchNorm(momentum=0.99), PReLU."""
    def __init__(self, sizes, bn_momentum):
        super().__init__()
        self.convs = nn.ModuleList([GCNConv(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.bns = nn.ModuleList([nn.BatchNorm1d(b, momentum=bn_momentum) for b in sizes[1:]])
        self.acts = nn.ModuleList([nn.PReLU() for _ in sizes[1:]])

    def reset_parameters(self):  # PyG Sequential.reset_parameters: every child that has one (PReLU stays 0.25)
        for m in list(self.convs) + list(self.bns):
            m.reset_parameters()

    def forward(self, x, src, dst):
        for conv, bn, act in zip(self.convs, self.bns, self.acts):
            x = act(bn(conv(x, src, dst)))
        return x


def cosine_decay(max_val, warmup, total, step):  # bgrl/scheduler.py CosineDecayScheduler.get
    if step < warmup:
        return max_val * step / warmup
    return max_val * (1 + math.cos((step - warmup) * math.pi / (total - warmup))) / 2


def view(x, src, dst, p_edge, p_feat, g):
    """transforms.py: dropout_adj(p, force_undirected=False) keeps each directed edge with 1 − p; DropFeatures zeroes
    each feature column with p (one mask for all nodes)."""
    keep = torch.rand(src.shape[0], generator=g) >= p_edge
    cols = torch.rand(x.shape[1], generator=g) < p_feat
    x = x.clone(); x[:, cols] = 0
    return x, src[keep], dst[keep]


def main():
    root, name, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    cfg = dict(SETTINGS)
    for a in sys.argv[5:]:
        k, v = a.split("="); cfg[k] = type(SETTINGS[k])(float(v)) if isinstance(SETTINGS[k], int) else float(v)
    torch.manual_seed(seed); np.random.seed(seed); random.seed(seed)
    x, y, src, dst, train, val, test, classes = load_cora(f"{root}/{name}", name)
    n = x.shape[0]
    src, dst = src[:-n], dst[:-n]  # load_cora appends self-loops (DGL style); PyG's edge_index has none
    g = torch.Generator().manual_seed(seed + 1)

    encoder = Encoder([x.shape[1], cfg["hidden"], cfg["out"]], cfg["bn_momentum"])
    predictor = nn.Sequential(nn.Linear(cfg["out"], cfg["predictor"]), nn.PReLU(1), nn.Linear(cfg["predictor"], cfg["out"]))
    target = copy.deepcopy(encoder); target.reset_parameters()  # bgrl.py: the target starts from a different init
    for p in target.parameters():
        p.requires_grad = False
    params = list(encoder.parameters()) + list(predictor.parameters())
    opt = torch.optim.AdamW(params, lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    t0 = time.time()
    for epoch in range(1, cfg["epochs"] + 1):
        step = epoch - 1
        encoder.train(); predictor.train(); target.train()
        lr = cosine_decay(cfg["lr"], cfg["warmup"], cfg["epochs"], step)
        for group in opt.param_groups:
            group["lr"] = lr
        mm = 1 - cosine_decay(1 - cfg["mm"], 0, cfg["epochs"], step)
        opt.zero_grad()
        v1 = view(x, src, dst, cfg["drop_edge_1"], cfg["drop_feat_1"], g)
        v2 = view(x, src, dst, cfg["drop_edge_2"], cfg["drop_feat_2"], g)
        q1 = predictor(encoder(*v1))
        with torch.no_grad():
            y2 = target(*v2)
        q2 = predictor(encoder(*v2))
        with torch.no_grad():
            y1 = target(*v1)
        loss = 2 - F.cosine_similarity(q1, y2, dim=-1).mean() - F.cosine_similarity(q2, y1, dim=-1).mean()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for pq, pk in zip(encoder.parameters(), target.parameters()):
                pk.mul_(mm).add_(pq, alpha=1 - mm)
        if epoch % 100 == 0 or epoch <= 5:
            print(f"epoch {epoch:5d}  loss {loss.item():.4f}  lr {lr:.2e}  mm {mm:.5f}  {time.time() - t0:.0f} s", flush=True)
    encoder.eval()
    with torch.no_grad():
        z = encoder(x, src, dst)
    np.save(out, z.numpy().astype(np.float32))
    print(f"wrote {out} {tuple(z.shape)}; {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
