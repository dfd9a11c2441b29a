"""PyTorch references for the segmentation losses (catalog/segmentation.md, docs/ops-losses.md),
run by oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas and the
official code they cite; none calls lathe."""
import torch
import torch.nn.functional as F


def _ax(x):
    return tuple(range(2, x.dim()))


def _neg_dice(p, g, w=None):
    # TopoMortar _dice_loss: negative Dice, mean over (b, c)
    ax = _ax(p)
    d = (2 * (p * g).sum(ax) + 1e-5) / (g.sum(ax) + p.sum(ax) + 1e-5).clamp(min=1e-8)
    if w is not None:
        d = w * d
    return -d.mean()


def _soft_dice_loss(I, A):
    P, G, v = I["input"], I["target"], A["variant"]
    if v == "detr":
        p, t = torch.sigmoid(P).flatten(1), G.flatten(1)
        return (1 - (2 * (p * t).sum(1) + 1) / (p.sum(1) + t.sum(1) + 1)).sum() / A["num_boxes"]
    ax = _ax(P)
    if v == "topomortar":
        return _neg_dice(P, G, I.get("class_weights"))
    if v == "seabird":
        ax0 = (0,) + ax
        return 1 - ((2 * P * G).sum(ax0) / ((P + G).sum(ax0) + 1e-5)).mean()
    if A["idc"]:
        P, G = P[:, A["idc"]], G[:, A["idc"]]
    return (1 - (2 * (P * G).sum(ax) + 1e-10) / (P.sum(ax) + G.sum(ax) + 1e-10)).mean()


def _ce_dice_loss(I, A):
    z, g = I["input"], I["target"]
    w = I.get("weight")
    p = torch.softmax(z, 1)
    dice = _neg_dice(p, g, w)
    ce = (-g * torch.log(p + 1e-15)).transpose(0, 1).flatten(1).mean(1)
    if w is not None:
        ce = w * ce
    return A["lam_dice"] * dice + A["lam_ce"] * ce.sum()


REFS = {
    "soft_dice_loss": _soft_dice_loss,
    "ce_dice_loss": _ce_dice_loss,
}


def _self_adjusting_dice_loss(I, A):
    z, y, v, m = I["input"], I["target"], A["variant"], I.get("mask")
    alpha, s, sq = A["alpha"], A["smooth"], A["square_denominator"]
    if v == "multiclass_code":
        p = torch.softmax(z, -1)
        t = F.one_hot(y, p.shape[-1]).to(p.dtype)
        if m is not None:
            p, t = p * m[:, None], t * m[:, None]
        q = (1 - p) ** alpha * p
        den = q * q + t * t if sq else q.sum(0) + t.sum(0)
        l = (1 - (2 * q * t + s) / (den + s)).sum(1)
        r = A["reduction"]
        return l if r == "none" else (l.sum() if r == "sum" else l.mean())
    p = torch.sigmoid(z.reshape(-1))
    t = y.reshape(-1).to(p.dtype)
    if m is not None:
        p, t = p * m.reshape(-1), t * m.reshape(-1)
    q = (1 - p) ** alpha * p
    if v == "paper":
        return (1 - (2 * q * t + s) / (q + t + s)).mean()
    den = (q * q).sum() + (t * t).sum() if sq else q.sum() + t.sum()
    return 1 - (2 * (q * t).sum() + s) / (den + s)


# soft skeleton as the official clDice code (jocpae/clDice soft_skeleton.py), 2-D and 3-D
def _erode(x):
    if x.dim() == 4:
        return torch.min(-F.max_pool2d(-x, (3, 1), (1, 1), (1, 0)),
                         -F.max_pool2d(-x, (1, 3), (1, 1), (0, 1)))
    p1 = -F.max_pool3d(-x, (3, 1, 1), (1, 1, 1), (1, 0, 0))
    p2 = -F.max_pool3d(-x, (1, 3, 1), (1, 1, 1), (0, 1, 0))
    p3 = -F.max_pool3d(-x, (1, 1, 3), (1, 1, 1), (0, 0, 1))
    return torch.min(torch.min(p1, p2), p3)


