package io.github.mlpzoo.tabular.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;

import io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings;
import io.github.mlpzoo.core.nn.ensemble.EnsembleLoss;
import io.github.mlpzoo.core.nn.ensemble.EnsembleMean;
import io.github.mlpzoo.core.train.Fit;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Metrics;
import io.github.mlpzoo.core.train.MseLoss;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainConfig;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.tabular.data.CaliforniaHousing.Part;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code zoo train <tabular model> --dataset california}: California Housing under the project's protocol
 * ({@link CaliforniaHousing}) trained the way the TabM paper trains its MLP ({@code yandex-research/tabm},
 * {@code paper/bin/model.py}, configs {@code paper/exp/mlp/california/0-evaluation/*.toml}): MSE on the standardized
 * target, AdamW (lr 5.6356e-4, weight decay 0.028759), batches of 256 in a fresh random order each epoch, gradient
 * clipping to global norm 1.0, constant learning rate; after every epoch the validation RMSE in $100k (predictions
 * de-standardized) picks the best epoch, and training stops after 16 epochs without a better one. The official
 * {@code n_epochs = -1} means no epoch limit; we cap it at {@value #MAX_EPOCHS}, and {@link TrainOptions#epochs()}
 * lowers the cap. The reported figure is the test RMSE in $100k of the best epoch's parameters.
 *
 * <p>Ensembles (output {@code (B, k, 1)}, e.g. TabM) train as every tuned TabM run of the paper does, each member on
 * its own batches ({@code share_training_batches = false}, {@link Fit#independentBatches}; {@code --set
 * shareTrainingBatches=true} shares them), on the mean of the k member MSEs and are scored on the
 * mean of the de-standardized member predictions; every variant gets its own tuned lr and weight decay from the
 * paper's {@code 0-evaluation/0.toml} ({@link PaperRecipes}); piecewise-linear embeddings take their bins from the
 * transformed training features.
 *
 * <p>The report's details list, under {@code side_by_side}, what the other models (MLP, XGBoost, TabM: ours and the
 * official code's) score on this task ({@link SideBySide}); the run logs them beside its own figure.
 *
 * <p>Biases and normalization parameters get no weight decay, as in the official parameter groups. Differences from
 * the official loop: the batch order comes from a
 * {@code java.util.Random}, not torch's generator, and evaluation runs in float32 without AMP.
 */
public final class CaliforniaTask implements ZooTask {

    /** The official learning rate ({@code 0-evaluation/0.toml}). */
    static final double LR = 0.0005635553682721966;
    /** The official AdamW weight decay. */
    static final double WEIGHT_DECAY = 0.028758690586743314;
    static final int BATCH_SIZE = 256;
    static final int PATIENCE = 16;
    static final double CLIP_NORM = 1.0;
    /** Our cap on epochs; the official run has none ({@code n_epochs = -1}) and stops early after ~100-300. */
    static final int MAX_EPOCHS = 10_000;

    /** {@inheritDoc} */
    @Override
    public String dataset() {
        return "california";
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "California Housing: 8 features, 20,433 rows, fixed split 13,077/3,269/4,087, noisy-quantile "
                + "features, standardized target; test RMSE in $100k";
    }

    /** A tabular variant taking one float32 input (B, 8) and giving one output (B, 1). */
    @Override
    public boolean supports(Variant<?> variant) {
        if (!"tabular".equals(variant.domain())) {
            return false;
        }
        DataDesc[] in = variant.inputs(Map.of());
        if (in.length != 1 || in[0].getDataType() != DataType.FLOAT32
                || !in[0].getShape().equals(new Shape(1, CaliforniaHousing.N_FEATURES))) {
            return false;
        }
        try {
            Shape[] out = variant.create(Map.of()).getOutputShapes(new Shape[] {in[0].getShape()});
            // (B, 1), or one prediction per ensemble member (B, k, 1)
            return out.length == 1 && (out[0].equals(new Shape(1, 1))
                    || out[0].dimension() == 3 && out[0].get(0) == 1 && out[0].get(2) == 1);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The official training configuration, with {@code maxEpochs} (0 = {@value #MAX_EPOCHS}) and {@code seed}. */
    static TrainConfig trainConfig(int maxEpochs, long seed) {
        return trainConfig("mlp", maxEpochs, seed);
    }

    /** As {@link #trainConfig(int, long)} with the paper's tuned lr and weight decay of {@code variant}. */
    static TrainConfig trainConfig(String variant, int maxEpochs, long seed) {
        PaperRecipes.Recipe recipe = PaperRecipes.of("california", variant);
        return TrainConfig.of(maxEpochs > 0 ? maxEpochs : MAX_EPOCHS, BATCH_SIZE, recipe.lr())
                .withWeightDecay(recipe.weightDecay())
                .withClipNorm(CLIP_NORM)
                .withPatience(PATIENCE)
                .withSeed(seed);
    }

    /** {@inheritDoc} */
    @Override
    public Report train(Variant<?> variant, Map<String, String> overrides, TrainOptions options) throws IOException {
        checkRecipe(options.recipe());
        if (options.outDir() == null) {
            throw new IllegalArgumentException("california training needs an output directory (TrainOptions.outDir)");
        }
        long start = System.nanoTime();
        CaliforniaHousing data = load(options);
        Map<String, String> shaped = new LinkedHashMap<>(PaperRecipes.tunedProtocol(variant));
        if (overrides != null) {
            shaped.putAll(overrides);
        }
        int members = PaperRecipes.independentMembers(variant.config(shaped)); // also refuses a bad override
        TrainConfig config = trainConfig(variant.name(), options.epochs(), options.seed());
        Files.createDirectories(options.outDir());
        try (Model model = Zoo.newModel(variant.name(), shaped, options.seed())) {
            NDManager m = model.getNDManager();
            NDArray xTrain = features(m, data, Part.TRAIN);
            // piecewise-linear embeddings take their bins from the (transformed) training features
            PiecewiseLinearEmbeddings.fitAll(model.getBlock(), data.features(Part.TRAIN), CaliforniaHousing.N_FEATURES);
            // ensembles (B, k, 1) train on the mean of the k member losses; for (B, 1) it is the plain MSE
            Loss loss = model.getBlock().getOutputShapes(new Shape[] {new Shape(1, CaliforniaHousing.N_FEATURES)})[0]
                    .dimension() == 3 ? EnsembleLoss.mse() : new MseLoss("mse");
            NDArray yTrain = m.create(data.standardizedTargets(Part.TRAIN), new Shape(data.size(Part.TRAIN), 1));
            History history;
            try {
                history = Fit.of(model, loss, config) // torch's mse_loss: mean((y - p)^2)
                        .validation("val_rmse", true, mdl -> rmse(mdl, data, Part.VAL))
                        .noWeightDecayOnBiasesAndNorms() // the official make_parameter_groups
                        .independentBatches(members)
                        .progress(options.progress())
                        .run(Fit.arrays(xTrain, yTrain));
            } catch (TranslateException e) {
                throw new IOException("california: reading a training batch failed", e);
            }
            history.save(options.outDir().resolve("history.json"));
            Zoo.save(model, variant.name(), shaped, options.outDir().resolve("model"));
            double valRmse = rmse(model, data, Part.VAL);
            double testRmse = rmse(model, data, Part.TEST);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("val_rmse", valRmse);
            details.put("best_epoch", history.bestEpoch());
            details.put("epochs_run", history.epochs().size());
            details.put("parameters", parameterCount(model));
            details.put("seed", options.seed());
            details.put("train_config", config);
            details.put("target_mean", (double) data.targetMean());
            details.put("target_std", (double) data.targetStd());
            details.put("side_by_side", SideBySide.rows(dataset()));
            Report report = new Report(variant.name(), dataset(), "rmse", testRmse, variant.anchor(dataset()),
                    (System.nanoTime() - start) / 1e9, details);
            report.save(options.outDir().resolve("report.json"));
            SideBySide.log(report);
            return report;
        }
    }

    /** {@inheritDoc} */
    @Override
    public Report evaluate(Variant<?> variant, Model model, TrainOptions options) throws IOException {
        long start = System.nanoTime();
        CaliforniaHousing data = load(options);
        double valRmse = rmse(model, data, Part.VAL);
        double testRmse = rmse(model, data, Part.TEST);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("val_rmse", valRmse);
        details.put("parameters", parameterCount(model));
        return new Report(variant.name(), dataset(), "rmse", testRmse, variant.anchor(dataset()),
                (System.nanoTime() - start) / 1e9, details);
    }

    private static CaliforniaHousing load(TrainOptions options) throws IOException {
        return options.dataPath() != null
                ? CaliforniaHousing.load(options.dataPath())
                : CaliforniaHousing.loadEmbedded();
    }

    private static NDArray features(NDManager m, CaliforniaHousing data, Part part) {
        return m.create(FloatBuffer.wrap(data.features(part)),
                new Shape(data.size(part), CaliforniaHousing.N_FEATURES), DataType.FLOAT32);
    }

    /**
     * RMSE in $100k of the model's de-standardized predictions on {@code part}, one forward in inference mode.
     * The input is created in a scratch manager, so every intermediate (owned by the first input's manager) is
     * freed with it.
     */
    static double rmse(Model model, CaliforniaHousing data, Part part) {
        float[] y = data.targets(part);
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray pred = model.getBlock()
                    .forward(new ParameterStore(scope, false), new NDList(features(scope, data, part)), false)
                    .singletonOrThrow();
            if (pred.getShape().dimension() == 3) {
                // an ensemble: each member de-standardized, then the mean over members (TabM paper's evaluate)
                pred = EnsembleMean.regression(pred, data.targetMean(), data.targetStd());
            } else {
                pred = pred.mul(data.targetStd()).add(data.targetMean());
            }
            float[] p = pred.toFloatArray();
            if (p.length != y.length) {
                throw new IllegalStateException(
                        "the model gave " + p.length + " predictions for " + y.length + " rows; expected (B, 1)");
            }
            return Metrics.rmse(p, y);
        }
    }

    static long parameterCount(Model model) {
        long n = 0;
        for (var p : model.getBlock().getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }
}
