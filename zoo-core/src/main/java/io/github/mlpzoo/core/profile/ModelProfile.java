package io.github.mlpzoo.core.profile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBaseBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.AbstractEmbedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.Engines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parameter count and multiply-accumulates (MACs) of a block for one sample, in the fvcore convention
 * that papers report as "FLOPs": one MAC per multiply-add of a Linear, a convolution (1-D/2-D/3-D,
 * grouped) or a matMul; bias additions, activations, normalisation, pooling and element-wise ops are not
 * counted; the batch axis is 1.
 *
 * <pre>{@code
 * ModelProfile p = ModelProfile.of(block, new Shape(1, 3, 224, 224));
 * p.params();    // 23_000_000
 * p.summary();   // "23.0M params, 4.60G MACs"
 * }</pre>
 *
 * <p><b>How MACs are found.</b> The block is (re-)initialized with the given shapes, batch axis set to 1.
 * DJL initialization is a shape pass: every composite hands each child the shape that child will see in
 * forward ({@code initializeChildBlocks}), and each block records the shapes it got. The profiler then
 * walks the block tree and, for each block:
 *
 * <ol>
 *   <li>a {@link MacCounter} contributes {@code macs(its recorded input shapes)}; unless it
 *       {@linkplain MacCounter#includesChildren() includes its children}, the walk continues into them;
 *   <li>a {@link Linear} with input (1, ..., in) and output (1, ..., out) counts
 *       {@code prod(output) * in};
 *   <li>a {@link Convolution} with input (1, C, ...) and output (1, F, ...) counts
 *       {@code prod(output) * C / groups * prod(kernel)};
 *   <li>zoo-core's batched-matMul blocks count their matMuls ({@code (1, k, in) @ (…, in, out)}):
 *       {@code LinearEnsemble} and {@code BatchEnsembleLinear} {@code k · in · out}, {@code PiecewiseLinearEmbeddings}
 *       {@code n · bins · d}, {@code PeriodicEmbeddings} {@code n · 2K · d}, {@code BilinearFusion}
 *       {@code h · hx · hy · out + h · out · hy} (plus its two Linear children); their element-wise products
 *       with a weight are not counted, as fvcore does not count them in the official modules;
 *   <li>an embedding counts 0 (a lookup);
 *   <li>any other block counts 0 for itself and the walk continues into its children; if it owns a
 *       parameter of type {@code WEIGHT} directly, its path is listed in {@link #uncounted()} (it
 *       probably multiplies by it: implement {@link MacCounter}).
 * </ol>
 *
 * <p>So {@code SequentialBlock}, {@code ParallelBlock} and every composite whose
 * {@code initializeChildBlocks} passes real shapes are counted with no extra code. A composite must
 * implement {@link MacCounter} when it multiplies without a Linear/Conv child (a matMul, with or without
 * its own weight), applies a child more than once per forward, or initializes a child with a placeholder
 * shape (an axis of size -1 is reported as an error).
 *
 * <p><b>Parameters.</b> {@link #params()} sums the sizes of the parameters that require a gradient,
 * which is what {@code sum(p.numel() for p in model.parameters())} gives for the PyTorch original;
 * {@link #buffers()} sums the others (BatchNorm running statistics, frozen constants). A parameter shared
 * by several blocks counts once. An uninitialized block is initialized on a private manager for the count
 * and returned to the uninitialized state afterwards; an initialized block keeps its parameter values and,
 * once the count is done, is re-initialized with the shapes it had (which allocates nothing).
 *
 * @param params elements of trainable parameters
 * @param buffers elements of non-trainable parameters
 * @param macs multiply-accumulates of one forward for one sample
 * @param macsByBlock MACs of each counted block by path (child names joined by '/'), in walk order
 * @param uncounted paths of blocks that own a WEIGHT parameter but have no MAC rule
 */
public record ModelProfile(
        long params, long buffers, long macs, Map<String, Long> macsByBlock, List<String> uncounted) {

    /** Validates and freezes the collections. */
    public ModelProfile {
        macsByBlock = Collections.unmodifiableMap(new LinkedHashMap<>(macsByBlock));
        uncounted = List.copyOf(uncounted);
    }

    /**
     * Profiles {@code block} for inputs of {@code inputShapes} (batch axis first; its size is ignored).
     *
     * @throws IllegalArgumentException if the block cannot be initialized with these shapes, or a counted
     *     block received a shape that disagrees with its weights or has an unknown axis
     */
    public static ModelProfile of(Block block, Shape... inputShapes) {
        if (inputShapes == null || inputShapes.length == 0) {
            throw new IllegalArgumentException("ModelProfile needs at least one input shape");
        }
        Shape[] one = new Shape[inputShapes.length];
        for (int i = 0; i < inputShapes.length; i++) {
            Shape s = inputShapes[i];
            if (s.dimension() == 0) {
                throw new IllegalArgumentException(
                        "ModelProfile expects input " + i + " with a batch axis first; got a scalar shape");
            }
            long[] dims = s.getShape().clone();
            dims[0] = 1;
            one[i] = new Shape(dims);
        }
        Engines.configureOffline();
        Set<Parameter> before = Collections.newSetFromMap(new IdentityHashMap<>());
        NDManager home = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                before.add(p.getValue());
                if (home == null) {
                    home = p.getValue().getArray().getManager();
                }
            }
        }
        // Initialization allocates nothing for parameters that already have arrays; a block that is not
        // yet (fully) initialized gets its missing arrays on a private manager that is closed afterwards.
        NDManager own = home == null || !block.isInitialized() ? NDManager.newBaseManager() : null;
        Shape[] original = own == null && block instanceof AbstractBaseBlock b ? b.getInputShapes() : null;
        try {
            block.initialize(own != null ? own : home, DataType.FLOAT32, one);
            long params = 0;
            long buffers = 0;
            Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter param = p.getValue();
                if (seen.add(param)) {
                    long n = param.getArray().size();
                    if (param.requiresGradient()) {
                        params += n;
                    } else {
                        buffers += n;
                    }
                }
            }
            Map<String, Long> byBlock = new LinkedHashMap<>();
            List<String> uncounted = new ArrayList<>();
            long macs = walk(block, "", byBlock, uncounted);
            return new ModelProfile(params, buffers, macs, byBlock, uncounted);
        } finally {
            if (original != null) {
                block.initialize(home, DataType.FLOAT32, original); // restore the shapes it recorded
            }
            if (own != null) {
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (!before.contains(p.getValue())) {
                        p.getValue().close(); // back to uninitialized
                    }
                }
                own.close();
            }
        }
    }

    /** As {@link #of(Block, Shape...)} for the shapes of {@code inputs} (e.g. a variant's inputs). */
    public static ModelProfile of(Block block, DataDesc... inputs) {
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].getShape();
        }
        return of(block, shapes);
    }

    /** Like {@code "1.23M params, 4.56G MACs"}; says so when some blocks could not be counted. */
    public String summary() {
        String s = human(params) + " params, " + human(macs) + " MACs";
        return uncounted.isEmpty() ? s : s + " (MACs not counted in " + String.join(", ", uncounted) + ")";
    }

    @Override
    public String toString() {
        return summary();
    }

    /** {@code n} with a K/M/G/T suffix and two decimals (three significant digits), or plain below 1000. */
    public static String human(long n) {
        if (Math.abs(n) < 1000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double v = n;
        int u = -1;
        while (Math.abs(v) >= 999.995 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }

    // ------------------------------------------------------------------ the walk

    private static long walk(Block block, String path, Map<String, Long> byBlock, List<String> uncounted) {
        String where = path.isEmpty() ? block.getClass().getSimpleName() : path;
        long total = 0;
        boolean descend = true;
        if (block instanceof MacCounter counter) {
            long own = counter.macs(recordedInputs(block, where));
            if (own < 0) {
                throw new IllegalStateException(where + " declares negative MACs: " + own);
            }
            total += own;
            byBlock.put(where, own);
            descend = !counter.includesChildren();
        } else if (block instanceof Linear linear) {
            total += record(byBlock, where, linearMacs(linear, recordedInputs(block, where), where));
        } else if (block instanceof Convolution conv) {
            total += record(byBlock, where, convMacs(conv, recordedInputs(block, where), where));
        } else if (CoreBlockMacs.covers(block)) {
            total += record(byBlock, where, CoreBlockMacs.of(block, recordedInputs(block, where), where));
        } else if (!(block instanceof AbstractEmbedding<?>) && !(block instanceof IdEmbedding)) {
            for (Parameter p : block.getDirectParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    uncounted.add(where);
                    break;
                }
            }
        }
        if (descend) {
            PairList<String, Block> children = block.getChildren();
            for (Pair<String, Block> child : children) {
                String childPath = path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
                total += walk(child.getValue(), childPath, byBlock, uncounted);
            }
        }
        return total;
    }

    private static long record(Map<String, Long> byBlock, String where, long macs) {
        byBlock.put(where, macs);
        return macs;
    }

    private static long linearMacs(Linear linear, Shape[] in, String where) {
        Shape x = in[0];
        long features = x.get(x.dimension() - 1);
        NDArray w = weightOf(linear);
        if (w != null && w.getShape().get(1) != features) {
            throw new IllegalArgumentException(String.format(
                    "%s (Linear) receives %s but its weight is %s: axis %d must be %d",
                    where, x, w.getShape(), x.dimension() - 1, w.getShape().get(1)));
        }
        Shape out = linear.getOutputShapes(in)[0];
        return out.size() * features;
    }

    private static long convMacs(Convolution conv, Shape[] in, String where) {
        Shape x = in[0];
        long channels = x.get(1);
        int groups = conv.getGroups();
        NDArray w = weightOf(conv);
        if (channels % groups != 0 || (w != null && w.getShape().get(1) != channels / groups)) {
            throw new IllegalArgumentException(String.format(
                    "%s (%s, groups %d) receives %s but its weight is %s: axis 1 must be %s",
                    where, conv.getClass().getSimpleName(), groups, x, w == null ? "unset" : w.getShape(),
                    w == null ? "a multiple of " + groups : Long.toString(w.getShape().get(1) * groups)));
        }
        Shape out = conv.getOutputShapes(in)[0];
        return out.size() * (channels / groups) * conv.getKernelShape().size();
    }

    private static NDArray weightOf(Block block) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT && p.getValue().isInitialized()) {
                return p.getValue().getArray();
            }
        }
        return null;
    }

    /** The input shapes {@code block} was last initialized with; every axis must be known. */
    private static Shape[] recordedInputs(Block block, String where) {
        Shape[] shapes;
        if (block instanceof AbstractBaseBlock base) {
            shapes = base.getInputShapes();
        } else {
            shapes = block.describeInput().values().toArray(new Shape[0]);
        }
        if (shapes == null || shapes.length == 0) {
            throw new IllegalArgumentException(where + " was not initialized with input shapes by its parent; "
                    + "its initializeChildBlocks must initialize every child (or implement MacCounter)");
        }
        for (Shape s : shapes) {
            for (long d : s.getShape()) {
                if (d < 0) {
                    throw new IllegalArgumentException(String.format(
                            "%s was initialized with placeholder shape %s, so its MACs are unknown; its parent "
                                    + "must pass the real shape or implement MacCounter with includesChildren()",
                            where, s));
                }
            }
        }
        return shapes;
    }
}