def _dilate(x):
    if x.dim() == 4:
        return F.max_pool2d(x, (3, 3), (1, 1), (1, 1))
    return F.max_pool3d(x, (3, 3, 3), (1, 1, 1), (1, 1, 1))


def _soft_skel(img, iters):
    skel = F.relu(img - _dilate(_erode(img)))
    for _ in range(iters):
        img = _erode(img)
        d = F.relu(img - _dilate(_erode(img)))
        skel = skel + F.relu(d - skel * d)
    return skel


def _cldice_loss(I, A):
    p = torch.softmax(I["input"], 1)
    g, s, a = I["target"], A["smooth"], A["alpha"]
    dice = _neg_dice(p, g)
    sp, sg = _soft_skel(p, A["iters"]), _soft_skel(g, A["iters"])
    tprec = ((sp * g)[:, 1:].sum() + s) / (sp[:, 1:].sum() + s)
    tsens = ((sg * p)[:, 1:].sum() + s) / (sg[:, 1:].sum() + s)
    return (1 - a) * dice + a * (1 - 2 * tprec * tsens / (tprec + tsens))


def _skeleton_recall_loss(I, A):
    p = torch.softmax(I["input"], 1)
    sk = I["skeleton"]
    ax = _ax(p)
    rec = ((p * sk).sum(ax) + 1e-5) / (sk.sum(ax) + 1e-5).clamp(min=1e-8)
    return -rec[:, 1:].mean()


def _focal_tversky_loss(I, A):
    p, g = I["input"].reshape(-1), I["target"].reshape(-1)
    a, s = A["alpha"], A["smooth"]
    tp = (g * p).sum()
    fn = (g * (1 - p)).sum()
    fp = ((1 - g) * p).sum()
    ti = (tp + s) / (tp + a * fn + (1 - a) * fp + s)
    return (1 - ti).abs() ** A["gamma"]


def _sfda_adaent_loss(I, A):
    P, prior, w = I["input"], I["prior"], I["weight"]
    B = P.shape[0]
    wv = w.view(1, -1, *([1] * (P.dim() - 2)))
    ent = -((P * wv) * (P + 1e-10).log()).sum() / (P.sum() + 1e-10)
    r = (P / (P.max(1, keepdim=True).values + 1e-10)).pow(A["power"]).sum(_ax(P))
    est = r / (r.sum(1, keepdim=True) + 1e-10)
    kl = (est * ((est + 1e-10).log() - (prior + 1e-10).log())).sum() / B
    return A["lam_se"] * ent + A["lam_prior"] * kl, ent, kl


def _soft_iou_loss(I, A):
    p, g = torch.sigmoid(I["input"]).flatten(1), I["target"].flatten(1)
    inter = (g * p).sum(1)
    return (1 - inter / (g.sum(1) + p.sum(1) - inter)).sum()


def _token_labeling_loss(I, A):
    m, nb = I["onehot_map"], A["num_boxes"]
    tot = 0
    for x in I["token_logits"]:
        t = F.adaptive_avg_pool2d(m, x.shape[-2:])
        p = torch.sigmoid(x)
        ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        p_t = p * t + (1 - p) * (1 - t)
        foc = (0.25 * t + 0.75 * (1 - t)) * ce * (1 - p_t) ** 2
        tot = tot + foc.flatten(2).mean(2).sum() / nb
        pf, tf = p.flatten(1), t.flatten(1)
        tot = tot + (1 - (2 * (pf * tf).sum(1) + 1) / (pf.sum(1) + tf.sum(1) + 1)).sum() / nb
    return tot


def _warping_loss(I, A):
    z, g, crit = I["input"], I["target"], I["critical"]
    dice = _neg_dice(torch.softmax(z, 1), g)
    ce = F.cross_entropy(z, g.argmax(1), reduction="none")
    c = crit.to(z.dtype)
    return dice + A["weight"] * (ce * c).sum() / c.sum().clamp(min=1)


