package io.github.mlpzoo.ctr.data;

import ai.djl.Model;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Not a unit test: the MovieLens protocol runs behind the report's figures, skipped unless
 * {@code -Dctr.runs=<variant,...>} is given ({@code -Dctr.splits=LOO,L5}, {@code -Dctr.seeds=0,1,2},
 * {@code -Dzoo.movielens=<folder>}). Prints one line per run.
 */
class MovieLensRuns {

    @Test
    void run() throws IOException {
        String runs = System.getProperty("ctr.runs");
        Assumptions.assumeTrue(runs != null, "set -Dctr.runs to run the MovieLens protocol");
        Engines.configureOffline();
        MovieLensCtr data = MovieLensCtr.load(Paths.get(System.getProperty("zoo.movielens",
                "/work/shared/data/movielens_latest_small")));
        for (String split : System.getProperty("ctr.splits", "LOO,L5").split(",")) {
            MovieLensCtr.Parts parts = data.split(MovieLensCtr.Split.valueOf(split));
            for (String variant : runs.split(",")) {
                for (String seed : System.getProperty("ctr.seeds", "0,1,2").split(",")) {
                    long start = System.nanoTime();
                    try (Model model = Zoo.newModel(variant, Map.of(), Long.parseLong(seed))) {
                        History h = CtrTraining.fit(model, parts.train(), parts.valid(),
                                CtrTraining.config(0, Long.parseLong(seed)), false);
                        CtrTraining.Scores test = CtrTraining.score(model, parts.test());
                        double gaucVt = Double.NaN;
                        if (split.equals("LOO")) {
                            CtrData vt = both(parts.valid(), parts.test());
                            gaucVt = CtrTraining.score(model, vt).gauc();
                        }
                        System.out.printf("RUN split=%s model=%s seed=%s test_auc=%.5f test_logloss=%.5f test_gauc=%.5f"
                                + " gauc_val_test=%.5f best_epoch=%d epochs=%d wall_s=%.1f%n", split, variant, seed,
                                test.auc(), test.logloss(), test.gauc(), gaucVt, h.bestEpoch(), h.epochs().size(),
                                (System.nanoTime() - start) / 1e9);
                    }
                }
            }
        }
    }

    static CtrData both(CtrData a, CtrData b) {
        int n = a.size() + b.size();
        long[] s = new long[n * a.fields()];
        long[] h = new long[a.history().length + b.history().length];
        float[] y = new float[n];
        int[] u = new int[n];
        System.arraycopy(a.sparse(), 0, s, 0, a.sparse().length);
        System.arraycopy(b.sparse(), 0, s, a.sparse().length, b.sparse().length);
        System.arraycopy(a.history(), 0, h, 0, a.history().length);
        System.arraycopy(b.history(), 0, h, a.history().length, b.history().length);
        System.arraycopy(a.labels(), 0, y, 0, a.size());
        System.arraycopy(b.labels(), 0, y, a.size(), b.size());
        System.arraycopy(a.users(), 0, u, 0, a.size());
        System.arraycopy(b.users(), 0, u, a.size(), b.size());
        return new CtrData(a.fields(), a.historyFields(), a.maxLen(), s, h, y, u);
    }
}
