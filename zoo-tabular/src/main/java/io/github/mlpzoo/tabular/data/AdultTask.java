package io.github.mlpzoo.tabular.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;

import io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings;
import io.github.mlpzoo.core.nn.ensemble.EnsembleLoss;
import io.github.mlpzoo.core.nn.ensemble.EnsembleMean;
import io.github.mlpzoo.core.train.Fit;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Metrics;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainConfig;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.tabular.data.CaliforniaHousing.Part;
import io.github.mlpzoo.tabular.mlp.MlpConfig;
import io.github.mlpzoo.tabular.tabm.TabMConfig;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code zoo train <tabm variant or mlp> --dataset adult}: UCI Adult under the project's protocol ({@link Adult})
 * trained the way the TabM paper trains it ({@code yandex-research/tabm}, {@code paper/bin/model.py}, configs
 * {@code paper/exp/<model>/adult/0-evaluation/0.toml}): binary classification with two logits and softmax
 * cross-entropy (for an ensemble the mean of the k member losses), AdamW with the variant's tuned lr and weight
 * decay, batches of 256 in a fresh random order each epoch, gradient clipping to global norm 1.0, early stopping on
 * validation accuracy with patience 16 (no epoch limit officially; ours caps at {@value CaliforniaTask#MAX_EPOCHS}).
 * The figure is the test accuracy of the best epoch; an ensemble predicts the argmax of the mean of its members'
 * softmax probabilities.
 *
 * <p>The variant is rebuilt for Adult's shape: TabM with {@code nNum = 6}, the 8 categorical cardinalities of the
 * training part ({@code [9, 16, 7, 15, 6, 5, 2, 42]}, one-hot inside the model) and {@code dOut = 2}; the MLP with
 * the numerical features and the one-hot columns concatenated ({@code dIn = 108}). Each takes the paper's tuned
 * Adult architecture ({@link PaperRecipes#adultArchitecture}); {@code --set} overrides come on top.
 * A category unseen in training gets the unknown code (all-zero one-hot), see {@link Adult}.
 */
public final class AdultTask implements ZooTask {

    /** Rows per forward pass when scoring (a TabM forward over all 16,281 test rows would hold ~0.7 GB). */
    static final int EVAL_BATCH = 2048;

    /** {@inheritDoc} */
    @Override
    public String dataset() {
        return "adult";
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "UCI Adult: 6 numerical + 8 categorical features, train 26,048 / val 6,513 (stratified, seed 0) / "
                + "test 16,281 (adult.test); noisy-quantile + one-hot; test accuracy";
    }

    /** The TabM variants and the MLP (their configs are rebuilt for Adult's features). */
    @Override
    public boolean supports(Variant<?> variant) {
        return "tabular".equals(variant.domain())
                && (variant.defaults() instanceof TabMConfig || variant.defaults() instanceof MlpConfig);
    }

    /**
     * The config overrides that shape {@code variant} for these data: the feature layout, two outputs and the paper's
     * tuned Adult architecture, then {@code user} on top.
     */
    static Map<String, String> overrides(Variant<?> variant, Adult data, Map<String, String> user) {
        Map<String, String> o = new LinkedHashMap<>();
        if (variant.defaults() instanceof MlpConfig) {
            o.put("dIn", Integer.toString(Adult.N_NUM + Arrays.stream(data.cardinalities()).sum()));
        } else {
            o.put("nNum", Integer.toString(Adult.N_NUM));
            o.put("catCardinalities", Arrays.stream(data.cardinalities()).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",")));
        }
        o.put("dOut", "2");
        o.putAll(PaperRecipes.adultArchitecture(variant.name()));
        o.putAll(PaperRecipes.tunedProtocol(variant));
        if (user != null) {
            o.putAll(user);
        }
        return o;
    }

    static TrainConfig trainConfig(String variant, int maxEpochs, long seed) {
        PaperRecipes.Recipe recipe = PaperRecipes.of("adult", variant);
        return TrainConfig.of(maxEpochs > 0 ? maxEpochs : CaliforniaTask.MAX_EPOCHS, CaliforniaTask.BATCH_SIZE,
                        recipe.lr())
                .withWeightDecay(recipe.weightDecay())
                .withClipNorm(CaliforniaTask.CLIP_NORM)
                .withPatience(CaliforniaTask.PATIENCE)
                .withSeed(seed);
    }

    /** {@inheritDoc} */
    @Override
    public Report train(Variant<?> variant, Map<String, String> overrides, TrainOptions options) throws IOException {
        checkRecipe(options.recipe());
        if (options.outDir() == null) {
            throw new IllegalArgumentException("adult training needs an output directory (TrainOptions.outDir)");
        }
        if (!supports(variant)) {
            throw new IllegalArgumentException("adult trains the TabM variants and mlp; got " + variant.name());
        }
        long start = System.nanoTime();
        Adult data = load(options);
        Map<String, String> shaped = overrides(variant, data, overrides);
        variant.config(shaped); // refuse a bad override before training
        TrainConfig config = trainConfig(variant.name(), options.epochs(), options.seed());
        Files.createDirectories(options.outDir());
        try (Model model = Zoo.newModel(variant.name(), shaped, options.seed())) {
            NDManager m = model.getNDManager();
            boolean tabm = variant.defaults() instanceof TabMConfig;
            if (tabm) {
                PiecewiseLinearEmbeddings.fitAll(model.getBlock(), data.numerical(Part.TRAIN), Adult.N_NUM);
            }
            NDList xTrain = inputs(m, data, Part.TRAIN, 0, data.size(Part.TRAIN), tabm);
            NDArray yTrain = m.create(toFloat(data.labels(Part.TRAIN)), new Shape(data.size(Part.TRAIN)));
            ArrayDataset train = new ArrayDataset.Builder().setData(xTrain.toArray(new NDArray[0]))
                    .optLabels(yTrain).setSampling(1, false).build();
            Loss loss = tabm ? EnsembleLoss.crossEntropy() : Loss.softmaxCrossEntropyLoss("cross_entropy");
            History history;
            try {
                history = Fit.of(model, loss, config)
                        .validation("val_accuracy", false, mdl -> accuracy(mdl, data, Part.VAL, tabm))
                        .noWeightDecayOnBiasesAndNorms() // the official make_parameter_groups
                        .independentBatches(PaperRecipes.independentMembers(variant.config(shaped)))
                        .progress(options.progress())
                        .run(train);
            } catch (TranslateException e) {
                throw new IOException("adult: reading a training batch failed", e);
            }
            history.save(options.outDir().resolve("history.json"));
            Zoo.save(model, variant.name(), shaped, options.outDir().resolve("model"));
            double val = accuracy(model, data, Part.VAL, tabm);
            double test = accuracy(model, data, Part.TEST, tabm);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("val_accuracy", val);
            details.put("best_epoch", history.bestEpoch());
            details.put("epochs_run", history.epochs().size());
            details.put("parameters", CaliforniaTask.parameterCount(model));
            details.put("seed", options.seed());
            details.put("config_overrides", shaped);
            details.put("train_config", config);
            details.put("side_by_side", SideBySide.rows(dataset()));
            Report report = new Report(variant.name(), dataset(), "accuracy", test, variant.anchor(dataset()),
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
        Adult data = load(options);
        boolean tabm = variant.defaults() instanceof TabMConfig;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("val_accuracy", accuracy(model, data, Part.VAL, tabm));
        details.put("parameters", CaliforniaTask.parameterCount(model));
        return new Report(variant.name(), dataset(), "accuracy", accuracy(model, data, Part.TEST, tabm),
                variant.anchor(dataset()), (System.nanoTime() - start) / 1e9, details);
    }

    static Adult load(TrainOptions options) throws IOException {
        return options.dataPath() != null ? Adult.load(options.dataPath()) : Adult.loadEmbedded();
    }

    /**
     * Rows {@code [from, to)} of {@code part} as model inputs: TabM takes {@code x_num (n, 6)} float32 and
     * {@code x_cat (n, 8)} int64 codes; the MLP takes {@code (n, 108)}, the numerical features then the one-hot
     * columns (an unknown code gives an all-zero block, as in the official one-hot).
     */
    static NDList inputs(NDManager m, Adult data, Part part, int from, int to, boolean tabm) {
        int n = to - from;
        float[] num = Arrays.copyOfRange(data.numerical(part), from * Adult.N_NUM, to * Adult.N_NUM);
        long[] cat = Arrays.copyOfRange(data.categorical(part), from * Adult.N_CAT, to * Adult.N_CAT);
        if (tabm) {
            return new NDList(
                    m.create(FloatBuffer.wrap(num), new Shape(n, Adult.N_NUM), DataType.FLOAT32),
                    m.create(cat, new Shape(n, Adult.N_CAT)));
        }
        return new NDList(m.create(oneHotRows(num, cat, n, data.cardinalities()), new Shape(n,
                Adult.N_NUM + Arrays.stream(data.cardinalities()).sum())));
    }

    /** {@code [x_num, one-hot(x_cat)]} row-major; a code equal to the cardinality (unknown) sets no column. */
    static float[] oneHotRows(float[] num, long[] cat, int n, int[] cards) {
        int width = Adult.N_NUM + Arrays.stream(cards).sum();
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(num, i * Adult.N_NUM, out, i * width, Adult.N_NUM);
            int offset = Adult.N_NUM;
            for (int j = 0; j < cards.length; j++) {
                long code = cat[i * Adult.N_CAT + j];
                if (code < 0 || code > cards[j]) {
                    throw new IllegalArgumentException("categorical feature " + Adult.CATEGORICAL.get(j)
                            + " has code " + code + "; expected 0.." + (cards[j] - 1) + " or " + cards[j] + " (unknown)");
                }
                if (code < cards[j]) {
                    out[i * width + offset + (int) code] = 1f;
                }
                offset += cards[j];
            }
        }
        return out;
    }

    /**
     * Accuracy on {@code part}: argmax of the mean member probabilities (ensembles) or of the logits, in chunks of
     * {@value #EVAL_BATCH} rows, each in a scratch manager so nothing stays in the model's manager.
     */
    static double accuracy(Model model, Adult data, Part part, boolean tabm) {
        int[] y = data.labels(part);
        int[] pred = new int[y.length];
        for (int from = 0; from < y.length; from += EVAL_BATCH) {
            int to = Math.min(y.length, from + EVAL_BATCH);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray out = model.getBlock()
                        .forward(new ParameterStore(scope, false), inputs(scope, data, part, from, to, tabm), false)
                        .singletonOrThrow();
                NDArray p = out.getShape().dimension() == 3 ? EnsembleMean.probabilities(out) : out; // (n, 2)
                long[] arg = p.argMax(1).toLongArray();
                if (arg.length != to - from) {
                    throw new IllegalStateException("the model gave " + arg.length + " predictions for " + (to - from)
                            + " rows; expected (B, 2) or (B, k, 2)");
                }
                for (int i = 0; i < arg.length; i++) {
                    pred[from + i] = (int) arg[i];
                }
            }
        }
        return Metrics.accuracy(pred, y);
    }

    private static float[] toFloat(int[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