def _topoloss(I, A):
    z, y = I["input"], I["target"]
    p = torch.softmax(z, 1)[:, 1]
    return F.cross_entropy(z, y) + A["lam"] * F.mse_loss(p * I["w_cp"], I["r_cp"])


def _region_wise_loss(I, A):
    l = torch.softmax(I["input"], 1) * I["rwmap"]
    r = A["reduction"]
    return l if r == "none" else (l.sum() if r == "sum" else l.mean())


def _pirads_consistency_loss(I, A):
    a, b, k = I["input"], I["other"], A["shared_classes"]
    if k:
        a, b = a[:, k], b[:, k]
    return F.mse_loss(a, b, reduction=A["reduction"])


REFS.update({
    "self_adjusting_dice_loss": _self_adjusting_dice_loss,
    "cldice_loss": _cldice_loss,
    "skeleton_recall_loss": _skeleton_recall_loss,
    "focal_tversky_loss": _focal_tversky_loss,
    "sfda_adaent_loss": _sfda_adaent_loss,
    "soft_iou_loss": _soft_iou_loss,
    "token_labeling_loss": _token_labeling_loss,
    "warping_loss": _warping_loss,
    "topoloss": _topoloss,
    "region_wise_loss": _region_wise_loss,
    "pirads_consistency_loss": _pirads_consistency_loss,
})


def _edt(t, dmax):
    # distance of each foreground pixel to the nearest background pixel (brute force), clipped
    h, w = t.shape
    bg = [(r, c) for r in range(h) for c in range(w) if t[r, c] == 0]
    d = torch.zeros(h, w, dtype=torch.float64)
    for r in range(h):
        for c in range(w):
            if t[r, c] != 0:
                d[r, c] = min([((r - a) ** 2 + (c - b) ** 2) ** 0.5 for a, b in bg] + [dmax])
    return d.clamp(max=dmax)


def _eroded_labels(t, iters):
    h, w = t.shape
    bg = (t == 0)
    for _ in range(iters):
        nb = bg.clone()
        nb[1:, :] |= bg[:-1, :]
        nb[:-1, :] |= bg[1:, :]
        nb[:, 1:] |= bg[:, :-1]
        nb[:, :-1] |= bg[:, 1:]
        bg = nb
    lab = [[0] * w for _ in range(h)]
    n = 0
    for r in range(h):
        for c in range(w):
            if bg[r, c] or lab[r][c]:
                continue
            n += 1
            lab[r][c] = n
            stack = [(r, c)]
            while stack:
                a, b = stack.pop()
                for u, v in ((a - 1, b), (a + 1, b), (a, b - 1), (a, b + 1)):
                    if 0 <= u < h and 0 <= v < w and not bg[u, v] and not lab[u][v]:
                        lab[u][v] = n
                        stack.append((u, v))
    return [l for row in lab for l in row]


def _malis(seg, n1, n2, cost, pos):
    # Kruskal by decreasing cost (the cases keep costs distinct: no tie order to match)
    parent = list(range(len(seg)))
    bags = [{s: 1} if s else {} for s in seg]

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x
    pairs = [0] * len(cost)
    for e in sorted(range(len(cost)), key=lambda e: -cost[e]):
        a, b = find(n1[e]), find(n2[e])
        if a == b:
            continue
        pairs[e] = sum(ca * cb for la, ca in bags[a].items() for lb, cb in bags[b].items()
                       if (la == lb) == pos)
        parent[b] = a
        for l, c in bags[b].items():
            bags[a][l] = bags[a].get(l, 0) + c
        bags[b] = {}
    return pairs


