package io.github.mlpzoo.timeseries.patchtsmixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.mixer.AxisMixerBlock;
import io.github.mlpzoo.core.nn.scale.SeriesScaler;
import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.core.testkit.TestParams;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerConfig.Mode;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

class PatchTSMixerTest {

    private static PatchTSMixerConfig tiny(Mode mode, AxisMixerBlock.Norm norm) {
        return new PatchTSMixerConfig(16, 4, 4, 2, 4, 2, 1, 0.1f, 0.1f, mode, true, norm, SeriesScaler.STD, 3);
    }

    @Test
    void passesTheBlockContract() {
        BlockContract.of(() -> new PatchTSMixer(tiny(Mode.COMMON_CHANNEL, AxisMixerBlock.Norm.LAYER)),
                new Shape(2, 16, 2)).named("PatchTSMixer common_channel").check();
        BlockContract.of(() -> new PatchTSMixer(tiny(Mode.MIX_CHANNEL, AxisMixerBlock.Norm.BATCH)),
                new Shape(2, 16, 2)).named("PatchTSMixer mix_channel BatchNorm").check();
    }

    @Test
    void registeredVariantsPassTheContract() {
        BlockContract.ofVariant("patchtsmixer", Map.of()).check();
        BlockContract.ofVariant("patchtsmixer_mix_channel", Map.of("channels", "2")).check();
    }

    /** The counts of HF's {@code PatchTSMixerForPrediction}, from {@code sum(p.numel())} under torch 1.13.1. */
    @Test
    void parameterCountsEqualHfs() {
        PatchTSMixerConfig d = PatchTSMixerConfig.hfDefault();
        assertCount(2040, d);
        assertCount(2259, with(d, Mode.MIX_CHANNEL, 3, d.gatedAttn(), d.norm()));
        assertCount(1764, with(d, d.mode(), 1, false, AxisMixerBlock.Norm.BATCH));
        assertCount(432_096, PatchTSMixerConfig.etth1());
        assertCount(196_144, PatchTSMixerConfig.released());
    }

    private static PatchTSMixerConfig with(PatchTSMixerConfig d, Mode mode, int channels, boolean gated,
            AxisMixerBlock.Norm norm) {
        return new PatchTSMixerConfig(d.contextLength(), d.patchLength(), d.patchStride(), channels, d.dModel(),
                d.expansion(), d.layers(), d.dropout(), d.headDropout(), mode, gated, norm, d.scaling(),
                d.predictionLength());
    }

