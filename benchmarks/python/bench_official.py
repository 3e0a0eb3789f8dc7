#!/usr/bin/python3
"""Times the official PyTorch implementation of one MLP Zoo benchmark configuration (issue 9).

The configurations are those of the Java side (io.github.mlpzoo.bench.jmh.BenchConfig, `zoo bench NAME`):
same model config, batch, inputs (standard normal floats; CTR ids uniform in [1, vocab), full-length
histories), thread count and protocol:

  * inference: model.eval(), torch.no_grad(), one forward pass over the batch per call;
  * training step: model.train(), forward, loss = mean(output ** 2), backward, torch.optim.AdamW step
    (lr 1e-4, weight decay 0.01), gradients set to None before each step;
  * a warm-up of at least max(1, --warmup) calls and at least --seconds, then --runs timed runs of --iters calls
    each (by default as many as fill --seconds, from the call time over the warm-up's second half); the
    median samples/s is reported, and samples per second of process CPU time over all timed runs (less
    disturbed than wall time when other processes share the cores).

The official code is imported from a checkout whose path you pass (never copied into this repository):

  /usr/bin/python3 benchmarks/python/bench_official.py kan --repo /path/to/Blealtan+efficient-kan --threads 1

Which checkout each name needs (--repo), and the extra ones some need:
  mixer_s16, gmlp_s16        huggingface/pytorch-image-models (timm itself)
  poolformer_s12             sail-sg/poolformer          + --timm (a pytorch-image-models checkout)
  strip_mlp_t                Med-Process/Strip_MLP       + --timm
  ms_mlp_t                   JegZheng/MS-MLP             + --timm
  raft_mlp_s                 okojoalg/raft-mlp           (einops from --shims einops_min when not installed)
  kat_t                      Adamdad/kat                 + --timm, --rational (Adamdad/rational_kat_cu)
  activator                  Abdullah-88/Activator       (the image wrapper class is read from train.py, not run)
  scaling_mlp_b6_wi512       gregorbachmann/scaling_mlps (progressbar stubbed when not installed)
  tabm                       yandex-research/tabm        + --rtdl (yandex-research/rtdl-num-embeddings, package/)
  patchtsmixer_etth1         huggingface/transformers    (shim --shims transformers_min; needs src/transformers/models/patchtsmixer)
  din                        shenweichen/DeepCTR-Torch
  finalmlp                   reczoo/FuxiCTR
  kan                        Blealtan/efficient-kan
--shims is a folder holding einops_min/, transformers_min/ and stubs/ (import-only stand-ins); by default
/work/shared/tools/golden/shims. The last output line starts with RESULT and is what compare.sh reads.
"""
import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (batch, domain); must agree with BenchConfig.STATED
STATED = {
    "mixer_s16": 8, "gmlp_s16": 8, "poolformer_s12": 8, "strip_mlp_t": 8, "ms_mlp_t": 8, "raft_mlp_s": 8,
    "kat_t": 8, "activator": 8, "scaling_mlp_b6_wi512": 8, "tabm": 256, "patchtsmixer_etth1": 32, "din": 1024,
    "finalmlp": 1024, "kan": 256,
}
# MovieLens CTR feature spec (CTR_PROTOCOL.md; DinConfig.movielens / FinalMlpConfig.movielens)
ML_VOCAB = {"user_id": 611, "movie_id": 9725, "genre_id": 20}
ML_MAX_LEN = 50


