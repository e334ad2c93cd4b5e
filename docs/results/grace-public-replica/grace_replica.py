"""Plain-PyTorch re-implementation of DGL's port of GRACE (dmlc/dgl@3d16000 examples/pytorch/grace: main.py, model.py,
aug.py), the code behind the public-split settings our recipe `grace-public` takes (README.md lines 59, 65, 76, 90), with
DGL's GraphConv spelled out.  A diagnostic: it tells whether our C# GRACE or the setting is what stands between our
public-split numbers and the 81.9 / 71.2 that README reports for these settings.  It writes the encoder's node embeddings
(main.py: the full graph with self-loops, unmasked features) to OUT.npy; `graphssl evaluate --embeddings OUT.npy
--dataset CiteSeer --probe public-split-cv` probes them as eval.py does with split='public', so the probe is not a
difference.
usage: python3 grace_replica.py PLANETOID_ROOT cora|citeseer SEED OUT.npy"""
import math, os, random, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "graphmae-cora-replica"))
from graphmae_cora_replica import load_cora  # noqa: E402  (row-normalised features, symmetric edges, public split)

# README.md line 59 (Cora, public split) and line 65 (CiteSeer, public split); num_layers 2 (main.py default)
SETTINGS = {
    "cora": dict(epochs=400, lr=5e-4, wd=1e-5, hid=256, out=256, act="relu", der1=0.3, der2=0.4, dfr1=0.3, dfr2=0.4, temp=0.4),
    "citeseer": dict(epochs=100, lr=1e-3, wd=1e-5, hid=512, out=512, act="prelu", der1=0.3, der2=0.3, dfr1=0.3, dfr2=0.3, temp=0.4),
}


class GraphConv(nn.Module):
    """DGL's GraphConv(norm='both', weight=True, bias=True): Xavier-uniform weight, zero bias; each source's features
    scaled by its out-degree^-1/2, summed at the target, scaled by the target's in-degree^-1/2 (degrees clamped at 1),
    multiplied by W, plus the bias.  On a dropped (asymmetric) view in- and out-degrees differ, unlike PyG's GCNConv."""
    def __init__(self, fin, fout):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(fin, fout)); self.bias = nn.Parameter(torch.zeros(fout))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x, src, dst):
        n = x.shape[0]
        out_deg = torch.zeros(n).index_add_(0, src, torch.ones(src.shape[0])).clamp(min=1)
        in_deg = torch.zeros(n).index_add_(0, dst, torch.ones(dst.shape[0])).clamp(min=1)
        h = (x * out_deg.pow(-0.5).unsqueeze(1)) @ self.weight  # W first: the same product as DGL's order, re-associated
        agg = torch.zeros(n, h.shape[1]).index_add_(0, dst, h[src])
        return agg * in_deg.pow(-0.5).unsqueeze(1) + self.bias


class Grace(nn.Module):
    """model.py: GCN(in, hid) = GraphConv(in, 2·hid), GraphConv(2·hid, hid), one activation module after each; the
    projection MLP(hid, out) = fc1 Linear(hid, out), ELU, fc2 Linear(out, hid) (PyTorch's default Linear init)."""
    def __init__(self, fin, hid, out, act):
        super().__init__()
        self.convs = nn.ModuleList([GraphConv(fin, 2 * hid), GraphConv(2 * hid, hid)])
        self.act = act
        self.fc1, self.fc2 = nn.Linear(hid, out), nn.Linear(out, hid)

    def embed(self, x, src, dst):
        for conv in self.convs:
            x = self.act(conv(x, src, dst))
        return x

    def project(self, h):
        return self.fc2(F.elu(self.fc1(h)))


def semi_loss(z1, z2, temp):
    """model.py get_loss: −log( e^{s(z1_i, z2_i)/τ} / (Σ_j e^{s(z1_i, z1_j)/τ} + Σ_j e^{s(z1_i, z2_j)/τ} − e^{s(z1_i, z1_i)/τ}) )."""
    z1, z2 = F.normalize(z1), F.normalize(z2)
    refl = torch.exp(z1 @ z1.t() / temp)
    between = torch.exp(z1 @ z2.t() / temp)
    return -torch.log(between.diag() / (refl.sum(1) + between.sum(1) - refl.diag()))


def aug(x, src, dst, n, feat_drop, edge_mask):
    """aug.py: keep each (directed) edge with 1 − p (th.bernoulli), zero each feature column with p (one draw per column),
    then add a self-loop to every node."""
    keep = torch.bernoulli(torch.full((src.shape[0],), 1 - edge_mask)).bool()
    cols = torch.empty(x.shape[1]).uniform_(0, 1) < feat_drop
    x = x.clone(); x[:, cols] = 0
    loops = torch.arange(n)
    return x, torch.cat([src[keep], loops]), torch.cat([dst[keep], loops])


def main():
    root, name, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    cfg = SETTINGS[name]
    torch.manual_seed(seed); np.random.seed(seed); random.seed(seed)
    x, y, src, dst, train, val, test, classes = load_cora(f"{root}/{name}", name)
    n = x.shape[0]
    src, dst = src[:-n], dst[:-n]  # load_cora appends self-loops; aug.py adds them after dropping edges
    act = {"relu": nn.ReLU(), "prelu": nn.PReLU()}[cfg["act"]]  # main.py line 84: one module for both layers
    model = Grace(x.shape[1], cfg["hid"], cfg["out"], act)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    t0 = time.time()
    for epoch in range(cfg["epochs"]):
        model.train(); opt.zero_grad()
        x1, s1, d1 = aug(x, src, dst, n, cfg["dfr1"], cfg["der1"])
        x2, s2, d2 = aug(x, src, dst, n, cfg["dfr2"], cfg["der2"])
        z1, z2 = model.project(model.embed(x1, s1, d1)), model.project(model.embed(x2, s2, d2))
        loss = ((semi_loss(z1, z2, cfg["temp"]) + semi_loss(z2, z1, cfg["temp"])) * 0.5).mean()
        loss.backward(); opt.step()
        if epoch % 10 == 0 or epoch == cfg["epochs"] - 1:
            print(f"Epoch={epoch:03d}, loss={loss.item():.4f}  {time.time() - t0:.0f} s", flush=True)
    loops = torch.arange(n)
    with torch.no_grad():
        z = model.embed(x, torch.cat([src, loops]), torch.cat([dst, loops]))
    np.save(out, z.numpy().astype(np.float32))
    print(f"wrote {out} {tuple(z.shape)}; {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
