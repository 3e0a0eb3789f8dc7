package io.github.mlpzoo.ctr.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

/** On data whose clicks depend on candidate-history similarity, DIN's attention beats sum pooling. */
class PlantedInterestTest {

    static final int USERS = 500;
    static final int ITEMS = 200;
    static final int CATS = 20;
    static final int T = 20;
    static final int EPOCHS = Integer.getInteger("pi.epochs", 5);
    static final double LR = Double.parseDouble(System.getProperty("pi.lr", "0.01"));

    /** Small DIN / base-model configs over the generator's fields. */
    static Map<String, String> tiny() {
        return Map.of("vocab", (USERS + 1) + "," + (ITEMS + 1) + "," + (CATS + 1), "embeddingDim", "8",
                "maxLen", Integer.toString(T), "attentionUnits", "16,8", "dnnUnits", "32,16", "initStd", "0.05");
    }

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    static double testAuc(String variant, CtrData train, CtrData valid, CtrData test) throws IOException {
        try (Model model = Zoo.newModel(variant, tiny(), 0)) {
            CtrTraining.fit(model, train, valid, CtrTraining.config(EPOCHS, 0).withBatchSize(128).withLr(LR), false);
            return CtrTraining.score(model, test).auc();
        }
    }

    @Test
    void dinBeatsTheSumPooledBaselineOnTestAuc() throws IOException {
        CtrData train = PlantedInterest.generate(1, 8000, USERS, ITEMS, CATS, 3, T);
        CtrData valid = PlantedInterest.generate(2, 1000, USERS, ITEMS, CATS, 3, T);
        CtrData test = PlantedInterest.generate(3, 3000, USERS, ITEMS, CATS, 3, T);
        double din = testAuc("din", train, valid, test);
        double dnn = testAuc("ctr_dnn", train, valid, test);
        System.out.printf("planted interest: test AUC din %.4f, ctr_dnn %.4f%n", din, dnn);
        assertTrue(din - dnn >= 0.03, "DIN should beat ctr_dnn by >= 0.03 test AUC; got din " + din + ", ctr_dnn " + dnn);
    }

    @Test
    void generatorIsSeededAndLabelsFollowSimilarity() {
        CtrData a = PlantedInterest.generate(5, 2000, 50, 100, 10, 2, 10);
        CtrData b = PlantedInterest.generate(5, 2000, 50, 100, 10, 2, 10);
        assertEquals(java.util.Arrays.hashCode(a.history()), java.util.Arrays.hashCode(b.history()));
        // candidates whose category fills the history click far more often
        double hi = 0;
        double hiN = 0;
        double lo = 0;
        double loN = 0;
        for (int r = 0; r < a.size(); r++) {
            long cat = a.sparse()[r * 3 + 2];
            int same = 0;
            int len = a.historyLength(r);
            for (int t = 0; t < 10; t++) {
                same += a.history()[r * 20 + 10 + t] == cat ? 1 : 0;
            }
            if (same * 2 >= len) {
                hi += a.labels()[r];
                hiN++;
            } else if (same == 0) {
                lo += a.labels()[r];
                loN++;
            }
        }
        assertTrue(hi / hiN > lo / loN + 0.4, "click rate similar " + hi / hiN + " vs dissimilar " + lo / loN);
    }

    @Test
    void theMovieLensTaskRefusesToRunWithoutADataPath() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MovieLensTask().train(Zoo.variant("din"),
                Map.of(), new TrainOptions(null, 1, 0, null, false)));
        assertTrue(e.getMessage().contains("needs --data"), e.getMessage());
    }
}
