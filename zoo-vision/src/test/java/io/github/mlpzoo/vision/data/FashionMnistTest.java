package io.github.mlpzoo.vision.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.train.Tasks;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads Debian's Fashion-MNIST (CI installs {@code dataset-fashion-mnist}; without it these tests fail with the
 * install command, they are not skipped) and checks the task's wiring.
 */
class FashionMnistTest {

    @Test
    void readsTheDebianFiles() throws IOException {
        FashionMnist data = FashionMnist.load();
        assertEquals(60_000, data.trainSize());
        assertEquals(10_000, data.testSize());
        int[] perClass = new int[10];
        for (int y : data.testLabels()) {
            perClass[y]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "test images of class " + c);
        }
        double mean = 0;
        for (int i = 0; i < 784 * 1000; i++) {
            mean += (data.trainImages()[i] & 0xff) / 255.0;
        }
        assertEquals(FashionMnist.MEAN, mean / (784 * 1000), 0.01, "pixel mean of the first 1000 images");
    }

    @Test
    void missingFilesSayHowToInstallThem(@TempDir Path empty) {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(empty));
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void augmentationCropsAndFlipsWithinTheImage() throws IOException {
        Engines.get();
        FashionMnist data = FashionMnist.load();
        AugmentedImages plain = AugmentedImages.of(data.trainImages(), data.trainLabels(), 0, 10, 0, 1);
        AugmentedImages aug = AugmentedImages.of(data.trainImages(), data.trainLabels(), 0, 10, 2, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList x = plain.get(m, 3).getData();
            assertEquals(new Shape(1, 28, 28), x.singletonOrThrow().getShape());
            assertEquals(data.trainLabels()[3], (int) plain.get(m, 3).getLabels().singletonOrThrow().getFloat());
            float fill = -FashionMnist.MEAN / FashionMnist.STD;
            NDArray a = aug.get(m, 3).getData().singletonOrThrow();
            assertTrue(a.gte(fill - 1e-5f).all().getBoolean(), "augmented values stay in the normalized range");
            assertEquals(x.singletonOrThrow().sum().getFloat() - fill * 784, a.sum().getFloat() - fill * 784,
                    Math.abs(x.singletonOrThrow().sum().getFloat() - fill * 784), "a crop keeps at most the mass");
        }
    }

    @Test
    void labelSmoothingMatchesTorch() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList logits = new NDList(m.create(new float[] {1, 2, 3, 0.5f, -1, 0}, new Shape(2, 3)));
            NDList labels = new NDList(m.create(new float[] {2, 0}));
            // torch 1.13.1: F.cross_entropy(logits, tensor([2, 0]), label_smoothing=0.1) and without smoothing
            assertEquals(0.5892016291618347, new LabelSmoothingLoss(0.1f).evaluate(labels, logits).getFloat(), 1e-6);
            assertEquals(0.5058683156967163, new LabelSmoothingLoss(0f).evaluate(labels, logits).getFloat(), 1e-6);
            // soft (mixup) targets; torch 1.13.1: F.cross_entropy(logits, [[.25, 0, .75], [.6, .4, 0]], label_smoothing=...)
            NDList soft = new NDList(m.create(new float[] {0.25f, 0, 0.75f, 0.6f, 0.4f, 0}, new Shape(2, 3)));
            assertEquals(1.0842015743255615, new LabelSmoothingLoss(0.1f).evaluate(soft, logits).getFloat(), 1e-6);
            assertEquals(1.05586838722229, new LabelSmoothingLoss(0f).evaluate(soft, logits).getFloat(), 1e-6);
            NDList wrong = new NDList(m.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(2, 2)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LabelSmoothingLoss(0.1f).evaluate(wrong, logits));
            assertTrue(e.getMessage().contains("soft targets"), e.getMessage());
        }
    }

    @Test
    void mixupBlendsTwoImagesAndTheirLabels() throws IOException {
        Engines.get();
        FashionMnist data = FashionMnist.load();
        // no crop or flip (pad 0), so every record is an exact blend of two un-augmented images
        AugmentedImages mixed = AugmentedImages.of(data.trainImages(), data.trainLabels(), 0, 50, 0, 0.8f, 7);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int r = 0; r < 20; r++) {
                float[] x = mixed.get(m, r).getData().singletonOrThrow().toFloatArray();
                float[] t = mixed.get(m, r).getLabels().singletonOrThrow().toFloatArray(); // a second draw
                assertEquals(10, t.length);
                assertEquals(1f, t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7] + t[8] + t[9], 1e-6f);
                assertTrue(x.length == 784 && Float.isFinite(x[0]));
            }
            // the blend itself: find the partner and λ of one record and check every pixel
            float[] x = mixed.get(m, 4).getData().singletonOrThrow().toFloatArray();
            float[] own = AugmentedImages.normalized(data.trainImages(), 4);
            boolean found = false;
            for (int j = 0; j < 50 && !found; j++) {
                float[] other = AugmentedImages.normalized(data.trainImages(), j);
                int p = 0;
                while (p < 784 && Math.abs(own[p] - other[p]) < 1e-3f) {
                    p++;
                }
                if (p == 784) {
                    continue;
                }
                float lambda = (x[p] - other[p]) / (own[p] - other[p]);
                boolean all = true;
                for (int q = 0; q < 784 && all; q++) {
                    all = Math.abs(lambda * own[q] + (1 - lambda) * other[q] - x[q]) < 1e-4f;
                }
                found = all && lambda >= 0 && lambda <= 1;
            }
            assertTrue(found, "record 4 is λ·image4 + (1-λ)·(some image of the slice)");
        }
        java.util.Random random = new java.util.Random(3);
        double sum = 0;
        double sq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double b = AugmentedImages.beta(random, 0.8);
            assertTrue(b >= 0 && b <= 1);
            sum += b;
            sq += b * b;
        }
        double mean = sum / n;
        assertEquals(0.5, mean, 0.005, "Beta(0.8, 0.8) mean");
        assertEquals(1 / (4 * (2 * 0.8 + 1)), sq / n - mean * mean, 0.003, "Beta(0.8, 0.8) variance 1/(4(2α+1))");
        assertThrows(IllegalArgumentException.class,
                () -> AugmentedImages.of(data.trainImages(), data.trainLabels(), 0, 50, 0, -1f, 7));
    }

    @Test
    void taskIsRegisteredWithARecipePerFamily() {
        assertEquals("fashion_mnist", Tasks.get("fashion_mnist", Zoo.variant("mixer_s16")).dataset());
        for (String v : new String[] {"mixer_s16", "gmlp_ti16", "poolformer_s12"}) {
            Map<String, String> o = FashionMnistTask.modelOverrides(Zoo.variant(v), Map.of());
            assertEquals("1", o.get("inChannels"));
            assertEquals("10", o.get("numClasses"));
            Zoo.variant(v).config(o); // the recipe's overrides are valid config values
        }
        assertThrows(IllegalArgumentException.class,
                () -> FashionMnistTask.modelOverrides(Zoo.variant("mixer_s16"), Map.of("numClasses", "5")));
        assertTrue(new FashionMnistTask().supports(Zoo.variant("poolformer_m48")));
    }

    @Test
    void recipeOverridesChangeOnlyTheirSettingAndRefuseTheRest() {
        FashionMnistTask.Recipe r = FashionMnistTask.recipe(Zoo.variant("scaling_mlp_b6_wi512"));
        assertEquals(0.9995, r.ema());
        FashionMnistTask.Recipe changed = r.with(Map.of("ema", "0.999", "lr", "5e-4", "mixup", "0.2"));
        assertEquals(0.999, changed.ema());
        assertEquals(5e-4, changed.lr());
        assertEquals(0.2f, changed.mixup());
        assertEquals(new FashionMnistTask.Recipe(r.overrides(), r.epochs(), r.batchSize(), 5e-4, r.weightDecay(),
                r.warmupEpochs(), r.labelSmoothing(), 0.2f, 0.999), changed);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> r.with(Map.of("momentum", "0.9")));
        assertTrue(unknown.getMessage().contains("'momentum'") && unknown.getMessage().contains("ema"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FashionMnistTask().checkRecipe(Map.of("x", "1")));
        new FashionMnistTask().checkRecipe(Map.of("ema", "0.99"));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> r.with(Map.of("lr", "fast")));
        assertTrue(nan.getMessage().contains("lr=fast"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.with(Map.of("ema", "1")));
        assertThrows(IllegalArgumentException.class, () -> r.with(Map.of("labelSmoothing", "-0.1")));
    }

    /**
     * Flip test-time augmentation: the accuracy from the task equals the one computed here by forwarding the images
     * and their mirrors separately and averaging the two softmax outputs (a tiny untrained Scaling-MLP, whose
     * flattened input is not mirror-symmetric, so a wrong flip would change predictions).
     */
    @Test
    void flipTtaAveragesTheSoftmaxOfTheImageAndItsMirror() throws Exception {
        Engines.get();
        FashionMnist data = FashionMnist.load();
        Map<String, String> o = FashionMnistTask.modelOverrides(Zoo.variant("scaling_mlp_b6_wi512"),
                Map.of("blocks", "1", "width", "16"));
        int n = 300;
        try (ai.djl.Model model = Zoo.newModel("scaling_mlp_b6_wi512", o, 5);
                NDManager m = NDManager.newBaseManager()) {
            float[] x = new float[n * 784];
            float[] mirrored = new float[n * 784];
            for (int i = 0; i < n; i++) {
                float[] image = AugmentedImages.normalized(data.testImages(), i);
                System.arraycopy(image, 0, x, i * 784, 784);
                for (int r = 0; r < 28; r++) {
                    for (int c = 0; c < 28; c++) {
                        mirrored[i * 784 + r * 28 + c] = image[r * 28 + 27 - c];
                    }
                }
            }
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            NDArray p = model.getBlock().forward(ps, new NDList(m.create(x, new Shape(n, 1, 28, 28))), false)
                    .singletonOrThrow().softmax(1);
            NDArray q = model.getBlock().forward(ps, new NDList(m.create(mirrored, new Shape(n, 1, 28, 28))), false)
                    .singletonOrThrow().softmax(1);
            long[] plainPred = p.argMax(1).toLongArray();
            long[] ttaPred = p.add(q).argMax(1).toLongArray();
            int plain = 0;
            int tta = 0;
            int differ = 0;
            for (int i = 0; i < n; i++) {
                plain += plainPred[i] == data.testLabels()[i] ? 1 : 0;
                tta += ttaPred[i] == data.testLabels()[i] ? 1 : 0;
                differ += plainPred[i] != ttaPred[i] ? 1 : 0;
            }
            assertTrue(differ > 0, "the mirror changed no prediction: the check would be vacuous");
            assertEquals(plain / (double) n, FashionMnistTask.accuracy(model, data.testImages(), data.testLabels(), 0,
                    n), 1e-12);
            assertEquals(tta / (double) n, FashionMnistTask.accuracy(model, data.testImages(), data.testLabels(), 0,
                    n, true), 1e-12);
        }
    }
}
