package io.github.mlpzoo.tabular.data;

import java.util.Arrays;

/**
 * scikit-learn 1.2's {@code QuantileTransformer(output_distribution='normal')} on dense float32 data, reproduced
 * step by step so that our features equal the official TabM preprocessing ({@code paper/lib/data.py},
 * {@code transform_num}) to float32 rounding.
 *
 * <p>Fit, per column: the {@code n_q} quantiles {@code np.nanpercentile(col, references * 100)} with numpy 1.24's
 * linear method (the difference of the two neighbours is taken in float32, the interpolation in float64), then a
 * cumulative maximum. {@code references = linspace(0, 1, n_q)}.
 *
 * <p>Transform, per value {@code x} (float32): {@code u = 0.5 * (interp(x, q, ref) - interp(-x, -q[::-1],
 * -ref[::-1]))}, rounded to float32 (sklearn writes it back into the float32 column); {@code u = 1} where
 * {@code x + 1e-7 > q[-1]} and then {@code u = 0} where {@code x - 1e-7 < q[0]} (both sums in float32);
 * {@code z = float32(ndtri(u))} clipped to {@code [ndtri(1e-7 - eps), ndtri(1 - (1e-7 - eps))]}.
 * Data layout: row-major {@code (rows, cols)} float arrays.
 */
final class QuantileTransform {

    static final double BOUNDS_THRESHOLD = 1e-7;
    private static final double EPS = Math.ulp(1.0); // np.spacing(1)
    static final double CLIP_MIN = ndtri(BOUNDS_THRESHOLD - EPS);
    static final double CLIP_MAX = ndtri(1 - (BOUNDS_THRESHOLD - EPS));

    private final int cols;
    private final double[] references;
    private final double[] negReferencesReversed;
    private final double[][] quantiles;
    private final double[][] negQuantilesReversed;

    private QuantileTransform(double[] references, double[][] quantiles) {
        this.cols = quantiles.length;
        this.references = references;
        this.quantiles = quantiles;
        this.negReferencesReversed = negReversed(references);
        this.negQuantilesReversed = new double[cols][];
        for (int c = 0; c < cols; c++) {
            negQuantilesReversed[c] = negReversed(quantiles[c]);
        }
    }

