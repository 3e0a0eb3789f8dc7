package io.github.mlpzoo.tabular.data;

import io.github.mlpzoo.core.train.Metrics;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.tabular.data.CaliforniaHousing.Part;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradient-boosting baseline a tabular user would reach for instead of TabM: XGBoost (xgboost4j 2.1.4, its native
 * library loaded from the jar) on the same splits as the {@code california} and {@code adult} tasks, with the tuned
 * hyper-parameters of the TabM authors' GBDT baseline runs ({@code yandex-research/tabular-dl-tabr},
 * {@code exp/xgboost_/<dataset>/2-evaluation/0.toml}, the configuration their 15-seed XGBoost figures come from):
 * <ul>
 *   <li>California: the 8 raw float32 features (no quantile transform), target standardized with the train
 *       mean/std and predictions de-standardized ({@code y_policy = "standard"}); {@code reg:squarederror},
 *       eta 0.0095, max_depth 9, subsample 0.676, colsample_bytree 0.735, gamma 0.00239, lambda 4.13,
 *       min_child_weight 0.0115. Figure: test RMSE in $100k.</li>
 *   <li>Adult: the 6 raw numerical features and the one-hot categorical columns ({@code cat_policy = "one-hot"}; an
 *       unseen category sets no column); {@code binary:logistic}, eval metric {@code error}, eta 0.00778,
 *       max_depth 10, subsample 0.567, colsample_bytree 0.732, gamma 0.244, lambda 0, min_child_weight 0.0148.
 *       Figure: test accuracy of {@code p > 0.5}.</li>
 * </ul>
 * Both: at most 4000 trees, early stopping after 200 rounds without a better validation metric, prediction with the
 * trees up to the best round (as the scikit-learn API the official runs use does), {@code seed} = the run seed.
 * Differences from the official runs: {@code tree_method = "hist"} on the CPU instead of {@code "gpu_hist"}, and
 * {@code nthread} from {@code -Dzoo.threads} (default 1, as the official {@code n_jobs = 1}).
 *
 * <p>XGBoost is not a registered model variant (it has no DJL block); run it with
 * {@code java -cp ... io.github.mlpzoo.tabular.data.XGBoostBaseline --dataset california|adult [--data DIR]
 * [--seed S] [--out DIR]} or through {@link #train(String, TrainOptions)}.
 */
public final class XGBoostBaseline {

    /** The name reports use. */
    public static final String NAME = "xgboost";
    static final int MAX_ROUNDS = 4000;
    static final int EARLY_STOPPING = 200;

    private XGBoostBaseline() {}

    /** The tuned hyper-parameters for {@code dataset} ({@code california} or {@code adult}), without seed/threads. */
    static Map<String, Object> params(String dataset) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("booster", "gbtree");
        p.put("tree_method", "hist");
        switch (dataset) {
            case "california":
                p.put("objective", "reg:squarederror");
                p.put("eval_metric", "rmse");
                p.put("eta", 0.009499792319377727);
                p.put("max_depth", 9);
                p.put("subsample", 0.676418825894307);
                p.put("colsample_bytree", 0.7348928051628328);
                p.put("gamma", 0.002385798178757343);
                p.put("lambda", 4.134951925332961);
                p.put("min_child_weight", 0.011549285084168444);
                break;
            case "adult":
                p.put("objective", "binary:logistic");
                p.put("eval_metric", "error");
                p.put("eta", 0.007778818578915986);
                p.put("max_depth", 10);
                p.put("subsample", 0.5671103409653102);
                p.put("colsample_bytree", 0.7322962681539251);
                p.put("gamma", 0.24380991639600286);
                p.put("lambda", 0.0);
                p.put("min_child_weight", 0.014795985068194972);
                break;
            default:
                throw new IllegalArgumentException("xgboost runs on california or adult; got '" + dataset + "'");
        }
        return p;
    }

    /**
     * Trains and evaluates XGBoost on {@code dataset}; writes {@code report.json} and the booster
     * ({@code model.json}) into {@link TrainOptions#outDir()} when it is set. {@link TrainOptions#epochs()} > 0 caps
     * the number of trees (for smoke tests).
     */
    public static Report train(String dataset, TrainOptions options) throws IOException {
        long start = System.nanoTime();
        Map<String, Object> params = params(dataset);
        params.put("seed", options.seed());
        params.put("nthread", Integer.getInteger("zoo.threads", 1));
        int rounds = options.epochs() > 0 ? Math.min(options.epochs(), MAX_ROUNDS) : MAX_ROUNDS;
        Map<String, Object> details = new LinkedHashMap<>();
        double test;
        String metric;
        Anchor anchor;
        try {
            if (dataset.equals("california")) {
                CaliforniaHousing data = options.dataPath() != null ? CaliforniaHousing.load(options.dataPath())
                        : CaliforniaHousing.loadEmbedded();
                int d = CaliforniaHousing.N_FEATURES;
                float mean = data.targetMean();
                float std = data.targetStd();
                Booster booster = fit(params, rounds,
                        matrix(data.rawFeatures(Part.TRAIN), d, data.standardizedTargets(Part.TRAIN)),
                        matrix(data.rawFeatures(Part.VAL), d, data.standardizedTargets(Part.VAL)), details);
                int trees = (int) details.get("trees_used");
                double val = Metrics.rmse(destandardize(predict(booster, data.rawFeatures(Part.VAL), d, trees), mean,
                        std), data.targets(Part.VAL));
                test = Metrics.rmse(destandardize(predict(booster, data.rawFeatures(Part.TEST), d, trees), mean, std),
                        data.targets(Part.TEST));
                details.put("val_rmse", val);
                metric = "rmse";
                anchor = new Anchor(dataset, metric, 0.4420, "official tuned XGBoost on this split");
                save(booster, options);
            } else {
                Adult data = AdultTask.load(options);
                int[] cards = data.cardinalities();
                int d = Adult.N_NUM + Arrays.stream(cards).sum();
                Booster booster = fit(params, rounds, matrix(features(data, Part.TRAIN), d, labels(data, Part.TRAIN)),
                        matrix(features(data, Part.VAL), d, labels(data, Part.VAL)), details);
                int trees = (int) details.get("trees_used");
                double val = accuracy(predict(booster, features(data, Part.VAL), d, trees), data.labels(Part.VAL));
                test = accuracy(predict(booster, features(data, Part.TEST), d, trees), data.labels(Part.TEST));
                details.put("val_accuracy", val);
                metric = "accuracy";
                anchor = new Anchor(dataset, metric, 0.8720, "tuned XGBoost, 15 seeds, paper split");
                save(booster, options);
            }
        } catch (XGBoostError e) {
            throw new IOException("xgboost on " + dataset + " failed: " + e.getMessage(), e);
        }
        details.put("seed", options.seed());
        details.put("params", params);
        details.put("side_by_side", SideBySide.rows(dataset));
        Report report = new Report(NAME, dataset, metric, test, anchor, (System.nanoTime() - start) / 1e9, details);
        if (options.outDir() != null) {
            report.save(options.outDir().resolve("report.json"));
        }
        SideBySide.log(report);
        return report;
    }

    /** Boosts up to {@code rounds} trees with early stopping on {@code val}; records the trees kept. */
    private static Booster fit(Map<String, Object> params, int rounds, DMatrix train, DMatrix val,
            Map<String, Object> details) throws XGBoostError {
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("val", val); // the last watch drives early stopping
        float[][] history = new float[1][rounds];
        Booster booster = XGBoost.train(train, params, rounds, watches, history, null, null, EARLY_STOPPING);
        String best = booster.getAttr("best_iteration");
        int trees = best != null ? Integer.parseInt(best) + 1 : booster.getNumBoostedRound();
        details.put("trees_boosted", booster.getNumBoostedRound());
        details.put("trees_used", trees);
        return booster;
    }

    private static DMatrix matrix(float[] x, int cols, float[] y) throws XGBoostError {
        DMatrix m = new DMatrix(x, y.length, cols, Float.NaN);
        m.setLabel(y);
        return m;
    }

    /** The first column of the predictions of the first {@code trees} trees. */
    private static float[] predict(Booster booster, float[] x, int cols, int trees) throws XGBoostError {
        DMatrix m = new DMatrix(x, x.length / cols, cols, Float.NaN);
        float[][] p = booster.predict(m, false, trees);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][0];
        }
        return out;
    }

    private static float[] destandardize(float[] p, float mean, float std) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] * std + mean;
        }
        return out;
    }

    private static float[] features(Adult data, Part part) {
        return AdultTask.oneHotRows(data.rawNumerical(part), data.categorical(part), data.size(part),
                data.cardinalities());
    }

    private static float[] labels(Adult data, Part part) {
        int[] y = data.labels(part);
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i];
        }
        return out;
    }

    /** Accuracy of {@code p > 0.5} (scikit-learn's {@code round} of the probability). */
    static double accuracy(float[] p, int[] y) {
        int[] pred = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            pred[i] = p[i] > 0.5f ? 1 : 0;
        }
        return Metrics.accuracy(pred, y);
    }

    private static void save(Booster booster, TrainOptions options) throws XGBoostError, IOException {
        if (options.outDir() != null) {
            Files.createDirectories(options.outDir());
            booster.saveModel(options.outDir().resolve("model.json").toString());
        }
    }

    /**
     * {@code XGBoostBaseline --dataset california|adult [--data DIR] [--seed S] [--out DIR] [--rounds N]}: trains,
     * prints the report's summary line and writes the report (default out: {@code runs/xgboost-D-sS}).
     */
    public static void main(String[] args) throws IOException {
        String dataset = null;
        Path data = null;
        Path out = null;
        long seed = 0;
        int rounds = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--dataset" -> dataset = v;
                case "--data" -> data = Path.of(v);
                case "--out" -> out = Path.of(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException(
                        "unknown option " + a + "; expected --dataset, --data, --seed, --out, --rounds");
            }
        }
        if (dataset == null) {
            throw new IllegalArgumentException("--dataset california|adult is required");
        }
        Path dir = out != null ? out : Path.of("runs", NAME + "-" + dataset + "-s" + seed);
        Report report = train(dataset, new TrainOptions(data, rounds, seed, dir, false));
        System.out.println(report.summary());
        System.out.printf("wall %.1f s; wrote %s%n", report.wallSeconds(), dir.toAbsolutePath().normalize());
    }
}
