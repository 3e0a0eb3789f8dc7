package io.github.mlpzoo.tabular.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * California Housing as the project's protocol defines it ({@code src-test-data/california_housing/PROTOCOL.md}):
 * 8 features derived from Géron's {@code housing.csv}, the 207 rows without {@code total_bedrooms} dropped
 * (20,433 kept), the fixed train/val/test split of {@code split.csv} (13,077 / 3,269 / 4,087 rows, each part in
 * ascending row order), and the official TabM preprocessing ({@code yandex-research/tabm},
 * {@code paper/lib/data.py}, {@code num_policy = "noisy-quantile"}):
 * <ol>
 *   <li>ratios in float64, then features and target cast to float32;</li>
 *   <li>a quantile transform to a normal distribution ({@code n_quantiles = max(min(n_train / 30, 1000), 10)} = 435)
 *       fitted on the training features plus {@code np.random.RandomState(0).normal(0, 1e-5, shape)} noise, then
 *       applied to the un-noised train, val and test features;</li>
 *   <li>the target (in $100k) standardized with the float32 train mean and population std
 *       (2.061401844024658 and 1.1523183584213257).</li>
 * </ol>
 * Features are row-major {@code (N, 8)} float arrays in the order of {@link #FEATURES}.
 */
public final class CaliforniaHousing {

    /** The feature names, in column order (sklearn's {@code fetch_california_housing} names). */
    public static final List<String> FEATURES = List.of(
            "MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude");

    /** Number of features. */
    public static final int N_FEATURES = 8;

    /** The parts of the fixed split. */
    public enum Part {
        TRAIN("train"),
        VAL("val"),
        TEST("test");

        private final String label;

        Part(String label) {
            this.label = label;
        }

        /** The name used in {@code split.csv}. */
        public String label() {
            return label;
        }
    }

    /** The data seed of the official preprocessing (noise of the quantile fit). */
    static final long DATA_SEED = 0;
    static final double NOISE_STD = 1e-5;
    static final String FOLDER = "california_housing";
    private static final String[] HEADER = {
        "longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms", "population",
        "households", "median_income", "median_house_value", "ocean_proximity"};
    private static final int ROWS_IN_CSV = 20640;

    private final Map<Part, int[]> rows = new EnumMap<>(Part.class);
    private final Map<Part, float[]> raw = new EnumMap<>(Part.class);
    private final Map<Part, float[]> features = new EnumMap<>(Part.class);
    private final Map<Part, float[]> targets = new EnumMap<>(Part.class);
    private final float targetMean;
    private final float targetStd;

    private CaliforniaHousing(Map<Part, int[]> rows, Map<Part, float[]> raw, Map<Part, float[]> targets) {
        this.rows.putAll(rows);
        this.raw.putAll(raw);
        this.targets.putAll(targets);
        float[] trainX = raw.get(Part.TRAIN);
        QuantileTransform qt = QuantileTransform.fit(
                noisy(trainX), N_FEATURES, Math.max(Math.min(size(Part.TRAIN) / 30, 1000), 10));
        for (Part p : Part.values()) {
            features.put(p, qt.transform(raw.get(p)));
        }
        float[] y = targets.get(Part.TRAIN);
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= y.length;
        double var = 0;
        for (float v : y) {
            var += (v - mean) * (v - mean);
        }
        this.targetMean = (float) mean;
        this.targetStd = (float) Math.sqrt(var / y.length);
    }

    /** The training features plus the protocol's noise, {@code x + float32(RandomState(0).normal(0, 1e-5))}. */
    static float[] noisy(float[] x) {
        NumpyRandomState rs = new NumpyRandomState(DATA_SEED);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + (float) rs.normal(0.0, NOISE_STD);
        }
        return out;
    }

    /**
     * Reads {@code housing.csv} and {@code split.csv} from {@code dir} and applies the protocol.
     *
     * @throws IOException if a file is missing or does not have the protocol's layout
     */
    public static CaliforniaHousing load(Path dir) throws IOException {
        Path housing = dir.resolve("housing.csv");
        Path split = dir.resolve("split.csv");
        for (Path f : new Path[] {housing, split}) {
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null,
                        "California Housing expects housing.csv and split.csv in " + dir);
            }
        }
        double[][] all = readHousing(housing);
        Map<Part, List<Integer>> parts = readSplit(split, all);
        Map<Part, int[]> rows = new EnumMap<>(Part.class);
        Map<Part, float[]> raw = new EnumMap<>(Part.class);
        Map<Part, float[]> targets = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            List<Integer> idx = parts.get(p);
            if (idx.isEmpty()) {
                throw new IOException(split + " has no '" + p.label() + "' rows");
            }
            int[] r = idx.stream().mapToInt(Integer::intValue).toArray();
            float[] x = new float[r.length * N_FEATURES];
            float[] y = new float[r.length];
            for (int i = 0; i < r.length; i++) {
                double[] row = all[r[i]];
                for (int j = 0; j < N_FEATURES; j++) {
                    x[i * N_FEATURES + j] = (float) row[j];
                }
                y[i] = (float) row[N_FEATURES];
            }
            rows.put(p, r);
            raw.put(p, x);
            targets.put(p, y);
        }
        return new CaliforniaHousing(rows, raw, targets);
    }

    /**
     * Loads the copy shipped in the project: {@code <zoo.testdata>/california_housing} when the system property
     * {@code zoo.testdata} is set, else the first {@code src-test-data/california_housing} found walking up from
     * the working directory.
     */
    public static CaliforniaHousing loadEmbedded() throws IOException {
        return load(embeddedDir());
    }

    /** Where {@link #loadEmbedded()} reads from. */
    static Path embeddedDir() throws NoSuchFileException {
        String prop = System.getProperty("zoo.testdata");
        if (prop != null && !prop.isBlank()) {
            Path dir = Path.of(prop).resolve(FOLDER);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path dir = d.resolve("src-test-data").resolve(FOLDER);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw new NoSuchFileException("src-test-data/" + FOLDER, null,
                "no embedded California Housing copy: set -Dzoo.testdata=<project>/src-test-data, run from inside "
                        + "the project, or pass the data directory (housing.csv + split.csv)");
    }

    /** Rows of {@code housing.csv}: the 8 features then the target ($100k), or null where a cell is missing. */
    private static double[][] readHousing(Path file) throws IOException {
        double[][] out = new double[ROWS_IN_CSV][];
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.strip().equals(String.join(",", HEADER))) {
                throw new IOException(file + ": expected the header " + String.join(",", HEADER) + "; got " + header);
            }
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                if (n == ROWS_IN_CSV) {
                    throw new IOException(file + ": expected " + ROWS_IN_CSV + " data rows; got more");
                }
                String[] c = line.split(",", -1);
                if (c.length != HEADER.length) {
                    throw new IOException(file + " row " + n + ": expected " + HEADER.length + " cells; got " + c.length);
                }
                out[n] = c[4].isEmpty() ? null : derive(c, file, n);
                n++;
            }
            if (n != ROWS_IN_CSV) {
                throw new IOException(file + ": expected " + ROWS_IN_CSV + " data rows; got " + n);
            }
        }
        return out;
    }

    /** PROTOCOL.md §1: MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup, Latitude, Longitude; y/1e5. */
    private static double[] derive(String[] c, Path file, int row) throws IOException {
        try {
            double longitude = Double.parseDouble(c[0]);
            double latitude = Double.parseDouble(c[1]);
            double age = Double.parseDouble(c[2]);
            double rooms = Double.parseDouble(c[3]);
            double bedrooms = Double.parseDouble(c[4]);
            double population = Double.parseDouble(c[5]);
            double households = Double.parseDouble(c[6]);
            double income = Double.parseDouble(c[7]);
            double value = Double.parseDouble(c[8]);
            return new double[] {
                income, age, rooms / households, bedrooms / households, population, population / households,
                latitude, longitude, value / 1e5};
        } catch (NumberFormatException e) {
            throw new IOException(file + " row " + row + ": a numeric cell does not parse: " + e.getMessage(), e);
        }
    }

    private static Map<Part, List<Integer>> readSplit(Path file, double[][] all) throws IOException {
        Map<Part, List<Integer>> parts = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            parts.put(p, new ArrayList<>());
        }
        boolean[] listed = new boolean[all.length];
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.strip().equals("row,split")) {
                throw new IOException(file + ": expected the header row,split; got " + header);
            }
            int previous = -1;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                int row;
                try {
                    row = Integer.parseInt(c[0].strip());
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": bad row index in line '" + line + "'", e);
                }
                if (c.length != 2 || row < 0 || row >= all.length || row <= previous) {
                    throw new IOException(file + ": expected 'row,split' with ascending rows in [0, "
                            + all.length + "); got '" + line + "'");
                }
                if (all[row] == null) {
                    throw new IOException(file + " lists row " + row + ", which has no total_bedrooms and is dropped");
                }
                parts.get(part(c[1].strip(), file)).add(row);
                listed[row] = true;
                previous = row;
            }
        }
        for (int i = 0; i < all.length; i++) {
            if (all[i] != null && !listed[i]) {
                throw new IOException(file + " does not list kept row " + i);
            }
        }
        return parts;
    }

    private static Part part(String label, Path file) throws IOException {
        for (Part p : Part.values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IOException(file + ": split must be train, val or test; got '" + label + "'");
    }

    /** Number of rows in {@code part}. */
    public int size(Part part) {
        return rows.get(part).length;
    }

    /** The 0-based {@code housing.csv} row of each example of {@code part}, ascending. */
    public int[] rows(Part part) {
        return rows.get(part).clone();
    }

    /** The preprocessed features of {@code part}, {@code (N, 8)} row-major. */
    public float[] features(Part part) {
        return features.get(part).clone();
    }

    /** The features of {@code part} before the quantile transform (float32), {@code (N, 8)} row-major. */
    public float[] rawFeatures(Part part) {
        return raw.get(part).clone();
    }

    /** The target of {@code part} in units of $100k (float32). */
    public float[] targets(Part part) {
        return targets.get(part).clone();
    }

    /** The standardized target of {@code part}: {@code (y - mean) / std} in float32, as the model is trained on. */
    public float[] standardizedTargets(Part part) {
        float[] y = targets.get(part);
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (y[i] - targetMean) / targetStd;
        }
        return out;
    }

    /** The float32 mean of the training target. */
    public float targetMean() {
        return targetMean;
    }

    /** The float32 population standard deviation of the training target. */
    public float targetStd() {
        return targetStd;
    }

    @Override
    public String toString() {
        return String.format("California Housing: train %d, val %d, test %d rows, %d features",
                size(Part.TRAIN), size(Part.VAL), size(Part.TEST), N_FEATURES);
    }
}