def _mse_topowin_loss(I, A):
    z, t = I["input"], I["target"]
    win, dmax, dmin = A["window"], A["dmax"], A["dmin"]
    x = torch.relu(z)
    B, _, H, W = x.shape
    dist = torch.stack([_edt(t[b, 0], dmax) for b in range(B)])[:, None]
    wn = torch.zeros(B, 1, H, W, dtype=torch.float32)
    wp = torch.zeros(B, 1, H, W, dtype=torch.float32)
    n1 = [r * win + c for r in range(win) for c in range(win - 1)]
    n2 = [r * win + c + 1 for r in range(win) for c in range(win - 1)]
    n1 += [r * win + c for r in range(win - 1) for c in range(win)]
    n2 += [(r + 1) * win + c for r in range(win - 1) for c in range(win)]
    xd = x.detach()
    for b in range(B):
        for k in range(H // win):
            for j in range(W // win):
                px = xd[b, 0, k * win:(k + 1) * win, j * win:(j + 1) * win].flatten()
                pt = t[b, 0, k * win:(k + 1) * win, j * win:(j + 1) * win]
                ptf = pt.flatten()
                cost = [float(torch.tensor(float(px[u] + px[v]), dtype=torch.float32))
                        for u, v in zip(n1, n2)]
                gt = [float(ptf[u] + ptf[v]) for u, v in zip(n1, n2)]
                cn = [dmax if g > dmax else c for g, c in zip(gt, cost)]
                cp = [0.0 if g < dmin else c for g, c in zip(gt, cost)]
                gt = [min(g, dmax) for g in gt]
                seg = _eroded_labels(pt, A["dilation"])
                for pairs, neg, out in ((_malis(seg, n1, n2, cn, False), True, wn),
                                        (_malis(seg, n1, n2, cp, True), False, wp)):
                    tot = sum(pairs)
                    ew = [p / tot if tot > 0 else float(p) for p in pairs]
                    ew = [0.0 if (g >= dmin if neg else g < dmax) else e for g, e in zip(gt, ew)]
                    node = torch.zeros(win * win, dtype=torch.float32)
                    nh = win * (win - 1)
                    for lo, hi, ends in ((0, nh, n1), (0, nh, n2), (nh, len(n1), n1),
                                         (nh, len(n1), n2)):
                        for e in range(lo, hi):
                            node[ends[e]] = float(node[ends[e]]) + ew[e]
                    out[b, 0, k * win:(k + 1) * win, j * win:(j + 1) * win] = node.view(win, win)
    c = t * A["weight_fg"] + (1 - t) * A["weight_bg"]
    mse = (c * (x - dist) ** 2).sum()
    topo = (c * (A["malis_lr"] * x * x * wn.to(x.dtype)
                 + A["malis_lr_pos"] * (dmax - x) ** 2 * wp.to(x.dtype))).sum()
    return A["alpha"] * mse + topo


REFS["mse_topowin_loss"] = _mse_topowin_loss


def _euler_bg(block):
    # Euler characteristic of the background voxels of a 3x3x3 block: V - E + F - O
    b = (block == 0).to(torch.int64)
    v = b.sum()
    e = (b[1:] * b[:-1]).sum() + (b[:, 1:] * b[:, :-1]).sum() + (b[:, :, 1:] * b[:, :, :-1]).sum()

    def sq(x):  # 2x2 squares in the last two axes
        return (x[..., 1:, 1:] * x[..., :-1, 1:] * x[..., 1:, :-1] * x[..., :-1, :-1]).sum()
    f = sq(b) + sq(b.permute(1, 0, 2)) + sq(b.permute(2, 0, 1))
    o = (b[1:, 1:, 1:] * b[:-1, 1:, 1:] * b[1:, :-1, 1:] * b[1:, 1:, :-1] * b[:-1, :-1, 1:]
         * b[:-1, 1:, :-1] * b[1:, :-1, :-1] * b[:-1, :-1, :-1]).sum()
    return int(v - e + f - o)


def _skeletonize(mask, iters):
    # Menten et al.'s subfield skeletonization with the Euler check, on a binary [d, h, w]
    p = F.pad(mask.to(torch.int64), (1, 1, 1, 1, 1, 1))
    D, H, W = p.shape
    for _ in range(iters):
        q = F.pad(p, (1, 1, 1, 1, 1, 1))
        nb = sum(q[1 + a:1 + a + D, 1 + b:1 + b + H, 1 + c:1 + c + W]
                 for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)) - p
        end = nb <= 1
        for oz, oy, ox in ((0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 0),
                           (0, 0, 1), (1, 0, 1), (0, 1, 1), (1, 1, 1)):
            q = F.pad(p, (1, 1, 1, 1, 1, 1))
            for i in range(oz, D, 2):
                for j in range(oy, H, 2):
                    for k in range(ox, W, 2):
                        if p[i, j, k] == 0 or end[i, j, k]:
                            continue
                        blk = q[i:i + 3, j:j + 3, k:k + 3].clone()
                        before = _euler_bg(blk)
                        blk[1, 1, 1] = 0
                        if _euler_bg(blk) == before:
                            p[i, j, k] = 0
    return p[1:-1, 1:-1, 1:-1]


def _edt_nd(mask):
    # brute-force Euclidean distance of each nonzero element to the nearest zero element
    idx = torch.nonzero(mask == 0).to(torch.float64)
    out = torch.zeros(mask.shape, dtype=torch.float64)
    for pos in torch.nonzero(mask != 0):
        out[tuple(pos)] = ((idx - pos.to(torch.float64)) ** 2).sum(1).min().sqrt() if len(idx) \
            else 1e10
    return out


def _cb_weights(mask, skel, two_d):
    e = _edt_nd(mask) * (mask != 0)
    r_max = max(float((e * skel).max()), 1.0)
    dist = e.clamp(max=r_max) / r_max
    rad = e * skel / r_max
    inv = ((1 + 1e-7) / ((rad if two_d else rad ** 2) + 1e-7)) * skel
    return dist, rad, inv


def _cbdice_loss(I, A):
    z, g = I["input"], I["target"]
    w = I.get("weight")
    p = torch.softmax(z, 1)
    dice = _neg_dice(p, g, w)
    ce = (-g * torch.log(p + 1e-15)).transpose(0, 1).flatten(1).mean(1)
    if w is not None:
        ce = w * ce
    fore = z[:, 1:].max(1, keepdim=True).values
    y = torch.softmax(torch.cat([z[:, :1], fore], 1), 1)[:, 1]
    t = (g.argmax(1) > 0).to(z.dtype)
    two_d = z.dim() == 4
    yd = y.detach()
    parts = {k: [] for k in ("vl", "slvl", "sl", "vp", "spvp", "sp")}
    for b in range(z.shape[0]):
        mt, mp = t[b], (yd[b] > 0.5).to(z.dtype)
        shp = (1,) + tuple(mt.shape) if two_d else tuple(mt.shape)
        st = _skeletonize(mt.reshape(shp), A["iters"]).reshape(mt.shape).to(z.dtype)
        spk = _skeletonize(mp.reshape(shp), A["iters"]).reshape(mt.shape).to(z.dtype)
        dt, rt, it = _cb_weights(mt, st, two_d)
        dp, rp, ip = _cb_weights(mp, spk, two_d)
        parts["vl"].append(dt * mt)
        parts["slvl"].append(rt * mt)
        parts["sl"].append(it * st)
        parts["vp"].append(dp)
        parts["spvp"].append(rp)
        parts["sp"].append(ip * spk)
    c = {k: torch.stack(v) for k, v in parts.items()}
    q_vp, q_spvp, q_sp = c["vp"] * y, c["spvp"] * y, c["sp"] * y

    def comb(a, a_c, b, b_c, cc):
        return torch.where((a_c != 0) & (b_c == 0), a * cc, b * cc)
    s = A["smooth"]
    tprec = ((q_sp * c["vl"]).sum() + s) / (comb(q_spvp, c["spvp"], c["slvl"], c["slvl"],
                                                 q_sp).sum() + s)
    tsens = ((c["sl"] * q_vp).sum() + s) / (comb(c["slvl"], c["slvl"], q_spvp, c["spvp"],
                                                 c["sl"]).sum() + s)
    cb = -2 * tprec * tsens / (tprec + tsens)
    k = 2 * (A["alpha"] + A["beta"])
    return 0.5 * ce.sum() + A["alpha"] / k * dice + A["beta"] / k * cb


REFS["cbdice_loss"] = _cbdice_loss
