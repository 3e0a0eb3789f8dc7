package io.github.mlpzoo.core.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.github.mlpzoo.core.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitTest {

    @TempDir
    Path tmp;

    @Test
    void learnsALine() throws Exception {
        Engines.get();
        try (Model model = Model.newInstance("line")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            NDManager m = model.getNDManager();
            NDArray x = m.randomUniform(-1, 1, new Shape(64, 1));
            NDArray y = x.mul(2).add(1);
            History h = Fit.of(model, Loss.l2Loss(), TrainConfig.of(40, 16, 0.1).withSeed(3))
                    .checkpointDir(tmp).run(Fit.arrays(x, y));
            List<History.Epoch> e = h.epochs();
            assertTrue(e.get(e.size() - 1).trainLoss() < 1e-3 * e.get(0).trainLoss(), h.toJson());
            Parameter w = model.getBlock().getParameters().get("weight");
            Parameter b = model.getBlock().getParameters().get("bias");
            assertEquals(2, w.getArray().getFloat(0, 0), 1e-2);
            assertEquals(1, b.getArray().getFloat(0), 1e-2);
        }
    }
}
