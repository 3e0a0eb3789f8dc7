package io.github.mlpzoo.core.nn.kan;

/**
 * Dense least squares in double precision for the small systems of a KAN spline fit ({@code torch.linalg.lstsq}
 * in efficient-kan's {@code curve2coeff}): for A of shape (rows, cols) and B of shape (rows, m), the X of shape
 * (cols, m) minimising ‖AX − B‖. Over-determined systems use the normal equations; under-determined ones (the
 * initial noise fit has grid+1 points for grid+order coefficients) the minimum-norm solution
 * {@code Aᵀ(AAᵀ)⁻¹B}. A singular Gram matrix gets a ridge of 1e-12 of its trace (a basis with no sample).
 */
final class LeastSquares {

    private LeastSquares() {}

    static double[][] solve(double[][] a, double[][] b) {
        int rows = a.length;
        int cols = a[0].length;
        int m = b[0].length;
        if (rows >= cols) {
            double[][] g = new double[cols][cols];
            double[][] r = new double[cols][m];
            for (int n = 0; n < rows; n++) {
                double[] an = a[n];
                for (int i = 0; i < cols; i++) {
                    if (an[i] == 0) {
                        continue;
                    }
                    for (int j = 0; j < cols; j++) {
                        g[i][j] += an[i] * an[j];
                    }
                    for (int k = 0; k < m; k++) {
                        r[i][k] += an[i] * b[n][k];
                    }
                }
            }
            return cholSolve(g, r);
        }
        double[][] g = new double[rows][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    s += a[i][c] * a[j][c];
                }
                g[i][j] = s;
            }
        }
        double[][] y = cholSolve(g, b);
        double[][] x = new double[cols][m];
        for (int c = 0; c < cols; c++) {
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += a[i][c] * y[i][k];
                }
                x[c][k] = s;
            }
        }
        return x;
    }

    /** Solves G X = R for symmetric positive semi-definite G by Cholesky, with a ridge if G is singular. */
    private static double[][] cholSolve(double[][] g, double[][] r) {
        int n = g.length;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += g[i][i];
        }
        double ridge = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            double[][] l = cholesky(g, ridge);
            if (l != null) {
                return substitute(l, r);
            }
            ridge = ridge == 0 ? Math.max(trace, 1e-300) * 1e-12 : ridge * 100;
        }
        throw new IllegalStateException("LeastSquares: the Gram matrix is not positive definite even with a ridge of "
                + ridge);
    }

    private static double[][] cholesky(double[][] g, double ridge) {
        int n = g.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = g[i][j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[][] substitute(double[][] l, double[][] r) {
        int n = l.length;
        int m = r[0].length;
        double[][] y = new double[n][m];
        for (int k = 0; k < m; k++) {
            for (int i = 0; i < n; i++) {
                double s = r[i][k];
                for (int j = 0; j < i; j++) {
                    s -= l[i][j] * y[j][k];
                }
                y[i][k] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i][k];
                for (int j = i + 1; j < n; j++) {
                    s -= l[j][i] * y[j][k];
                }
                y[i][k] = s / l[i][i];
            }
        }
        return y;
    }
}
