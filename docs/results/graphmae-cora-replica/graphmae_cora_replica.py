"""Plain-PyTorch re-implementation of GraphMAE's transductive Cora run, written from reading THUDM/GraphMAE@b14f080
(main_transductive.py, graphmae/models/{edcoder,gat}.py, graphmae/evaluation.py, configs.yml "cora") with DGL's
operations spelled out (edge softmax, message passing).  A diagnostic: it tells whether our C# model or the setting
is what stands between 78.75 and the published 84.2.
usage: python3 graphmae_cora_replica.py DATA_DIR SEED [EPOCHS [in_drop=… attn_drop=… replace_rate=… freeze_decoder_bias=1]]"""
import math, pickle, random, sys, time
import numpy as np
import scipy.sparse as sp
import torch
import torch.nn as nn
import torch.nn.functional as F

def load_cora(root, name="cora"):
    objs = []
    for part in ["x", "y", "tx", "ty", "allx", "ally", "graph"]:
        with open(f"{root}/ind.{name}.{part}", "rb") as f:
            objs.append(pickle.load(f, encoding="latin1"))
    x, y, tx, ty, allx, ally, graph = objs
    test_idx = [int(l) for l in open(f"{root}/ind.{name}.test.index")]
    test_range = np.sort(test_idx)
    if name == "citeseer":
        full = range(min(test_idx), max(test_idx) + 1)
        tx_ext = sp.lil_matrix((len(full), x.shape[1])); tx_ext[test_range - min(test_range), :] = tx; tx = tx_ext
        ty_ext = np.zeros((len(full), y.shape[1])); ty_ext[test_range - min(test_range), :] = ty; ty = ty_ext
    feats = sp.vstack((allx, tx)).tolil()
    feats[test_idx, :] = feats[test_range, :]
    onehot = np.vstack((ally, ty)); onehot[test_idx, :] = onehot[test_range, :]
    labels = np.argmax(onehot, 1)
    feats = np.asarray(feats.todense(), dtype=np.float64)
    rs = feats.sum(1); inv = np.where(rs > 0, 1.0 / np.where(rs > 0, rs, 1), 0.0)
    feats = (feats * inv[:, None]).astype(np.float32)          # DGL _preprocess_features: row sums 1
    n = feats.shape[0]
    pairs = set()
    for u, vs in graph.items():
        for v in vs:
            if u != v and u < n and v < n:
                pairs.add((u, v)); pairs.add((v, u))
    src = [p[0] for p in pairs] + list(range(n)); dst = [p[1] for p in pairs] + list(range(n))  # remove_self_loop + add_self_loop
    train = np.zeros(n, bool); train[range(len(y))] = True
    val = np.zeros(n, bool); val[range(len(y), len(y) + 500)] = True
    test = np.zeros(n, bool); test[test_range] = True
    t = torch.tensor
    return t(feats), t(labels), t(src), t(dst), t(train), t(val), t(test), int(onehot.shape[1])

def edge_softmax(e, dst, n):                                  # e [E, H], softmax over each target's incoming edges
    idx = dst.unsqueeze(1).expand_as(e)
    mx = torch.full((n, e.shape[1]), -1e30).scatter_reduce(0, idx, e, "amax", include_self=True)
    p = (e - mx[dst]).exp()
    return p / torch.zeros(n, e.shape[1]).index_add_(0, dst, p)[dst]

class GATConv(nn.Module):
    def __init__(self, fin, fout, heads, feat_drop, attn_drop, activation):
        super().__init__()
        self.h, self.f = heads, fout
        self.fc = nn.Linear(fin, fout * heads, bias=False)
        self.attn_l = nn.Parameter(torch.empty(1, heads, fout)); self.attn_r = nn.Parameter(torch.empty(1, heads, fout))
        self.bias = nn.Parameter(torch.empty(heads * fout))
        gain = nn.init.calculate_gain("relu")
        nn.init.xavier_normal_(self.fc.weight, gain=gain); nn.init.xavier_normal_(self.attn_l, gain=gain)
        nn.init.xavier_normal_(self.attn_r, gain=gain); nn.init.constant_(self.bias, 0)
        self.feat_drop, self.attn_drop, self.act = nn.Dropout(feat_drop), nn.Dropout(attn_drop), activation
    def forward(self, g, x):
        src, dst, n = g
        ft = self.fc(self.feat_drop(x)).view(-1, self.h, self.f)
        el = (ft * self.attn_l).sum(-1); er = (ft * self.attn_r).sum(-1)
        a = self.attn_drop(edge_softmax(F.leaky_relu(el[src] + er[dst], 0.2), dst, n))
        rst = torch.zeros_like(ft).index_add_(0, dst, ft[src] * a.unsqueeze(-1))
        rst = (rst + self.bias.view(1, self.h, self.f)).flatten(1)
        return self.act(rst) if self.act is not None else rst

