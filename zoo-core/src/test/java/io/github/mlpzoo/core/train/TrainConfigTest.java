package io.github.mlpzoo.core.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {

    @Test
    void tabmCaliforniaInOneLine() {
        TrainConfig c = TrainConfig.of(1000, 256, 5.64e-4).withWeightDecay(0.0288).withClipNorm(1.0)
                .withPatience(16).withSeed(7);
        assertEquals(new TrainConfig(1000, 256, 5.64e-4, 0.0288, 0, TrainConfig.Schedule.CONSTANT, 0, 1.0, 16, 7),
                c);
    }

    @Test
    void eachBadFieldIsNamedWithItsRange() {
        TrainConfig ok = TrainConfig.of(10, 32, 1e-3);
        expect("epochs must be >= 1", () -> ok.withEpochs(0));
        expect("batchSize must be >= 1", () -> ok.withBatchSize(0));
        expect("lr must be finite and > 0", () -> ok.withLr(0));
        expect("lr must be finite and > 0", () -> ok.withLr(Double.NaN));
        expect("weightDecay must be finite and >= 0", () -> ok.withWeightDecay(-1));
        expect("warmupEpochs must be in [0, epochs=10]", () -> ok.withWarmupEpochs(11));
        expect("minLr must be in [0, lr=0.001]", () -> ok.withCosine(0.01));
        expect("clipNorm must be finite and >= 0", () -> ok.withClipNorm(-0.5));
        expect("patience must be >= 0", () -> ok.withPatience(-1));
    }

    private static void expect(String start, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(start), x.getMessage());
    }
}
