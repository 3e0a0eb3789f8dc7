package io.github.mlpzoo.timeseries.patchtsmixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.mixer.AxisMixerBlock;
import io.github.mlpzoo.core.nn.patch.PatchMasking;
import io.github.mlpzoo.core.nn.scale.SeriesScaler;
import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerConfig.Mode;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerConfig.PositionalEncoding;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerHeadConfig.HeadAggregation;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** HF's pretraining, classification and regression models, self-attention and positional encoding. */
class PatchTSMixerHeadsTest {

    private static PatchTSMixerConfig tiny(Mode mode, AxisMixerBlock.Norm norm, SeriesScaler scaling) {
        return new PatchTSMixerConfig(16, 4, 4, 2, 4, 2, 1, 0.1f, 0.1f, mode, true, norm, scaling, 3)
                .withAttention(true, 2, PositionalEncoding.RANDOM);
    }

    private static PatchMasking forecastMask(int... k) {
        return new PatchMasking(PatchMasking.Type.FORECAST, 0.5f, k, false, new int[0], 0f);
    }

    @Test
    void headsPassTheBlockContract() {
        BlockContract.of(() -> new PatchTSMixerForPretraining(new PatchTSMixerPretrainConfig(
                tiny(Mode.COMMON_CHANNEL, AxisMixerBlock.Norm.LAYER, SeriesScaler.STD), forecastMask(1), true)),
                new Shape(2, 16, 2)).named("pretraining").check();
        BlockContract.of(() -> new PatchTSMixerForTargets(new PatchTSMixerHeadConfig(
                tiny(Mode.MIX_CHANNEL, AxisMixerBlock.Norm.BATCH, SeriesScaler.MEAN), 3, HeadAggregation.NONE,
                new float[0])), new Shape(2, 16, 2)).named("classification").check();
        BlockContract.of(() -> new PatchTSMixerForTargets(new PatchTSMixerHeadConfig(
                tiny(Mode.COMMON_CHANNEL, AxisMixerBlock.Norm.LAYER, SeriesScaler.NONE)
                        .withAttention(false, 1, PositionalEncoding.SINCOS), 1, HeadAggregation.USE_LAST,
                new float[] {0f, 2f})), new Shape(2, 16, 2)).named("regression").check();
    }

    @Test
    void registeredHeadVariantsPassTheContract() {
        Map<String, String> tiny = Map.of("contextLength", "16", "patchLength", "4", "patchStride", "4");
        BlockContract.ofVariant("patchtsmixer_classification", tiny).check();
        BlockContract.ofVariant("patchtsmixer_regression", tiny).check();
        // HF's default random masking draws in evaluation too, so two equal-seeded models differ: no SEED check
        BlockContract.ofVariant("patchtsmixer_pretrain", tiny)
                .skip(BlockContract.Check.SAVE_LOAD, BlockContract.Check.SEED).check();
    }

    /** Trainable counts of HF's models ({@code sum(p.numel())} of parameters with {@code requires_grad}, torch 1.13.1). */
    @Test
    void parameterCountsEqualHfs() {
        assertEquals(1584, counted(PatchTSMixerPretrainConfig.hfDefault().parameterCount(),
                new PatchTSMixerForPretraining(PatchTSMixerPretrainConfig.hfDefault()), 32, 1));
        assertEquals(1873, counted(PatchTSMixerHeadConfig.hfDefault().parameterCount(),
                new PatchTSMixerForTargets(PatchTSMixerHeadConfig.hfDefault()), 32, 1));
        PatchTSMixerConfig e = PatchTSMixerConfig.etth1();
        PatchTSMixerPretrainConfig pre = new PatchTSMixerPretrainConfig(e,
                PatchTSMixerPretrainConfig.hfDefault().masking(), true);
        assertEquals(137_480, counted(pre.parameterCount(), new PatchTSMixerForPretraining(pre), 512, 7));
        PatchTSMixerConfig attn = e.withAttention(true, 4, PositionalEncoding.RANDOM);
        assertEquals(463_680, counted(attn.parameterCount(), new PatchTSMixer(attn), 512, 7));
        PatchTSMixerHeadConfig cls = new PatchTSMixerHeadConfig(e, 5, HeadAggregation.NONE, new float[0]);
        assertEquals(254_187, counted(cls.parameterCount(), new PatchTSMixerForTargets(cls), 512, 7));
        PatchTSMixerConfig mix = new PatchTSMixerConfig(512, 8, 8, 7, 48, 3, 3, 0.5f, 0.7f, Mode.MIX_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 96);
        PatchTSMixerHeadConfig reg = new PatchTSMixerHeadConfig(mix, 1, HeadAggregation.MAX_POOL, new float[0]);
        assertEquals(148_421, counted(reg.parameterCount(), new PatchTSMixerForTargets(reg), 512, 7));
    }

