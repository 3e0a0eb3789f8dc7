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
        }
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
}
