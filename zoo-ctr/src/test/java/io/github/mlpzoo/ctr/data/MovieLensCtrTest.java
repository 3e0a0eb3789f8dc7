package io.github.mlpzoo.ctr.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;

import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.Tasks;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The loader against every count of {@code CTR_PROTOCOL.md} §3-4. MovieLens is not shipped: the test reads it from
 * {@code -Dzoo.movielens=<folder>} (default: the shared data folder of this workplace) and is skipped without it.
 */
class MovieLensCtrTest {

    static MovieLensCtr data;

    @BeforeAll
    static void load() throws IOException {
        Path dir = Paths.get(System.getProperty("zoo.movielens", "/work/shared/data/movielens_latest_small"));
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("ratings.csv")), "MovieLens not at " + dir);
        data = MovieLensCtr.load(dir);
    }

    static void check(CtrData d, int n, int pos, long users, double meanHist, int empty) {
        assertEquals(n, d.size());
        assertEquals(pos, Math.round(d.positiveRate() * n));
        assertEquals(users, d.distinctUsers());
        double sum = 0;
        int e = 0;
        for (int r = 0; r < n; r++) {
            int len = d.historyLength(r);
            sum += len;
            e += len == 0 ? 1 : 0;
        }
        assertEquals(meanHist, sum / n, 0.005);
        assertEquals(empty, e);
    }

    @Test
    void samplesMatchTheProtocolCounts() {
        CtrData all = data.all();
        assertEquals(100_226, all.size());
        assertEquals(0.48110, all.positiveRate(), 5e-6);
        int full = 0;
        int empty = 0;
        double sum = 0;
        long maxUser = 0;
        long maxMovie = 0;
        long maxGenre = 0;
        for (int r = 0; r < all.size(); r++) {
            int len = all.historyLength(r);
            full += len == 50 ? 1 : 0;
            empty += len == 0 ? 1 : 0;
            sum += len;
            maxUser = Math.max(maxUser, all.sparse()[r * 3]);
            maxMovie = Math.max(maxMovie, all.sparse()[r * 3 + 1]);
            maxGenre = Math.max(maxGenre, all.sparse()[r * 3 + 2]);
        }
        assertEquals(60_189, full);
        assertEquals(832, empty);
        assertEquals(38.25, sum / all.size(), 0.005);
        assertEquals(610, maxUser);
        assertTrue(maxMovie <= 9724 && maxGenre <= 19);
    }

    @Test
    void looSplitMatchesTheProtocolTable() {
        MovieLensCtr.Parts p = data.split(MovieLensCtr.Split.LOO);
        check(p.train(), 99_006, 47_509, 610, 38.30, 830);
        check(p.valid(), 610, 347, 610, 34.30, 1);
        check(p.test(), 610, 363, 610, 34.64, 1);
    }

    @Test
    void l5SplitMatchesTheProtocolTable() {
        MovieLensCtr.Parts p = data.split(MovieLensCtr.Split.L5);
        check(p.train(), 94_126, 44_823, 610, 38.58, 806);
        check(p.valid(), 3_050, 1_674, 610, 32.35, 17);
        check(p.test(), 3_050, 1_722, 610, 33.98, 9);
    }

    /**
     * The task behind {@code zoo train ctr_dnn --dataset movielens|movielens_l5 --data DIR}: one epoch, then the report
     * holds the protocol's figures (no NaN: LOO gives the val∪test GAUC, L5 the test GAUC) and the run's files.
     */
    @Test
    void theTasksTrainAndReportTheProtocolFigures(@TempDir Path out) throws Exception {
        Path dir = Paths.get(System.getProperty("zoo.movielens", "/work/shared/data/movielens_latest_small"));
        var variant = Zoo.variant("ctr_dnn");
        Report loo = Tasks.get("movielens", variant).train(variant, Map.of(), new TrainOptions(dir, 1, 0, out, false));
        assertEquals("auc", loo.metric());
        assertTrue(loo.value() > 0.6 && loo.value() < 0.9, "one epoch of ctr_dnn: test AUC " + loo.value());
        assertTrue(loo.details().keySet().containsAll(List.of("test_logloss", "gauc_val_test", "val_auc", "best_epoch")));
        assertFalse(loo.details().containsKey("test_gauc"), "GAUC is undefined with one test event per user");
        loo.details().values().forEach(v -> assertFalse(v instanceof Double d && !Double.isFinite(d), loo.toJson()));
        assertTrue(Files.isRegularFile(out.resolve("report.json")) && Files.isRegularFile(out.resolve("history.json")));
        Criteria<NDList, NDList> saved = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(out.resolve("model")).optEngine("PyTorch").build();
        try (Model model = saved.loadModel()) {
            Report l5 = Tasks.get("movielens_l5", variant).evaluate(variant, model, new TrainOptions(dir, 0, 0, null, false));
            double gauc = (Double) l5.details().get("test_gauc");
            assertTrue(gauc > 0.5 && gauc < 0.9, "L5 test GAUC " + gauc);
            assertFalse(l5.details().containsKey("gauc_val_test"));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Tasks.get("movielens", variant)
                .train(variant, Map.of(), new TrainOptions(null, 1, 0, null, false)));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
    }
}
