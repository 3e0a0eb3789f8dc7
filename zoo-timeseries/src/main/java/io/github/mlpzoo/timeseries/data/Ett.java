package io.github.mlpzoo.timeseries.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ETT series (Zhou et al., Informer, AAAI 2021; {@code zhouhaoyi/ETDataset}) under the standard 12/4/4-month
 * protocol of the long-horizon forecasting papers (Informer/Autoformer {@code data_loader.py}, IBM's
 * PatchTSMixer notebook, Google's {@code tsmixer_basic/data_loader.py}):
 * <ul>
 *   <li>hourly files: train rows [0, 8640), validation [8640 − L, 11520), test [11520 − L, 14400), with L the
 *       context length (so the first validation/test target follows the previous part); 15-minute files ×4;</li>
 *   <li>a StandardScaler (mean and population std per channel) fitted on the training rows only, applied to all;</li>
 *   <li>windows with stride 1: input rows [i, i + L), target rows [i + L, i + L + H).</li>
 * </ul>
 * All 7 columns after {@code date} are used (multivariate forecasting, "M"). Values are kept standardized; errors
 * are measured in that space, as the papers do.
 */
public final class Ett {

    /** The ETT files' channels, in column order. */
    public static final int CHANNELS = 7;

    /** A split part. */
    public enum Part { TRAIN, VAL, TEST }

    private final String name;
    private final float[] data;   // standardized, (rows, C) row-major, first 20 months only
    private final int rows;
    private final int monthRows;  // rows per 30-day month
    private final double[] mean;
    private final double[] std;

    private Ett(String name, double[][] raw, int monthRows) {
        this.name = name;
        this.monthRows = monthRows;
        this.rows = 20 * monthRows;
        if (raw.length < rows) {
            throw new IllegalArgumentException(name + " has " + raw.length + " rows; the 12/4/4-month split needs "
                    + rows);
        }
        int train = 12 * monthRows;
        mean = new double[CHANNELS];
        std = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            double s = 0;
            for (int r = 0; r < train; r++) {
                s += raw[r][c];
            }
            mean[c] = s / train;
            double v = 0;
            for (int r = 0; r < train; r++) {
                double d = raw[r][c] - mean[c];
                v += d * d;
            }
            std[c] = Math.sqrt(v / train);
        }
        data = new float[rows * CHANNELS];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < CHANNELS; c++) {
                data[r * CHANNELS + c] = (float) ((raw[r][c] - mean[c]) / std[c]);
            }
        }
    }

    /**
     * Reads {@code file} (an ETT csv: header, then {@code date} and 7 numbers per row); hourly unless the name
     * starts with {@code ETTm}.
     */
    public static Ett load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "ETT csv not found");
        }
        String fileName = file.getFileName().toString();
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.startsWith("date,") || header.split(",").length != CHANNELS + 1) {
                throw new IOException(file + ": expected the header date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT; got "
                        + header);
            }
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != CHANNELS + 1) {
                    throw new IOException(file + ": row " + (rows.size() + 1) + " has " + f.length
                            + " fields; expected " + (CHANNELS + 1));
                }
                double[] v = new double[CHANNELS];
                for (int c = 0; c < CHANNELS; c++) {
                    v[c] = Double.parseDouble(f[c + 1]);
                }
                rows.add(v);
            }
        }
        int month = fileName.startsWith("ETTm") ? 30 * 24 * 4 : 30 * 24;
        return new Ett(fileName, rows.toArray(new double[0][]), month);
    }

    /** The ETT file {@code fileName} shipped in {@code src-test-data/ett} (or {@code -Dzoo.testdata}). */
    public static Ett loadEmbedded(String fileName) throws IOException {
        String prop = System.getProperty("zoo.testdata");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop, "ett", fileName))) {
            return load(Path.of(prop, "ett", fileName));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("src-test-data").resolve("ett").resolve(fileName);
            if (Files.isRegularFile(f)) {
                return load(f);
            }
        }
        throw new NoSuchFileException("src-test-data/ett/" + fileName, null,
                "no embedded ETT copy: set -Dzoo.testdata=<project>/src-test-data or pass --data <csv>");
    }

    /** The file name this series came from. */
    public String name() {
        return name;
    }

    /** The first row of {@code part}'s range for context length {@code context}. */
    int start(Part part, int context) {
        switch (part) {
            case TRAIN:
                return 0;
            case VAL:
                return 12 * monthRows - context;
            default:
                return 16 * monthRows - context;
        }
    }

    /** The end (exclusive) of {@code part}'s row range. */
    int end(Part part) {
        switch (part) {
            case TRAIN:
                return 12 * monthRows;
            case VAL:
                return 16 * monthRows;
            default:
                return 20 * monthRows;
        }
    }

    /** The number of windows of {@code part} for context {@code context} and horizon {@code horizon}. */
    public int windows(Part part, int context, int horizon) {
        int n = end(part) - start(part, context) - context - horizon + 1;
        if (n < 1) {
            throw new IllegalArgumentException(String.format(
                    "%s %s: context %d + horizon %d leave no window in rows [%d, %d)", name, part, context, horizon,
                    start(part, context), end(part)));
        }
        return n;
    }

    /**
     * Copies window {@code index} of {@code part} into {@code x} (context × C, from {@code xOff}) and {@code y}
     * (horizon × C, from {@code yOff}), standardized.
     */
    public void window(Part part, int index, int context, int horizon, float[] x, int xOff, float[] y, int yOff) {
        int row = start(part, context) + index;
        System.arraycopy(data, row * CHANNELS, x, xOff, context * CHANNELS);
        System.arraycopy(data, (row + context) * CHANNELS, y, yOff, horizon * CHANNELS);
    }

    /** The training mean of channel {@code c}. */
    public double mean(int c) {
        return mean[c];
    }

    /** The training population standard deviation of channel {@code c}. */
    public double std(int c) {
        return std[c];
    }
}
