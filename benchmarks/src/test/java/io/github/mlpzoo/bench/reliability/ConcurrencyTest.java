package io.github.mlpzoo.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrency (issue 11, deliverable 4): one model, one {@link Predictor} per thread, 4 threads each running
 * the same 24 inputs in a different order; every result must equal the single-threaded one bit for bit.
 */
class ConcurrencyTest {

    static final int THREADS = 4;
    static final int INPUTS = 24;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "tabm", "kan", "din", "patchtsmixer", "mixer_s16", "poolformer_s12", "strip_mlp_t"})
    void predictorPerThreadMatchesSingleThread(String name) throws Exception {
        Variant<?> v = Zoo.variant(name);
        Map<String, String> tiny = TinyConfigs.of(v);
        DataDesc[] descs = v.inputs(tiny);
        try (Model model = Zoo.newModel(name, tiny, 5)) {
            float[][] expected = new float[INPUTS][];
            try (Predictor<Integer, float[]> p = model.newPredictor(new SeededInputs(descs))) {
                for (int i = 0; i < INPUTS; i++) {
                    expected[i] = p.predict(i);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<float[][]>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int offset = t * 5;
                    futures.add(pool.submit(() -> {
                        float[][] got = new float[INPUTS][];
                        try (Predictor<Integer, float[]> p = model.newPredictor(new SeededInputs(descs))) {
                            for (int j = 0; j < INPUTS; j++) {
                                int i = (j + offset) % INPUTS;
                                got[i] = p.predict(i);
                            }
                        }
                        return got;
                    }));
                }
                for (Future<float[][]> f : futures) {
                    float[][] got = f.get(120, TimeUnit.SECONDS);
                    for (int i = 0; i < INPUTS; i++) {
                        assertArrayEquals(expected[i], got[i], 0f, name + " input " + i);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Builds input {@code i} from a seed (ids in [1, 4], features normal), and flattens the first output. */
    static final class SeededInputs implements Translator<Integer, float[]> {
        private final DataDesc[] descs;

        SeededInputs(DataDesc[] descs) {
            this.descs = descs;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, Integer i) {
            NDManager m = ctx.getNDManager();
            Random rnd = new Random(1000L + i);
            NDList list = new NDList();
            for (DataDesc d : descs) {
                Shape s = BadInputMatrixTest.with(d.getShape(), 0, 3);
                int n = (int) s.size();
                if (d.getDataType().isInteger()) {
                    long[] ids = new long[n];
                    for (int k = 0; k < n; k++) {
                        ids[k] = 1 + rnd.nextInt(4);
                    }
                    list.add(m.create(ids, s).toType(d.getDataType(), false));
                } else {
                    float[] x = new float[n];
                    for (int k = 0; k < n; k++) {
                        x[k] = (float) rnd.nextGaussian();
                    }
                    list.add(m.create(x, s));
                }
            }
            return list;
        }

        @Override
        public ai.djl.translate.Batchifier getBatchifier() {
            return null; // the inputs carry their own batch axis
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(0).toFloatArray();
        }
    }
}
