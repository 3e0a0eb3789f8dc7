package io.github.mlpzoo.vision.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;

import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.train.Fit;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainConfig;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code zoo train <vision model> --dataset fashion_mnist}: Fashion-MNIST ({@link FashionMnist}) at 28×28, one
 * channel, 10 classes. Protocol: the first 55,000 training images train, the last 5,000 validate (the best epoch by
 * validation accuracy is kept), the 10,000 test images give the reported top-1 accuracy. Training: AdamW with
 * decoupled weight decay, linear warm-up then cosine decay to 0, cross-entropy with label smoothing
 * ({@link LabelSmoothingLoss}), global-norm clipping at 1.0, and augmentation by a random 28×28 crop of the image
 * zero-padded by 2 pixels plus a random horizontal flip (and mixup where the family's recipe asks for it); pixels are
 * scaled to [0, 1] and standardized with the training mean and standard deviation.
 *
 * <p>Each family has a {@link Recipe}: a small model size for 28×28 (config overrides applied under the caller's,
 * so {@code --set} still wins) and its optimizer settings, which {@code zoo train --recipe key=value} may change
 * ({@link Recipe#with}; e.g. {@code ema=0.999} validates, keeps and tests an exponential moving average of the
 * weights). The model is always built with {@code inChannels=1} and {@code numClasses=10}. A variant whose config
 * type has no recipe is not supported. The report's metric is the plain test accuracy; its details add the
 * accuracy with flip test-time augmentation (the softmax of the image and of its mirror averaged).
 */
public final class FashionMnistTask implements ZooTask {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistTask.class);

    static final int TRAIN = 55_000;
    static final int VAL = 5_000;
    static final int CROP_PADDING = 2;
    static final double CLIP_NORM = 1.0;

    /**
     * The training recipe of one family on Fashion-MNIST.
     *
     * @param overrides config overrides that size the model for 28×28 grey-scale input
     * @param epochs epochs (warm-up included)
     * @param batchSize images per step
     * @param lr AdamW's peak learning rate
     * @param weightDecay AdamW's decoupled weight decay
     * @param warmupEpochs epochs of linear warm-up
     * @param labelSmoothing ε of the loss
     * @param mixup mixup strength α ({@link AugmentedImages}); 0 for none
     * @param ema decay of an exponential moving average of the weights ({@link Fit#ema}), which is then what is
     *     validated, kept and tested; 0 for none
     */
    public record Recipe(Map<String, String> overrides, int epochs, int batchSize, double lr, double weightDecay,
            int warmupEpochs, float labelSmoothing, float mixup, double ema) {

        /** The keys {@link #with} takes. */
        static final Set<String> KEYS = Set.of("lr", "weightDecay", "batchSize", "warmupEpochs", "labelSmoothing",
                "mixup", "ema");

        public Recipe {
            if (!(ema >= 0 && ema < 1)) {
                throw new IllegalArgumentException("ema must be in [0, 1) (0 = none); got " + ema);
            }
            if (!(mixup >= 0) || Float.isInfinite(mixup)) {
                throw new IllegalArgumentException("mixup must be finite and >= 0 (0 = none); got " + mixup);
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("labelSmoothing must be in [0, 1); got " + labelSmoothing);
            }
        }

        /** A recipe without mixup or EMA. */
        public Recipe(Map<String, String> overrides, int epochs, int batchSize, double lr, double weightDecay,
                int warmupEpochs, float labelSmoothing) {
            this(overrides, epochs, batchSize, lr, weightDecay, warmupEpochs, labelSmoothing, 0f, 0);
        }

        /** A recipe without EMA. */
        public Recipe(Map<String, String> overrides, int epochs, int batchSize, double lr, double weightDecay,
                int warmupEpochs, float labelSmoothing, float mixup) {
            this(overrides, epochs, batchSize, lr, weightDecay, warmupEpochs, labelSmoothing, mixup, 0);
        }

        /**
         * This recipe with {@code changes} applied ({@code zoo train --recipe key=value}; keys {@link #KEYS});
         * the optimizer settings are checked again by {@link TrainConfig}.
         *
         * @throws IllegalArgumentException for an unknown key or a value that does not parse or is out of range
         */
        public Recipe with(Map<String, String> changes) {
            Recipe r = this;
            for (Map.Entry<String, String> c : changes.entrySet()) {
                String v = c.getValue();
                try {
                    r = switch (c.getKey()) {
                        case "lr" -> new Recipe(r.overrides, r.epochs, r.batchSize, Double.parseDouble(v),
                                r.weightDecay, r.warmupEpochs, r.labelSmoothing, r.mixup, r.ema);
                        case "weightDecay" -> new Recipe(r.overrides, r.epochs, r.batchSize, r.lr,
                                Double.parseDouble(v), r.warmupEpochs, r.labelSmoothing, r.mixup, r.ema);
                        case "batchSize" -> new Recipe(r.overrides, r.epochs, Integer.parseInt(v), r.lr,
                                r.weightDecay, r.warmupEpochs, r.labelSmoothing, r.mixup, r.ema);
                        case "warmupEpochs" -> new Recipe(r.overrides, r.epochs, r.batchSize, r.lr, r.weightDecay,
                                Integer.parseInt(v), r.labelSmoothing, r.mixup, r.ema);
                        case "labelSmoothing" -> new Recipe(r.overrides, r.epochs, r.batchSize, r.lr, r.weightDecay,
                                r.warmupEpochs, Float.parseFloat(v), r.mixup, r.ema);
                        case "mixup" -> new Recipe(r.overrides, r.epochs, r.batchSize, r.lr, r.weightDecay,
                                r.warmupEpochs, r.labelSmoothing, Float.parseFloat(v), r.ema);
                        case "ema" -> new Recipe(r.overrides, r.epochs, r.batchSize, r.lr, r.weightDecay,
                                r.warmupEpochs, r.labelSmoothing, r.mixup, Double.parseDouble(v));
                        default -> throw new IllegalArgumentException("fashion_mnist: unknown recipe key '"
                                + c.getKey() + "'; known: " + new TreeSet<>(KEYS));
                    };
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("fashion_mnist: recipe " + c.getKey() + "=" + v
                            + " is not a number", e);
                }
            }
            return r;
        }
    }

    /** The recipes by config record class. */
    static final Map<Class<?>, Recipe> RECIPES = Map.of(
            // MLP-Mixer at 28x28: 2x2 patches (196 tokens, the 14x14 grid the hierarchical families start from),
            // d 48, token 96, channel 4d; 40 epochs: test 0.9202 (20 epochs: 0.9077). With 4x4 patches (49 tokens)
            // d 64 and d 128 gave the same validation curve (d 64: test 0.9094 after 30 epochs): the schedule length,
            // not the width, was the limit
            io.github.mlpzoo.vision.mixer.MlpMixerConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "2", "numBlocks", "4", "embedDim", "48", "tokenHidden", "96",
                    "channelHidden", "192"), 40, 128, 2e-3, 0.05, 1, 0.1f),
            // gMLP at 28x28: 4x4 patches (49 tokens), 6 blocks of d 96, d_ffn 384; 30 epochs: test 0.9242 (25 epochs:
            // 0.9198; the 4-block d 64 run: 0.8776 at 4 epochs)
            io.github.mlpzoo.vision.gmlp.GMlpConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "4", "numBlocks", "6", "embedDim", "96", "ffnWidth", "384"),
                    30, 128, 2e-3, 0.05, 1, 0.1f),
            // PoolFormer at 28x28: stem 3x3/2, grids 14/7/4/2; 30 epochs: test 0.9302 (15 epochs: 0.9177)
            io.github.mlpzoo.vision.poolformer.PoolFormerConfig.class, new Recipe(Map.of(
                    "layers", "2,2,2,2", "embedDims", "16,32,64,128", "stemKernel", "3", "stemStride", "2",
                    "stemPadding", "1", "dropPath", "0"), 30, 128, 2e-3, 0.05, 1, 0.1f),
            // Strip-MLP at 28x28: 2x2 patches, grids 14/7/3/1 (the strip layers are sized for 28); 20 epochs: test
            // 0.9277 (8 epochs: 0.9108)
            io.github.mlpzoo.vision.stripmlp.StripMlpConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "2", "embedDim", "24", "layers", "1,1,1,1", "dropPath", "0.05"),
                    20, 128, 2e-3, 0.05, 1, 0.1f),
            // MS-MLP at 28x28: 2x2 patches, grids 14/7/3/1, the official shifts and mixing sizes, d 48; 30 epochs:
            // test 0.9241 (25 epochs: 0.9199; d 32 underfit: 0.9086 after 20 epochs, training loss still falling)
            io.github.mlpzoo.vision.msmlp.MsMlpConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "2", "embedDim", "48", "depths", "1,1,2,1", "dropPath", "0.05"),
                    30, 128, 2e-3, 0.05, 1, 0.1f),
            // RaftMLP sized for 28x28: three levels of 2x2 patches, grids 14/7/4 (7 is resized to 8 before level 3);
            // 25 epochs: test 0.9295 (8 epochs: 0.9118)
            io.github.mlpzoo.vision.raftmlp.RaftMlpConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "depths", "1,1,2", "dims", "32,64,128", "patchSizes", "2,2,2",
                    "raftSizes", "2,2,2", "crossScales", "2,2,1", "dropPath", "0.05"), 25, 128, 2e-3, 0.05, 1, 0.1f),
            // KAT at 28x28: ViT with GR-KAN mixers, 4x4 patches (49 tokens + class token), d 64, 4 blocks, 4 heads,
            // GR-KAN hidden 256; 45 epochs: test 0.9143 (d 48 / 3 heads / 192, which underfit: 0.9074)
            io.github.mlpzoo.vision.kat.KatConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "4", "embedDim", "64", "depth", "4", "numHeads", "4",
                    "mlpHidden", "256", "groups", "8", "dropPath", "0.05"), 45, 128, 2e-3, 0.05, 1, 0.1f),
            // DSM at 28x28: 4x4 patches (7x7 token grid, 7x7 DCT), d 48, 4 blocks, 4 bands; 40 epochs: test 0.9158
            // (30 epochs: 0.9098)
            io.github.mlpzoo.vision.dsm.DsmConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "4", "embedDim", "48", "depth", "4", "bands", "4",
                    "reduction", "4", "mlpRatio", "4", "dropPath", "0.05"), 40, 128, 2e-3, 0.05, 1, 0.1f),
            // Activator has no token mixing, so at 28x28 one 28x28 patch (a single token) keeps the layout; as
            // Scaling-MLP, mixup 0.8 and a weight EMA (0.9995) over 100 epochs: test 0.9111 (40 epochs without them:
            // 0.9035; 10 epochs: 0.8855)
            io.github.mlpzoo.vision.activator.ActivatorConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "patchSize", "28", "dModel", "256", "dFfn", "512", "numLayers", "4",
                    "dropout", "0.2"), 100, 128, 1e-3, 0.05, 1, 0.1f, 0.8f, 0.9995),
            // Scaling-MLP at 28x28: the plain bottleneck MLP on the flattened image, B_4-Wi_256, expansion 4, with the
            // official training script's mixup (--mixup 0.8), trained long, and an EMA of the weights (0.9995); 100
            // epochs: test 0.9125 (60 epochs with the EMA: 0.9086, without: 0.9040; 20 epochs without mixup: 0.8973)
            io.github.mlpzoo.vision.scalingmlp.ScalingMlpConfig.class, new Recipe(Map.of(
                    "imageSize", "28", "blocks", "4", "width", "256", "expansion", "4"), 100, 128, 1e-3, 0.05, 1,
                    0.1f, 0.8f, 0.9995));

    /** {@inheritDoc} */
    @Override
    public String dataset() {
        return "fashion_mnist";
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "Fashion-MNIST (Debian dataset-fashion-mnist): 28x28 grey-scale, 10 classes, 55,000/5,000/10,000 "
                + "train/val/test; test top-1 accuracy";
    }

    /** The {@link Recipe} settings {@code zoo train --recipe key=value} may change. */
    @Override
    public Set<String> recipeKeys() {
        return Recipe.KEYS;
    }

    /** A vision variant whose config type has a recipe here. */
    @Override
    public boolean supports(Variant<?> variant) {
        return "vision".equals(variant.domain()) && RECIPES.containsKey(variant.defaults().getClass());
    }

    /** The recipe for {@code variant}. */
    public static Recipe recipe(Variant<?> variant) {
        Recipe r = RECIPES.get(variant.defaults().getClass());
        if (r == null) {
            throw new IllegalArgumentException("fashion_mnist has no recipe for " + variant.name() + " ("
                    + variant.defaults().getClass().getSimpleName() + ")");
        }
        return r;
    }

    /** The overrides the model is built with: the recipe's, then the caller's, then 1 channel and 10 classes. */
    public static Map<String, String> modelOverrides(Variant<?> variant, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(recipe(variant).overrides());
        all.putAll(overrides);
        for (Map.Entry<String, String> fixed : Map.of("inChannels", "1", "numClasses", "10").entrySet()) {
            String given = all.put(fixed.getKey(), fixed.getValue());
            if (given != null && !given.equals(fixed.getValue())) {
                throw new IllegalArgumentException("fashion_mnist needs " + fixed.getKey() + "=" + fixed.getValue()
                        + "; got " + given);
            }
        }
        return all;
    }

    static TrainConfig trainConfig(Recipe r, int epochs, long seed) {
        int n = epochs > 0 ? epochs : r.epochs();
        return TrainConfig.of(n, r.batchSize(), r.lr()).withWeightDecay(r.weightDecay())
                .withWarmupEpochs(Math.min(r.warmupEpochs(), n)).withCosine(0).withClipNorm(CLIP_NORM).withSeed(seed);
    }

    /** {@inheritDoc} */
    @Override
    public Report train(Variant<?> variant, Map<String, String> overrides, TrainOptions options) throws IOException {
        if (options.outDir() == null) {
            throw new IllegalArgumentException("fashion_mnist training needs an output directory (TrainOptions.outDir)");
        }
        long start = System.nanoTime();
        FashionMnist data = load(options);
        Recipe recipe = recipe(variant).with(options.recipe());
        Map<String, String> modelOverrides = modelOverrides(variant, overrides);
        TrainConfig config = trainConfig(recipe, options.epochs(), options.seed());
        Files.createDirectories(options.outDir());
        try (Model model = Zoo.newModel(variant.name(), modelOverrides, options.seed())) {
            ModelProfile profile = ModelProfile.of(model.getBlock(), new Shape(1, 1, FashionMnist.SIDE,
                    FashionMnist.SIDE));
            LOG.info("fashion_mnist: {} {} ({}), {}, label smoothing {}, mixup {}, ema {}", variant.name(),
                    modelOverrides, profile.summary(), config, recipe.labelSmoothing(), recipe.mixup(), recipe.ema());
            History history;
            try {
                Fit fit = Fit.of(model, new LabelSmoothingLoss(recipe.labelSmoothing()), config);
                if (recipe.ema() > 0) {
                    fit.ema(recipe.ema());
                }
                history = fit.validation("val_accuracy", false, m -> {
                            double acc = accuracy(m, data.trainImages(), data.trainLabels(), TRAIN, VAL);
                            LOG.info("{}: val accuracy {} after {} s", variant.name(),
                                    String.format(Locale.ROOT, "%.4f", acc), (System.nanoTime() - start) / 1_000_000_000);
                            return acc;
                        })
                        .progress(options.progress())
                        .run(AugmentedImages.of(data.trainImages(), data.trainLabels(), 0, TRAIN, CROP_PADDING,
                                recipe.mixup(), options.seed()));
            } catch (TranslateException e) {
                throw new IOException("fashion_mnist: reading a training batch failed", e);
            }
            history.save(options.outDir().resolve("history.json"));
            Zoo.save(model, variant.name(), modelOverrides, options.outDir().resolve("model"));
            double val = accuracy(model, data.trainImages(), data.trainLabels(), TRAIN, VAL);
            double test = accuracy(model, data.testImages(), data.testLabels(), 0, data.testSize());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("val_accuracy", val);
            details.put("test_accuracy_flip_tta", accuracy(model, data.testImages(), data.testLabels(), 0,
                    data.testSize(), true));
            details.put("val_accuracy_flip_tta", accuracy(model, data.trainImages(), data.trainLabels(), TRAIN, VAL,
                    true));
            details.put("best_epoch", history.bestEpoch());
            details.put("epochs_run", history.epochs().size());
            details.put("parameters", profile.params());
            details.put("macs", profile.macs());
            details.put("config", Configs.toStrings(variant.config(modelOverrides)));
            details.put("seed", options.seed());
            details.put("train_config", config);
            details.put("label_smoothing", recipe.labelSmoothing());
            details.put("mixup", recipe.mixup());
            details.put("ema", recipe.ema());
            details.put("recipe_overrides", options.recipe());
            Report report = new Report(variant.name(), dataset(), "accuracy", test, variant.anchor(dataset()),
                    (System.nanoTime() - start) / 1e9, details);
            report.save(options.outDir().resolve("report.json"));
            return report;
        }
    }

    /** {@inheritDoc} */
    @Override
    public Report evaluate(Variant<?> variant, Model model, TrainOptions options) throws IOException {
        long start = System.nanoTime();
        FashionMnist data = load(options);
        double test = accuracy(model, data.testImages(), data.testLabels(), 0, data.testSize());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("val_accuracy", accuracy(model, data.trainImages(), data.trainLabels(), TRAIN, VAL));
        details.put("test_accuracy_flip_tta", accuracy(model, data.testImages(), data.testLabels(), 0,
                data.testSize(), true));
        return new Report(variant.name(), dataset(), "accuracy", test, variant.anchor(dataset()),
                (System.nanoTime() - start) / 1e9, details);
    }

    private static FashionMnist load(TrainOptions options) throws IOException {
        return options.dataPath() != null ? FashionMnist.load(options.dataPath()) : FashionMnist.load();
    }

    /**
     * Top-1 accuracy of {@code model} on images {@code from .. from + count - 1}, in inference mode, in chunks whose
     * arrays live in a scratch manager closed after each chunk.
     */
    static double accuracy(Model model, byte[] pixels, int[] labels, int from, int count) {
        return accuracy(model, pixels, labels, from, count, false);
    }

    /**
     * As {@link #accuracy(Model, byte[], int[], int, int)}; with {@code flipTta} each image is also scored
     * mirrored left to right and the two softmax outputs are averaged (test-time augmentation with the training
     * flip; reported beside the plain accuracy, never instead of it).
     */
    static double accuracy(Model model, byte[] pixels, int[] labels, int from, int count, boolean flipTta) {
        int side = FashionMnist.SIDE;
        int area = side * side;
        int chunk = 500;
        int views = flipTta ? 2 : 1;
        long correct = 0;
        for (int s = 0; s < count; s += chunk) {
            int n = Math.min(chunk, count - s);
            float[] x = new float[views * n * area];
            for (int i = 0; i < n; i++) {
                float[] image = AugmentedImages.normalized(pixels, from + s + i);
                System.arraycopy(image, 0, x, i * area, area);
                if (flipTta) {
                    int base = (n + i) * area;
                    for (int r = 0; r < side; r++) {
                        for (int c = 0; c < side; c++) {
                            x[base + r * side + c] = image[r * side + side - 1 - c];
                        }
                    }
                }
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray logits = model.getBlock().forward(new ParameterStore(scope, false),
                        new NDList(scope.create(x, new Shape(views * n, 1, side, side))), false).singletonOrThrow();
                NDArray scores = flipTta
                        ? logits.softmax(1).reshape(2, n, logits.getShape().get(1)).sum(new int[] {0})
                        : logits;
                long[] pred = scores.argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (pred[i] == labels[from + s + i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / count;
    }
}
