package io.github.mlpzoo.tabular.kan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.kan.BSplineKanLinear;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * A Kolmogorov–Arnold network as efficient-kan's {@code KAN} (Blealtan/efficient-kan {@code src/efficient_kan/kan.py};
 * Liu et al., arXiv 2404.19756, §2): {@code L = widths.length − 1} {@link BSplineKanLinear} layers applied in turn,
 * no other nonlinearity, no output activation:
 * <pre>
 *   x_{l+1} = KANLinear_l(x_l),   x_0 (B, widths[0]),   y = x_L (B, widths[L])
 * </pre>
 * For regression use the output directly; for classification use it as logits.
 *
 * <p>Grid: {@link #updateGrid} is efficient-kan's {@code forward(x, update_grid=True)} (each layer's grid is fitted to
 * the inputs it sees); {@link #refine} is grid extension (pykan's {@code refine}): a new network with a finer grid
 * that reproduces this one on the samples.
 *
 * <p>Parameters, efficient-kan name → ours (l = 0..L-1): {@code layers.l.base_weight} → {@code {l+1:02d}layer_baseWeight},
 * {@code layers.l.spline_weight} → {@code ..._splineWeight}, {@code layers.l.spline_scaler} →
 * {@code ..._splineScaler}, buffer {@code layers.l.grid} → {@code ..._grid} ({@link #keyMap}).
 */
public final class Kan extends DescribedBlock {

    private static final byte VERSION = 1;

    private final KanConfig config;
    private final List<BSplineKanLinear> layers = new ArrayList<>();

    private Kan(KanConfig config) {
        super(VERSION);
        this.config = config;
        int[] w = config.widths();
        for (int l = 0; l + 1 < w.length; l++) {
            layers.add(addChildBlock("layer", BSplineKanLinear.builder().setInFeatures(w[l]).setOutFeatures(w[l + 1])
                    .optGridSize(config.gridSize()).optSplineOrder(config.splineOrder())
                    .optScaleNoise(config.scaleNoise()).optScaleBase(config.scaleBase())
                    .optScaleSpline(config.scaleSpline()).optGridEps(config.gridEps())
                    .optGridRange(config.gridLo(), config.gridHi()).build()));
        }
    }

    /** A KAN for {@code config}. */
    public static Kan of(KanConfig config) {
        return new Kan(config);
    }

    /** This network's configuration. */
    public KanConfig config() {
        return config;
    }

    /** The key map from efficient-kan's {@code KAN} state_dict names. */
    public static KeyMap keyMap(KanConfig config) {
        return KeyMap.builder()
                .rename("layers\\.(\\d+)\\.base_weight", "{1+1}layer_baseWeight")
                .rename("layers\\.(\\d+)\\.spline_weight", "{1+1}layer_splineWeight")
                .rename("layers\\.(\\d+)\\.spline_scaler", "{1+1}layer_splineScaler")
                .rename("layers\\.(\\d+)\\.grid", "{1+1}layer_grid")
                .build();
    }

    /**
     * efficient-kan's {@code forward(x, update_grid=True)}: every layer's grid is updated from the inputs it receives
     * ({@link BSplineKanLinear#updateGrid}, margin 0.01), then x passes through it. Runs without gradient.
     *
     * @param x samples (N, widths[0]); returns nothing, the grids and spline weights change in place
     */
    public void updateGrid(NDArray x) {
        try (NDManager sub = x.getManager().newSubManager()) {
            NDArray h = x.duplicate();
            h.attach(sub);
            ParameterStore ps = new ParameterStore(sub, false);
            for (BSplineKanLinear layer : layers) {
                layer.updateGrid(h, 0.01);
                h = layer.forward(ps, new NDList(h), false).singletonOrThrow();
            }
        }
    }

    /**
     * Grid extension: a new, initialized network with grid size {@code gridSize} whose layers reproduce this one's on
     * the samples x (each layer refitted on the inputs it receives, {@link BSplineKanLinear#refitFrom}).
     */
    public Kan refine(int gridSize, NDArray x, NDManager manager) {
        Kan fine = new Kan(config.withGridSize(gridSize));
        fine.initialize(manager, DataType.FLOAT32, new Shape(1, config.widths()[0]));
        try (NDManager sub = x.getManager().newSubManager()) {
            NDArray h = x.duplicate();
            h.attach(sub);
            ParameterStore ps = new ParameterStore(sub, false);
            for (int l = 0; l < layers.size(); l++) {
                fine.layers.get(l).refitFrom(layers.get(l), h, 0.01);
                h = layers.get(l).forward(ps, new NDList(h), false).singletonOrThrow();
            }
        }
        return fine;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // a batch of 0 would reach a reshape with -1 (or a division by the batch) in native code
        InputCheck.nonEmptyBatch("Kan", "x_num", inputs.head().getShape());
        InputCheck.count("Kan", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("Kan", "input", x, InputCheck.ANY, config.widths()[0]);
        InputCheck.float32("Kan", "input", x);
        for (BSplineKanLinear layer : layers) {
            x = layer.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, widths[l+1])
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("Kan", "input", inputShapes[0], InputCheck.ANY, config.widths()[0]);
        int[] w = config.widths();
        return new Shape[] {new Shape(inputShapes[0].get(0), w[w.length - 1])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        InputCheck.shape("Kan", "input", inputShapes[0], InputCheck.ANY, config.widths()[0]);
        Shape s = inputShapes[0];
        for (BSplineKanLinear layer : layers) {
            layer.initialize(manager, dataType, s);
            s = layer.getOutputShapes(new Shape[] {s})[0];
        }
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "Kan(" + java.util.Arrays.toString(config.widths()) + ", grid " + config.gridSize() + ")";
    }
}
