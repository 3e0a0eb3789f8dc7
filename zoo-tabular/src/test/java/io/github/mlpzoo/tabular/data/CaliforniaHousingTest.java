package io.github.mlpzoo.tabular.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mlpzoo.tabular.data.CaliforniaHousing.Part;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** The California protocol (PROTOCOL.md) against the numpy/sklearn sample in src-test-data/california_housing/reference. */
class CaliforniaHousingTest {

    private static Path dir;
    private static CaliforniaHousing data;

    @BeforeAll
    static void load() throws IOException {
        dir = CaliforniaHousing.embeddedDir();
        data = CaliforniaHousing.load(dir);
    }

    @Test
    void rowCountsAndSplitFollowTheProtocol() {
        assertEquals(13077, data.size(Part.TRAIN));
        assertEquals(3269, data.size(Part.VAL));
        assertEquals(4087, data.size(Part.TEST));
        boolean[] seen = new boolean[20640];
        int total = 0;
        for (Part p : Part.values()) {
            int[] rows = data.rows(p);
            for (int i = 0; i < rows.length; i++) {
                assertTrue(i == 0 || rows[i] > rows[i - 1], "rows ascend inside " + p);
                assertTrue(!seen[rows[i]], "row " + rows[i] + " is in one part only");
                seen[rows[i]] = true;
                total++;
            }
        }
        assertEquals(20433, total);
        // PROTOCOL.md §2: perm[:5] = [13345, 11280, 16862, 16557, 4919] are the first training rows drawn
        for (int r : new int[] {13345, 11280, 16862, 16557, 4919}) {
            assertTrue(contains(data.rows(Part.TRAIN), r), "row " + r + " is a training row");
        }
    }

    @Test
    void targetStatisticsEqualTheProtocol() {
        assertEquals(2.061401844024658, (double) data.targetMean(), 0.0);
        assertEquals(1.1523183584213257, (double) data.targetStd(), 0.0);
        float[] z = data.standardizedTargets(Part.TRAIN);
        double mean = 0;
        for (float v : z) {
            mean += v;
        }
        assertEquals(0.0, mean / z.length, 1e-6);
    }

    @Test
    void noiseIsNumpysLegacyRandomState() throws IOException {
        assertEquals(0.5488135039273248, new NumpyRandomState(0).randomSample(), 0.0);
        List<double[]> ref = csv("noise_head.csv");
        NumpyRandomState rs = new NumpyRandomState(0);
        for (double[] r : ref) {
            double expected = r[1];
            assertEquals(expected, rs.normal(0.0, 1e-5), Math.abs(expected) * 1e-14, "noise[" + (int) r[0] + "]");
        }
    }

    @Test
    void quantilesEqualSklearn() throws IOException {
        QuantileTransform qt = QuantileTransform.fit(
                CaliforniaHousing.noisy(data.rawFeatures(Part.TRAIN)), CaliforniaHousing.N_FEATURES, 435);
        for (double[] r : csv("quantiles_sample.csv")) {
            for (int c = 0; c < CaliforniaHousing.N_FEATURES; c++) {
                double expected = r[1 + c];
                assertEquals(expected, qt.quantiles(c)[(int) r[0]], Math.abs(expected) * 1e-12,
                        "quantile " + (int) r[0] + " of feature " + c);
            }
        }
    }

