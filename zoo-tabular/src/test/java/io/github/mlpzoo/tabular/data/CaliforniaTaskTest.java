package io.github.mlpzoo.tabular.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;

import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.Tasks;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

class CaliforniaTaskTest {

    @Test
    void registeredAndFitsTheMlp() {
        ZooTask task = Tasks.get("california", Zoo.variant("mlp"));
        assertTrue(task instanceof CaliforniaTask);
        assertTrue(task.supports(Zoo.variant("mlp")));
        for (Variant<?> v : Zoo.list()) {
            if (!"tabular".equals(v.domain())) {
                assertEquals(false, task.supports(v), v.name() + " is not tabular");
            }
        }
    }

    /** The protocol file fixes the recipe: a recipe override is refused before any data is read or file written. */
    @Test
    void refusesRecipeOverrides(@TempDir Path out) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CaliforniaTask().train(
                Zoo.variant("mlp"), Map.of(), new TrainOptions(null, 1, 0, out, false, Map.of("lr", "1e-3"))));
        assertTrue(e.getMessage().contains("'lr'") && e.getMessage().contains("takes no overrides"), e.getMessage());
    }

    @Test
    void officialTrainingConfig() {
        var c = CaliforniaTask.trainConfig(0, 1);
        assertEquals(256, c.batchSize());
        assertEquals(5.635553682721966e-4, c.lr(), 0.0);
        assertEquals(0.028758690586743314, c.weightDecay(), 0.0);
        assertEquals(1.0, c.clipNorm(), 0.0);
        assertEquals(16, c.patience());
        assertEquals(CaliforniaTask.MAX_EPOCHS, c.epochs());
        assertEquals(0, c.warmupEpochs());
        assertEquals(7, CaliforniaTask.trainConfig(7, 1).epochs());
    }

    /** Two epochs of the real protocol (small model): files written, RMSE sane, the saved model evaluates the same. */
    @Test
    void twoEpochSmokeTraining(@TempDir Path out) throws Exception {
        Variant<?> mlp = Zoo.variant("mlp");
        Map<String, String> small = Map.of("dBlock", "32");
        CaliforniaTask task = new CaliforniaTask();
        Report r = task.train(mlp, small, new TrainOptions(null, 2, 0, out, false));
        assertEquals("mlp", r.model());
        assertEquals("rmse", r.metric());
        assertTrue(r.value() > 0.4 && r.value() < 1.0, "test RMSE after 2 epochs: " + r.value());
        assertEquals(2, r.details().get("epochs_run"));
        assertEquals(8L * 32 + 32 + 32 * 32 + 32 + 32 + 1, r.details().get("parameters"));
        assertNotNull(r.anchor());
        History h = History.load(out.resolve("history.json"));
        assertEquals(2, h.epochs().size());
        assertEquals((double) r.details().get("val_rmse"), h.epochs().get(h.bestEpoch() - 1).valMetric(), 1e-6);
        assertTrue(Files.isRegularFile(out.resolve("report.json")));
        assertTrue(Files.isRegularFile(out.resolve("model").resolve("serving.properties")));
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(out.resolve("model")).optEngine("PyTorch").build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            Report again = task.evaluate(mlp, model, new TrainOptions(null, 0, 0, null, false));
            assertEquals(r.value(), again.value(), 1e-6);
            assertSame(mlp.anchor("california"), again.anchor());
        }
    }
}
