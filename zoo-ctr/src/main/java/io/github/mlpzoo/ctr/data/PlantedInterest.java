package io.github.mlpzoo.ctr.data;

import io.github.mlpzoo.ctr.features.Sequences;

import java.util.Random;

/**
 * Synthetic CTR data with a planted interest structure, for tests: items belong to categories (item i to category
 * {@code i mod C}); each user has {@code interests} favourite categories; a sample's history holds 5..T items, each
 * from one of the user's categories with probability 0.8 and uniform otherwise; the candidate is drawn the same way
 * with probability 0.5. The click probability rises with the similarity of the candidate to the history:
 * <pre>
 *   sim = (history items sharing the candidate's category) / (history length),   p = sigmoid(-2 + 8 · sim)
 * </pre>
 * so it depends on the candidate-history interaction, which attention reads directly and sum pooling only through
 * the category histogram. Fields: user, item, category (ids from 1; rows U+1, I+1, C+1); history rows: item,
 * category, left-padded. Users are the GAUC groups.
 */
public final class PlantedInterest {

    private PlantedInterest() {}

    /** {@code samples} samples of {@code users} users over {@code items} items in {@code categories} categories. */
    public static CtrData generate(long seed, int samples, int users, int items, int categories, int interests,
            int maxLen) {
        if (items < categories || interests > categories || maxLen < 5) {
            throw new IllegalArgumentException("need items >= categories >= interests and maxLen >= 5");
        }
        Random rnd = new Random(seed);
        int[][] fav = new int[users][interests];
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < interests; k++) {
                fav[u][k] = rnd.nextInt(categories);
            }
        }
        long[] sparse = new long[samples * 3];
        long[] history = new long[samples * 2 * maxLen];
        float[] labels = new float[samples];
        int[] userIds = new int[samples];
        int[] hItems = new int[maxLen];
        int[] hCats = new int[maxLen];
        for (int r = 0; r < samples; r++) {
            int u = rnd.nextInt(users);
            int len = 5 + rnd.nextInt(maxLen - 4);
            for (int t = 0; t < len; t++) {
                int item = draw(rnd, fav[u], 0.8, items, categories);
                hItems[t] = item + 1;
                hCats[t] = item % categories + 1;
            }
            int cand = draw(rnd, fav[u], 0.5, items, categories);
            int cat = cand % categories + 1;
            int same = 0;
            for (int t = 0; t < len; t++) {
                same += hCats[t] == cat ? 1 : 0;
            }
            double p = 1 / (1 + Math.exp(-(-2 + 8.0 * same / len)));
            labels[r] = rnd.nextDouble() < p ? 1f : 0f;
            sparse[r * 3] = u + 1;
            sparse[r * 3 + 1] = cand + 1;
            sparse[r * 3 + 2] = cat;
            userIds[r] = u + 1;
            int base = r * 2 * maxLen;
            Sequences.encode(hItems, 0, len, maxLen, Sequences.Padding.LEFT, history, base);
            Sequences.encode(hCats, 0, len, maxLen, Sequences.Padding.LEFT, history, base + maxLen);
        }
        return new CtrData(3, 2, maxLen, sparse, history, labels, userIds);
    }

    /** An item of one of {@code fav} with probability {@code pFav}, else uniform. */
    private static int draw(Random rnd, int[] fav, double pFav, int items, int categories) {
        if (rnd.nextDouble() < pFav) {
            int c = fav[rnd.nextInt(fav.length)];
            int perCat = (items - c + categories - 1) / categories;   // items i < items with i % C == c
            return c + categories * rnd.nextInt(perCat);
        }
        return rnd.nextInt(items);
    }
}
