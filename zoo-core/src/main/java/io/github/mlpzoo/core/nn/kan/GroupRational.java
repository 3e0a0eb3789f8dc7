package io.github.mlpzoo.core.nn.kan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * The group-rational activation of GR-KAN (Yang &amp; Wang, <i>Kolmogorov–Arnold Transformer</i>, ICLR 2025, §4;
 * official {@code Adamdad/rational_kat_cu}, {@code kat_rational/kat_1dgroup_triton.py} {@code KAT_Group} with the
 * kernels {@code rational_triton.py} / {@code src/rational_kernel_group.cu}): the D channels are split into
 * {@code groups} contiguous blocks (channel d is in group {@code d / (D / groups)}) and each element becomes
 * <pre>
 *   P(x) = a0 + a1·x + a2·x² + a3·x³ + a4·x⁴ + a5·x⁵
 *   Q(x) = 1 + |b1|·|x| + |b2|·|x|² + |b3|·|x|³ + |b4|·|x|⁴
 *   y    = P(x) / Q(x)
 * </pre>
 * with a shared numerator (one {@code a}, parameter {@code weightNumerator (1, 6)}, official
 * {@code weight_numerator}, repeated over the groups at forward time) and one denominator per group
 * ({@code weightDenominator (groups, 4)}, official {@code weight_denominator}). Shapes: input {@code (..., D)} with D
 * a multiple of {@code groups}, output the same.
 *
 * <p><b>Three sources disagree; we follow the kernels.</b> The GPU kernels (CUDA and Triton, what the released
 * models ran) use {@code Q = 1 + Σ|b_j|·|x|^j} as above. The repository's pure-PyTorch CPU path
 * ({@code kat_1dgroup_torch.py}) computes {@code 1 + Σ|b_j|·x^j} with signed x, different for x &lt; 0 whenever an
 * odd-power b_j ≠ 0, while its docstring says {@code |b_j·x^j|}. The paper (§4) shares the denominator across
 * groups and gives each group its own numerator; the code does the reverse (confirmed on the released weights in
 * rational_kat_cu#14), and we follow the code. The coefficient fits in {@code init.json} were made for
 * {@code 1 + |Σ b_j x^j|} ({@code fit.py}); {@code SWISH} and {@code IDENTITY} fit the kernel form as well, the
 * released models use them, and {@code GELU}'s fit is poor under the kernel form (max error 1.46 on [−3, 3]).
 * The gradient also follows the kernels' backward: {@code d|v|/dv = +1} at v = 0 (so the all-zero denominators of
 * the identity init do train), where PyTorch's {@code abs} gives 0.
 */
