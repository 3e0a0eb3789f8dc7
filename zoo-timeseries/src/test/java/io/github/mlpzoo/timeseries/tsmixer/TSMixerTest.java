package io.github.mlpzoo.timeseries.tsmixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.core.testkit.TestParams;

import org.junit.jupiter.api.Test;

import java.util.Map;

class TSMixerTest {

    private static TSMixerConfig tiny(TSMixerConfig.Norm norm, boolean revIn) {
        return new TSMixerConfig(12, 3, 4, 2, 8, 0.1f, norm, revIn);
    }

    @Test
    void passesTheBlockContract() {
        BlockContract.of(() -> new TSMixer(tiny(TSMixerConfig.Norm.BATCH, true)), new Shape(4, 12, 3))
                .named("TSMixer BatchNorm RevIN").check();
        BlockContract.of(() -> new TSMixer(tiny(TSMixerConfig.Norm.LAYER, false)), new Shape(4, 12, 3))
                .named("TSMixer LayerNorm").check();
    }

    @Test
    void registeredVariantsPassTheContract() {
        BlockContract.ofVariant("tsmixer", Map.of("contextLength", "24", "ffDim", "16")).check();
    }

    /**
     * The counts of the official Keras models, worked out from their layer shapes: per block two norms with γ, β of
     * shape (L, C), Dense(L→L), Dense(C→ff), Dense(ff→C); the head Dense(L→H); RevIN's two (C) vectors.
     */
    @Test
    void parameterCountsEqualTheKerasModels() {
        // 2 × (4·512·7 + 512·512+512 + 7·2048+2048 + 2048·7+7) + 512·96+96 + 14
        assertCount(664_700, TSMixerConfig.etth1());
        // 2 × (4·336·7 + 336·336+336 + 16,384 + 14,343) + 336·96+96 + 14
        assertCount(339_100, TSMixerConfig.runDefaults());
        assertCount(339_086, new TSMixerConfig(336, 7, 96, 2, 2048, 0.05f, TSMixerConfig.Norm.LAYER, false));
    }

    private static void assertCount(long expected, TSMixerConfig c) {
        assertEquals(expected, c.parameterCount(), c.toString());
        try (NDManager m = Engines.get().newBaseManager()) {
            TSMixer model = new TSMixer(c);
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

    /** With RevIN the forecast follows any per-channel affine change of the input: f(a·x + c) = a·f(x) + c. */
    @Test
    void revInMakesTheForecastScaleAndShiftEquivariant() {
        try (NDManager m = Engines.get().newBaseManager()) {
            TSMixer model = new TSMixer(tiny(TSMixerConfig.Norm.BATCH, true));
            model.initialize(m, DataType.FLOAT32, new Shape(2, 12, 3));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 12, 3));
            NDArray a = m.create(new float[] {3f, 0.5f, 20f}, new Shape(1, 1, 3));
            NDArray c = m.create(new float[] {-7f, 100f, 0.25f}, new Shape(1, 1, 3));
            NDArray y = model.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray y2 = model.forward(ps, new NDList(x.mul(a).add(c)), false).singletonOrThrow();
            float err = y2.sub(y.mul(a).add(c)).abs().div(a).max().getFloat();
            assertTrue(err < 1e-3f, "max error / scale " + err);
            // without RevIN the same change moves the forecast differently
            TSMixer plain = new TSMixer(tiny(TSMixerConfig.Norm.BATCH, false));
            plain.initialize(m, DataType.FLOAT32, new Shape(2, 12, 3));
            NDArray p = plain.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray p2 = plain.forward(ps, new NDList(x.mul(a).add(c)), false).singletonOrThrow();
            assertTrue(p2.sub(p.mul(a).add(c)).abs().div(a).max().getFloat() > 1e-2f);
        }
    }

    @Test
    void badInputsGiveClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TSMixerConfig(12, 3, 4, 0, 8, 0.1f, TSMixerConfig.Norm.BATCH, true));
        assertTrue(e.getMessage().contains("blocks must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TSMixerConfig(12, 3, 4, 2, 8, 1f, TSMixerConfig.Norm.BATCH, true));
        assertTrue(e.getMessage().contains("dropout must be in [0, 1)"), e.getMessage());
        try (NDManager m = Engines.get().newBaseManager()) {
            TSMixer model = new TSMixer(tiny(TSMixerConfig.Norm.BATCH, true));
            model.initialize(m, DataType.FLOAT32, new Shape(1, 12, 3));
            ParameterStore ps = new ParameterStore(m, false);
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(ps, new NDList(m.randomNormal(new Shape(1, 12, 4))), false));
            assertTrue(e.getMessage().contains("axis 2 must be 3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(ps, new NDList(m.randomNormal(new Shape(1, 10, 3))), false));
            assertTrue(e.getMessage().contains("axis 1 must be 12"), e.getMessage());
            NDArray withNan = m.randomNormal(new Shape(1, 12, 3));
            withNan.set(new NDIndex("0, 3, 1"), Float.NaN);
            e = assertThrows(IllegalArgumentException.class, () -> model.forward(ps, new NDList(withNan), false));
            assertTrue(e.getMessage().contains("without NaN; got 1 NaN"), e.getMessage());
        }
    }

    /** Parameters saved by a TSMixer of another configuration are refused before any is read, naming both. */
    @Test
    void parametersOfAnotherConfigurationAreRefused() {
        try (NDManager m = Engines.get().newBaseManager()) {
            TSMixer saved = new TSMixer(tiny(TSMixerConfig.Norm.BATCH, true));
            saved.initialize(m, DataType.FLOAT32, new Shape(2, 12, 3));
            byte[] bytes = TestParams.save(saved);
            TSMixer other = new TSMixer(new TSMixerConfig(12, 3, 4, 2, 16, 0.1f, TSMixerConfig.Norm.BATCH, true));
            MalformedModelException e = assertThrows(MalformedModelException.class,
                    () -> TestParams.load(other, m, bytes));
            assertTrue(e.getMessage().startsWith("TSMixer parameters were saved for "), e.getMessage());
            assertTrue(e.getMessage().contains("ffDim=8") && e.getMessage().contains("ffDim=16"), e.getMessage());
        }
    }
}
