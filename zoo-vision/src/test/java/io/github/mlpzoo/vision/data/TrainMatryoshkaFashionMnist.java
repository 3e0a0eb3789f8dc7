package io.github.mlpzoo.vision.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.nn.heads.MatryoshkaLoss;
import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.train.Fit;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.TrainConfig;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.vision.scalingmlp.ScalingMlpConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Matryoshka accuracy on Fashion-MNIST: the Scaling-MLP recipe of {@link FashionMnistTask} (same size, optimizer,
 * augmentation, protocol) with {@code matryoshka=g}, i.e. a {@link io.github.mlpzoo.core.nn.heads.MatryoshkaHead} on
 * the nested prefixes {@code W/2^(g-1) .. W} of the last hidden layer, trained with the sum over the g granularities
 * of the recipe's label-smoothed cross-entropy ({@link MatryoshkaLoss}); the best epoch by the full width's
 * validation accuracy is kept. Prints a markdown table of validation and test top-1 accuracy per nested width.
 * Run: {@code java ... TrainMatryoshkaFashionMnist <outDir> [g] [epochs] [seed]} (default g 6, the recipe's epochs,
 * seed 0).
 */
public final class TrainMatryoshkaFashionMnist {

    private TrainMatryoshkaFashionMnist() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: TrainMatryoshkaFashionMnist <outDir> [g] [epochs] [seed]");
        }
        Path out = Paths.get(args[0]);
        String g = args.length > 1 ? args[1] : "6";
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
        long start = System.nanoTime();
        Variant<?> variant = Zoo.variant("scaling_mlp_b6_wi512");
        FashionMnistTask.Recipe recipe = FashionMnistTask.recipe(variant);
        Map<String, String> overrides = FashionMnistTask.modelOverrides(variant, Map.of("matryoshka", g));
        ScalingMlpConfig config = (ScalingMlpConfig) variant.config(overrides);
        int[] nesting = config.nesting();
        TrainConfig tc = FashionMnistTask.trainConfig(recipe, epochs, seed);
        FashionMnist data = FashionMnist.load();
        Files.createDirectories(out);
        try (Model model = Zoo.newModel(variant.name(), overrides, seed)) {
            ModelProfile profile = ModelProfile.of(model.getBlock(), new Shape(1, 1, FashionMnist.SIDE,
                    FashionMnist.SIDE));
            System.out.printf("%s %s (%s), nesting %s, %s%n", variant.name(), overrides, profile.summary(),
                    Arrays.toString(nesting), tc);
            Fit fit = Fit.of(model, new MatryoshkaLoss(new LabelSmoothingLoss(recipe.labelSmoothing()), null), tc);
            if (recipe.ema() > 0) {
                fit.ema(recipe.ema());
            }
            History history = fit.validation("val_accuracy", false, m -> {
                        double[] acc = accuracies(m, data.trainImages(), data.trainLabels(),
                                FashionMnistTask.TRAIN, FashionMnistTask.VAL, nesting.length);
                        System.out.printf(Locale.ROOT, "val accuracy per width %s after %d s%n", format(acc),
                                (System.nanoTime() - start) / 1_000_000_000L);
                        return acc[acc.length - 1];
                    }).run(AugmentedImages.of(data.trainImages(), data.trainLabels(), 0, FashionMnistTask.TRAIN,
                            FashionMnistTask.CROP_PADDING, recipe.mixup(), seed));
            history.save(out.resolve("history.json"));
            double[] val = accuracies(model, data.trainImages(), data.trainLabels(), FashionMnistTask.TRAIN,
                    FashionMnistTask.VAL, nesting.length);
            double[] test = accuracies(model, data.testImages(), data.testLabels(), 0, data.testSize(),
                    nesting.length);
            double wall = (System.nanoTime() - start) / 1e9;
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "Matryoshka %s, %d epochs (best %d), %.0f s, seed %d%n| width | val acc | test acc |%n"
                            + "|---:|---:|---:|%n", variant.name(), history.epochs().size(), history.bestEpoch(),
                    wall, seed));
            for (int i = 0; i < nesting.length; i++) {
                table.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f |%n", nesting[i], val[i], test[i]));
            }
            System.out.print(table);
            Files.writeString(out.resolve("matryoshka.md"), table.toString());
        }
    }

    private static String format(double[] acc) {
        StringBuilder s = new StringBuilder();
        for (double a : acc) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", a));
        }
        return s.toString();
    }

    /** Top-1 accuracy of each of the model's {@code g} outputs on images {@code from .. from + count - 1}. */
    static double[] accuracies(Model model, byte[] pixels, int[] labels, int from, int count, int g) {
        int side = FashionMnist.SIDE;
        int chunk = 500;
        long[] correct = new long[g];
        for (int s = 0; s < count; s += chunk) {
            int n = Math.min(chunk, count - s);
            float[] x = new float[n * side * side];
            for (int i = 0; i < n; i++) {
                System.arraycopy(AugmentedImages.normalized(pixels, from + s + i), 0, x, i * side * side, side * side);
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(new ParameterStore(scope, false),
                        new NDList(scope.create(x, new Shape(n, 1, side, side))), false);
                if (out.size() != g) {
                    throw new IllegalStateException("expected " + g + " Matryoshka outputs; got " + out.size());
                }
                for (int k = 0; k < g; k++) {
                    NDArray logits = out.get(k);
                    long[] pred = logits.argMax(1).toLongArray();
                    for (int i = 0; i < n; i++) {
                        if (pred[i] == labels[from + s + i]) {
                            correct[k]++;
                        }
                    }
                }
            }
        }
        double[] acc = new double[g];
        for (int k = 0; k < g; k++) {
            acc[k] = (double) correct[k] / count;
        }
        return acc;
    }
}
