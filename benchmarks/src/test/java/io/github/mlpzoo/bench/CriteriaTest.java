package io.github.mlpzoo.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Variants load through DJL's Criteria offline, and a saved model directory loads back unchanged. */
class CriteriaTest {

    @Test
    void mlpLoadsByNameAndRoundTripsThroughAModelDirectory(@TempDir Path dir) throws Exception {
        Criteria<NDList, NDList> byName = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optGroupId(Zoo.GROUP_ID)
                .optArtifactId("mlp")
                .optArguments(Map.of("dBlock", 32, "seed", 7))
                .build();
        float[] first;
        try (ZooModel<NDList, NDList> model = byName.loadModel();
                NDManager manager = NDManager.newBaseManager();
                Predictor<NDList, NDList> predictor = model.newPredictor()) {
            NDArray x = manager.randomNormal(new Shape(5, 8));
            NDList y = predictor.predict(new NDList(x));
            assertEquals(new Shape(5, 1), y.singletonOrThrow().getShape());
            first = y.singletonOrThrow().toFloatArray();
            for (float v : first) {
                assertTrue(Float.isFinite(v));
            }
            Zoo.save(model, "mlp", Map.of("dBlock", "32"), dir);
            assertTrue(Files.isRegularFile(dir.resolve("serving.properties")));

            Criteria<NDList, NDList> byPath = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(dir)
                    .build();
            try (ZooModel<NDList, NDList> loaded = byPath.loadModel();
                    Predictor<NDList, NDList> p2 = loaded.newPredictor()) {
                float[] again = p2.predict(new NDList(x)).singletonOrThrow().toFloatArray();
                assertArrayEquals(first, again, 0f);
            }
        }
    }

    @Test
    void unknownArtifactIsNotFound() {
        Criteria<NDList, NDList> c = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optGroupId(Zoo.GROUP_ID)
                .optArtifactId("nosuchmodel")
                .build();
        assertThrows(ModelNotFoundException.class, c::loadModel);
    }

    @Test
    void unknownNameInTheJavaApiSuggests() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.variant("mpl"));
        assertTrue(e.getMessage().contains("did you mean mlp"), e.getMessage());
    }
}
