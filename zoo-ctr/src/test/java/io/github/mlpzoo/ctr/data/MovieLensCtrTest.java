package io.github.mlpzoo.ctr.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

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
}