def _load_file(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _prepend(*paths):
    for p in reversed([p for p in paths if p]):
        if not os.path.isdir(p):
            raise SystemExit(f"bench_official: folder not found: {p}")
        sys.path.insert(0, p)


def _need(path, what):
    if not path:
        raise SystemExit(f"bench_official: this model needs {what}")
    return path


def _stub_matplotlib():
    try:
        import matplotlib.pyplot  # noqa: F401
    except Exception:
        m = types.ModuleType("matplotlib")
        p = types.ModuleType("matplotlib.pyplot")
        m.pyplot = p
        sys.modules["matplotlib"] = m
        sys.modules["matplotlib.pyplot"] = p


def _timm(path):
    """Puts a pytorch-image-models checkout on sys.path; maps the old module path timm.models.layers.helpers
    (imported by PoolFormer) onto timm.layers.helpers when the checkout is newer than that path."""
    _prepend(_need(path, "--timm (a pytorch-image-models checkout)"))
    try:
        import timm.models.layers.helpers  # noqa: F401
    except ImportError:
        import timm.layers.helpers
        sys.modules["timm.models.layers.helpers"] = timm.layers.helpers


def _load_class(path, cls, names):
    """Class `cls` of the official file `path`, defined from that file's own source without running the rest of
    it (e.g. a training script that downloads data and trains at import), in a namespace holding `names`."""
    import ast
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    nodes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    if len(nodes) != 1:
        raise SystemExit(f"bench_official: class {cls} not found in {path}")
    ns = dict(names, __name__=os.path.splitext(os.path.basename(path))[0] + "_official")
    exec(compile(ast.Module(body=nodes, type_ignores=[]), path, "exec"), ns)
    return ns[cls]


def _images(torch, batch, gen, size=224):
    return (torch.randn(batch, 3, size, size, generator=gen),)


# Each builder returns (model, inputs, forward) where forward(model, inputs) -> the first output tensor.
def build(name, a, torch, batch, gen):
    call = lambda m, x: m(*x)  # noqa: E731
    if name in ("mixer_s16", "gmlp_s16"):
        _prepend(a.repo)
        from timm.models import mlp_mixer
        fn = {"mixer_s16": mlp_mixer.mixer_s16_224, "gmlp_s16": mlp_mixer.gmlp_s16_224}[name]
        return fn(drop_path_rate=0.1), _images(torch, batch, gen), call
    if name == "poolformer_s12":
        _timm(a.timm)
        pf = _load_file("poolformer_official", os.path.join(a.repo, "models", "poolformer.py"))
        return pf.poolformer_s12(drop_path_rate=0.1), _images(torch, batch, gen), call
    if name == "strip_mlp_t":
        _timm(a.timm)
        _stub_matplotlib()
        sm = _load_file("strip_mlp_official", os.path.join(a.repo, "models", "strip_mlp.py"))
        # configs/smlp_tiny_alpha3_patch4_224_imagenet1k.yaml; drop_rate 0.1 = our dropPath
        model = sm.StripMLPNet(img_size=224, patch_size=4, in_chans=3, num_classes=1000, embed_dim=80,
                               layers=[2, 2, 12, 2], drop_rate=0.1, alpha=3, use_dropout=False, patch_norm=True)
        return model, _images(torch, batch, gen), call
    if name == "ms_mlp_t":
        _timm(a.timm)
        ms = _load_file("ms_mlp_official", os.path.join(a.repo, "models", "ms_mlp.py"))
        # configs/msmlp_tiny_patch4_shift5_224.yaml
        model = ms.MS_MLP(img_size=224, patch_size=4, in_chans=3, num_classes=1000, embed_dim=96, depths=[3, 3, 9, 3],
                          shift_size=5, shift_dist=[-2, -1, 0, 1, 2],
                          mix_size=[[1, 1, 3, 5, 7], [1, 3, 3, 5, 7], [1, 5, 5, 5, 7], [1, 7, 7, 7, 7]],
                          drop_path_rate=0.1)
        return model, _images(torch, batch, gen), call
    if name == "raft_mlp_s":
        try:
            import einops  # noqa: F401
        except ImportError:
            _prepend(os.path.join(a.shims, "einops_min"))
        _prepend(a.repo)
        from libs.models import RaftMLP
        dims, depths, patches = [64, 128, 256, 512], [2, 2, 6, 2], [4, 2, 2, 2]
        kernels = [[4, 8], [2, 4], [2, 4], [2]]
        layers = [dict(depth=d, dim=c, patch_size=p, raft_size=2, embedding_kernels=k)
                  for d, c, p, k in zip(depths, dims, patches, kernels)]
        model = RaftMLP(layers, in_channels=3, pretrained_image_size=224, num_classes=1000, token_expansion_factor=2,
                        channel_expansion_factor=4, dropout=0.0, token_mixing_type="ser_pm",
                        embedding_type="emb_cross_mlp", shortcut=False, drop_path_rate=0.1)
        return model, _images(torch, batch, gen), call
    if name == "kat_t":
        _timm(a.timm)
        _prepend(os.path.join(a.shims, "stubs"), _need(a.rational, "--rational"), a.repo)
        import kat_rational
        import kat_rational.kat_1dgroup_torch as cpu
        orig = kat_rational.KAT_Group.__init__

        def init_cpu(self, num_groups=8, mode="gelu", device="cuda"):
            orig(self, num_groups=num_groups, mode=mode, device="cpu")
            self.rational = cpu.Rational_CUDA_A_1DGroup  # the repository's own CPU (pure PyTorch) path

        kat_rational.KAT_Group.__init__ = init_cpu
        import katransformer
        return katransformer.kat_tiny_swish_patch16_224(drop_path_rate=0.1), _images(torch, batch, gen), call
    if name == "activator":
        _prepend(a.repo)
        from activator import ACTIVATOR
        # train.py, ACTIVATORImageClassification (its lines 45-72, an ACTIVATOR of activator.py behind a Conv2d
        # patcher, mean over tokens, Linear head), built as train.py line 74 does: with its defaults (lines 47-55),
        # the repository's CIFAR-10 model, 2,650,890 params. train.py downloads CIFAR-10 and trains when run, so
        # only that class is taken from it (_load_class)
        cls = _load_class(os.path.join(a.repo, "train.py"), "ACTIVATORImageClassification",
                          {"torch": torch, "nn": torch.nn, "ACTIVATOR": ACTIVATOR})
        model = cls(image_size=32, patch_size=4, in_channels=3, num_classes=10, d_model=256, d_ffn=512, num_layers=4,
                    dropout=0.5)
        return model, _images(torch, batch, gen, 32), call
    if name == "scaling_mlp_b6_wi512":
        try:
            import progressbar  # noqa: F401  (imported by utils/download.py, used only to fetch checkpoints)
        except ImportError:
            sys.modules["progressbar"] = types.ModuleType("progressbar")
        _prepend(a.repo)
        from models.networks import get_model
        # models/networks.py get_model (line 159) -> model_list["B_6-Wi_512"] = B_6_Wi_512 (lines 145-148):
        # BottleneckMLP(dim_in=64*64*3, dim_out=11230, norm='layer', block_dims=[[2048, 512]] * 6), the README's
        # B_6-Wi_512 at resolution 64 with the ImageNet-21k head (11,230 classes), 24,657,374 params; no checkpoint
        model = get_model("B_6-Wi_512", checkpoint=None, resolution=64, num_classes=11230)
        # the model takes flat NCHW images, as the repository's training loop gives them
        # (train.py line 28: torch.reshape(ims, (ims.shape[0], -1)))
        return model, _images(torch, batch, gen, 64), lambda m, x: m(x[0].reshape(x[0].shape[0], -1))
    if name == "tabm":
        _prepend(a.repo, _need(a.rtdl, "--rtdl"))
        import tabm
        model = tabm.TabM.make(n_num_features=8, cat_cardinalities=[], d_out=1, arch_type="tabm", k=32, n_blocks=3,
                               d_block=400, dropout=0.20769706)
        return model, (torch.randn(batch, 8, generator=gen),), call
    if name == "patchtsmixer_etth1":
        os.environ["TRANSFORMERS_SRC"] = os.path.join(a.repo, "src", "transformers")
        _prepend(os.path.join(a.shims, "transformers_min"))
        from transformers.models.patchtsmixer.configuration_patchtsmixer import PatchTSMixerConfig
        from transformers.models.patchtsmixer.modeling_patchtsmixer import PatchTSMixerForPrediction
        cfg = PatchTSMixerConfig(context_length=512, patch_length=8, patch_stride=8, num_input_channels=7, d_model=48,
                                 expansion_factor=3, num_layers=3, dropout=0.5, head_dropout=0.7, mode="common_channel",
                                 gated_attn=True, norm_mlp="LayerNorm", scaling="std", prediction_length=96)
        model = PatchTSMixerForPrediction(cfg)
        return model, (torch.randn(batch, 512, 7, generator=gen),), \
            lambda m, x: m(past_values=x[0]).prediction_outputs
    if name == "din":
        _prepend(a.repo, os.path.join(HERE, "stubs"), os.path.join(a.shims, "stubs"))
        from deepctr_torch.inputs import SparseFeat, VarLenSparseFeat
        from deepctr_torch.models.din import DIN
        cols = [SparseFeat(n, v, embedding_dim=16) for n, v in ML_VOCAB.items()]
        cols += [VarLenSparseFeat(SparseFeat("hist_" + n, ML_VOCAB[n], embedding_dim=16, embedding_name=n), ML_MAX_LEN,
                                  combiner="sum", length_name="hist_len") for n in ("movie_id", "genre_id")]
        model = DIN(cols, ["movie_id", "genre_id"], device="cpu", att_weight_normalization=False, seed=1024)
        model.out.task = "regression"  # the logit, as the zoo's DIN returns
        feats = {n: torch.randint(1, v, (batch, 1), generator=gen) for n, v in ML_VOCAB.items()}
        for n in ("movie_id", "genre_id"):
            feats["hist_" + n] = torch.randint(1, ML_VOCAB[n], (batch, ML_MAX_LEN), generator=gen)
        feats["hist_len"] = torch.full((batch, 1), ML_MAX_LEN)
        x = torch.cat([feats[n].float() for n in model.feature_index], dim=-1)  # build_input_features order
        return model, (x,), call
    if name == "finalmlp":
        src = os.path.join(a.repo, "model_zoo", "FinalMLP", "src")
        _prepend(a.repo, src, os.path.join(HERE, "stubs"), os.path.join(a.shims, "stubs"))
        from fuxictr.features import FeatureMap
        feats = [{n: {"source": "", "type": "categorical", "padding_idx": 0, "vocab_size": v + 1}}
                 for n, v in ML_VOCAB.items()]
        feats += [{"hist_" + n: {"source": "", "type": "sequence", "share_embedding": n, "padding_idx": 0,
                                 "vocab_size": ML_VOCAB[n] + 1, "max_len": ML_MAX_LEN,
                                 "feature_encoder": "layers.MaskedAveragePooling()"}} for n in ("movie_id", "genre_id")]
        tmp = tempfile.mkdtemp(prefix="bench-fuxictr-")
        with open(os.path.join(tmp, "feature_map.json"), "w") as f:
            json.dump({"dataset_id": "movielens_ctr", "num_fields": 5, "total_features": 0, "input_length": 103,
                       "labels": ["label"], "features": feats}, f)
        fm = FeatureMap("movielens_ctr", tmp)
        fm.load(os.path.join(tmp, "feature_map.json"), {"embedding_dim": 16})
        from FinalMLP import FinalMLP
        # model_config.yaml sections Base + FinalMLP_default
        model = FinalMLP(fm, model_id="FinalMLP_bench", model_root=tmp, gpu=-1, verbose=0, embedding_dim=16,
                         mlp1_hidden_units=[1024, 512], mlp1_hidden_activations="relu", mlp1_dropout=0,
                         mlp1_batch_norm=False, mlp2_hidden_units=[1024, 512, 256], mlp2_hidden_activations="relu",
                         mlp2_dropout=0, mlp2_batch_norm=False, use_fs=True, fs_hidden_units=[1024, 512],
                         fs1_context=[], fs2_context=[], num_heads=2, embedding_regularizer=0, net_regularizer=0,
                         optimizer="adam", loss="binary_crossentropy", learning_rate=1e-3, metrics=["logloss", "AUC"])
        model.output_activation = torch.nn.Identity()  # the logit, as the zoo's FinalMLP returns
        inputs = {n: torch.randint(1, v, (batch,), generator=gen) for n, v in ML_VOCAB.items()}
        for n in ("movie_id", "genre_id"):
            inputs["hist_" + n] = torch.randint(1, ML_VOCAB[n], (batch, ML_MAX_LEN), generator=gen)
        return model, (inputs,), lambda m, x: m(x[0])["y_pred"]
    if name == "kan":
        _prepend(os.path.join(a.repo, "src"))
        from efficient_kan import KAN
        return KAN([784, 64, 10]), (torch.randn(batch, 784, generator=gen),), call
    raise SystemExit(f"bench_official: unknown name '{name}'; expected one of {', '.join(STATED)}")


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return -1.0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", help="benchmark configuration: " + ", ".join(STATED))
    p.add_argument("--repo", required=True, help="checkout of the official repository (see above)")
    p.add_argument("--timm", help="pytorch-image-models checkout, for models importing timm")
    p.add_argument("--rational", help="Adamdad/rational_kat_cu checkout (kat_t)")
    p.add_argument("--rtdl", help="rtdl-num-embeddings package folder (tabm)")
    p.add_argument("--shims", default=os.environ.get("ZOO_SHIMS", "/work/shared/tools/golden/shims"))
    p.add_argument("--batch", type=int, default=0, help="batch size (default: the configuration's)")
    p.add_argument("--threads", type=int, default=1, help="intra-op threads (default: 1)")
    p.add_argument("--train", action="store_true", help="time a training step instead of inference")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iters", type=int, default=0, help="calls per run (default: fill --seconds)")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--profile", metavar="FILE", help="after timing, profile one run's calls: Chrome trace to FILE, top ops printed")
    a = p.parse_args()
    if a.name not in STATED:
        p.error(f"unknown name '{a.name}'; expected one of {', '.join(STATED)}")
    if a.runs < 1 or a.warmup < 0 or a.iters < 0 or a.batch < 0 or a.threads < 1 or not a.seconds > 0:
        p.error("expected --runs >= 1, --warmup >= 0, --iters >= 0, --batch >= 0, --threads >= 1, --seconds > 0")
    a.repo = os.path.abspath(a.repo)
    # Debian's PyTorch does its matrix products in OpenBLAS (pthreads build), whose thread pool
    # torch.set_num_threads does not govern: by default it runs one BLAS thread per core beside torch's
    # OpenMP threads, and those spin-wait between parallel regions, so at --threads 2 the two pools fight for
    # the 2 cores (measured: official tabm inference 3,806 samples/s; with the settings below 7,903). Both are
    # read when the libraries load, hence before importing torch; a caller's own values win.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(a.threads))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    batch = a.batch or STATED[a.name]
    gen = torch.Generator().manual_seed(42)
    model, inputs, forward = build(a.name, a, torch, batch, gen)
    params = sum(t.numel() for t in model.parameters())
    if a.train:
        model.train()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)

        def once():
            opt.zero_grad(set_to_none=True)
            out = forward(model, inputs)
            out.square().mean().backward()
            opt.step()
    else:
        model.eval()

        def once():
            with torch.no_grad():
                forward(model, inputs)
    # warm-up: at least --warmup calls and at least --seconds; the call time of its second half sets the run length
    start = half = time.perf_counter()
    calls = half_calls = 0
    while calls < max(1, a.warmup) or time.perf_counter() - start < a.seconds:
        once()
        calls += 1
        if time.perf_counter() - start < a.seconds * 0.5 or calls <= max(1, a.warmup) // 2:
            half = time.perf_counter()
            half_calls = calls
    per_call = (time.perf_counter() - half) / max(1, calls - half_calls)
    n = a.iters or max(1, min(1_000_000, round(a.seconds / per_call)))
    rates = []
    cpu0 = time.process_time()
    for _ in range(a.runs):
        s = time.perf_counter()
        for _ in range(n):
            once()
        rates.append(n * batch / (time.perf_counter() - s))
    cpu_rate = a.runs * n * batch / max(1e-9, time.process_time() - cpu0)
    med = statistics.median(rates)
    mode = "train" if a.train else "infer"
    print(f"{a.name} {mode} (batch {batch}), {torch.get_num_threads()} threads, official code: {med:.1f} samples/s "
          f"(median of {a.runs} runs of {n} calls; runs {' '.join(f'{r:.1f}' for r in rates)})")
    print(f"RESULT impl=official name={a.name} mode={mode} batch={batch} threads={torch.get_num_threads()} "
          f"samples_per_s={med:.3f} min={min(rates):.3f} max={max(rates):.3f} runs={a.runs} iters={n} "
          f"samples_per_cpu_s={cpu_rate:.3f} "
          f"peak_rss_mb={peak_rss_mb():.1f} params={params} torch={torch.__version__}")
    if a.profile:
        with torch.autograd.profiler.profile(record_shapes=True) as prof:
            for _ in range(n):
                once()
        prof.export_chrome_trace(a.profile)
        print(f"profile of {n} calls (trace: {a.profile}):")
        for line in trace_summary(a.profile, n, 20):
            print("  " + line)


def trace_summary(path, calls, top):
    """The same summary as the Java side's TraceSummary: complete events summed by name, inclusive, per call."""
    with open(path) as f:
        root = json.load(f)
    events = root if isinstance(root, list) else root.get("traceEvents", [])
    by = {}
    for e in events:
        if "dur" not in e or "name" not in e or e.get("ph", "X") != "X":
            continue
        c = by.setdefault(e["name"], [0, 0.0])
        c[0] += 1
        c[1] += float(e["dur"])
    rows = sorted(by.items(), key=lambda kv: -kv[1][1])
    out = [f"{'op':<40} {'count':>8} {'ms':>12}   (per call; inclusive of nested ops; "
           f"{round(sum(v[0] for v in by.values()) / calls)} ops per call)"]
    for name, (cnt, dur) in rows[:top]:
        out.append(f"{name:<40} {cnt / calls:8.1f} {dur / calls / 1000:12.3f}")
    return out


if __name__ == "__main__":
    main()
