package io.github.mlpzoo.timeseries.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mlpzoo.timeseries.data.Ett.Part;

import org.junit.jupiter.api.Test;

import java.io.IOException;

class EttTest {

    /** The window counts of the addendum (8,033 / 2,785 / 2,785 for context 512, horizon 96). */
    @Test
    void etth1SplitHasTheStandardWindowCounts() throws IOException {
        Ett e = Ett.loadEmbedded("ETTh1.csv");
        assertEquals(8033, e.windows(Part.TRAIN, 512, 96));
        assertEquals(2785, e.windows(Part.VAL, 512, 96));
        assertEquals(2785, e.windows(Part.TEST, 512, 96));
        assertEquals(11520 - 512, e.start(Part.TEST, 512));
        // the first OT value, 30.531, standardized with the training statistics
        float[] x = new float[512 * 7];
        float[] y = new float[96 * 7];
        e.window(Part.TRAIN, 0, 512, 96, x, 0, y, 0);
        assertEquals((30.5310001373291 - e.mean(6)) / e.std(6), x[6], 1e-5);
    }

    /** etth2 is a registered task on the same split of the second station's file. */
    @Test
    void etth2IsATaskOnTheSameSplit() throws IOException {
        assertTrue(io.github.mlpzoo.core.train.Tasks.list().stream().anyMatch(t -> t.dataset().equals("etth2")));
        Ett e = Ett.loadEmbedded("ETTh2.csv");
        assertEquals(8033, e.windows(Part.TRAIN, 512, 96));
        assertEquals(2785, e.windows(Part.TEST, 512, 96));
    }

    /**
     * {@code zoo train patchtsmixer_pretrain --dataset etth1}: masked-patch pretraining on the training months; one
     * epoch of a small backbone (at the protocol's lr 1e-4, decayed to 0 within it) lowers the masked error.
     */
    @Test
    void pretrainingRunsOnEtth1AndLowersTheMaskedError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        io.github.mlpzoo.core.zoo.Variant<?> v = io.github.mlpzoo.core.zoo.Zoo.variant("patchtsmixer_pretrain");
        EttTask task = new EttTask();
        assertTrue(task.supports(v));
        java.util.Map<String, String> small = java.util.Map.of("contextLength", "64", "dModel", "8", "layers", "1",
                "dropout", "0", "headDropout", "0");
        io.github.mlpzoo.core.train.Report r = task.train(v, small,
                new io.github.mlpzoo.core.train.TrainOptions(null, 1, 0, dir, false));
        assertEquals("masked_mse", r.metric());
        Ett e = Ett.loadEmbedded("ETTh1.csv");
        try (ai.djl.Model untrained = io.github.mlpzoo.core.zoo.Zoo.newModel(v.name(),
                EttTask.pretrainingBackbone(small), 0)) {
            double before = EttTask.maskedError(untrained, e, Part.TEST, 64, 0);
            assertTrue(r.value() < 0.99 * before, "masked MSE " + before + " -> " + r.value()); // lr 1e-4, 1 epoch
        }
        assertTrue(java.nio.file.Files.exists(dir.resolve("report.json")));
    }
}
