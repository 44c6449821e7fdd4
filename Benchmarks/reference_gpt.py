"""Reference GPT in PyTorch that computes exactly what the Swift LM core (Sources/LMCore) computes.

nanoGPT style, one file, no dependencies beyond torch. It is the ground truth for
Tests/LMCoreTests/Fixtures/gen_reference.py (run in float64) and the model of the PyTorch half of
the benchmark (Benchmarks/torch_gpt_bench.py, float32).

Model (pre-LN decoder):
    x = embed + wpe[pos]        embed = wte[token] (token mode) or readIn(input) (continuous mode)
                                pos = positions[b, t] if given, else t
    per block:  x = x + attn.proj(attention(norm1(x)))
                x = x + mlp.proj(gelu_tanh(mlp.fc(norm2(x))))
    x = lnf(x)
    out = x @ wte.T (tied) | head(x) (untied) | readOut(x) (continuous)

Attention: qkv = Linear(C -> 3C); q, k, v are columns [0,C), [C,2C), [2C,3C); head h uses columns
h*hd .. (h+1)*hd of each. scores = q k^T / sqrt(hd); i attends to j iff j <= i and (if a documents
array is given) documents[b, j] == documents[b, i]; softmax over allowed j; heads concatenated in
order, then proj.

Norms: LayerNorm (eps 1e-5, biased variance, bias only if config.bias) or RMSNorm
y = x / sqrt(mean(x^2) + 1e-5) * weight (no bias, no mean subtraction).

Loss: token mode, weighted cross-entropy  sum_i w_i CE_i / sum_i w_i;
      continuous mode, weighted MSE       sum_i w_i sum_d (out_id - y_id)^2 / (outputDim sum_i w_i).

Optimizer: torch.optim.AdamW (betas (0.9, 0.95), eps 1e-8), weight decay only on parameters with
>= 2 dims, after torch.nn.utils.clip_grad_norm_(max_norm=1.0).

Parameter names and order (model.named_parameters()) are those of the Swift core:
    wte | readIn.weight, wpe, h.{l}.ln1.weight, h.{l}.ln1.bias, h.{l}.attn.qkv.weight,
    h.{l}.attn.qkv.bias, h.{l}.attn.proj.weight, h.{l}.attn.proj.bias, h.{l}.ln2.weight,
    h.{l}.ln2.bias, h.{l}.mlp.fc.weight, h.{l}.mlp.fc.bias, h.{l}.mlp.proj.weight,
    h.{l}.mlp.proj.bias, lnf.weight, lnf.bias, head.weight | readOut.weight
(biases and norm biases present only when bias=True and, for norms, norm == "layernorm").
"""

import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F

NORM_EPS = 1e-5


@dataclass
class GPTConfig:
    vocabSize: int = 0       # token mode if > 0
    inputDim: int = 0        # continuous read-in mode if > 0 (then vocabSize == 0)
    outputDim: int = 0       # continuous read-out width (0 in token mode)
    contextLength: int = 128
    dModel: int = 128
    nLayers: int = 4
    nHeads: int = 4
    mlpHidden: int = 512
    norm: str = "layernorm"  # "layernorm" | "rmsnorm"
    bias: bool = True
    tied: bool = True

    def __post_init__(self):
        assert (self.vocabSize > 0) != (self.inputDim > 0), "exactly one of vocabSize, inputDim"
        if self.inputDim > 0:
            assert self.outputDim > 0, "continuous mode needs outputDim"
        else:
            assert self.outputDim == 0, "token mode has outputDim 0"
        assert self.dModel % self.nHeads == 0
        assert self.norm in ("layernorm", "rmsnorm")

    @property
    def token_mode(self):
        return self.vocabSize > 0

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=NORM_EPS):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def make_norm(cfg):
    if cfg.norm == "layernorm":
        return nn.LayerNorm(cfg.dModel, eps=NORM_EPS, bias=cfg.bias)
    return RMSNorm(cfg.dModel)


