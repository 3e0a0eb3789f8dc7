package io.github.mlpzoo.core.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LearningRateScheduleTest {

    @Test
    void warmupThenConstant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.4, 4);
        assertEquals(0.1, s.valueAt(1), 1e-15);
        assertEquals(0.3, s.valueAt(3), 1e-15);
        assertEquals(0.4, s.valueAt(4), 1e-15);
        assertEquals(0.4, s.valueAt(1000), 1e-15);
        assertEquals(0.4f, s.getNewValue(5));
    }

    @Test
    void noWarmupIsFlatFromTheFirstStep() {
        LearningRateSchedule s = LearningRateSchedule.constant(5.64e-4, 0);
        assertEquals(5.64e-4, s.valueAt(1), 1e-18);
        assertEquals(5.64e-4, s.valueAt(0), 1e-18);
    }

    @Test
    void warmupThenCosineMatchesClosedForm() {
        // peak 1, warm-up 2 steps, 10 steps in all, final 0.1
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 2, 10, 0.1);
        assertEquals(0.5, s.valueAt(1), 1e-12);
        assertEquals(1.0, s.valueAt(2), 1e-12);
        // t=4: progress (4-2)/8 = 1/4 -> 0.1 + 0.9 * (1 + cos(pi/4)) / 2
        assertEquals(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, s.valueAt(4), 1e-12);
        assertEquals(0.55, s.valueAt(6), 1e-12); // halfway
        assertEquals(0.1, s.valueAt(10), 1e-12);
        assertEquals(0.1, s.valueAt(50), 1e-12); // stays at the final value
    }

    @Test
    void cosineToZeroWithoutWarmup() {
        LearningRateSchedule s = LearningRateSchedule.cosine(2.0, 0, 4, 0);
        assertEquals(1 + Math.cos(Math.PI / 4), s.valueAt(1), 1e-12);
        assertEquals(1.0, s.valueAt(2), 1e-12);
        assertEquals(0.0, s.valueAt(4), 1e-12);
    }

    @Test
    void builtFromConfigInSteps() {
        TrainConfig c = TrainConfig.of(10, 32, 1e-3).withWarmupEpochs(2).withCosine(1e-5);
        LearningRateSchedule s = LearningRateSchedule.of(c, 5); // 10 warm-up steps, 50 in all
        assertEquals(1e-4, s.valueAt(1), 1e-15);
        assertEquals(1e-3, s.valueAt(10), 1e-15);
        assertEquals(1e-5 + (1e-3 - 1e-5) / 2, s.valueAt(30), 1e-15);
        assertEquals(1e-5, s.valueAt(50), 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 5, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 0, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0, 0));
    }
}
