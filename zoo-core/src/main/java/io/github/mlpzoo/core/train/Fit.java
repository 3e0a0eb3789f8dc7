package io.github.mlpzoo.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The training loop: AdamW with a {@link LearningRateSchedule}, {@link GradNormClipping}, validation after every
 * epoch, early stopping with patience, the best checkpoint kept on disk, and the best parameters restored at the
 * end.
 *
 * <pre>{@code
 * History h = Fit.of(model, new MseLoss("mse"), TrainConfig.of(1000, 256, 5.64e-4).withWeightDecay(0.0288)
 *                 .withClipNorm(1.0).withPatience(16))
 *         .validation("rmse", true, scorer)
 *         .checkpointDir(outDir)
 *         .run(Fit.arrays(xTrain, yTrain));
 * // the model now holds the parameters of epoch h.bestEpoch(); outDir holds <modelName>-NNNN.params of that epoch
 * }</pre>
 *
 * <p>Each epoch visits the training set once in an order drawn from {@link TrainConfig#seed()} (the dataset's own
 * sampler is not used), in batches of {@link TrainConfig#batchSize()}; the last batch may be smaller. The engine is
 * seeded with the same seed before the block is initialized (if it is not yet), so one seed gives one run.
 * AdamW's weight decay is decoupled and applies to every parameter, as torch's AdamW with one group, unless
 * {@link #noWeightDecayOnBiasesAndNorms()} exempts biases and normalization parameters. With {@link #ema} the
 * scored, checkpointed and final parameters are an exponential moving average of the trained ones. Without a
 * {@link #validation validation scorer} the epoch's mean training loss serves as the metric.
 */
public final class Fit {

    private static final Logger LOG = LoggerFactory.getLogger(Fit.class);

    private final Model model;
    private final Loss loss;
    private final TrainConfig config;
    private String metric = "train_loss";
    private boolean lowerIsBetter = true;
    private ValidationScorer scorer;
    private Path checkpointDir;
    private boolean progress;
    private java.util.function.BiPredicate<String, ai.djl.nn.Parameter> noDecay;
    private int members = 1;
    private double emaDecay;
    private int leakedByScorer;
    private boolean warnedLeak;

    private Fit(Model model, Loss loss, TrainConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.config = Objects.requireNonNull(config, "config");
        if (model.getBlock() == null) {
            throw new IllegalArgumentException("model '" + model.getName() + "' has no block; call setBlock first");
        }
    }

    /** A loop training {@code model}'s block on {@code loss} (its mean over the batch) under {@code config}. */
    public static Fit of(Model model, Loss loss, TrainConfig config) {
        return new Fit(model, loss, config);
    }

    /**
     * Scores the model after every epoch with {@code scorer}; the best score (lowest if {@code lowerIsBetter})
     * picks the checkpoint and drives early stopping. {@code metric} names it in the {@link History}.
     */
    public Fit validation(String metric, boolean lowerIsBetter, ValidationScorer scorer) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.lowerIsBetter = lowerIsBetter;
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        return this;
    }

    /**
     * Writes the best checkpoint into {@code dir} as {@code <modelName>-NNNN.params} (NNNN = its epoch, also set as
     * the model's {@code Epoch} property); {@code model.load(dir, modelName)} reads it back.
     */
    public Fit checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Draws a one-line progress bar on stderr (off by default). */
    public Fit progress(boolean show) {
        this.progress = show;
        return this;
    }

    /**
     * An in-memory dataset of rows {@code features[i]} with targets {@code labels[i]} (first axis = examples)
     * for {@link #run}; its own sampler (sequential, batch 1) is never used by {@code run}.
     */
    public static ArrayDataset arrays(NDArray features, NDArray labels) {
        if (features.getShape().isScalar() || labels.getShape().isScalar()
                || features.getShape().get(0) != labels.getShape().get(0)) {
            throw new IllegalArgumentException("features and labels need the same first (example) axis; got "
                    + features.getShape() + " and " + labels.getShape());
        }
        return new ArrayDataset.Builder().setData(features).optLabels(labels).setSampling(1, false).build();
    }

    /**
     * Draws batches for an ensemble of {@code k} members that train on their own rows (TabM's
     * {@code share_training_batches=False}): each step feeds B·k rows, member j of row i getting row {@code i·k + j},
     * from k independent permutations per epoch ({@link IndependentBatchSampler}); labels come in the same order,
     * as {@link io.github.mlpzoo.core.nn.ensemble.EnsembleLoss} takes them. k = 1 is the ordinary shuffle.
     */
    public Fit independentBatches(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("independentBatches needs k >= 1; got " + k);
        }
        this.members = k;
        return this;
    }

    /**
     * Keeps an exponential moving average of the parameters, updated after every optimizer step with the given
     * long-run {@code decay} and a warm-up ({@code min(decay, (1 + t) / (10 + t))} at update t; timm's
     * {@code --model-ema}). The validation scorer, the best checkpoint and the parameters the model ends with are
     * then the averaged ones; the optimizer keeps training the live ones. Off by default.
     *
     * @param decay in (0, 1), e.g. 0.999 (a horizon of about 1,000 steps)
     */
    public Fit ema(double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("ema decay must be in (0, 1); got " + decay);
        }
        this.emaDecay = decay;
        return this;
    }

    /**
     * Exempts biases and normalization parameters from weight decay, as the TabM paper's code does with its
     * parameter groups ({@code make_parameter_groups}: weight decay 0 for biases and norm layers).
     */
    public Fit noWeightDecayOnBiasesAndNorms() {
        this.noDecay = ParameterGroups.BIASES_AND_NORMS;
        return this;
    }

    /**
     * Trains on {@code train} and returns the history; the model ends with the parameters of the best epoch.
     *
     * @throws IllegalArgumentException if {@code train} is empty
     * @throws IllegalStateException if the scorer returns a non-finite value
     */
    public History run(RandomAccessDataset train) throws IOException, TranslateException {
        long size = train.size();
        if (size < 1) {
            throw new IllegalArgumentException("the training dataset is empty");
        }
        int stepsPerEpoch = Math.toIntExact((size + config.batchSize() - 1) / config.batchSize());
        LearningRateSchedule schedule = LearningRateSchedule.of(config, stepsPerEpoch);
        Optimizer adamW = AdamW.builder().optLearningRateTracker(schedule)
                .optWeightDecays((float) config.weightDecay()).build();
        if (noDecay != null && config.weightDecay() > 0) {
            Optimizer plain = AdamW.builder().optLearningRateTracker(schedule).optWeightDecays(0f).build();
            adamW = ParameterGroups.of(model.getBlock(), noDecay, adamW, plain);
        }
        DefaultTrainingConfig tc = new DefaultTrainingConfig(loss)
                .optOptimizer(adamW)
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        if (config.clipNorm() > 0) {
            tc.addTrainingListeners(new GradNormClipping(config.clipNorm()));
        }
        Sampler sampler = members > 1
                ? new IndependentBatchSampler(config.seed(), config.batchSize(), members)
                : new BatchSampler(new SeededShuffle(config.seed()), config.batchSize(), false);
        model.getNDManager().getEngine().setRandomSeed(Long.hashCode(config.seed()));
        initializeIfNeeded(train);

        History history = new History(metric);
        ProgressLine bar = progress ? new ProgressLine(config.epochs(), stepsPerEpoch) : null;
        int step = 0;
        double best = Double.NaN;
        try (BestCheckpoint checkpoint = new BestCheckpoint(model, checkpointDir);
                Trainer trainer = model.newTrainer(tc);
                ModelEma ema = emaDecay > 0 ? new ModelEma(model.getBlock(), model.getNDManager(), emaDecay) : null) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                double lossSum = 0;
                int batches = 0;
                // a sub-manager per epoch: DJL's data iterables make one per pass and never close it
                try (NDManager epochManager = trainer.getManager().newSubManager()) {
                    for (Batch batch : train.getData(epochManager, sampler)) {
                        try (batch) {
                            lossSum += trainStep(trainer, batch);
                        }
                        if (ema != null) {
                            ema.update();
                        }
                        batches++;
                        step++;
                        if (!Double.isFinite(lossSum)) {
                            // the step has already written non-finite values into the weights: every further
                            // batch would be wasted work, so the epoch ends here and the check below decides
                            LOG.warn("training loss is not finite at epoch {}, batch {}", epoch, batches);
                            break;
                        }
                        if (bar != null) {
                            bar.batch(epoch, batches, lossSum / batches);
                        }
                    }
                }
                trainer.notifyListeners(l -> l.onEpoch(trainer));
                double trainLoss = lossSum / batches;
                if (!Double.isFinite(trainLoss)) {
                    if (history.bestEpoch() < 1) {
                        throw new IllegalStateException("training loss at epoch " + epoch + " is not finite: "
                                + trainLoss + " (training diverged: lower the learning rate, or check the inputs and "
                                + "labels for NaN/Inf)");
                    }
                    LOG.warn("training loss at epoch {} is not finite ({}): training diverged; stopping and restoring "
                            + "the best epoch, {}", epoch, trainLoss, history.bestEpoch());
                    break;
                }
                double score;
                boolean improved;
                if (ema != null) {
                    ema.swap();   // score and keep the averaged parameters
                }
                try {
                    score = scorer == null ? trainLoss : score(epoch);
                    if (!Double.isFinite(score)) {
                        throw new IllegalStateException("validation " + metric + " at epoch " + epoch
                                + " is not finite: " + score + " (training diverged or the scorer failed)");
                    }
                    improved = Double.isNaN(best) || (lowerIsBetter ? score < best : score > best);
                    if (improved) {
                        best = score;
                        history.setBestEpoch(epoch);
                        checkpoint.save(epoch);
                    }
                } finally {
                    if (ema != null) {
                        ema.swap();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                history.add(new History.Epoch(epoch, trainLoss, score, schedule.valueAt(step), seconds));
                if (bar != null) {
                    bar.epochEnd(epoch, trainLoss, metric, score, improved);
                }
                LOG.debug("epoch {}: train loss {}, {} {}{}", epoch, trainLoss, metric, score, improved ? " *" : "");
                if (config.patience() > 0 && epoch - history.bestEpoch() >= config.patience()) {
                    LOG.info("early stop at epoch {}: no better {} for {} epochs; best epoch {}", epoch, metric,
                            config.patience(), history.bestEpoch());
                    break;
                }
            }
            checkpoint.restore();
        }
        return history;
    }

    /**
     * Calls the scorer and warns (once) when a call after the first leaves arrays behind in the model's manager:
     * with a real validation set that is tens of MB of native memory per epoch (see {@link ValidationScorer}).
     */
    private double score(int epoch) {
        NDManager manager = model.getNDManager();
        int before = manager.getManagedArrays().size();
        double score = scorer.score(model);
        leakedByScorer = manager.getManagedArrays().size() - before;
        if (epoch > 1 && leakedByScorer > 0 && !warnedLeak) {
            warnedLeak = true;
            LOG.warn("the validation scorer left {} arrays in the manager of model '{}' at epoch {}; they pile up every "
                    + "epoch. Lend its inputs to a sub-manager (NDManager.tempAttachAll), see ValidationScorer",
                    leakedByScorer, model.getName(), epoch);
        }
        return score;
    }

    /** Arrays the last scorer call left in the model's manager (for tests). */
    int leakedByScorer() {
        return leakedByScorer;
    }

    /** One optimizer step on {@code batch}; returns the batch's loss. */
    private static double trainStep(Trainer trainer, Batch batch) {
        double lossValue;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList preds = trainer.forward(batch.getData(), batch.getLabels());
            NDArray lossArray = trainer.getLoss().evaluate(batch.getLabels(), preds);
            collector.backward(lossArray);
            lossValue = lossArray.getFloat();
        }
        if (!Double.isFinite(lossValue)) {
            LOG.warn("non-finite training loss {}: {}", lossValue, diagnose(trainer, batch));
        }
        TrainingListener.BatchData data =
                new TrainingListener.BatchData(batch, Collections.emptyMap(), Collections.emptyMap());
        trainer.notifyListeners(l -> l.onTrainingBatch(trainer, data));   // gradient clipping happens here
        trainer.step();
        return lossValue;
    }

    /**
     * Where a non-finite loss came from, for the log: whether the batch's inputs, the parameters (before this step)
     * and their gradients are finite, naming up to twelve of the parameters that are not. Runs only on that failure.
     */
    static String diagnose(Trainer trainer, Batch batch) {
        StringBuilder out = new StringBuilder();
        boolean inputs = true;
        for (NDArray x : batch.getData()) {
            inputs &= allFinite(x);
        }
        out.append("inputs ").append(inputs ? "finite" : "NOT finite");
        List<String> badValues = new ArrayList<>();
        List<String> badGrads = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                continue;
            }
            if (!allFinite(param.getArray())) {
                badValues.add(p.getKey());
            }
            if (param.requiresGradient()) {
                try (NDArray g = param.getArray().getGradient()) {
                    if (!allFinite(g)) {
                        badGrads.add(p.getKey());
                    }
                }
            }
        }
        out.append("; parameters ").append(badValues.isEmpty() ? "finite" : "NOT finite: " + first(badValues));
        out.append("; gradients ").append(badGrads.isEmpty() ? "finite" : "NOT finite: " + first(badGrads));
        return out.toString();
    }

    private static boolean allFinite(NDArray x) {
        if (!x.getDataType().isFloating()) {
            return true;
        }
        try (NDArray nan = x.isNaN(); NDArray anyNan = nan.any(); NDArray inf = x.isInfinite();
                NDArray anyInf = inf.any()) {
            return !anyNan.getBoolean() && !anyInf.getBoolean();
        }
    }

    private static String first(List<String> names) {
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + " and " + (names.size() - 12) + " more";
    }

    /** Initializes the block from the shapes of the first training example (batch axis = batchSize). */
    private void initializeIfNeeded(RandomAccessDataset train) throws IOException {
        if (model.getBlock().isInitialized()) {
            return;
        }
        Shape[] shapes;
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            Record first = train.get(scratch, 0);
            shapes = first.getData().getShapes();
        }
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = new Shape(config.batchSize()).addAll(shapes[i]);
        }
        model.getBlock().initialize(model.getNDManager(), model.getDataType(), shapes);
    }
}