class Attention(nn.Module):
    def __init__(self, cfg, use_sdpa=False):
        super().__init__()
        self.nHeads = cfg.nHeads
        self.qkv = nn.Linear(cfg.dModel, 3 * cfg.dModel, bias=cfg.bias)
        self.proj = nn.Linear(cfg.dModel, cfg.dModel, bias=cfg.bias)
        self.use_sdpa = use_sdpa

    def forward(self, x, mask):
        # mask: None (plain causal) or a boolean [B, 1, T, T] tensor, True = may attend.
        B, T, C = x.shape
        H = self.nHeads
        hd = C // H
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, H, hd).transpose(1, 2)  # [B, H, T, hd]
        k = k.view(B, T, H, hd).transpose(1, 2)
        v = v.view(B, T, H, hd).transpose(1, 2)
        if self.use_sdpa:
            if mask is None:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            if mask is None:
                mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
            att = att.masked_fill(~mask, float("-inf"))
            att = F.softmax(att, dim=-1)
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads concatenated in order
        return self.proj(y)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc = nn.Linear(cfg.dModel, cfg.mlpHidden, bias=cfg.bias)
        self.proj = nn.Linear(cfg.mlpHidden, cfg.dModel, bias=cfg.bias)

    def forward(self, x):
        # tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, cfg, use_sdpa=False):
        super().__init__()
        # Attribute order = parameter order: ln1, attn, ln2, mlp.
        self.ln1 = make_norm(cfg)
        self.attn = Attention(cfg, use_sdpa)
        self.ln2 = make_norm(cfg)
        self.mlp = MLP(cfg)

    def forward(self, x, mask):
        x = x + self.attn(self.ln1(x), mask)
        x = x + self.mlp(self.ln2(x))
        return x


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig, use_sdpa=False):
        super().__init__()
        self.cfg = cfg
        C = cfg.dModel
        # Registration order = the Swift core's parameter order.
        if cfg.token_mode:
            self.wte = nn.Parameter(torch.zeros(cfg.vocabSize, C))
        else:
            self.readIn = nn.Linear(cfg.inputDim, C, bias=False)
        self.wpe = nn.Parameter(torch.zeros(cfg.contextLength, C))
        self.h = nn.ModuleList([Block(cfg, use_sdpa) for _ in range(cfg.nLayers)])
        self.lnf = make_norm(cfg)
        if cfg.token_mode:
            if not cfg.tied:
                self.head = nn.Linear(C, cfg.vocabSize, bias=False)
        else:
            self.readOut = nn.Linear(C, cfg.outputDim, bias=False)
        self.init_weights()

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        # nn.Module lists a module's own parameters (wte, wpe) before its submodules' ones; the
        # Swift order puts readIn.weight before wpe, so move it to the front (parameters() follows).
        items = list(super().named_parameters(prefix, recurse, remove_duplicate))
        first = (prefix + "." if prefix else "") + "readIn.weight"
        return iter([it for it in items if it[0] == first] + [it for it in items if it[0] != first])

    @torch.no_grad()
    def init_weights(self, std=0.02, norm_std=0.0, bias_std=0.0, generator=None):
        """Matrices ~ N(0, std); norm weights 1 + norm_std*N(0,1); biases bias_std*N(0,1).
        Draws in named_parameters() order (the fixture uses nonzero norm_std/bias_std)."""
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=generator, dtype=p.dtype) * std)
            elif name.endswith(".weight"):  # norm weight
                p.copy_(1.0 + norm_std * torch.randn(p.shape, generator=generator, dtype=p.dtype))
            else:  # Linear or LayerNorm bias
                p.copy_(bias_std * torch.randn(p.shape, generator=generator, dtype=p.dtype))

    def forward(self, tokens=None, inputs=None, targets=None, target_values=None,
                weights=None, positions=None, documents=None):
        """tokens [B,T] long (token mode) or inputs [B,T,inputDim] (continuous mode).
        targets [B,T] long / target_values [B,T,outputDim]; weights [B,T] (default all 1);
        positions [B,T] long (default t); documents [B,T] long (default: one document).
        Returns (outputs, loss): logits [B,T,V] or predictions [B,T,outputDim]; loss or None."""
        cfg = self.cfg
        if cfg.token_mode:
            B, T = tokens.shape
            x = self.wte[tokens]
        else:
            B, T, _ = inputs.shape
            x = self.readIn(inputs)
        assert T <= cfg.contextLength
        if positions is None:
            x = x + self.wpe[:T]
        else:
            x = x + self.wpe[positions]
        mask = None
        if documents is not None:
            causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            same = documents[:, :, None] == documents[:, None, :]  # [B, i, j]
            mask = (causal[None] & same)[:, None]                 # [B, 1, T, T]
        for block in self.h:
            x = block(x, mask)
        x = self.lnf(x)
        if cfg.token_mode:
            out = x @ self.wte.t() if cfg.tied else self.head(x)
        else:
            out = self.readOut(x)

        loss = None
        if targets is not None or target_values is not None:
            w = torch.ones(B, T, dtype=out.dtype, device=out.device) if weights is None else weights.to(out.dtype)
            if cfg.token_mode:
                per = F.cross_entropy(out.reshape(B * T, -1), targets.reshape(B * T), reduction="none")
                loss = (w.reshape(-1) * per).sum() / w.sum()
            else:
                per = (out - target_values).pow(2).sum(-1)  # [B, T]
                loss = (w * per).sum() / (cfg.outputDim * w.sum())
        return out, loss

    def num_params(self):
        return sum(p.numel() for p in self.parameters())


def configure_optimizer(model, lr=1e-3, weight_decay=0.1, betas=(0.9, 0.95), eps=1e-8):
    """AdamW with decay on parameters with >= 2 dims (wte, wpe, weight matrices) only."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps)


def train_step(model, opt, batch, clip=1.0):
    """One full step: forward, backward, global-norm clip, AdamW. Returns (loss, pre-clip grad norm)."""
    opt.zero_grad(set_to_none=True)
    _, loss = model(**batch)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    opt.step()
    return loss.detach(), norm
