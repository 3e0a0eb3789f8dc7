package io.github.mlpzoo.core.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group AUC, the user-weighted AUC the DIN paper reports (Zhou et al., KDD 2018, §6.2, eq. 11):
 * <pre>
 *   GAUC = Σ_u n_u · AUC_u / Σ_u n_u
 * </pre>
 * over the groups (users) whose events have both labels; n_u = the number of the group's events, AUC_u the
 * tie-aware ROC AUC of {@link Metrics#auc(float[], float[])} on them. Groups with one label only are skipped, as in
 * the MovieLens CTR protocol ({@code CTR_PROTOCOL.md} §7). Returns NaN when no group has both labels.
 */
public final class GroupAuc {

    private GroupAuc() {}

    /** The GAUC of {@code scores} against 0/1 {@code labels}, events grouped by {@code groups}. */
    public static double gauc(float[] scores, float[] labels, int[] groups) {
        if (scores.length != labels.length || scores.length != groups.length) {
            throw new IllegalArgumentException("gauc needs scores, labels and groups of one length; got "
                    + scores.length + ", " + labels.length + ", " + groups.length);
        }
        Map<Integer, List<Integer>> byGroup = new HashMap<>();
        for (int i = 0; i < groups.length; i++) {
            byGroup.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        }
        double num = 0;
        long den = 0;
        for (List<Integer> rows : byGroup.values()) {
            int pos = 0;
            for (int i : rows) {
                pos += labels[i] > 0.5f ? 1 : 0;
            }
            if (pos == 0 || pos == rows.size()) {
                continue;
            }
            float[] s = new float[rows.size()];
            float[] y = new float[rows.size()];
            for (int j = 0; j < s.length; j++) {
                s[j] = scores[rows.get(j)];
                y[j] = labels[rows.get(j)];
            }
            num += rows.size() * Metrics.auc(s, y);
            den += rows.size();
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
