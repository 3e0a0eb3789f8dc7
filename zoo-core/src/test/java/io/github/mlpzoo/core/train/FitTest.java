package io.github.mlpzoo.core.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop on y = 2x + 1 learned by one Linear unit: 64 examples, batches of 16, a fraction of a second. */
class FitTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        Engines.get();
    }

    /** Fresh model "line" with an uninitialized Linear(1) block, and its training data. */
    private static Model line() {
        Model model = Model.newInstance("line");
        model.setBlock(Linear.builder().setUnits(1).build());
        return model;
    }

    private static ArrayDataset data(Model model) {
        NDManager m = model.getNDManager();
        float[] xs = new float[64];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -1 + 2f * i / (xs.length - 1);
        }
        NDArray x = m.create(xs).reshape(64, 1);
        return Fit.arrays(x, x.mul(2).add(1));
    }

    private static List<float[]> params(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static void assertSameParams(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }

    @Test
    void learnsALineAndLossGoesDown() throws Exception {
        try (Model model = line()) {
            TrainConfig config = TrainConfig.of(40, 16, 0.1).withSeed(3);
            History h = Fit.of(model, new MseLoss("mse"), config).run(data(model));
            List<History.Epoch> e = h.epochs();
            assertEquals(40, e.size());
            assertTrue(e.get(39).trainLoss() < 1e-3 * e.get(0).trainLoss(), h.toJson());
            assertEquals("train_loss", h.metric());
            Block b = model.getBlock();
            assertEquals(2, b.getParameters().get("weight").getArray().getFloat(0, 0), 1e-2);
            assertEquals(1, b.getParameters().get("bias").getArray().getFloat(0), 1e-2);
        }
    }

    @Test
    void warmupCosineAndClippingRunAndHistoryHoldsTheSchedule() throws Exception {
        try (Model model = line()) {
            TrainConfig config = TrainConfig.of(6, 16, 0.05).withWarmupEpochs(2).withCosine(0.001)
                    .withClipNorm(0.5).withWeightDecay(0.01).withSeed(1);
            History h = Fit.of(model, new MseLoss("mse"), config).run(data(model));
            LearningRateSchedule s = LearningRateSchedule.of(config, 4);
            for (History.Epoch e : h.epochs()) {
                assertEquals(s.valueAt(4 * e.epoch()), e.lr(), 1e-12);
            }
            assertEquals(0.001, h.epochs().get(5).lr(), 1e-12);
            assertTrue(h.epochs().get(5).trainLoss() < h.epochs().get(0).trainLoss(), h.toJson());
        }
    }

    /**
     * A scripted scorer: the metric improves until epoch 2, then gets worse. With patience 3 the loop stops after
     * epoch 5, restores epoch 2's parameters into the model, and leaves exactly epoch 2's checkpoint on disk.
     */
    /**
     * The whole optimizer path (AdamW with decoupled decay, 2 warm-up steps then cosine, global-norm clipping at
     * 0.5) against torch 1.13.1: full-batch steps on 8 fixed points from a fixed start. Reference: torch.optim.AdamW
     * (lr set per step to the closed form of {@link LearningRateSchedule}, weight_decay 0.1), loss
     * 0.5 * mean((xw + b - y)^2), clip_grad_norm_(params, 0.5) before each step; float32.
     */
    @Test
    void matchesTorchAdamWWithClippingAndSchedule() throws Exception {
        double[] torchLoss = {1.15625, 1.0769273042678833, 0.9289863109588623, 0.8123543858528137,
            0.7440718412399292, 0.7165833711624146};
        try (Model model = line()) {
            NDManager m = model.getNDManager();
            float[][] xs = new float[8][];
            for (int i = 0; i < 8; i++) {
                xs[i] = new float[] {i / 7.0f * 2 - 1, ((i * 3) % 8) / 7.0f - 0.5f};
            }
            NDArray x = m.create(xs);
            NDArray y = x.matMul(m.create(new float[][] {{2}, {-3}})).add(1);
            model.getBlock().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(8, 2));
            model.getBlock().getParameters().get("weight").getArray().set(new float[] {0.1f, -0.2f});
            model.getBlock().getParameters().get("bias").getArray().set(new float[] {0.05f});
            TrainConfig config = TrainConfig.of(6, 8, 0.1).withWeightDecay(0.1).withWarmupEpochs(2)
                    .withCosine(0.01).withClipNorm(0.5);
            History h = Fit.of(model, halfMse(), config).run(Fit.arrays(x, y));
            for (int i = 0; i < 6; i++) {
                assertEquals(torchLoss[i], h.epochs().get(i).trainLoss(), 1e-5, "epoch " + (i + 1));
            }
            // the train loss is the metric, and it fell every epoch, so the last epoch is kept
            assertEquals(6, h.bestEpoch());
            assertArrayEquals(new float[] {0.4182835817337036f, -0.5155540108680725f},
                    model.getBlock().getParameters().get("weight").getArray().toFloatArray(), 1e-5f);
            assertEquals(0.36901530623435974f,
                    model.getBlock().getParameters().get("bias").getArray().getFloat(0), 1e-5f);
        }
    }

    /**
     * {@link Fit#ema}: full-batch steps (one per epoch) on 8 points, run twice from the same start. The plain run
     * records the live parameters after each step; from them the average is computed here by its definition
     * (avg += (1 - d_t)(live - avg), d_t = min(0.6, (1 + t)/(10 + t))). The EMA run must train the same live
     * parameters (same losses), show the scorer the average after every epoch, and end with the best epoch's
     * average.
     */
    @Test
    void emaScoresAndKeepsTheAverageWhileTrainingTheLiveParameters() throws Exception {
        double decay = 0.6;
        List<List<float[]>> live = new ArrayList<>();
        List<List<float[]>> averaged = new ArrayList<>();
        List<Double> liveLoss = new ArrayList<>();
        List<Double> emaLoss = new ArrayList<>();
        float[] w0 = {0.1f, -0.2f};
        float[] b0 = {0.05f};
        for (boolean ema : new boolean[] {false, true}) {
            try (Model model = line()) {
                NDManager m = model.getNDManager();
                NDArray x = m.create(new float[][] {{-1, 0.5f}, {-0.5f, -0.2f}, {0, 0.1f}, {0.3f, -0.4f},
                    {0.5f, 0.4f}, {0.7f, -0.1f}, {0.9f, 0.2f}, {1, -0.5f}});
                NDArray y = x.matMul(m.create(new float[][] {{2}, {-3}})).add(1);
                model.getBlock().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(8, 2));
                model.getBlock().getParameters().get("weight").getArray().set(w0);
                model.getBlock().getParameters().get("bias").getArray().set(b0);
                List<List<float[]>> seen = ema ? averaged : live;
                // higher is better and it rises every epoch: the last epoch is the best
                ValidationScorer recorder = mm -> {
                    seen.add(params(mm));
                    return seen.size();
                };
                Fit fit = Fit.of(model, halfMse(), TrainConfig.of(6, 8, 0.1).withWeightDecay(0.1))
                        .validation("epoch", false, recorder);
                History h = (ema ? fit.ema(decay) : fit).run(Fit.arrays(x, y));
                for (History.Epoch e : h.epochs()) {
                    (ema ? emaLoss : liveLoss).add(e.trainLoss());
                }
                if (ema) {
                    assertEquals(6, h.bestEpoch());
                    assertSameParams(averaged.get(5), params(model));
                }
            }
        }
        assertEquals(liveLoss, emaLoss, "the EMA must not change what is trained");
        float[] avgW = w0.clone();
        float[] avgB = b0.clone();
        for (int t = 1; t <= 6; t++) {
            double keep = Math.min(decay, (1.0 + t) / (10.0 + t));
            float[] lw = live.get(t - 1).get(0);
            float[] lb = live.get(t - 1).get(1);
            for (int i = 0; i < 2; i++) {
                avgW[i] += (float) ((1 - keep) * (lw[i] - avgW[i]));
            }
            avgB[0] += (float) ((1 - keep) * (lb[0] - avgB[0]));
            assertArrayEquals(avgW, averaged.get(t - 1).get(0), 1e-6f, "weight average after step " + t);
            assertArrayEquals(avgB, averaged.get(t - 1).get(1), 1e-6f, "bias average after step " + t);
            assertFalse(java.util.Arrays.equals(lw, averaged.get(t - 1).get(0)), "the scorer saw the live weights");
        }
        try (Model model = line()) {
            Fit fit = Fit.of(model, halfMse(), TrainConfig.of(1, 1, 0.1));
            assertThrows(IllegalArgumentException.class, () -> fit.ema(1.0));
            assertThrows(IllegalArgumentException.class, () -> fit.ema(0));
        }
    }

    @Test
    void earlyStoppingRestoresTheBestEpochAndKeepsItsCheckpoint() throws Exception {
        double[] script = {5, 3, 4, 4.5, 6, 7, 8, 9};
        List<List<float[]>> seen = new ArrayList<>();
        Path dir = tmp.resolve("ckpt");
        try (Model model = line()) {
            ValidationScorer scripted = m -> {
                seen.add(params(m));
                return script[seen.size() - 1];
            };
            History h = Fit.of(model, new MseLoss("mse"), TrainConfig.of(8, 16, 0.05).withPatience(3))
                    .validation("scripted", true, scripted).checkpointDir(dir).run(data(model));
            assertEquals(5, h.epochs().size(), h.toJson());
            assertEquals(2, h.bestEpoch());
            assertEquals(3.0, h.epochs().get(1).valMetric());
            List<float[]> now = params(model);
            assertSameParams(seen.get(1), now);
            assertFalse(java.util.Arrays.equals(seen.get(4).get(0), now.get(0)), "model left at the last epoch");

            // exactly one complete file, of epoch 2, and no temporary leftovers
            List<String> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            }
            assertEquals(List.of("line-0002.params"), files);
            try (Model loaded = line()) {
                loaded.load(dir, "line");
                assertSameParams(seen.get(1), params(loaded));
                assertEquals("2", loaded.getProperty("Epoch"));
            }
        }
    }

    /** An L2 loss that turns NaN after {@code fine} evaluations, as a diverging run's would. */
    /** 0.5 · mean((p − y)²), the reference's loss (DJL's L2Loss, but with a scalar autograd may keep). */
    private static Loss halfMse() {
        MseLoss mse = new MseLoss("mse");
        return new Loss("half-mse") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                return io.github.mlpzoo.core.ops.Scalars.mul(mse.evaluate(labels, predictions), 0.5);
            }
        };
    }

    private static Loss nanAfter(int fine) {
        return nanAfter(fine, new int[1]);
    }

    /** An L2 loss that turns NaN after {@code fine} calls; {@code calls[0]} counts the calls. */
    private static Loss nanAfter(int fine, int[] calls) {
        Loss l2 = new MseLoss("mse");
        return new Loss("nan-after") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                NDArray loss = l2.evaluate(labels, predictions);
                return ++calls[0] > fine ? loss.mul(Float.NaN) : loss;
            }
        };
    }

    @Test
    void divergedTrainingStopsAndRestoresTheBestEpoch() throws Exception {
        try (Model model = line()) {
            List<List<float[]>> seen = new ArrayList<>();
            ValidationScorer scorer = m -> {
                seen.add(params(m));
                return 10.0 - seen.size();   // every finite epoch improves
            };
            // 4 batches per epoch: epochs 1-2 are finite, epoch 3's first batch is NaN
            int[] calls = {0};
            History h = Fit.of(model, nanAfter(8, calls), TrainConfig.of(6, 16, 0.05))
                    .validation("scripted", true, scorer).run(data(model));
            assertEquals(9, calls[0], "the epoch ends at its first non-finite batch");
            assertEquals(2, h.epochs().size(), h.toJson());
            assertEquals(2, h.bestEpoch());
            assertSameParams(seen.get(1), params(model));
        }
        try (Model model = line()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Fit.of(model, nanAfter(0), TrainConfig.of(3, 16, 0.05)).run(data(model)));
            assertTrue(e.getMessage().contains("training loss at epoch 1 is not finite"), e.getMessage());
        }
    }

    @Test
    void higherIsBetterKeepsTheMaximum() throws Exception {
        double[] script = {0.6, 0.9, 0.7, 0.8};
        int[] calls = {0};
        try (Model model = line()) {
            History h = Fit.of(model, new MseLoss("mse"), TrainConfig.of(4, 16, 0.05))
                    .validation("auc", false, m -> script[calls[0]++]).run(data(model));
            assertEquals(4, h.epochs().size());
            assertEquals(2, h.bestEpoch());
        }
    }

    @Test
    void historyJsonRoundTrips() throws Exception {
        try (Model model = line()) {
            History h = Fit.of(model, new MseLoss("mse"), TrainConfig.of(3, 16, 0.05)).run(data(model));
            Path file = tmp.resolve("history.json");
            h.save(file);
            History back = History.load(file);
            assertEquals(h.metric(), back.metric());
            assertEquals(h.bestEpoch(), back.bestEpoch());
            assertEquals(h.epochs(), back.epochs());
            assertEquals(h.toJson(), back.toJson());
        }
    }

    @Test
    void oneSeedGivesOneRun() throws Exception {
        List<List<float[]>> runs = new ArrayList<>();
        List<List<History.Epoch>> losses = new ArrayList<>();
        for (long seed : new long[] {11, 11, 12}) {
            try (Model model = line()) {
                History h = Fit.of(model, new MseLoss("mse"), TrainConfig.of(3, 16, 0.05).withSeed(seed)).run(data(model));
                runs.add(params(model));
                losses.add(h.epochs());
            }
        }
        assertSameParams(runs.get(0), runs.get(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(losses.get(0).get(i).trainLoss(), losses.get(1).get(i).trainLoss());
        }
        assertFalse(java.util.Arrays.equals(runs.get(0).get(0), runs.get(2).get(0)), "another seed, another run");
    }

    /** The model's manager (trainer, batches and checkpoint copies included) holds as many arrays each epoch. */
    @Test
    void nativeArraysDoNotGrowAcrossEpochs() throws Exception {
        List<Integer> counts = new ArrayList<>();
        try (Model model = line()) {
            ArrayDataset train = data(model);
            NDArray xVal = model.getNDManager().create(new float[] {0.5f}).reshape(1, 1);
            ValidationScorer scorer = m -> {
                counts.add(m.getNDManager().getManagedArrays().size());
                try (NDManager sub = m.getNDManager().newSubManager()) {
                    sub.tempAttachAll(xVal); // results of ops on xVal go to sub, xVal goes back at close
                    NDArray pred = m.getBlock().forward(new ParameterStore(sub, false), new NDList(xVal), false)
                            .singletonOrThrow();
                    return Math.abs(pred.getFloat(0, 0) - 2f);
                }
            };
            Fit.of(model, new MseLoss("mse"), TrainConfig.of(8, 16, 0.05).withClipNorm(1))
                    .validation("err", true, scorer).checkpointDir(tmp.resolve("mem")).run(train);
        }
        assertEquals(8, counts.size());
        for (int i = 2; i < counts.size(); i++) {
            assertEquals(counts.get(1), counts.get(i), "managed arrays per epoch: " + counts);
        }
    }

    /** The restored arrays still train: a second run on the same model starts from the first run's best. */
    @Test
    void aSecondRunFineTunesTheRestoredModel() throws Exception {
        try (Model model = line()) {
            ArrayDataset train = data(model);
            History first = Fit.of(model, new MseLoss("mse"), TrainConfig.of(5, 16, 0.05)).run(train);
            History second = Fit.of(model, new MseLoss("mse"), TrainConfig.of(5, 16, 0.05).withSeed(1)).run(train);
            double bestFirst = first.epochs().get(first.bestEpoch() - 1).trainLoss();
            assertTrue(second.epochs().get(4).trainLoss() < bestFirst, first.toJson() + second.toJson());
        }
    }

    /** A scorer that forwards in the model's own manager leaves arrays behind every epoch; Fit notices. */
    @Test
    void aLeakyScorerIsNoticed() throws Exception {
        try (Model model = line()) {
            NDArray xVal = model.getNDManager().create(new float[] {0.5f}).reshape(1, 1);
            ValidationScorer leaky = m -> {
                try (NDManager sub = m.getNDManager().newSubManager()) {
                    NDArray pred = m.getBlock().forward(new ParameterStore(sub, false), new NDList(xVal), false)
                            .singletonOrThrow();
                    return pred.getFloat(0, 0);
                }
            };
            Fit fit = Fit.of(model, new MseLoss("mse"), TrainConfig.of(2, 16, 0.05)).validation("p", true, leaky);
            fit.run(data(model));
            assertEquals(1, fit.leakedByScorer());
        }
    }

    @Test
    void nonFiniteScoreStopsWithAClearError() {
        try (Model model = line()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Fit.of(model, new MseLoss("mse"), TrainConfig.of(2, 16, 0.05))
                            .validation("rmse", true, m -> Double.NaN).run(data(model)));
            assertTrue(e.getMessage().contains("validation rmse at epoch 1 is not finite"), e.getMessage());
        }
    }

    @Test
    void arraysChecksTheExampleAxis() {
        try (NDManager m = Engines.get().newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Fit.arrays(m.zeros(new Shape(4, 2)), m.zeros(new Shape(3, 1))));
            assertTrue(e.getMessage().contains("(4, 2) and (3, 1)"), e.getMessage());
        }
    }
}