    @Test
    void transformedFeaturesEqualSklearn() throws IOException {
        for (Part p : Part.values()) {
            List<double[]> ref = csv(p.label() + "_head20.csv");
            int[] rows = data.rows(p);
            float[] x = data.features(p);
            float[] y = data.targets(p);
            for (int i = 0; i < ref.size(); i++) {
                double[] r = ref.get(i);
                assertEquals((int) r[0], rows[i], p + " example " + i);
                for (int c = 0; c < CaliforniaHousing.N_FEATURES; c++) {
                    assertEquals(r[1 + c], x[i * CaliforniaHousing.N_FEATURES + c], 1e-6,
                            p + " example " + i + " feature " + c);
                }
                assertEquals(r[9], y[i], 0.0, p + " target " + i);
            }
        }
        // whole columns: mean and mean square of every transformed feature
        for (double[] r : csvWithPart("stats.csv")) {
            Part p = Part.values()[(int) r[0]];
            int c = (int) r[1];
            float[] x = data.features(p);
            int n = data.size(p);
            double m = 0;
            double m2 = 0;
            for (int i = 0; i < n; i++) {
                double v = x[i * CaliforniaHousing.N_FEATURES + c];
                m += v;
                m2 += v * v;
            }
            assertEquals(r[2], m / n, 1e-9, p + " feature " + c + " mean");
            assertEquals(r[3], m2 / n, 1e-9, p + " feature " + c + " mean square");
        }
    }

    @Test
    void transformIsClippedAtTheBoundsOfTheNormal() {
        assertEquals(-5.199337582605575, QuantileTransform.CLIP_MIN, 1e-12);
        assertEquals(5.19933758270342, QuantileTransform.CLIP_MAX, 1e-12);
        float[] big = {1e9f, 1e9f, 1e9f, 1e9f, 1e9f, 1e9f, 1e9f, 1e9f};
        QuantileTransform qt = QuantileTransform.fit(data.rawFeatures(Part.TRAIN), CaliforniaHousing.N_FEATURES, 435);
        float[] z = qt.transform(big);
        for (float v : z) {
            assertEquals((float) QuantileTransform.CLIP_MAX, v, 0f);
        }
    }

    @Test
    void ndtriMatchesKnownValues() {
        assertEquals(0.0, QuantileTransform.ndtri(0.5), 0.0);
        assertEquals(1.959963984540054, QuantileTransform.ndtri(0.975), 1e-15);
        assertEquals(-3.090232306167813, QuantileTransform.ndtri(0.001), 1e-14);
        assertEquals(-8.222082216130435, QuantileTransform.ndtri(1e-16), 1e-13);
        assertEquals(Double.NEGATIVE_INFINITY, QuantileTransform.ndtri(0.0));
        assertTrue(Double.isNaN(QuantileTransform.ndtri(1.5)));
    }

    @Test
    void missingOrMalformedFilesAreReported(@TempDir Path tmp) throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CaliforniaHousing.load(tmp));
        assertTrue(e.getMessage().contains("housing.csv"), e.getMessage());
        Files.copy(dir.resolve("housing.csv"), tmp.resolve("housing.csv"));
        Files.writeString(tmp.resolve("split.csv"), "row,split\n0,test\n1,holdout\n", StandardCharsets.UTF_8);
        IOException bad = assertThrows(IOException.class, () -> CaliforniaHousing.load(tmp));
        assertTrue(bad.getMessage().contains("'holdout'"), bad.getMessage());
        Files.writeString(tmp.resolve("split.csv"), "row,split\n0,test\n1,train\n", StandardCharsets.UTF_8);
        IOException missing = assertThrows(IOException.class, () -> CaliforniaHousing.load(tmp));
        assertTrue(missing.getMessage().contains("does not list kept row 2"), missing.getMessage());
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static List<double[]> csv(String name) throws IOException {
        return Files.readAllLines(dir.resolve("reference").resolve(name)).stream()
                .skip(1)
                .filter(l -> !l.isBlank())
                .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toList();
    }

    /** stats.csv: the part name becomes its ordinal. */
    private static List<double[]> csvWithPart(String name) throws IOException {
        return Files.readAllLines(dir.resolve("reference").resolve(name)).stream()
                .skip(1)
                .filter(l -> !l.isBlank())
                .map(l -> {
                    String[] c = l.split(",");
                    double part = switch (c[0]) {
                        case "train" -> 0;
                        case "val" -> 1;
                        default -> 2;
                    };
                    return new double[] {part, Double.parseDouble(c[1]), Double.parseDouble(c[2]),
                        Double.parseDouble(c[3])};
                })
                .toList();
    }
}
