package io.github.mlpzoo.tabular.data;

import io.github.mlpzoo.tabular.data.CaliforniaHousing.Part;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * UCI Adult (census income, Kohavi 1996) as the project's protocol defines it
 * ({@code src-test-data/adult/PROTOCOL.md}), following the TabM paper's data handling ({@code yandex-research/tabm},
 * {@code paper/lib/data.py}):
 * <ul>
 *   <li>rows: {@code adult.data} (32,561) is split into train 26,048 and val 6,513 by a stratified 80/20 split equal to
 *       scikit-learn's {@code train_test_split(rows, test_size=0.2, stratify=y, random_state=0)}; {@code adult.test}
 *       (16,281) is the test part. Each part keeps ascending file order. Rows with {@code ?} are kept.</li>
 *   <li>6 numerical features ({@link #NUMERICAL}), noisy-quantile transformed exactly as for California Housing
 *       ({@code n_quantiles = max(min(26048 / 30, 1000), 10) = 868}, fit on train + {@code RandomState(0)} noise of
 *       std 1e-5).</li>
 *   <li>8 categorical features ({@link #CATEGORICAL}), ordinal codes of the categories seen in the training part, in
 *       sorted (code point) order as scikit-learn's {@code OrdinalEncoder} sorts them; {@code ?} (missing) is a category
 *       of its own. A category not seen in training gets the <b>unknown code</b> {@code c_j} (the cardinality), which
 *       the model's one-hot encoding maps to all zeros, as the official {@code transform_cat} and
 *       {@code OneHotEncoding0d} do. Cardinalities on the training part: [9, 16, 7, 15, 6, 5, 2, 42] (102 one-hot
 *       columns).</li>
 *   <li>label 1 for {@code >50K} (the test file's {@code >50K.} too), 0 for {@code <=50K}.</li>
 * </ul>
 * A malformed line (wrong field count, a numerical cell that does not parse or is NaN, an unknown label) is an
 * {@link IOException} naming the file and line; Adult has no missing numerical values, so none is imputed.
 */
public final class Adult {

    /** The numerical features, in column order of {@link #numerical}. */
    public static final List<String> NUMERICAL = List.of(
            "age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week");

    /** The categorical features, in column order of {@link #categorical}. */
    public static final List<String> CATEGORICAL = List.of(
            "workclass", "education", "marital-status", "occupation", "relationship", "race", "sex", "native-country");

    /** Number of numerical features. */
    public static final int N_NUM = 6;
    /** Number of categorical features. */
    public static final int N_CAT = 8;

    static final String FOLDER = "adult";
    static final long SPLIT_SEED = 0;
    static final double VAL_FRACTION = 0.2;
    private static final int FIELDS = 15;
    /** Column indices in the files: numerical and categorical features. */
    private static final int[] NUM_COLUMNS = {0, 2, 4, 10, 11, 12};
    private static final int[] CAT_COLUMNS = {1, 3, 5, 6, 7, 8, 9, 13};
    private static final String TEST_FIRST_LINE = "|1x3 Cross validator";

    private final Map<Part, int[]> rows = new EnumMap<>(Part.class);
    private final Map<Part, float[]> raw = new EnumMap<>(Part.class);
    private final Map<Part, float[]> numerical = new EnumMap<>(Part.class);
    private final Map<Part, long[]> categorical = new EnumMap<>(Part.class);
    private final Map<Part, int[]> labels = new EnumMap<>(Part.class);
    private final List<List<String>> categories;

    private Adult(Map<Part, List<String[]>> parts, Map<Part, int[]> rowIds) {
        rows.putAll(rowIds);
        List<String[]> train = parts.get(Part.TRAIN);
        categories = new ArrayList<>();
        for (int j = 0; j < N_CAT; j++) {
            TreeSet<String> seen = new TreeSet<>();
            for (String[] r : train) {
                seen.add(r[CAT_COLUMNS[j]]);
            }
            categories.add(List.copyOf(seen));
        }
        for (Part p : Part.values()) {
            List<String[]> part = parts.get(p);
            float[] x = new float[part.size() * N_NUM];
            long[] c = new long[part.size() * N_CAT];
            int[] y = new int[part.size()];
            for (int i = 0; i < part.size(); i++) {
                String[] r = part.get(i);
                for (int j = 0; j < N_NUM; j++) {
                    x[i * N_NUM + j] = Float.parseFloat(r[NUM_COLUMNS[j]]); // checked when read
                }
                String[] cats = new String[N_CAT];
                for (int j = 0; j < N_CAT; j++) {
                    cats[j] = r[CAT_COLUMNS[j]];
                }
                System.arraycopy(encode(cats), 0, c, i * N_CAT, N_CAT);
                y[i] = r[FIELDS - 1].startsWith(">50K") ? 1 : 0;
            }
            raw.put(p, x);
            categorical.put(p, c);
            labels.put(p, y);
        }
        int nTrain = size(Part.TRAIN);
        QuantileTransform qt = QuantileTransform.fit(
                CaliforniaHousing.noisy(raw.get(Part.TRAIN)), N_NUM, Math.max(Math.min(nTrain / 30, 1000), 10));
        for (Part p : Part.values()) {
            numerical.put(p, qt.transform(raw.get(p)));
        }
    }

    /**
     * Reads {@code adult.data} and {@code adult.test} from {@code dir} and applies the protocol.
     *
     * @throws IOException if a file is missing or a line is malformed
     */
    public static Adult load(Path dir) throws IOException {
        Path data = dir.resolve("adult.data");
        Path test = dir.resolve("adult.test");
        for (Path f : new Path[] {data, test}) {
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "Adult expects adult.data and adult.test in " + dir);
            }
        }
        List<String[]> all = read(data, false);
        List<String[]> testRows = read(test, true);
        int[] label = new int[all.size()];
        for (int i = 0; i < label.length; i++) {
            label[i] = all.get(i)[FIELDS - 1].startsWith(">50K") ? 1 : 0;
        }
        boolean[] isVal = stratifiedValidation(label, VAL_FRACTION, SPLIT_SEED);
        Map<Part, List<String[]>> parts = new EnumMap<>(Part.class);
        Map<Part, int[]> ids = new EnumMap<>(Part.class);
        List<String[]> tr = new ArrayList<>();
        List<String[]> va = new ArrayList<>();
        List<Integer> trIds = new ArrayList<>();
        List<Integer> vaIds = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (isVal[i] ? va : tr).add(all.get(i));
            (isVal[i] ? vaIds : trIds).add(i);
        }
        parts.put(Part.TRAIN, tr);
        parts.put(Part.VAL, va);
        parts.put(Part.TEST, testRows);
        ids.put(Part.TRAIN, trIds.stream().mapToInt(Integer::intValue).toArray());
        ids.put(Part.VAL, vaIds.stream().mapToInt(Integer::intValue).toArray());
        int[] t = new int[testRows.size()];
        Arrays.setAll(t, i -> i);
        ids.put(Part.TEST, t);
        return new Adult(parts, ids);
    }

    /**
     * Loads the copy shipped in the project: {@code <zoo.testdata>/adult} when the system property
     * {@code zoo.testdata} is set, else the first {@code src-test-data/adult} found walking up from the working
     * directory.
     */
    public static Adult loadEmbedded() throws IOException {
        String prop = System.getProperty("zoo.testdata");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop).resolve(FOLDER))) {
            return load(Path.of(prop).resolve(FOLDER));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path dir = d.resolve("src-test-data").resolve(FOLDER);
            if (Files.isDirectory(dir)) {
                return load(dir);
            }
        }
        throw new NoSuchFileException("src-test-data/" + FOLDER, null,
                "no embedded Adult copy: set -Dzoo.testdata=<project>/src-test-data, run from inside the project, "
                        + "or pass the data directory (adult.data + adult.test)");
    }

    /**
     * scikit-learn 1.2's {@code StratifiedShuffleSplit(test_size=fraction, random_state=seed)} for two classes, as
     * {@code train_test_split(..., stratify=y)} calls it: {@code n_test = ceil(fraction·n)}; per class the training
     * count is the floor of its share of {@code n_train}, the one left-over row going to the class with the larger
     * remainder (with two classes no random tie-break is drawn); then {@code RandomState(seed).permutation(count)}
     * of each class's rows (ascending), in class order, gives the first rows to train and the rest to validation.
     * Returns, per row, whether it is a validation row.
     */
    static boolean[] stratifiedValidation(int[] label, double fraction, long seed) {
        int n = label.length;
        int nTest = (int) Math.ceil(fraction * n);
        int nTrain = n - nTest;
        int[] counts = new int[2];
        for (int y : label) {
            counts[y]++;
        }
        if (counts[0] == 0 || counts[1] == 0) {
            throw new IllegalArgumentException("a stratified split needs both classes; got counts "
                    + Arrays.toString(counts));
        }
        double[] continuous = {(double) counts[0] * nTrain / n, (double) counts[1] * nTrain / n};
        int[] trainCount = {(int) Math.floor(continuous[0]), (int) Math.floor(continuous[1])};
        int missing = nTrain - trainCount[0] - trainCount[1];
        if (missing == 1) {
            double r0 = continuous[0] - trainCount[0];
            double r1 = continuous[1] - trainCount[1];
            if (r0 == r1) {
                throw new IllegalStateException("tied remainders need sklearn's random tie-break; not implemented");
            }
            trainCount[r0 > r1 ? 0 : 1]++;
        } else if (missing != 0) {
            throw new IllegalStateException("unexpected rounding in the stratified split: " + missing);
        }
        NumpyRandomState rs = new NumpyRandomState(seed);
        boolean[] isVal = new boolean[n];
        for (int c = 0; c < 2; c++) {
            int[] members = new int[counts[c]];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (label[i] == c) {
                    members[m++] = i;
                }
            }
            int[] perm = rs.permutation(counts[c]);
            for (int i = trainCount[c]; i < counts[c]; i++) {
                isVal[members[perm[i]]] = true;
            }
        }
        return isVal;
    }

    private static List<String[]> read(Path file, boolean isTest) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank() || isTest && lineNo == 1 && line.startsWith(TEST_FIRST_LINE)) {
                    continue;
                }
                String[] c = line.split(",", -1);
                if (c.length != FIELDS) {
                    throw new IOException(file + " line " + lineNo + ": expected " + FIELDS
                            + " comma-separated fields (age ... income); got " + c.length);
                }
                for (int i = 0; i < c.length; i++) {
                    c[i] = c[i].strip();
                }
                for (int j = 0; j < N_NUM; j++) {
                    String cell = c[NUM_COLUMNS[j]];
                    float v;
                    try {
                        v = Float.parseFloat(cell);
                    } catch (NumberFormatException e) {
                        throw new IOException(file + " line " + lineNo + ": numerical feature " + NUMERICAL.get(j)
                                + " must be a number; got '" + cell + "'", e);
                    }
                    if (!Float.isFinite(v)) {
                        throw new IOException(file + " line " + lineNo + ": numerical feature " + NUMERICAL.get(j)
                                + " is " + cell + "; Adult has no missing numerical values and none is imputed");
                    }
                }
                String y = c[FIELDS - 1];
                if (isTest && y.endsWith(".")) {
                    y = y.substring(0, y.length() - 1);
                }
                if (!y.equals(">50K") && !y.equals("<=50K")) {
                    throw new IOException(file + " line " + lineNo + ": income must be <=50K or >50K; got '"
                            + c[FIELDS - 1] + "'");
                }
                c[FIELDS - 1] = y;
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no data rows");
        }
        return out;
    }

    /**
     * The ordinal codes of one row's 8 categorical values (in {@link #CATEGORICAL} order): the index among the
     * training categories, or the unknown code {@code c_j} for a value not seen in training.
     *
     * @throws IllegalArgumentException if there are not exactly 8 values
     */
    public long[] encode(String... values) {
        if (values.length != N_CAT) {
            throw new IllegalArgumentException("Adult has " + N_CAT + " categorical features " + CATEGORICAL
                    + "; got " + values.length + " values");
        }
        long[] out = new long[N_CAT];
        for (int j = 0; j < N_CAT; j++) {
            int k = java.util.Collections.binarySearch(categories.get(j), values[j].strip());
            out[j] = k >= 0 ? k : categories.get(j).size();
        }
        return out;
    }

    /** Number of rows in {@code part}. */
    public int size(Part part) {
        return labels.get(part).length;
    }

    /** The 0-based data-row index of each example of {@code part} in its file ({@code adult.data} or {@code adult.test}). */
    public int[] rows(Part part) {
        return rows.get(part).clone();
    }

    /** The transformed numerical features of {@code part}, {@code (N, 6)} row-major float32. */
    public float[] numerical(Part part) {
        return numerical.get(part).clone();
    }

    /** The numerical features of {@code part} as read (float32), {@code (N, 6)} row-major. */
    public float[] rawNumerical(Part part) {
        return raw.get(part).clone();
    }

    /** The categorical codes of {@code part}, {@code (N, 8)} row-major; {@code c_j} marks a category unseen in training. */
    public long[] categorical(Part part) {
        return categorical.get(part).clone();
    }

    /** The labels of {@code part}: 1 for income {@code >50K}, else 0. */
    public int[] labels(Part part) {
        return labels.get(part).clone();
    }

    /** The number of training categories of each categorical feature (the unknown code is not counted). */
    public int[] cardinalities() {
        return categories.stream().mapToInt(List::size).toArray();
    }

    /** The training categories of categorical feature {@code j}, in code order. */
    public List<String> categories(int j) {
        return categories.get(j);
    }

    @Override
    public String toString() {
        return String.format("Adult: train %d, val %d, test %d rows, %d numerical + %d categorical features",
                size(Part.TRAIN), size(Part.VAL), size(Part.TEST), N_NUM, N_CAT);
    }
}