    private static void assertCount(long expected, PatchTSMixerConfig c) {
        assertEquals(expected, c.parameterCount(), c.toString());
        try (NDManager m = Engines.get().newBaseManager()) {
            PatchTSMixer model = new PatchTSMixer(c);
            model.initialize(m, DataType.FLOAT32, new Shape(1, c.contextLength(), c.channels()));
            long n = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    n += p.getValue().getArray().size();
                }
            }
            assertEquals(expected, n, c.toString());
        }
    }

    /** Every HF key of a mix_channel BatchNorm model maps onto a distinct parameter of ours. */
    @Test
    void keyMapCoversEveryParameter() {
        PatchTSMixerConfig c = tiny(Mode.MIX_CHANNEL, AxisMixerBlock.Norm.BATCH);
        KeyMap map = PatchTSMixerKeyMap.of(c);
        String l = "model.encoder.mlp_mixer_encoder.mixers.0.";
        Set<String> mapped = new HashSet<>();
        for (String mixer : new String[] {"channel_feature_mixer", "patch_mixer", "feature_mixer"}) {
            for (String k : new String[] {"norm.norm.batchnorm.weight", "norm.norm.batchnorm.bias",
                    "norm.norm.batchnorm.running_mean", "norm.norm.batchnorm.running_var", "mlp.fc1.weight",
                    "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias", "gating_block.attn_layer.weight",
                    "gating_block.attn_layer.bias"}) {
                mapped.add(map.map(l + mixer + "." + k));
            }
        }
        for (String k : new String[] {"model.encoder.patcher.weight", "model.encoder.patcher.bias",
                "head.base_forecast_block.weight", "head.base_forecast_block.bias"}) {
            mapped.add(map.map(k));
        }
        try (NDManager m = Engines.get().newBaseManager()) {
            PatchTSMixer model = new PatchTSMixer(c);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 16, 2));
            assertEquals(new HashSet<>(model.getParameters().keys()), mapped);
        }
    }

    @Test
    void badInputsGiveClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PatchTSMixerConfig(30, 8, 8, 7, 8, 2, 1, 0f, 0f, Mode.COMMON_CHANNEL, true,
                        AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 4));
        assertTrue(e.getMessage().contains("context length 30 does not divide into patches"), e.getMessage());
        try (NDManager m = Engines.get().newBaseManager()) {
            PatchTSMixer model = new PatchTSMixer(tiny(Mode.COMMON_CHANNEL, AxisMixerBlock.Norm.LAYER));
            model.initialize(m, DataType.FLOAT32, new Shape(1, 16, 2));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray wrongChannels = m.randomNormal(new Shape(1, 16, 3));
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(ps, new NDList(wrongChannels), false));
            assertTrue(e.getMessage().contains("axis 2 must be 2"), e.getMessage());
            NDArray withNan = m.randomNormal(new Shape(1, 16, 2));
            withNan.set(new ai.djl.ndarray.index.NDIndex("0, 3, 1"), Float.NaN);
            e = assertThrows(IllegalArgumentException.class, () -> model.forward(ps, new NDList(withNan), false));
            assertTrue(e.getMessage().contains("without NaN; got 1 NaN"), e.getMessage());
            assertNotNull(model.forward(ps, new NDList(m.randomNormal(new Shape(1, 16, 2))), false));
        }
    }
    @Test
    void reconciliationHeadsPassTheContract() {
        BlockContract.of(() -> new PatchTSMixer(tiny(Mode.COMMON_CHANNEL, AxisMixerBlock.Norm.LAYER)
                .withReconciliation(1, false)), new Shape(2, 16, 2)).named("PatchTSMixer + cross-channel head")
                .check();
        PatchTSMixerConfig hier = new PatchTSMixerConfig(16, 4, 4, 2, 4, 2, 1, 0.1f, 0.1f, Mode.COMMON_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 8, 2, true);
        BlockContract.of(() -> new PatchTSMixer(hier), new Shape(2, 16, 2)).named("PatchTSMixer + both heads")
                .check();
    }

    /**
     * The heads' counts on the ETTh1 config: cross-channel with w = 1 on 7 channels, k = 21: 21² + 21 + 21·7 + 7 = 616;
     * hierarchical with N·d = 64·48 = 3072, H = 96, P = 8: 3072·12 + 12 + 108·96 + 96 = 47,340.
     */
    @Test
    void reconciliationHeadParameterCounts() {
        PatchTSMixerConfig e = PatchTSMixerConfig.etth1();
        assertCount(432_096 + 616, e.withReconciliation(1, false));
        assertCount(432_096 + 47_340, e.withReconciliation(0, true));
        assertCount(432_096 + 616 + 47_340, e.withReconciliation(1, true));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new PatchTSMixerConfig(16, 4, 4, 2, 4, 2, 1, 0f, 0f, Mode.COMMON_CHANNEL, true,
                        AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 6, 0, true));
        assertTrue(x.getMessage().contains("multiple of patchLength"), x.getMessage());
    }

    /** The hierarchical loss: forecast error + aggregate error + consistency, on hand-computed values. */
    @Test
    void hierarchicalLossAddsTheAggregateTerms() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray y = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 4, 1));
            NDArray yHat = m.create(new float[] {1, 2, 3, 6}, new Shape(1, 4, 1)); // error 2 at the last step
            NDArray h = m.create(new float[] {3, 8}, new Shape(1, 2, 1));          // agg(y) = [3, 7], agg(ŷ) = [3, 9]
            HierarchicalLoss loss = new HierarchicalLoss();
            assertEquals(1.0f, loss.evaluate(new NDList(y), new NDList(yHat)).getFloat(), 1e-6f);
            // 4/4 + (0 + 1)/2 + (0 + 1)/2
            assertEquals(2.0f, loss.evaluate(new NDList(y), new NDList(yHat, h)).getFloat(), 1e-6f);
        }
    }

    /** Parameters saved by a PatchTSMixer of another configuration are refused before any is read, naming both. */
    @Test
    void parametersOfAnotherConfigurationAreRefused() {
        try (NDManager m = Engines.get().newBaseManager()) {
            PatchTSMixer saved = new PatchTSMixer(tiny(Mode.COMMON_CHANNEL, AxisMixerBlock.Norm.LAYER));
            saved.initialize(m, DataType.FLOAT32, new Shape(2, 16, 2));
            byte[] bytes = TestParams.save(saved);
            PatchTSMixer other = new PatchTSMixer(tiny(Mode.MIX_CHANNEL, AxisMixerBlock.Norm.LAYER));
            MalformedModelException e = assertThrows(MalformedModelException.class,
                    () -> TestParams.load(other, m, bytes));
            assertTrue(e.getMessage().startsWith("PatchTSMixer parameters were saved for "), e.getMessage());
            assertTrue(e.getMessage().contains("COMMON_CHANNEL") && e.getMessage().contains("MIX_CHANNEL"),
                    e.getMessage());
        }
    }
}
