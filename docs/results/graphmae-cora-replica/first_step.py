"""One Adam step of the replica with a fixed mask (the first half of Cora's nodes, no dropout), training one group of
parameters at a time; prints the loss before and after the step, and the decoder bias's gradient.  The same
experiment in C# (our components, same mask) gave the numbers in README.md.  usage: python3 first_step.py DATA_DIR"""
import sys, torch
import graphmae_cora_replica as r

torch.set_num_threads(1)
x, labels, src, dst, train, val, test, classes = r.load_cora(sys.argv[1])
g = (src, dst, x.shape[0])
for which in ["bias", "proj", "attn", "e2d", "enc", "token"]:
    torch.manual_seed(0)
    m = r.PreModel(x.shape[1], in_drop=0, attn_drop=0)
    m.train()
    params = {"bias": [m.decoder.bias], "proj": [m.decoder.fc.weight], "attn": [m.decoder.attn_l, m.decoder.attn_r],
              "e2d": list(m.encoder_to_decoder.parameters()), "enc": list(m.encoder.parameters()), "token": [m.enc_mask_token]}[which]
    mask, none = torch.arange(1354), torch.zeros(0, dtype=torch.long)
    opt = torch.optim.Adam(params, lr=0.001, weight_decay=2e-4)
    losses = []
    for step in range(2):
        loss = m.masked_loss(g, x, mask, mask, none, none)   # every masked node gets the token, none is replaced
        losses.append(round(loss.item(), 4))
        opt.zero_grad(); loss.backward()
        if step == 0 and which == "bias":
            gb = m.decoder.bias.grad.abs()
            print(f"decoder bias gradient: mean |g| {gb.mean().item():.3g}, max {gb.max().item():.3g}")
        opt.step()
    print(which, losses)
