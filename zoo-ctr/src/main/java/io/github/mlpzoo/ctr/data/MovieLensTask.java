package io.github.mlpzoo.ctr.data;

import ai.djl.Model;

import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code zoo train <ctr model> --dataset movielens --data <ml-latest-small folder>}: the MovieLens CTR protocol
 * ({@link MovieLensCtr}, leave-one-out split; {@code movielens_l5} for the last-5 split) trained with
 * {@link CtrTraining}. The reported figure is the test AUC of the best epoch; the details hold test logloss and
 * GAUC ({@code test_gauc} under L5; under LOO it is undefined and left out, and {@code gauc_val_test} holds the
 * protocol's substitute, GAUC over each user's valid and test events), the valid figures, the best epoch and the wall
 * time. The data is never shipped: without {@code --data} the task stops with a message saying so.
 */
public class MovieLensTask implements ZooTask {

    private final MovieLensCtr.Split split;

    /** The leave-one-out task {@code movielens}. */
    public MovieLensTask() {
        this(MovieLensCtr.Split.LOO);
    }

    MovieLensTask(MovieLensCtr.Split split) {
        this.split = split;
    }

    /** The last-5 task {@code movielens_l5}. */
    public static final class L5 extends MovieLensTask {
        /** The task. */
        public L5() {
            super(MovieLensCtr.Split.L5);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String dataset() {
        return split == MovieLensCtr.Split.LOO ? "movielens" : "movielens_l5";
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return "MovieLens ml-latest-small CTR protocol (rating >= 4, history of earlier positives), "
                + (split == MovieLensCtr.Split.LOO ? "leave-one-out" : "last-5") + " split; test AUC (--data required)";
    }

    /** CTR variants whose fields are the protocol's (user 611, movie 9,725, genre 20). */
    @Override
    public boolean supports(Variant<?> variant) {
        return "ctr".equals(variant.domain());
    }

    private MovieLensCtr.Parts load(TrainOptions options) throws IOException {
        if (options.dataPath() == null) {
            throw new IllegalArgumentException(dataset() + " needs --data <folder of MovieLens ml-latest-small with "
                    + "ratings.csv and movies.csv>; the data is not shipped (its license forbids redistribution)");
        }
        return MovieLensCtr.load(options.dataPath()).split(split);
    }

    /** {@inheritDoc} */
    @Override
    public Report train(Variant<?> variant, Map<String, String> overrides, TrainOptions options) throws IOException {
        checkRecipe(options.recipe());
        long start = System.nanoTime();
        MovieLensCtr.Parts parts = load(options);
        try (Model model = Zoo.newModel(variant.name(), overrides, options.seed())) {
            History history = CtrTraining.fit(model, parts.train(), parts.valid(),
                    CtrTraining.config(options.epochs(), options.seed()), options.progress());
            Report report = report(variant, model, parts, start, history);
            if (options.outDir() != null) {
                Files.createDirectories(options.outDir());
                history.save(options.outDir().resolve("history.json"));
                Zoo.save(model, variant.name(), overrides, options.outDir().resolve("model"));
                report.save(options.outDir().resolve("report.json"));
            }
            return report;
        }
    }

    /** {@inheritDoc} */
    @Override
    public Report evaluate(Variant<?> variant, Model model, TrainOptions options) throws IOException {
        return report(variant, model, load(options), System.nanoTime(), null);
    }

    private Report report(Variant<?> variant, Model model, MovieLensCtr.Parts parts, long start, History history) {
        CtrTraining.Scores valid = CtrTraining.score(model, parts.valid());
        float[] pt = CtrTraining.predict(model, parts.test());
        CtrTraining.Scores test = CtrTraining.scores(pt, parts.test().labels(), parts.test().users());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("test_logloss", test.logloss());
        if (split == MovieLensCtr.Split.L5) {
            details.put("test_gauc", test.gauc());
        } else {
            // one test event per user: every user is single-class and GAUC is undefined (CTR_PROTOCOL.md §7);
            // the protocol's substitute scores each user's valid and test events together
            float[] pv = CtrTraining.predict(model, parts.valid());
            int n = pv.length + pt.length;
            float[] p = new float[n];
            float[] y = new float[n];
            int[] u = new int[n];
            System.arraycopy(pv, 0, p, 0, pv.length);
            System.arraycopy(pt, 0, p, pv.length, pt.length);
            System.arraycopy(parts.valid().labels(), 0, y, 0, pv.length);
            System.arraycopy(parts.test().labels(), 0, y, pv.length, pt.length);
            System.arraycopy(parts.valid().users(), 0, u, 0, pv.length);
            System.arraycopy(parts.test().users(), 0, u, pv.length, pt.length);
            details.put("gauc_val_test", io.github.mlpzoo.core.train.GroupAuc.gauc(p, y, u));
        }
        details.put("val_auc", valid.auc());
        details.put("val_logloss", valid.logloss());
        if (history != null) {
            details.put("best_epoch", history.bestEpoch());
            details.put("epochs_run", history.epochs().size());
        }
        return new Report(variant.name(), dataset(), "auc", test.auc(), variant.anchor(dataset()),
                (System.nanoTime() - start) / 1e9, details);
    }
}
