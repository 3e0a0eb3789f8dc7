#!/usr/bin/env bash
# Side-by-side throughput of MLP Zoo (Java, `zoo bench`) and the official PyTorch code (bench_official.py),
# issue 9. For every stated configuration and mode (inference, training step) it alternates fresh processes
# A B A B ... (A = ours, B = official), prints the ratio of each pair, and writes benchmarks/RESULTS.md.
#
# One command on a quiet machine (after ./mvnw -o -q -B -DskipTests package):
#   benchmarks/python/compare.sh --mirror /work/.mirror --official /tmp/official --threads 2
#
#   --official DIR  folder of official checkouts named owner+name (huggingface+pytorch-image-models,
#                   sail-sg+poolformer, ...); never inside this repository
#   --mirror DIR    optional: a folder of fetched git dirs (DIR/owner+name/repo, as the search tool's fetch
#                   leaves them); checkouts missing under --official are exported from it first
#   --threads T     intra-op threads on both sides (default 1)     --pairs P    A/B pairs (default 3)
#   --runs R        timed runs per process (default 5)              --seconds S  length of a run (default 1)
#   --warmup W      warm-up calls per process (default 3)           --iters I    calls per run (default: fill S)
#   --only a,b      only these configurations                      --modes m,n  infer,train (default both)
#   --batch N       override every configuration's batch (smoke tests only; the table then says so)
#   --big NAME      vision variant for the MAC-efficiency figure (default mixer_l16, the largest by MACs)
#   --big-batch N   its batch (default 16)                        --efficiency yes|no  (default: yes unless --only)
#   --jmh           also run the JMH suites (ModelBench, MatmulBench, ScopingBench; forked, threads pinned), add a table
#   --malloc launcher|system  glibc malloc settings on BOTH sides (default launcher: the MALLOC_ variables the
#                   ./zoo launcher exports, which keep freed memory for reuse; system: glibc's defaults)
#   --mkl launcher|system  our side's MKL code path (default launcher: on an AMD CPU, the shim the ./zoo launcher
#                   preloads, native/mkl_intel_path.c, so libtorch's MKL picks its kernels by CPU features; system: MKL's
#                   own choice, a generic AVX2 path on AMD). The official side (Debian's torch) multiplies in OpenBLAS,
#                   which the shim does not touch
#   --java-env "K=V ..." environment for our side only, to A/B a deployment setting
#   --jmh-json FILE  instead of running JMH, tabulate this earlier JMH result (-rf json) of the same build; the
#                   table then names the file and its time
#   --jmh-args "..." extra JMH arguments (e.g. "-f 1 -wi 2 -i 3"; smoke: "-f 1 -wi 0 -i 1 -r 200ms -p config=kan")
#   --note TEXT     a line printed under the title of RESULTS.md (e.g. why a run is only a smoke run)
#   --out FILE      where to write the table (default benchmarks/RESULTS.md)
#   --jar-dir DIR   built CLI (default benchmarks/target; copied to a temp dir first, so rebuilds don't disturb)
#   --shims DIR     import-only stand-ins for the official code (default /work/shared/tools/golden/shims)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
big=mixer_l16 bigbatch=16 efficiency="" jmh=no jmhjson="" jmhargs="" note="" javaenv=""
mkl=launcher malloc=launcher official="" mirror="" threads=1 pairs=3 runs=5 seconds=1 warmup=3 iters=0 only="" modes="infer,train" batch=0
out="$root/benchmarks/RESULTS.md" jardir="$root/benchmarks/target" shims="${ZOO_SHIMS:-/work/shared/tools/golden/shims}"
py=/usr/bin/python3
while [ $# -gt 0 ]; do
  case "$1" in
    --official) official="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --iters) iters="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --big) big="$2"; shift 2 ;;
    --jmh) jmh=yes; shift ;;
    --note) note="$2"; shift 2 ;;
    --java-env) javaenv="$2"; shift 2 ;;
    --malloc) malloc="$2"; shift 2 ;;
    --jmh-args) jmhargs="$2"; shift 2 ;;
    --jmh-json) jmhjson="$2"; jmh=yes; shift 2 ;;
    --big-batch) bigbatch="$2"; shift 2 ;;
    --efficiency) efficiency="$2"; shift 2 ;;
    --jar-dir) jardir="$2"; shift 2 ;;
    --shims) shims="$2"; shift 2 ;;
    --mkl) mkl="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$malloc" in
  launcher) mallocenv="$(sed -n 's/^ *export \(MALLOC_.*\)$/\1/p' "$root/zoo")"
            [ -n "$mallocenv" ] || { echo "compare.sh: no MALLOC_ export found in $root/zoo" >&2; exit 2; } ;;
  system) mallocenv="" ;;
  *) echo "compare.sh: --malloc must be launcher or system" >&2; exit 2 ;;