class PreModel(nn.Module):
    def __init__(self, fin, hidden=512, heads=4, mask_rate=0.5, replace_rate=0.05, alpha=3, in_drop=0.2, attn_drop=0.1):
        super().__init__()
        w = hidden // heads
        self.encoder = nn.ModuleList([GATConv(fin, w, heads, in_drop, attn_drop, nn.PReLU()),
                                      GATConv(hidden, w, heads, in_drop, attn_drop, nn.PReLU())])
        self.decoder = GATConv(hidden, fin, 1, in_drop, attn_drop, None)
        self.enc_mask_token = nn.Parameter(torch.zeros(1, fin))
        self.encoder_to_decoder = nn.Linear(hidden, hidden, bias=False)
        self.mask_rate, self.replace_rate, self.alpha = mask_rate, replace_rate, alpha
    def embed(self, g, x):
        for layer in self.encoder: x = layer(g, x)
        return x
    def forward(self, g, x):
        n = x.shape[0]
        perm = torch.randperm(n); m = int(self.mask_rate * n)
        mask_nodes = perm[:m]
        perm_mask = torch.randperm(m)
        token = mask_nodes[perm_mask[: int((1 - self.replace_rate) * m)]]
        noise = mask_nodes[perm_mask[-int(self.replace_rate * m):]]
        chosen = torch.randperm(n)[: int(self.replace_rate * m)]
        return self.masked_loss(g, x, mask_nodes, token, noise, chosen)
    def masked_loss(self, g, x, mask_nodes, token, noise, chosen):
        """[MASK] token on `token`, x[chosen] on `noise`, encode, re-mask, decode, scaled cosine error on mask_nodes."""
        out = x.clone(); out[token] = 0.0; out[noise] = x[chosen]; out[token] += self.enc_mask_token
        rep = self.encoder_to_decoder(self.embed(g, out))
        rep[mask_nodes] = 0
        recon = self.decoder(g, rep)
        a, b = F.normalize(recon[mask_nodes], p=2, dim=-1), F.normalize(x[mask_nodes], p=2, dim=-1)
        return (1 - (a * b).sum(-1)).pow_(self.alpha).mean()

def probe(emb, labels, train, val, test, classes, lr=0.01, wd=1e-4, epochs=300):
    clf = nn.Linear(emb.shape[1], classes); opt = torch.optim.Adam(clf.parameters(), lr=lr, weight_decay=wd)
    best_val, best_state, best_epoch = 0, None, 0
    for ep in range(epochs):
        clf.train(); loss = F.cross_entropy(clf(emb)[train], labels[train]); opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            pred = clf(emb).argmax(1)
            va = (pred[val] == labels[val]).float().mean().item(); te = (pred[test] == labels[test]).float().mean().item()
        if va >= best_val: best_val, best_epoch, best_state = va, ep, {k: v.clone() for k, v in clf.state_dict().items()}
    clf.load_state_dict(best_state)
    with torch.no_grad(): estp = (clf(emb).argmax(1)[test] == labels[test]).float().mean().item()
    return te, estp, best_val, best_epoch

def main():
    root, seed = sys.argv[1], int(sys.argv[2]); epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    kw = dict(a.split("=") for a in sys.argv[4:]); kw = {k: float(v) for k, v in kw.items()}
    freeze_bias = kw.pop("freeze_decoder_bias", 0) == 1
    torch.set_num_threads(1)
    x, labels, src, dst, train, val, test, classes = load_cora(root)
    g = (src, dst, x.shape[0])
    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)
    model = PreModel(x.shape[1], **kw)
    if freeze_bias: model.decoder.bias.requires_grad_(False)   # what the old Losses.Unit did to ours (README.md)
    opt = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=2e-4)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda ep: (1 + np.cos(ep * np.pi / epochs)) * 0.5)
    model.eval()
    with torch.no_grad(): emb0 = model.embed(g, x)
    print("untrained", probe(emb0, labels, train, val, test, classes), flush=True)
    t0 = time.time()
    for ep in range(epochs):
        model.train(); loss = model(g, x); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        if (ep + 1) % 100 == 0 or ep < 5 or ep + 1 in (10, 20, 30, 50, 70):
            print(f"epoch {ep+1} loss {loss.item():.4f} {time.time()-t0:.0f}s", flush=True)
    model.eval()
    with torch.no_grad(): emb = model.embed(g, x)
    final, estp, bv, be = probe(emb, labels, train, val, test, classes)
    print(f"RESULT seed {seed} final {final:.4f} estp {estp:.4f} val {bv:.4f} epoch {be} loss {loss.item():.4f}", flush=True)

if __name__ == "__main__":
    main()
