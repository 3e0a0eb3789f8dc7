package io.github.mlpzoo.timeseries.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Report;
import io.github.mlpzoo.core.train.TrainOptions;
import io.github.mlpzoo.core.train.ZooTask;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.timeseries.data.Ett.Part;
import io.github.mlpzoo.timeseries.patchtsmixer.MaskedPatchLoss;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerForPretraining;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerPretrainConfig;
import io.github.mlpzoo.timeseries.tsmixer.TSMixerConfig;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code zoo train <forecaster> --dataset etth1}: multivariate ETTh1 forecasting under the standard protocol
 * ({@link Ett}: 12/4/4 months, train-only StandardScaler, stride-1 windows), trained the way IBM's PatchTSMixer
 * notebook's Hugging Face Trainer did ({@link HfTrainerProtocol}: AdamW lr 1e-4, no weight decay, linear decay to 0
 * over 100 epochs, gradient-norm clip 1.0, batch 32, early stopping with patience 5 and threshold 1e-3, best
 * validation epoch restored). Reports test MSE (the figure) and MAE in the standardized space, over all test
 * windows, steps and channels. Context length and horizon come from the variant's input and output shapes
 * ({@code --set contextLength=... predictionLength=...}). {@link TrainOptions#epochs()} (if > 0) lowers the epoch
 * cap; {@link TrainOptions#dataPath()} may name another ETT csv. Google's {@link io.github.mlpzoo.timeseries.tsmixer.TSMixer} is trained as its
 * official {@code run.py} does instead ({@link #googleSettings}: Adam lr 1e-4 constant, no clipping, batch 32, up to
 * 100 epochs, early stopping with patience 5 on the validation MSE). Also writes {@code forecast.png}: one test
 * window's context, target and forecast of the last channel (OT).
 */
public class EttTask implements ZooTask {

    static final int EPOCHS = 100;
    static final int BATCH = 32;
    static final double LR = 1e-4;
    static final double CLIP = 1.0;
    static final int PATIENCE = 5;
    static final double THRESHOLD = 1e-3;
    static final int EVAL_BATCH = 256;

    private final String dataset;
    private final String file;

    /** The ETTh1 task. */
    public EttTask() {
        this("etth1", "ETTh1.csv");
    }

    EttTask(String dataset, String file) {
        this.dataset = dataset;
        this.file = file;
    }

    /** {@code --dataset etth2}: the same protocol on ETTh2 (the second transformer station, same split). */
    public static final class Etth2 extends EttTask {

        /** The ETTh2 task. */
        public Etth2() {
            super("etth2", "ETTh2.csv");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String dataset() {
        return dataset;
    }

    /** {@inheritDoc} */
    @Override
    public String description() {
        return file.replace(".csv", "") + ": 7 channels, hourly, 12/4/4-month split, train-only standardization, "
                + "stride-1 windows; test MSE/MAE in standardized space (HF Trainer protocol of IBM's notebook)";
    }

    /** A time-series variant mapping (B, T, 7) to (B, H, 7), or PatchTSMixer's pretraining model. */
    @Override
    public boolean supports(Variant<?> variant) {
        if (!"timeseries".equals(variant.domain())) {
            return false;
        }
        if (variant.defaults() instanceof PatchTSMixerPretrainConfig) {
            return true;
        }
        try {
            int[] th = contextAndHorizon(variant, Map.of());
            return th != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {T, H} of the variant, or null if it is not a 7-channel forecaster (its first output is the forecast). */
    static int[] contextAndHorizon(Variant<?> variant, Map<String, String> overrides) {
        DataDesc[] in = variant.inputs(overrides);
        if (in.length != 1 || in[0].getShape().dimension() != 3 || in[0].getShape().get(2) != Ett.CHANNELS) {
            return null;
        }
        Shape[] out = variant.create(overrides).getOutputShapes(new Shape[] {in[0].getShape()});
        if (out.length < 1 || out[0].dimension() != 3 || out[0].get(2) != Ett.CHANNELS) { // [forecast, aggregates?]
            return null;
        }
        return new int[] {(int) in[0].getShape().get(1), (int) out[0].get(1)};
    }

    private Ett load(TrainOptions options) throws IOException {
        return options.dataPath() != null ? Ett.load(options.dataPath()) : Ett.loadEmbedded(file);
    }

    /** {@inheritDoc} */
    @Override
    public Report train(Variant<?> variant, Map<String, String> overrides, TrainOptions options) throws IOException {
        checkRecipe(options.recipe());
        if (options.outDir() == null) {
            throw new IllegalArgumentException(dataset + " training needs an output directory (TrainOptions.outDir)");
        }
        if (variant.defaults() instanceof PatchTSMixerPretrainConfig) {
            return pretrain(variant, overrides, options);
        }
        int[] th = contextAndHorizon(variant, overrides);
        if (th == null) {
            throw new IllegalArgumentException(variant.name() + " does not map (B, T, 7) to (B, H, 7); " + dataset
                    + " needs a 7-channel forecaster");
        }
        int context = th[0];
        int horizon = th[1];
        long start = System.nanoTime();
        Ett data = load(options);
        Files.createDirectories(options.outDir());
        int epochs = options.epochs() > 0 ? Math.min(options.epochs(), EPOCHS) : EPOCHS;
        HfTrainerProtocol.Settings settings = variant.defaults() instanceof TSMixerConfig
                ? googleSettings(epochs, options.seed())
                : new HfTrainerProtocol.Settings(epochs, BATCH, LR, true, CLIP, PATIENCE, THRESHOLD, options.seed());
        try (Model model = Zoo.newModel(variant.name(), overrides, options.seed())) {
            History history = HfTrainerProtocol.run(model, batches(data, context, horizon),
                    m -> errors(m, data, Part.VAL, context, horizon)[0], settings, options.progress());
            history.save(options.outDir().resolve("history.json"));
            Zoo.save(model, variant.name(), overrides, options.outDir().resolve("model"));
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double[] val = errors(model, data, Part.VAL, context, horizon);
            double[] test = errors(model, data, Part.TEST, context, horizon);
            ForecastPlot.write(model, data, context, horizon, options.outDir().resolve("forecast.png"));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("test_mae", test[1]);
            details.put("val_mse", val[0]);
            details.put("val_mae", val[1]);
            details.put("context_length", context);
            details.put("horizon", horizon);
            details.put("best_epoch", history.bestEpoch());
            details.put("epochs_run", history.epochs().size());
            details.put("parameters", parameterCount(model));
            details.put("seed", options.seed());
            details.put("train_seconds", trainSeconds);
            details.put("protocol", settings);
            details.put("windows", Map.of("train", data.windows(Part.TRAIN, context, horizon),
                    "val", data.windows(Part.VAL, context, horizon), "test", data.windows(Part.TEST, context, horizon)));
            Report report = new Report(variant.name(), dataset, "mse", test[0],
                    horizon == 96 && context == 512 ? variant.anchor(dataset) : null,
                    (System.nanoTime() - start) / 1e9, details);
            report.save(options.outDir().resolve("report.json"));
            return report;
        }
    }

    /**
     * IBM's ETTh1 backbone (context 512, patch 8, d_model 48, 3 layers, expansion 3, dropout 0.5, head dropout 0.7,
     * 7 channels) as config overrides, under which a pretraining variant is trained here; the user's come on top.
     */
    static Map<String, String> pretrainingBackbone(Map<String, String> user) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("contextLength", "512", "patchLength", "8", "patchStride",
                "8", "channels", "7", "dModel", "48", "expansion", "3", "layers", "3", "dropout", "0.5",
                "headDropout", "0.7"));
        if (user != null) {
            o.putAll(user);
        }
        return o;
    }

    /**
     * Masked-patch pretraining on the training months (HF {@code PatchTSMixerForPretraining} under the same Trainer
     * protocol as forecasting): every stride-1 context window, the masked-patch loss; validation and test report
     * the masked reconstruction MSE in the scaled space (the masks drawn from a generator reset to the seed before
     * each pass, so epochs compare on the same masks).
     */
    private Report pretrain(Variant<?> variant, Map<String, String> overrides, TrainOptions options)
            throws IOException {
        Map<String, String> shaped = pretrainingBackbone(overrides);
        PatchTSMixerPretrainConfig cfg = (PatchTSMixerPretrainConfig) variant.config(shaped);
        if (cfg.model().channels() != Ett.CHANNELS) {
            throw new IllegalArgumentException(dataset + " has " + Ett.CHANNELS + " channels; got --set channels="
                    + cfg.model().channels());
        }
        int context = cfg.model().contextLength();
        long start = System.nanoTime();
        Ett data = load(options);
        Files.createDirectories(options.outDir());
        int epochs = options.epochs() > 0 ? Math.min(options.epochs(), EPOCHS) : EPOCHS;
        HfTrainerProtocol.Settings settings =
                new HfTrainerProtocol.Settings(epochs, BATCH, LR, true, CLIP, PATIENCE, THRESHOLD, options.seed());
        try (Model model = Zoo.newModel(variant.name(), shaped, options.seed())) {
            History history = HfTrainerProtocol.run(model, batches(data, context, 0),
                    m -> maskedError(m, data, Part.VAL, context, options.seed()), settings, options.progress(),
                    new MaskedPatchLoss(cfg.maskedLoss()));
            history.save(options.outDir().resolve("history.json"));
            Zoo.save(model, variant.name(), shaped, options.outDir().resolve("model"));
            double val = maskedError(model, data, Part.VAL, context, options.seed());
            double test = maskedError(model, data, Part.TEST, context, options.seed());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("val_masked_mse", val);
            details.put("context_length", context);
            details.put("masking", cfg.masking().toString());
            details.put("best_epoch", history.bestEpoch());
            details.put("epochs_run", history.epochs().size());
            details.put("parameters", parameterCount(model));
            details.put("seed", options.seed());
            details.put("protocol", settings);
            details.put("config_overrides", shaped);
            Report report = new Report(variant.name(), dataset, "masked_mse", test, null,
                    (System.nanoTime() - start) / 1e9, details);
            report.save(options.outDir().resolve("report.json"));
            return report;
        }
    }

    /**
     * The masked reconstruction MSE over every window of {@code part}: Σ over masked patches of the patch's mean
     * squared error / number of masked patches (all patches when the model's loss is not masked), in inference mode,
     * with the engine's generator set to {@code seed} first.
     */
    static double maskedError(Model model, Ett data, Part part, int context, long seed) {
        int n = data.windows(part, context, 0);
        int xs = context * Ett.CHANNELS;
        float[] x = new float[EVAL_BATCH * xs];
        model.getNDManager().getEngine().setRandomSeed(Long.hashCode(seed));
        double errors = 0;
        double patches = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, n - from);
            for (int i = 0; i < count; i++) {
                data.window(part, from + i, context, 0, x, i * xs, x, 0);
            }
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray xb = m.create(FloatBuffer.wrap(x, 0, count * xs), new Shape(count, context, Ett.CHANNELS));
                NDList out = model.getBlock().forward(new ParameterStore(m, false), new NDList(xb), false);
                NDArray perPatch = out.get(0).sub(out.get(1)).square().mean(new int[] {-1}); // (B, C, N)
                boolean masked = !(model.getBlock() instanceof PatchTSMixerForPretraining p)
                        || p.config().maskedLoss();
                NDArray weight = masked ? out.get(2) : perPatch.onesLike();
                errors += perPatch.mul(weight).sum().getFloat();
                patches += weight.sum().getFloat();
            }
        }
        return errors / Math.max(patches, 1e-10);
    }

    /** {@inheritDoc} */
    @Override
    public Report evaluate(Variant<?> variant, Model model, TrainOptions options) throws IOException {
        long start = System.nanoTime();
        if (model.getBlock() instanceof PatchTSMixerForPretraining p) {
            double test = maskedError(model, load(options), Part.TEST, p.config().model().contextLength(),
                    options.seed());
            return new Report(variant.name(), dataset, "masked_mse", test, null, (System.nanoTime() - start) / 1e9,
                    Map.of("parameters", parameterCount(model)));
        }
        DataDesc in = variant.inputs(Map.of())[0];
        Shape inShape = in.getShape();
        int context = (int) inShape.get(1);
        int horizon = (int) model.getBlock().getOutputShapes(new Shape[] {inShape})[0].get(1);
        Ett data = load(options);
        double[] test = errors(model, data, Part.TEST, context, horizon);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("test_mae", test[1]);
        details.put("parameters", parameterCount(model));
        return new Report(variant.name(), dataset, "mse", test[0], null, (System.nanoTime() - start) / 1e9, details);
    }

    /**
     * Google TSMixer's {@code run.py} protocol: Keras Adam (lr 1e-4, constant), MSE, batch 32, at most
     * {@code epochs}, {@code EarlyStopping(monitor='val_loss', patience=5)} with the best checkpoint restored.
     */
    static HfTrainerProtocol.Settings googleSettings(int epochs, long seed) {
        return new HfTrainerProtocol.Settings(epochs, BATCH, LR, false, 0, PATIENCE, 0, seed);
    }

    static HfTrainerProtocol.Batches batches(Ett data, int context, int horizon) {
        int n = data.windows(Part.TRAIN, context, horizon);
        int xs = context * Ett.CHANNELS;
        int ys = horizon * Ett.CHANNELS;
        return new HfTrainerProtocol.Batches() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void fill(int[] indices, int from, int count, float[] x, float[] y) {
                for (int i = 0; i < count; i++) {
                    data.window(Part.TRAIN, indices[from + i], context, horizon, x, i * xs, y, i * ys);
                }
            }

            @Override
            public Shape xShape(int batch) {
                return new Shape(batch, context, Ett.CHANNELS);
            }

            @Override
            public Shape yShape(int batch) { // horizon 0 (pretraining: no target) gives an unused (B, 1)
                return horizon == 0 ? new Shape(batch, 1) : new Shape(batch, horizon, Ett.CHANNELS);
            }
        };
    }

    /** {MSE, MAE} over every window, step and channel of {@code part}, in inference mode. */
    static double[] errors(Model model, Ett data, Part part, int context, int horizon) {
        int n = data.windows(part, context, horizon);
        int xs = context * Ett.CHANNELS;
        int ys = horizon * Ett.CHANNELS;
        float[] x = new float[EVAL_BATCH * xs];
        float[] y = new float[EVAL_BATCH * ys];
        double sq = 0;
        double abs = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, n - from);
            for (int i = 0; i < count; i++) {
                data.window(part, from + i, context, horizon, x, i * xs, y, i * ys);
            }
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray xb = m.create(FloatBuffer.wrap(x, 0, count * xs), new Shape(count, context, Ett.CHANNELS));
                float[] p = HfTrainerProtocol.predict(model, m, xb).toFloatArray();
                for (int k = 0; k < count * ys; k++) {
                    double d = p[k] - y[k];
                    sq += d * d;
                    abs += Math.abs(d);
                }
            }
        }
        double total = (double) n * ys;
        return new double[] {sq / total, abs / total};
    }

    static long parameterCount(Model model) {
        long n = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }
}
