package io.github.mlpzoo.timeseries.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.train.GradNormClipping;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.timeseries.patchtsmixer.HierarchicalLoss;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The training protocol of Hugging Face's {@code Trainer} as IBM's PatchTSMixer ETTh1 notebook ran it
 * ({@code granite-tsfm} {@code patch_tsmixer_getting_started.ipynb}; {@code reference/nonvision.md}, addendum):
 * AdamW (betas 0.9/0.999, eps 1e-8, no weight decay) with a linear decay from {@code lr} to 0 over all
 * {@code epochs × steps} steps and no warm-up; global gradient-norm clipping; batches reshuffled every epoch, last
 * partial batch kept; MSE loss; validation MSE after every epoch; early stopping whose patience counter resets only
 * on an improvement larger than {@code threshold} ({@code EarlyStoppingCallback}), while the best model is the
 * epoch with the lowest validation loss ({@code load_best_model_at_end}), restored at the end.
 *
 * <p>{@link Settings#linearDecay()} false keeps the learning rate constant and {@code clipNorm <= 0} turns clipping
 * off: with weight decay 0 that is Keras' {@code Adam} as Google's TSMixer {@code run.py} trains (early stopping on
 * the validation loss, patience 5, threshold 0, the best epoch restored).
 *
 * <p>This differs from {@code core.train.Fit} in the schedule (linear, not cosine) and the early-stopping
 * threshold, which {@code Fit} does not offer; otherwise it uses the same pieces ({@link GradNormClipping},
 * {@link History}).
 */
final class HfTrainerProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(HfTrainerProtocol.class);

    /** The hyper-parameters. */
    record Settings(int epochs, int batchSize, double lr, boolean linearDecay, double clipNorm, int patience,
            double threshold, long seed) {}

    /** Scores the model on held-out windows (lower is better). */
    interface Scorer {
        double score(Model model);
    }

    /** Draws training batches: fills x and y for the window indices given. */
    interface Batches {
        int size();

        void fill(int[] indices, int from, int count, float[] x, float[] y);

        Shape xShape(int batch);

        Shape yShape(int batch);
    }

    private HfTrainerProtocol() {}

    /** Linear decay from {@code peak} at update 1 to 0 after {@code total} updates (HF {@code get_linear_schedule_with_warmup}, no warm-up). */
    static Tracker linear(double peak, int total) {
        return numUpdate -> (float) (peak * Math.max(0.0, (double) (total - (numUpdate - 1)) / total));
    }

    static History run(Model model, Batches data, Scorer scorer, Settings s, boolean progress) {
        return run(model, data, scorer, s, progress, new HierarchicalLoss()); // mean((y - p)^2) [+ terms]
    }

    /** As above with {@code loss} instead of the forecast MSE (e.g. the masked-patch loss of pretraining). */
    static History run(Model model, Batches data, Scorer scorer, Settings s, boolean progress, Loss loss) {
        int n = data.size();
        int steps = (n + s.batchSize() - 1) / s.batchSize();
        int total = steps * s.epochs();
        DefaultTrainingConfig tc = new DefaultTrainingConfig(loss)
                .optOptimizer(AdamW.builder().optLearningRateTracker(
                        s.linearDecay() ? linear(s.lr(), total) : Tracker.fixed((float) s.lr())).optWeightDecays(0f)
                        .optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-8f).build());
        GradNormClipping clipping = s.clipNorm() > 0 ? new GradNormClipping(s.clipNorm()) : null;
        History history = new History("val_mse");
        Random order = new Random(s.seed());
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        float[] x = new float[Math.toIntExact(data.xShape(s.batchSize()).size())];
        float[] y = new float[Math.toIntExact(data.yShape(s.batchSize()).size())];
        double best = Double.POSITIVE_INFINITY;
        Double bestForPatience = null;
        int counter = 0;
        List<float[]> bestParams = null;
        int update = 0;
        try (Trainer trainer = model.newTrainer(tc)) {
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                long t0 = System.nanoTime();
                for (int i = n - 1; i > 0; i--) {
                    int j = order.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                double lossSum = 0;
                for (int b = 0; b < steps; b++) {
                    int from = b * s.batchSize();
                    int count = Math.min(s.batchSize(), n - from);
                    data.fill(perm, from, count, x, y);
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray xb = m.create(FloatBuffer.wrap(x, 0, Math.toIntExact(data.xShape(count).size())),
                                data.xShape(count));
                        NDArray yb = m.create(FloatBuffer.wrap(y, 0, Math.toIntExact(data.yShape(count).size())),
                                data.yShape(count));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(xb));
                            NDArray value = trainer.getLoss().evaluate(new NDList(yb), pred);
                            gc.backward(value);
                            lossSum += value.getFloat();
                        }
                        if (clipping != null) {
                            clipping.onTrainingBatch(trainer, null);
                        }
                        trainer.step();
                        update++;
                    }
                    if (progress && (b % 20 == 0 || b == steps - 1)) {
                        System.err.printf(Locale.ROOT, "\repoch %d/%d  step %d/%d  loss %.4f   ", epoch, s.epochs(),
                                b + 1, steps, lossSum / (b + 1));
                    }
                }
                double val = scorer.score(model);
                if (!Double.isFinite(val)) {
                    throw new IllegalStateException("validation MSE at epoch " + epoch + " is " + val);
                }
                // EarlyStoppingCallback.check_metric_value: compared with the best so far, before it is updated
                if (bestForPatience == null || (val < bestForPatience && Math.abs(val - bestForPatience) > s.threshold())) {
                    counter = 0;
                } else {
                    counter++;
                }
                boolean improved = val < best;
                if (improved) {
                    best = val;
                    bestForPatience = val;
                    history.setBestEpoch(epoch);
                    bestParams = snapshot(model);
                }
                double lr = s.linearDecay() ? s.lr() * Math.max(0.0, (double) (total - update) / total) : s.lr();
                double secs = (System.nanoTime() - t0) / 1e9;
                history.add(new History.Epoch(epoch, lossSum / steps, val, lr, secs));
                if (progress) {
                    System.err.printf(Locale.ROOT, "\repoch %d/%d  train %.4f  val_mse %.5f%s  (%.0f s)%n", epoch,
                            s.epochs(), lossSum / steps, val, improved ? " *" : "", secs);
                } else {
                    LOG.info(String.format(Locale.ROOT, "epoch %d/%d: train %.4f, val_mse %.5f%s (%.0f s)", epoch,
                            s.epochs(), lossSum / steps, val, improved ? " *" : "", secs));
                }
                if (counter >= s.patience()) {
                    break;
                }
            }
        }
        if (bestParams != null) {
            restore(model, bestParams);
        }
        return history;
    }

    private static List<float[]> snapshot(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static void restore(Model model, List<float[]> values) {
        int i = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            p.getValue().getArray().set(FloatBuffer.wrap(values.get(i++)));
        }
    }

    /** Forward pass in inference mode on {@code x} within {@code scope}. */
    static NDArray predict(Model model, NDManager scope, NDArray x) {
        return model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false).get(0); // the forecast
    }
}