public final class GroupRational extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    /**
     * Initial coefficients {@code (a0..a5; b1..b4)}, copied from the official {@code kat_rational/init.json}
     * (least-squares fits of each function on [−3, 3]).
     */
    public enum Init {
        /** y = x (KAT's first activation in every KAN block). */
        IDENTITY(new double[] {0, 1, 0, 0, 0, 0}, new double[] {0, 0, 0, 0}),
        /** SiLU, the init of the three released KAT models. */
        SWISH(new double[] {3.054879741161051e-07, 0.5000007853744493, 0.24999783422824703, 0.05326628273219478,
            0.005803034571292244, 0.0002751961022402342},
                new double[] {-4.111554955950634e-06, 0.10652899335007572, -1.2690007399796238e-06,
                    0.0005502331264140556}),
        /** GELU as in the current init.json (fitted for the |Σ b x| form: poor under the kernel formula). */
        GELU(new double[] {-0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675},
                new double[] {-0.14171056, -0.06481231, -0.0444695, 0.01283776}),
        /** The older GELU fit ({@code gelu_old}), good under the kernel formula. */
        GELU_OLD(new double[] {-0.0012423594497499122, 0.5080497063245629, 0.41586363182937475,
            0.13022718688035761, 0.024355900098993424, 0.00290283948155535},
                new double[] {-0.06675015696494944, 0.17927646217001553, 0.03746682605496631,
                    1.6561610853276082e-10}),
        /** ReLU. */
        RELU(new double[] {0.029963801610813613, 0.6168978366891341, 2.37534759733888, 3.0659900472408443,
            1.5246831881677423, 0.2528070864040542},
                new double[] {-1.191550121923625, 4.4080487697236626, 0.9110357113686055, 0.34884977946384615});

        private final double[] numerator;
        private final double[] denominator;

        Init(double[] numerator, double[] denominator) {
            this.numerator = numerator;
            this.denominator = denominator;
        }

        /** a0..a5. */
        public double[] numerator() {
            return numerator.clone();
        }

        /** b1..b4. */
        public double[] denominator() {
            return denominator.clone();
        }

        /** P(x)/Q(x) with these coefficients, by the kernel formula (for tests and plots). */
        public double apply(double x) {
            return GroupRational.value(x, numerator, denominator);
        }
    }

    private final int channels;
    private final int groups;
    private final Init init;
    private final Parameter numerator;
    private final Parameter denominator;

    /**
     * KAT's {@code KAT_Group(num_groups=groups, mode=init)} on inputs of {@code channels} channels (KAT_Group itself
     * takes any multiple of groups; we fix D so that a wrong input is refused naming it).
     */
    public GroupRational(int channels, int groups, Init init) {
        super(VERSION);
        if (groups < 1 || channels < 1 || channels % groups != 0 || init == null) {
            throw new IllegalArgumentException("GroupRational needs channels a positive multiple of groups >= 1 and an"
                    + " init; got channels=" + channels + ", groups=" + groups + ", init=" + init);
        }
        this.channels = channels;
        this.groups = groups;
        this.init = init;
        numerator = addParameter(Parameter.builder().setName("weightNumerator").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1, 6))
                .optInitializer((m, shape, type) -> m.create(toFloat(init.numerator), shape).toType(type, false))
                .build());
        denominator = addParameter(Parameter.builder().setName("weightDenominator").setType(Parameter.Type.OTHER)
                .optShape(new Shape(groups, 4))
                .optInitializer((m, shape, type) -> {
                    float[] d = new float[groups * 4];
                    for (int g = 0; g < groups; g++) {
                        for (int j = 0; j < 4; j++) {
                            d[g * 4 + j] = (float) init.denominator[j];
                        }
                    }
                    return m.create(d, shape).toType(type, false);
                })
                .build());
    }

    /** The kernel formula at one point. */
    static double value(double x, double[] a, double[] b) {
        double p = a[5];
        for (int j = 4; j >= 0; j--) {
            p = p * x + a[j];
        }
        double ax = Math.abs(x);
        double q = Math.abs(b[3]);
        for (int j = 2; j >= 0; j--) {
            q = q * ax + Math.abs(b[j]);
        }
        q = q * ax + 1;
        return p / q;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Number of channel groups. */
    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("GroupRational", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        InputCheck.float32("GroupRational", "input", x);
        Shape shape = x.getShape();
        NDManager mgr = x.getManager();
        var device = x.getDevice();
        long d = shape.get(shape.dimension() - 1);
        NDArray xg = x.reshape(shape.slice(0, shape.dimension() - 1).add(groups, d / groups)); // (..., G, D/G)
        NDArray a = ps.getValue(numerator, device, training); // (1, 6)
        NDArray b = ps.getValue(denominator, device, training).reshape(groups, 4); // a view, moved off the
        b.attach(mgr); // parameter's manager so that nothing computed from it stays there
        b = kernelAbs(b); // (G, 4)
        NDArray lead = xg.mul(coef(a, 0, 5, mgr)); // a5 x, the first Horner step of both paths
        if (!lead.hasGradient()) { // autograd records nothing (neither x nor the coefficients): in place is safe
            return new NDList(inference(lead, xg, a, b, mgr).reshape(shape));
        }
        // Horner's rule, as the kernels: P = ((((a5 x + a4) x + a3) x + a2) x + a1) x + a0
        NDArray p = lead;
        for (int j = 4; j >= 1; j--) {
            p = p.add(coef(a, 0, j, mgr)).mul(xg);
        }
        p = p.add(coef(a, 0, 0, mgr));
        NDArray ax = kernelAbs(xg);
        NDArray q = ax.mul(groupCoef(b, 3, mgr));
        for (int j = 2; j >= 0; j--) {
            q = q.add(groupCoef(b, j, mgr)).mul(ax);
        }
        q = q.add(1f);
        return new NDList(p.div(q).reshape(shape));
    }

    /**
     * The same values without autograd: every Horner step in place on fresh tensors, and |x| by {@code abs} (the
     * kernels' +1 derivative at 0 matters only for a backward). 3 allocations of x's size instead of 20
     * ({@code kat_t} inference, batch 8, 2 threads: 35 -> 86 samples/s, peak RSS 2.7 -> 0.8 GB).
     */
    private static NDArray inference(NDArray lead, NDArray xg, NDArray a, NDArray b, NDManager mgr) {
        NDArray p = lead;
        for (int j = 4; j >= 1; j--) {
            p.addi(coef(a, 0, j, mgr)).muli(xg);
        }
        p.addi(coef(a, 0, 0, mgr));
        NDArray ax = xg.abs();
        NDArray q = ax.mul(groupCoef(b, 3, mgr));
        for (int j = 2; j >= 0; j--) {
            q.addi(groupCoef(b, j, mgr)).muli(ax);
        }
        ax.close();
        q.addi(1f);
        p.divi(q);
        q.close();
        return p;
    }

    /**
     * |v| with the kernels' derivative {@code sign(v)} taken as +1 at 0 ({@code tl.where(v < 0, -1, 1)} in the
     * Triton backward): PyTorch's abs has derivative 0 at 0, which would freeze the identity-initialized
     * denominators (all b = 0) forever.
     */
    private static NDArray kernelAbs(NDArray v) {
        NDArray sign = v.lt(0f).toType(v.getDataType(), false).mul(-2f).add(1f); // constant: no gradient
        return v.mul(sign);
    }

    private static NDArray coef(NDArray a, int row, int j, NDManager mgr) {
        NDArray c = a.get(new NDIndex("{}, {}:{}", row, j, j + 1)); // (1,)
        c.attach(mgr);
        return c;
    }

    private static NDArray groupCoef(NDArray b, int j, NDManager mgr) {
        NDArray c = b.get(new NDIndex(":, {}:{}", j, j + 1)); // (G, 1), broadcast over (..., G, D/G)
        c.attach(mgr);
        return c;
    }

    private void check(Shape s) {
        if (s.dimension() < 1 || s.get(s.dimension() - 1) != channels) {
            throw new IllegalArgumentException(String.format("GroupRational expects input (..., %d): axis %d must be"
                    + " %d; got %s", channels, Math.max(s.dimension() - 1, 0), channels, s));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected String describe() {
        return "GroupRational(channels=" + channels + ", groups=" + groups + ")";
    }

    @Override
    public String toString() {
        return "GroupRational(channels=" + channels + ", groups=" + groups + ", init=" + init + ")";
    }
}