esac
case "$mkl" in
  launcher) mklshim="$("$root/native/mkl-intel-path.sh" || true)"; mklenv="${mklshim:+LD_PRELOAD=$mklshim}" ;;
  system) mklshim="" mklenv="" ;;
  *) echo "compare.sh: --mkl must be launcher or system" >&2; exit 2 ;;
esac
# the environment of every process both sides start: no MALLOC_ variable leaks in from the caller
for v in $(env | sed -n 's/^\(MALLOC_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
[ -n "$official" ] || { echo "compare.sh: --official DIR is required (see --help)" >&2; exit 2; }
case "$official" in "$root"|"$root"/*) echo "compare.sh: --official must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$official"
official="$(cd "$official" && pwd)"

# name | checkout | extra bench_official.py arguments | config shown in the table
configs=(
  "mixer_s16|huggingface+pytorch-image-models||224x224, timm mixer_s16_224"
  "gmlp_s16|huggingface+pytorch-image-models||224x224, timm gmlp_s16_224"
  "poolformer_s12|sail-sg+poolformer|--timm OFF/huggingface+pytorch-image-models|224x224"
  "strip_mlp_t|Med-Process+Strip_MLP|--timm OFF/huggingface+pytorch-image-models|224x224, 80 ch, [2,2,12,2]"
  "ms_mlp_t|JegZheng+MS-MLP|--timm OFF/huggingface+pytorch-image-models|224x224, 96 ch, [3,3,9,3]"
  "raft_mlp_s|okojoalg+raft-mlp||224x224, [64..512]"
  "kat_t|Adamdad+kat|--timm OFF/huggingface+pytorch-image-models --rational OFF/Adamdad+rational_kat_cu|224x224; official rational: the repo's CPU path"
  "activator|Abdullah-88+Activator||32x32, CIFAR-10 model: d 256, FFN 512, 4 layers"
  "scaling_mlp_b6_wi512|gregorbachmann+scaling_mlps||64x64, B_6-Wi_512, in21k head (11,230)"
  "tabm|yandex-research+tabm|--rtdl OFF/yandex-research+rtdl-num-embeddings/package|California shape: 8 features, k=32, 3x400"
  "patchtsmixer_etth1|huggingface+transformers||ETTh1: context 512, 7 channels, horizon 96"
  "din|shenweichen+DeepCTR-Torch||MovieLens spec, history 50"
  "finalmlp|reczoo+FuxiCTR||MovieLens spec, history 50"
  "kan|Blealtan+efficient-kan||[784, 64, 10]"
)
batches=(8 8 8 8 8 8 8 8 8 256 32 1024 1024 256)

# the checkouts, exported from the mirror when missing (transformers: only the files PatchTSMixer needs)
export_from_mirror() {
  local name="$1" dest="$official/$1" git="$mirror/$1/repo" src="$1"
  [ -d "$dest" ] && return 0
  if [ "$name" = huggingface+transformers ] && [ ! -d "$git" ]; then
    for fork in "$mirror"/qubvel+transformers/repo "$mirror"/*+transformers/repo; do [ -d "$fork" ] && { git="$fork"; break; }; done
  fi
  [ -n "$mirror" ] && [ -d "$git" ] || return 0
  mkdir -p "$dest"
  if [ "$name" = huggingface+transformers ]; then
    git --git-dir="$git" archive HEAD src/transformers/models/patchtsmixer src/transformers/time_series_utils.py | tar -x -C "$dest"
  else
    git --git-dir="$git" archive HEAD | tar -x -C "$dest"
  fi
  echo "exported $src ($(git --git-dir="$git" rev-parse --short HEAD)) to $dest" >&2
}
commit_of() {  # the commit a checkout came from, when the mirror knows it
  local g="$mirror/$1/repo"
  if [ "$1" = huggingface+transformers ] && [ ! -d "$g" ]; then for f in "$mirror"/qubvel+transformers/repo "$mirror"/*+transformers/repo; do [ -d "$f" ] && { g="$f"; break; }; done; fi
  [ -n "$mirror" ] && [ -d "$g" ] && git --git-dir="$g" rev-parse --short HEAD 2>/dev/null || echo "?"
}

# our side: a private copy of the built CLI
jar="$(ls "$jardir"/benchmarks-*.jar 2>/dev/null | grep -v -e '-tests.jar' | head -n 1 || true)"
[ -n "$jar" ] && [ -d "$jardir/lib" ] || { echo "compare.sh: no built CLI in $jardir; run ./mvnw -o -q -B -DskipTests package" >&2; exit 2; }
cli="$(mktemp -d /tmp/zoo-compare-cli.XXXXXX)"
trap 'rm -rf "$cli"' EXIT
cp "$jar" "$cli/" && cp -r "$jardir/lib" "$cli/lib"
ours() {
  # shellcheck disable=SC2086
  env $mallocenv $mklenv $javaenv DJL_OFFLINE=true OPT_OUT_TRACKING=true java -Xmx4g -Djava.awt.headless=true -Dai.djl.offline=true -DDJL_OFFLINE=true \
    -DOPT_OUT_TRACKING=true -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.pytorch.num_threads="$threads" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cli/*:$cli/lib/*" io.github.mlpzoo.bench.ZooCli bench "$@"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2" | tail -n 1; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

common=(--runs "$runs" --seconds "$seconds" --warmup "$warmup" --threads "$threads")
[ "$iters" != 0 ] && common+=(--iters "$iters")
rows=()
log="$(mktemp /tmp/zoo-compare-log.XXXXXX)"
for i in "${!configs[@]}"; do
  IFS='|' read -r name repo extra desc <<<"${configs[$i]}"
  if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then continue; fi
  export_from_mirror "$repo"
  for dep in huggingface+pytorch-image-models Adamdad+rational_kat_cu yandex-research+rtdl-num-embeddings; do
    [[ "$extra" == *"OFF/$dep"* ]] && export_from_mirror "$dep"
  done
  b="${batches[$i]}"; [ "$batch" != 0 ] && b="$batch"
  pyargs=(--repo "$official/$repo" --shims "$shims" --batch "$b")
  for e in ${extra//OFF/$official}; do pyargs+=("$e"); done
  for mode in ${modes//,/ }; do
    flag=(); [ "$mode" = train ] && flag=(--train)
    ra=() rb=() rr=() rc=() rssa=0 rssb=0 why=""
    for p in $(seq 1 "$pairs"); do
      a="$(ours "$name" --batch "$b" "${common[@]}" "${flag[@]}" 2>>"$log" | grep '^RESULT' || true)"
      bres="$(env $mallocenv "$py" "$here/bench_official.py" "$name" "${pyargs[@]}" "${common[@]}" "${flag[@]}" 2>>"$log" | grep '^RESULT' || true)"
      sa="$(field samples_per_s "$a")"; sb="$(field samples_per_s "$bres")"
      [ -n "$sa" ] && { ra+=("$sa"); rssa="$(awk -v x="$rssa" -v y="$(field peak_rss_mb "$a")" 'BEGIN{print (y>x)?y:x}')"; }
      [ -n "$sb" ] && { rb+=("$sb"); rssb="$(awk -v x="$rssb" -v y="$(field peak_rss_mb "$bres")" 'BEGIN{print (y>x)?y:x}')"; }
      torch_b="$(field torch "$bres")"; [ -n "$torch_b" ] && official_torch="$torch_b"
      if [ -n "$sa" ] && [ -n "$sb" ]; then
        r="$(awk -v x="$sa" -v y="$sb" 'BEGIN{printf "%.3f", x/y}')"; rr+=("$r")
        ca="$(field samples_per_cpu_s "$a")"; cb="$(field samples_per_cpu_s "$bres")"; c="n/a"
        [ -n "$ca" ] && [ -n "$cb" ] && { c="$(awk -v x="$ca" -v y="$cb" 'BEGIN{printf "%.3f", x/y}')"; rc+=("$c"); }
        printf '%-20s %-5s pair %d: ours %10.1f  official %10.1f samples/s  ratio %s  (per CPU second: %s)\n' "$name" "$mode" "$p" "$sa" "$sb" "$r" "$c"
      else
        [ -z "$sa" ] && why="ours failed (see $log)"; [ -z "$sb" ] && why="${why:+$why; }official failed (see $log)"
        printf '%-20s %-5s pair %d: %s\n' "$name" "$mode" "$p" "$why"
      fi
    done
    ma="$(printf '%s\n' "${ra[@]:-}" | grep . | median)"; mb="$(printf '%s\n' "${rb[@]:-}" | grep . | median)"
    mr="$(printf '%s\n' "${rr[@]:-}" | grep . | median)"
    lo="$(printf '%s\n' "${rr[@]:-}" | grep . | sort -g | head -n 1)"; hi="$(printf '%s\n' "${rr[@]:-}" | grep . | sort -g | tail -n 1)"
    fmt() { [ "$1" = nan ] && echo "n/a" || awk -v x="$1" 'BEGIN{printf "%.1f", x}'; }
    ratio="n/a"; [ "$mr" != nan ] && ratio="$(awk -v x="$mr" 'BEGIN{printf "%.2f", x}') ($lo-$hi)"
    mc="$(printf '%s\n' "${rc[@]:-}" | grep . | median)"
    cratio="n/a"; [ "$mc" != nan ] && cratio="$(awk -v x="$mc" 'BEGIN{printf "%.2f", x}')"
    rows+=("| $name | $desc, batch $b | $mode | $(fmt "$ma") | $(fmt "$mb") | $ratio | $cratio | $(fmt "$rssa") / $(fmt "$rssb") |${why:+ $why}")
  done
done

# MAC efficiency of large-batch inference of the largest vision variant, against the matmul peak measured
# through the same engine (one MAC = 2 FLOPs)
[ -z "$efficiency" ] && { [ -z "$only" ] && efficiency=yes || efficiency=no; }
eff_row=""
if [ "$efficiency" = yes ]; then
  # the peak is measured before and after the model, and the larger one kept (a busy moment can only lower it)
  pk1="$(ours --peak "${common[@]}" 2>>"$log" | grep '^RESULT' || true)"
  bg="$(ours "$big" --batch "$bigbatch" "${common[@]}" 2>>"$log" | grep '^RESULT' || true)"
  pk2="$(ours --peak "${common[@]}" 2>>"$log" | grep '^RESULT' || true)"
  gf="$(printf '%s\n' "$(field gflops "$pk1")" "$(field gflops "$pk2")" | grep . | sort -g | tail -n 1)"
  gm="$(field gmacs_per_s "$bg")"; sps="$(field samples_per_s "$bg")"; mps="$(field macs_per_sample "$bg")"
  if [ -n "$gf" ] && [ -n "$gm" ]; then
    pct="$(awk -v m="$gm" -v f="$gf" 'BEGIN{printf "%.0f%%", 100*2*m/f}')"
    eff_row="| $big | batch $bigbatch, $(awk -v x="$mps" 'BEGIN{printf "%.1f", x/1e9}') GMAC/sample | $(awk -v x="$sps" 'BEGIN{printf "%.2f", x}') | $(awk -v x="$gm" 'BEGIN{printf "%.1f", x}') | $(awk -v x="$gf" 'BEGIN{printf "%.1f", x}') GFLOP/s = $(awk -v x="$gf" 'BEGIN{printf "%.1f", x/2}') GMAC/s | $pct |"
    echo "efficiency: $big batch $bigbatch: $gm GMAC/s; matmul peak $gf GFLOP/s; $pct"
  else
    eff_row="| $big | batch $bigbatch | n/a | n/a | n/a | failed (see $log) |"
  fi
fi

# JMH suites (optional): average time per call, turned into samples/s with each configuration's batch
jmh_rows=""
if [ "$jmh" = yes ]; then
  if [ -n "$jmhjson" ]; then
    jj="$jmhjson"; [ -s "$jj" ] || { echo "compare.sh: --jmh-json $jj is missing or empty" >&2; exit 2; }
  else
  jj="$(mktemp /tmp/zoo-compare-jmh.XXXXXX.json)"
  # shellcheck disable=SC2086
  env $mallocenv $mklenv java -cp "$cli/*:$cli/lib/*" org.openjdk.jmh.Main 'io.github.mlpzoo.bench.jmh.(ModelBench|MatmulBench|ScopingBench)' \
    -p threads="$threads" $jmhargs -rf json -rff "$jj" >>"$log" 2>&1 || echo "compare.sh: JMH failed (see $log)" >&2
  fi
  jmh_rows="$("$py" - "$jj" <<'PY'
import json, sys
batches = {"mixer_s16": 8, "gmlp_s16": 8, "poolformer_s12": 8, "strip_mlp_t": 8, "ms_mlp_t": 8, "raft_mlp_s": 8,
           "kat_t": 8, "activator": 8, "scaling_mlp_b6_wi512": 8, "tabm": 256,
           "patchtsmixer_etth1": 32, "din": 1024, "finalmlp": 1024, "kan": 256}
try:
    runs = json.load(open(sys.argv[1]))
except Exception:
    runs = []
for r in runs:
    bench = r["benchmark"].rsplit(".", 1)[1]
    p = r.get("params", {})
    m = r["primaryMetric"]
    ms, err = float(m["score"]), float(m.get("scoreError", "nan"))
    if "config" in p:
        b = int(p.get("batch", "0")) or batches.get(p["config"], 0)
        rate = f"{b / ms * 1000:.1f}" if b else "?"
        print(f"| {p['config']} | {bench} | batch {b}, {p['threads']} threads, {r['forks']} forks | {ms:.3f} ± {err:.3f} | {rate} |")
    elif "perLayer" in p:
        b = int(p["batch"])
        how = "freed per layer" if p["perLayer"] == "true" else "kept to call end"
        print(f"| 6 BatchEnsemble layers, intermediates {how} | {bench} | batch {b}, {p['threads']} threads, {r['forks']} forks | {ms:.3f} ± {err:.3f} | {b / ms * 1000:.1f} |")
    else:
        n = int(p["size"])
        print(f"| matmul {n}x{n} | {bench} | {p['threads']} threads, {r['forks']} forks | {ms:.3f} ± {err:.3f} | {2 * n ** 3 / ms / 1e6:.1f} GFLOP/s |")
PY
)"
  echo "JMH results: $jj"
fi

# RESULTS.md
cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
mem="$(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)"
javav="$(java -version 2>&1 | head -n 1)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?)"
smoke=""
if [ "$batch" != 0 ] || [ "$iters" != 0 ] || [ "$pairs" -lt 3 ]; then
  smoke="> **Smoke run, not a measurement**: reduced batch, iterations or pairs. Regenerate with the command below on a quiet machine."
fi
{
  echo "# Benchmarks: MLP Zoo vs the official PyTorch code"
  echo
  echo "Generated by \`benchmarks/python/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit $commit (issue 9). Do not edit by hand."
  echo
  [ -n "$smoke" ] && { echo "$smoke"; echo; }
  [ -n "$note" ] && { echo "$note"; echo; }
  echo "## Machine and versions"
  echo
  echo "- CPU: ${cpu:-unknown}, $(nproc) logical CPUs visible, $mem RAM; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Ours: $javav; DJL 0.29.0, PyTorch 2.3.1 (libtorch CPU, via pytorch-native-cpu)"
  echo "- Official: Debian python3-torch ${official_torch:-?} ($("$py" --version 2>&1)); note the PyTorch versions differ (1.13 vs 2.3.1)"
  echo "- Threads: $threads intra-op, 1 inter-op, on both sides${javaenv:+; our side ran with environment: \`$javaenv\`}"
  if [ -n "$mallocenv" ]; then
    echo "- glibc malloc, both sides: \`$mallocenv\` (the \`zoo\` launcher's default: freed memory is kept for reuse"
    echo "  instead of being returned to the kernel and page-faulted back on the next call; \`--malloc system\` runs glibc's defaults)"
  else
    echo "- glibc malloc: the system defaults on both sides (\`--malloc system\`)"
  fi
  if [ -n "$mklenv" ]; then
    echo "- MKL, our side: the launcher's code-path shim (\`native/mkl_intel_path.c\`, preloaded on AMD CPUs), so libtorch's MKL"
    echo "  picks its kernels by CPU features (AVX-512 here) instead of its generic AVX2 path for non-Intel CPUs; \`--mkl system\`"
    echo "  runs without it. The official side multiplies in Debian's OpenBLAS, which has no such switch"
  else
    echo "- MKL, our side: MKL's own code-path choice (\`--mkl system\`; on an AMD CPU its generic AVX2 path)"
  fi
  echo
  echo "## Protocol"
  echo
  echo "- Same configuration, batch, thread count and inputs on both sides: standard-normal floats; CTR ids uniform in"
  echo "  [1, vocab) per field, full-length histories."
  echo "- Inference: eval mode, no gradient recording (Java: grad mode off, a sub-manager freed per call; Python:"
  echo "  \`torch.no_grad()\`). Training step: train mode, loss = mean(output^2), backward, AdamW (lr 1e-4, weight"
  echo "  decay 0.01); stochastic depth as in each official config (0.1 where the official code has it)."
  echo "- Each process: a warm-up of at least max(1, $warmup) calls and $seconds s, then $runs timed runs of ${iters/#0/enough} calls"
  echo "  (about $seconds s each); its figure is the median samples/s. Processes alternate ours/official, $pairs pairs per row; the"
  echo "  ratio is ours/official per pair, the table gives the median ratio (min-max over pairs) and the medians of"
  echo "  each side. \"Ratio per CPU second\" divides samples per second of process CPU time (all threads: JIT and GC"
  echo "  included on our side) instead of wall time; it is less disturbed by other load but blind to waiting."
  echo "  Peak RSS is the largest VmHWM of a side's processes (whole process: JVM or interpreter included)."
  echo "- Official checkouts (commits): $(for c in "${configs[@]}"; do IFS='|' read -r n r _ _ <<<"$c"; echo "$r"; done | sort -u | while read -r r; do printf '%s %s; ' "$r" "$(commit_of "$r")"; done)"
  echo "- Official side: \`OPENBLAS_NUM_THREADS\` = the thread count and \`OMP_WAIT_POLICY=PASSIVE\` (Debian's PyTorch"
  echo "  multiplies matrices in OpenBLAS, whose own thread pool \`torch.set_num_threads\` does not govern; left at its"
  echo "  defaults, the two pools fight for the cores and the official code runs up to 2x slower: PERFORMANCE.md)."
  echo "- KAT: the official rational kernels are CUDA/Triton; on CPU the official side runs the repository's own"
  echo "  PyTorch path (\`kat_rational.kat_1dgroup_torch\`)."
  echo
  echo "## Results (samples/s, higher is better)"
  echo
  echo "| model | config | mode | ours | official | ratio ours/official | ratio per CPU second | peak RSS MB ours / official |"
  echo "|---|---|---|---:|---:|---|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Why a row is below its target, with profiles, and what the allocator setting changes: \`benchmarks/PERFORMANCE.md\`."
  echo
  if [ -n "$eff_row" ]; then
    echo "## MAC efficiency (ours, inference)"
    echo
    echo "MACs per sample from the zoo's profiler (\`zoo info\`); the peak is a float32 2048x2048 matmul through DJL's"
    echo "PyTorch at the same thread count (\`zoo bench --peak\`, median of $runs runs; measured before and after the model, the"
    echo "larger kept)."
    echo
    echo "| model | config | samples/s | GMAC/s | matmul peak | share of peak |"
    echo "|---|---|---:|---:|---|---:|"
    echo "$eff_row"
    echo
  fi
  if [ -n "$jmh_rows" ]; then
    echo "## JMH (ours)"
    echo
    echo "\`ModelBench\`, \`MatmulBench\` and \`ScopingBench\` (forked JVMs, warmed up, intra-op threads pinned by \`@Param\`, native memory freed every"
    echo "invocation). Score: average ms per call with JMH's 99.9% error; throughput = batch / score."
    [ -n "$jmhjson" ] && echo "Reused from an earlier JMH run of the same build (\`--jmh-json\`, $(date -u -r "$jmhjson" '+%Y-%m-%d %H:%M UTC'))."
    [ -n "$jmhargs" ] && [ -z "$jmhjson" ] && echo "JMH arguments: \`$jmhargs\` (they override the forks and iterations of the annotations)."
    echo
    echo "| config | benchmark | setting | ms/call | samples/s |"
    echo "|---|---|---|---:|---:|"
    echo "$jmh_rows"
    echo
  fi
  echo "## Regenerate"
  echo
  echo '```'
  echo "./mvnw -o -q -B -DskipTests package"
  echo "benchmarks/python/compare.sh --mirror /work/.mirror --official /tmp/official --threads $threads --jmh"
  echo '```'
  echo
  echo "JMH (the reference Java figures, forked, pinned threads): \`java -cp 'benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*' org.openjdk.jmh.Main ModelBench -p threads=$threads -rf json -rff /tmp/jmh.json\`."
} >"$out"
echo "wrote $out (stderr of the runs: $log)"