    /** The built model's trainable count ({@link ModelProfile#params()}), asserted equal to the config's formula. */
    private static long counted(long formula, Block model, int t, int c) {
        long n = ModelProfile.of(model, new Shape(1, t, c)).params();
        assertEquals(formula, n, model.toString());
        return n;
    }

    @Test
    void randomMaskingMasksTheStatedShareOfEveryRow() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray patches = m.randomNormal(new Shape(5, 3, 10, 4)).add(10f);
            PatchMasking independent = new PatchMasking(PatchMasking.Type.RANDOM, 0.35f, new int[0], false,
                    new int[] {2}, -1f);
            NDList out = independent.apply(patches);
            NDArray mask = out.get(1);
            float[] perRow = mask.sum(new int[] {2}).toFloatArray(); // (5, 3)
            for (int b = 0; b < 5; b++) {
                assertEquals(10 - 6, perRow[b * 3], "sample " + b + ": N - floor(N (1 - r)) = 10 - 6 masked");
                assertEquals(4, perRow[b * 3 + 1]);
                assertEquals(0, perRow[b * 3 + 2], "channel 2 is never masked");
            }
            NDArray m4 = mask.expandDims(3);
            assertEquals(0f, out.get(0).sub(patches).mul(m4.neg().add(1f)).abs().max().getFloat(), "unmasked kept");
            assertEquals(-1f, out.get(0).mul(m4).sum().getFloat() / m4.sum().getFloat() / 4, 1e-6f, "mask value");
            assertTrue(mask.get(":, 0, :").sub(mask.get(":, 1, :")).abs().sum().getFloat() > 0,
                    "independent masks differ between channels");
            PatchMasking consistent = new PatchMasking(PatchMasking.Type.RANDOM, 0.5f, new int[0], true, new int[0],
                    0f);
            NDArray c = consistent.apply(patches).get(1);
            assertEquals(0f, c.get(":, 0, :").sub(c.get(":, 2, :")).abs().sum().getFloat(), "consistent masks");
        }
    }

    @Test
    void forecastMaskingMasksTheLastPatchesInEqualShares() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray patches = m.ones(new Shape(7, 2, 6, 3));
            NDArray mask = forecastMask(2, 3).apply(patches).get(1);
            float[] counts = mask.get(":, 0, :").sum(new int[] {1}).toFloatArray();
            int twos = 0;
            int threes = 0;
            for (float k : counts) {
                twos += k == 2f ? 1 : 0;
                threes += k == 3f ? 1 : 0;
            }
            assertEquals(4, twos, "7 samples, 2 shares of 3, the remainder to the first K listed");
            assertEquals(3, threes);
            assertEquals(mask.get(":, :, -1").sum().getFloat(), 14f, "the last patch is always masked");
            assertEquals(mask.get(":, :, 0:3").sum().getFloat(), 0f, "the first patches never");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PatchTSMixerPretrainConfig(PatchTSMixerConfig.hfDefault(), forecastMask(4), true));
        assertTrue(e.getMessage().contains("must be in [1, 4)"), e.getMessage());
    }

    @Test
    void maskedLossCountsMaskedPatchesOnly() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray target = m.zeros(new Shape(1, 1, 2, 2));
            NDArray reconstruction = m.create(new float[] {1, 1, 3, 3}, new Shape(1, 1, 2, 2));
            NDArray mask = m.create(new float[] {0, 1}, new Shape(1, 1, 2));
            NDList p = new NDList(reconstruction, target, mask);
            assertEquals(9f, new MaskedPatchLoss(true).evaluate(null, p).getFloat(), 1e-5f);
            assertEquals(5f, new MaskedPatchLoss(false).evaluate(null, p).getFloat(), 1e-5f);
        }
    }

    /** Pretraining lowers the masked loss, and the pretrained backbone carries over to a forecaster. */
    @Test
    void pretrainingLearnsAndItsBackboneTransfers() {
        PatchTSMixerConfig c = new PatchTSMixerConfig(32, 4, 4, 2, 8, 2, 1, 0f, 0f, Mode.COMMON_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 4);
        PatchTSMixerPretrainConfig pc = new PatchTSMixerPretrainConfig(c, forecastMask(2), true);
        PatchTSMixerForPretraining pre = new PatchTSMixerForPretraining(pc);
        try (Model model = Model.newInstance("pretrain", Engines.get().getEngineName())) {
            model.setBlock(pre);
            NDManager m = model.getNDManager();
            NDArray t = m.arange(0f, 32f).reshape(1, 32, 1);
            NDArray x = t.mul(0.7f).sin().concat(t.mul(0.3f).cos(), 2).repeat(0, 8); // (8, 32, 2): smooth, learnable
            DefaultTrainingConfig tc = new DefaultTrainingConfig(pre.loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build());
            float first;
            float last = Float.NaN;
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(8, 32, 2));
                first = lossOf(trainer, x);
                for (int i = 0; i < 60; i++) {
                    last = lossOf(trainer, x);
                }
            }
            assertTrue(last < 0.3f * first, "masked loss " + first + " -> " + last);
            PatchTSMixer forecaster = new PatchTSMixer(c);
            forecaster.initialize(m, DataType.FLOAT32, new Shape(1, 32, 2));
            int copied = pre.copyBackboneTo(forecaster);
            assertEquals(2 + 2 * 8, copied, "patcher weight and bias + 8 arrays in each of the two mixers");
            float[] a = pre.getParameters().get("01model_02patcher_weight").getArray().toFloatArray();
            assertArrayEquals(a, forecaster.getParameters().get("01model_02patcher_weight").getArray().toFloatArray());
            PatchTSMixer moreChannels = new PatchTSMixer(c.withChannels(3)); // common_channel: shared weights
            moreChannels.initialize(m, DataType.FLOAT32, new Shape(1, 32, 3));
            assertEquals(18, pre.copyBackboneTo(moreChannels));
            PatchTSMixer withAttention = new PatchTSMixer(c.withAttention(true, 2, PositionalEncoding.NONE));
            withAttention.initialize(m, DataType.FLOAT32, new Shape(1, 32, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pre.copyBackboneTo(withAttention));
            assertTrue(e.getMessage().contains("which the pretrained backbone lacks"), e.getMessage());
            PatchTSMixer wider = new PatchTSMixer(new PatchTSMixerConfig(32, 4, 4, 2, 16, 2, 1, 0f, 0f,
                    Mode.COMMON_CHANNEL, true, AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 4));
            wider.initialize(m, DataType.FLOAT32, new Shape(1, 32, 2));
            e = assertThrows(IllegalArgumentException.class, () -> pre.copyBackboneTo(wider));
            assertTrue(e.getMessage().contains("same backbone config"), e.getMessage());
        }
    }

    private static float lossOf(Trainer trainer, NDArray x) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(x));
            NDArray loss = trainer.getLoss().evaluate(null, out);
            gc.backward(loss);
            trainer.step();
            return loss.getFloat();
        }
    }

    @Test
    void nestedConfigKeysReachTheBackbone() {
        PatchTSMixerHeadConfig c = (PatchTSMixerHeadConfig) Zoo.variant("patchtsmixer_classification")
                .config(Map.of("dModel", "16", "numTargets", "5", "selfAttention", "true", "selfAttentionHeads", "4"));
        assertEquals(16, c.model().dModel());
        assertEquals(5, c.numTargets());
        assertTrue(c.model().selfAttention());
        PatchTSMixerPretrainConfig p = (PatchTSMixerPretrainConfig) Zoo.variant("patchtsmixer_pretrain")
                .config(Map.of("randomMaskRatio", "0.25", "channels", "2"));
        assertEquals(0.25f, p.masking().randomMaskRatio());
        assertEquals(2, p.model().channels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.variant("patchtsmixer_regression").config(Map.of("dmodel", "16")));
        assertTrue(e.getMessage().contains("unknown config key 'dmodel'") && e.getMessage().contains("dModel"),
                e.getMessage());
    }

    @Test
    void badConfigsGiveClearErrors() {
        PatchTSMixerConfig d = PatchTSMixerConfig.hfDefault();
        assertMessage(() -> d.withAttention(true, 3, PositionalEncoding.NONE), "selfAttentionHeads must be >= 1 and "
                + "divide dModel 8; got 3");
        assertMessage(() -> new PatchTSMixerConfig(32, 8, 8, 1, 7, 2, 1, 0f, 0f, Mode.COMMON_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 4).withAttention(false, 1, PositionalEncoding.SINCOS),
                "SINCOS positional encoding needs an even dModel; got 7");
        assertMessage(() -> new PatchTSMixerHeadConfig(d, 2, HeadAggregation.MAX_POOL, new float[] {3f, 1f}),
                "outputRange must be empty or two finite numbers lo < hi; got [3.0, 1.0]");
        assertMessage(() -> new PatchTSMixerHeadConfig(d, 0, HeadAggregation.MAX_POOL, null), "numTargets must be >= 1");
        assertMessage(() -> new PatchMasking(PatchMasking.Type.RANDOM, 1f, null, true, null, 0f),
                "randomMaskRatio must be in [0, 1); got 1.0");
        assertMessage(() -> new PatchTSMixerPretrainConfig(d, new PatchMasking(PatchMasking.Type.RANDOM, 0.5f, null,
                true, new int[] {1}, 0f), true), "unmasked channel index 1 is out of range for 1 channels");
        try (NDManager m = Engines.get().newBaseManager()) {
            PatchTSMixerForTargets model = new PatchTSMixerForTargets(PatchTSMixerHeadConfig.hfDefault());
            model.initialize(m, DataType.FLOAT32, new Shape(1, 32, 1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray wrong = m.randomNormal(new Shape(2, 31, 1));
            assertMessage(() -> model.forward(ps, new NDList(wrong), false), "axis 1 must be 32");
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