    /** Fits {@code nQuantiles} quantiles per column of {@code x} ({@code (rows, cols)}, row-major). */
    static QuantileTransform fit(float[] x, int cols, int nQuantiles) {
        if (cols < 1 || x.length % cols != 0 || x.length == 0) {
            throw new IllegalArgumentException(
                    "fit expects a non-empty (rows, " + cols + ") row-major array; got " + x.length + " values");
        }
        int rows = x.length / cols;
        int nq = Math.max(1, Math.min(nQuantiles, rows));
        double[] refs = linspace01(nq);
        double[][] q = new double[cols][];
        float[] col = new float[rows];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                col[r] = x[r * cols + c];
                if (Float.isNaN(col[r])) {
                    throw new IllegalArgumentException("fit expects no NaN; column " + c + " row " + r + " is NaN");
                }
            }
            Arrays.sort(col);
            q[c] = percentiles(col, refs);
        }
        return new QuantileTransform(refs, q);
    }

    /** {@code np.linspace(0, 1, n)}: {@code i * (1/(n-1))}, the last one exactly 1. */
    static double[] linspace01(int n) {
        double[] out = new double[n];
        if (n == 1) {
            return out;
        }
        double step = 1.0 / (n - 1);
        for (int i = 0; i < n; i++) {
            out[i] = i * step;
        }
        out[n - 1] = 1.0;
        return out;
    }

    /** numpy 1.24 {@code nanpercentile(sorted, refs * 100)}, method linear, then the cumulative maximum. */
    private static double[] percentiles(float[] sorted, double[] refs) {
        int n = sorted.length;
        double[] out = new double[refs.length];
        for (int i = 0; i < refs.length; i++) {
            double q = (refs[i] * 100) / 100; // references * 100, then nanpercentile divides by 100
            double virtual = (n - 1) * q;
            double v;
            if (virtual >= n - 1) {
                v = sorted[n - 1];
            } else {
                int prev = (int) Math.floor(virtual);
                double gamma = virtual - prev;
                float a = sorted[prev];
                float b = sorted[prev + 1];
                float diff = b - a; // float32 subtract, as numpy's _lerp on float32 arrays
                v = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
            }
            out[i] = i == 0 ? v : Math.max(out[i - 1], v);
        }
        return out;
    }

    /** The fitted quantiles of column {@code c} (a copy). */
    double[] quantiles(int c) {
        return quantiles[c].clone();
    }

    /** Transforms {@code x} ({@code (rows, cols)}, row-major) into a new array of the same layout. */
    float[] transform(float[] x) {
        if (x.length % cols != 0) {
            throw new IllegalArgumentException(
                    "transform expects a (rows, " + cols + ") row-major array; got " + x.length + " values");
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = transformValue(x[i], i % cols);
        }
        return out;
    }

    float transformValue(float x, int c) {
        if (Float.isNaN(x)) {
            return 0f; // the official code's nan_to_num after the transform
        }
        double[] q = quantiles[c];
        double xd = x;
        float u = (float) (0.5 * (interp(xd, q, references) - interp(-xd, negQuantilesReversed[c], negReferencesReversed)));
        if ((double) (x + (float) BOUNDS_THRESHOLD) > q[q.length - 1]) {
            u = 1f;
        }
        if ((double) (x - (float) BOUNDS_THRESHOLD) < q[0]) {
            u = 0f;
        }
        double z;
        if (u <= 0f) {
            z = Double.NEGATIVE_INFINITY;
        } else if (u >= 1f) {
            z = Double.POSITIVE_INFINITY;
        } else {
            z = (float) ndtri(u); // scipy's ndtri has a float32 loop: the result is rounded to float32
        }
        return (float) Math.min(Math.max(z, CLIP_MIN), CLIP_MAX);
    }

    /** {@code np.interp(x, xp, fp)} with the default left/right values, as numpy 1.24 computes it. */
    static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        if (x < xp[0]) {
            return fp[0];
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) { // the largest j with xp[j] <= x
            int mid = (lo + hi) >>> 1;
            if (x >= xp[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int j = lo - 1;
        if (j == n - 1 || xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        double r = slope * (x - xp[j]) + fp[j];
        if (Double.isNaN(r)) {
            r = slope * (x - xp[j + 1]) + fp[j + 1];
            if (Double.isNaN(r) && fp[j] == fp[j + 1]) {
                r = fp[j];
            }
        }
        return r;
    }

    private static double[] negReversed(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[a.length - 1 - i];
        }
        return out;
    }

    /**
     * The standard normal quantile Φ⁻¹(p), Wichura's algorithm AS 241 ({@code PPND16}, Applied Statistics 37(3),
     * 1988), accurate to about 1e-16 relative; -inf at 0, +inf at 1, NaN outside [0, 1].
     */
    static double ndtri(double p) {
        if (Double.isNaN(p) || p < 0 || p > 1) {
            return Double.NaN;
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
                    + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                    + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
                    + 1.3314166789178437745e2) * r + 3.3871328727963666080)
                    / (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
                    + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                    + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
                    + 4.2313330701600911252e1) * r + 1.0);
        }
        double r = q < 0 ? p : 1 - p;
        r = Math.sqrt(-Math.log(r));
        double value;
        if (r <= 5) {
            r -= 1.6;
            value = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                    + 2.41780725177450611770e-1) * r + 1.27045825245236838258) * r
                    + 3.64784832476320460504) * r + 5.76949722146069140550) * r
                    + 4.63033784615654529590) * r + 1.42343711074968357734)
                    / (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                    + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                    + 6.89767334985100004550e-1) * r + 1.67638483018380384940) * r
                    + 2.05319162663775882187) * r + 1.0);
        } else {
            r -= 5;
            value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                    + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                    + 2.96560571828504891230e-1) * r + 1.78482653991729133580) * r
                    + 5.46378491116411436990) * r + 6.65790464350110377720)
                    / (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                    + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                    + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                    + 5.99832206555887937690e-1) * r + 1.0);
        }
        return q < 0 ? -value : value;
    }
}
