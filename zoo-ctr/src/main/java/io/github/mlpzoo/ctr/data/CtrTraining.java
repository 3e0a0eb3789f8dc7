package io.github.mlpzoo.ctr.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;

import io.github.mlpzoo.core.train.Fit;
import io.github.mlpzoo.core.train.GroupAuc;
import io.github.mlpzoo.core.train.History;
import io.github.mlpzoo.core.train.Metrics;
import io.github.mlpzoo.core.train.TrainConfig;
import io.github.mlpzoo.ctr.din.Din;
import io.github.mlpzoo.ctr.din.DinConfig;
import io.github.mlpzoo.ctr.din.MiniBatchAwareRegularization;

import java.io.IOException;

/**
 * The training loop of the MovieLens CTR protocol ({@code CTR_PROTOCOL.md} §6), the same for every model: Adam
 * (AdamW with no weight decay) at lr 1e-3, batches of 256 in a fresh seeded order each epoch (the last partial
 * batch kept), mean binary cross-entropy on the logits, up to 10 epochs, validation AUC after each, patience 2, the
 * best epoch restored; metrics (§7) on sigmoid outputs: AUC, logloss (clipped to [1e-7, 1 - 1e-7]) and GAUC. A
 * {@link Din} whose config has {@code mbaLambda > 0} is trained with {@link MiniBatchAwareRegularization}.
 * Differences: the batch order comes from our seeded shuffle, not torch's generator; Adam is DJL's.
 */
public final class CtrTraining {

    /** Protocol constants. */
    public static final int BATCH = 256;
    public static final double LR = 1e-3;
    public static final int EPOCHS = 10;
    public static final int PATIENCE = 2;
    static final double CLIP = 1e-7;

    /** AUC, logloss and GAUC of one part. */
    public record Scores(double auc, double logloss, double gauc) {}

    private CtrTraining() {}

    /** The protocol's training config with {@code epochs} (0 = 10) and {@code seed}. */
    public static TrainConfig config(int epochs, long seed) {
        return TrainConfig.of(epochs > 0 ? epochs : EPOCHS, BATCH, LR).withPatience(PATIENCE).withSeed(seed);
    }

    /** Trains {@code model} on {@code train}, selecting by AUC on {@code valid}; the model ends at the best epoch. */
    public static History fit(Model model, CtrData train, CtrData valid, TrainConfig config, boolean progress)
            throws IOException {
        NDManager m = model.getNDManager();
        Loss loss = Loss.sigmoidBinaryCrossEntropyLoss("bce");
        boolean mba = false;
        if (model.getBlock() instanceof Din din && din.config().mbaLambda() > 0) {
            DinConfig c = din.config();
            long[][] counts = MiniBatchAwareRegularization.count(c, train.sparse(), train.history(), train.size(),
                    train.maxLen());
            loss = new MiniBatchAwareRegularization(din, c.mbaLambda(), counts);
            mba = true;
        }
        try (NDManager data = m.newSubManager()) {
            return Fit.of(model, loss, config)
                    .validation("val_auc", false, mdl -> score(mdl, valid).auc())
                    .progress(progress)
                    .run(train.dataset(data, mba));
        } catch (TranslateException e) {
            throw new IOException("reading a training batch failed", e);
        }
    }

    /** Sigmoid outputs of {@code model} on {@code data}, in inference mode, in chunks. */
    public static float[] predict(Model model, CtrData data) {
        float[] out = new float[data.size()];
        int chunk = 4096;
        for (int from = 0; from < data.size(); from += chunk) {
            int to = Math.min(data.size(), from + chunk);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList x = data.inputs(scope, from, to);
                NDArray logits = model.getBlock().forward(new ParameterStore(scope, false), x, false)
                        .singletonOrThrow();
                float[] p = Activation.sigmoid(logits).toFloatArray();
                System.arraycopy(p, 0, out, from, p.length);
            }
        }
        return out;
    }

    /** AUC, logloss and GAUC of {@code model} on {@code data}. */
    public static Scores score(Model model, CtrData data) {
        float[] p = predict(model, data);
        return scores(p, data.labels(), data.users());
    }

    /** AUC, clipped logloss (natural log, mean) and GAUC of probabilities {@code p}. */
    public static Scores scores(float[] p, float[] y, int[] users) {
        double ll = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(Math.max(p[i], CLIP), 1 - CLIP);
            ll -= y[i] > 0.5f ? Math.log(q) : Math.log(1 - q);
        }
        return new Scores(Metrics.auc(p, y), ll / p.length, GroupAuc.gauc(p, y, users));
    }
}
