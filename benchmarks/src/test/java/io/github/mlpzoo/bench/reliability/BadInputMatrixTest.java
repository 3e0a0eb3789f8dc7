package io.github.mlpzoo.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * The bad-input matrix (issue 11, deliverable 1): every registered variant, built tiny, is fed each kind of
 * wrong input on each of its inputs: rank one too high and one too low, each non-batch axis one too long and
 * empty, a batch of 0, a NaN and an Inf element, the wrong dtype, and ids out of range (-1 and 10^6).
 *
 * <p>Accepted outcomes: an {@link IllegalArgumentException} whose message says what was expected and is
 * free of native text; or a documented result: a batch of 0 gives outputs with 0 rows, a NaN/Inf input gives
 * a non-finite output (propagated, never hidden), and an axis listed in {@link #FREE_AXES} may take another
 * size (the output is then checked finite). Anything else (a native exception, another exception type, a
 * silent finite result) is a failure. The matrix is printed; failures not listed in {@link #KNOWN_GAPS} fail
 * the test, and a listed gap that now passes fails it too (so the list cannot go stale).
 */
class BadInputMatrixTest {

    /**
     * variant-prefix:input:axis whose size is free by design: the CTR history length (DinConfig: "the block
     * accepts any T"), PoolFormer's image size (convolutions and global pooling only), RaftMLP's image size
     * (bicubic resize to the trained grid, as the official code).
     */
    static final Set<String> FREE_AXES = Set.of("ctr_dnn:history:2", "din:history:2", "dualmlp:history:2",
            "finalmlp:history:2", "poolformer_:image:2", "poolformer_:image:3", "raft_mlp_:image:2",
            "raft_mlp_:image:3");

    /**
     * variant:case pairs that fail today, reported in issue 11 for the owners of those files: a batch of 0
     * reaches a native reshape with -1 (or a Java division by the batch) before any check. The fix is one
     * line at the top of each forward: {@code InputCheck.nonEmptyBatch(block, "input", x.getShape())}.
     */
    static final Set<String> KNOWN_GAPS = Set.of();

    enum Outcome { IAE, DOCUMENTED, NATIVE, OTHER_EXCEPTION, BAD_MESSAGE, SILENT }

    record Result(String variant, String kase, Outcome outcome, String detail) {
        boolean ok() {
            return outcome == Outcome.IAE || outcome == Outcome.DOCUMENTED;
        }
    }

    @Test
    void everyVariantRefusesBadInputClearly() {
        List<Result> all = new ArrayList<>();
        for (Variant<?> v : Zoo.list()) {
            all.addAll(run(v));
        }
        Map<String, Map<String, Outcome>> byVariant = new TreeMap<>();
        for (Result r : all) {
            byVariant.computeIfAbsent(r.variant, k -> new LinkedHashMap<>()).put(r.kase, r.outcome);
        }
        StringBuilder sb = new StringBuilder("bad-input matrix: ").append(all.size()).append(" cases over ")
                .append(byVariant.size()).append(" variants\n");
        byVariant.forEach((name, cases) -> {
            long ok = cases.values().stream().filter(o -> o == Outcome.IAE || o == Outcome.DOCUMENTED).count();
            sb.append(String.format("  %-24s %3d/%3d ok", name, ok, cases.size()));
            cases.forEach((c, o) -> {
                if (o != Outcome.IAE && o != Outcome.DOCUMENTED) {
                    sb.append("  ").append(c).append('=').append(o);
                }
            });
            sb.append('\n');
        });
        List<String> unexpected = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (Result r : all) {
            String key = r.variant + ":" + r.kase;
            if (!r.ok() && !KNOWN_GAPS.contains(key)) {
                unexpected.add(key + " -> " + r.outcome + ": " + r.detail);
            } else if (r.ok() && KNOWN_GAPS.contains(key)) {
                stale.add(key);
            }
        }
        System.out.println(sb);
        unexpected.forEach(u -> System.out.println("FAIL " + u));
        if (System.getenv("MATRIX_VERBOSE") != null) {
            all.forEach(r -> System.out.println(r.variant + " " + r.kase + " " + r.outcome + " " + r.detail));
        }
        assertTrue(unexpected.isEmpty(), unexpected.size() + " bad-input cases fail: " + unexpected);
        assertTrue(stale.isEmpty(), "known gaps that now pass (remove them from KNOWN_GAPS): " + stale);
    }

    private static List<Result> run(Variant<?> v) {
        Map<String, String> tiny = TinyConfigs.of(v);
        List<Result> out = new ArrayList<>();
        DataDesc[] descs = v.inputs(tiny);
        try (Model model = Zoo.newModel(v.name(), tiny, 7)) {
            // the valid input must work, or nothing below means anything
            Result base = forward(v.name(), "valid", model, descs, -1, null, Kind.VALID);
            if (!base.ok()) {
                throw new AssertionError(v.name() + ": valid input fails: " + base.detail);
            }
            for (int i = 0; i < descs.length; i++) {
                String in = descs[i].getName() == null ? "input" + i : descs[i].getName();
                boolean ids = descs[i].getDataType().isInteger();
                Shape s = batched(descs[i].getShape());
                out.add(forward(v.name(), in + ":rank+1", model, descs, i, s.addAll(new Shape(1)), Kind.SHAPE));
                out.add(forward(v.name(), in + ":rank-1", model, descs, i, s.slice(0, s.dimension() - 1), Kind.SHAPE));
                for (int a = 1; a < s.dimension(); a++) {
                    boolean free = FREE_AXES.contains(prefixKey(v.name(), in, a));
                    out.add(forward(v.name(), in + ":axis" + a + "+1", model, descs, i, with(s, a, s.get(a) + 1),
                            free ? Kind.FREE : Kind.SHAPE));
                    out.add(forward(v.name(), in + ":axis" + a + "=0", model, descs, i, with(s, a, 0),
                            free ? Kind.FREE_EMPTY : Kind.SHAPE));
                }
                out.add(forward(v.name(), in + ":batch0", model, descs, i, with(s, 0, 0), Kind.BATCH0));
                if (ids) {
                    out.add(forward(v.name(), in + ":id=-1", model, descs, i, s, Kind.ID_NEGATIVE));
                    out.add(forward(v.name(), in + ":id=1e6", model, descs, i, s, Kind.ID_HUGE));
                    out.add(forward(v.name(), in + ":float32", model, descs, i, s, Kind.DTYPE));
                } else {
                    out.add(forward(v.name(), in + ":NaN", model, descs, i, s, Kind.NAN));
                    out.add(forward(v.name(), in + ":Inf", model, descs, i, s, Kind.INF));
                    out.add(forward(v.name(), in + ":float64", model, descs, i, s, Kind.DTYPE));
                    out.add(forward(v.name(), in + ":int64", model, descs, i, s, Kind.DTYPE_INT));
                }
            }
        }
        return out;
    }

    private static String prefixKey(String variant, String input, int axis) {
        for (String f : FREE_AXES) {
            String[] p = f.split(":");
            if (variant.startsWith(p[0]) && p[1].equals(input) && Integer.parseInt(p[2]) == axis) {
                return f;
            }
        }
        return "";
    }

    enum Kind { VALID, SHAPE, FREE, FREE_EMPTY, BATCH0, NAN, INF, DTYPE, DTYPE_INT, ID_NEGATIVE, ID_HUGE }

    /** Input {@code bad} gets shape {@code shape} (or the valid one) spoiled by {@code kind}; others are valid. */
    private static Result forward(String variant, String kase, Model model, DataDesc[] descs, int bad, Shape shape,
            Kind kind) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList();
            for (int i = 0; i < descs.length; i++) {
                Shape s = i == bad ? shape : batched(descs[i].getShape());
                inputs.add(make(m, s, descs[i].getDataType(), i == bad ? kind : Kind.VALID));
            }
            NDList outputs;
            try {
                outputs = model.getBlock().forward(new ParameterStore(m, false), inputs, false);
            } catch (IllegalArgumentException e) {
                String msg = String.valueOf(e.getMessage());
                if (kind == Kind.VALID) {
                    return new Result(variant, kase, Outcome.BAD_MESSAGE, msg);
                }
                boolean nativeText = msg.contains("c10") || msg.contains("Exception raised from")
                        || msg.contains("libtorch") || msg.contains(".cpp");
                boolean says = msg.contains("expect") || msg.contains("must") || msg.contains("got")
                        || msg.contains("contains");
                return new Result(variant, kase, nativeText || !says ? Outcome.BAD_MESSAGE : Outcome.IAE, msg);
            } catch (ai.djl.engine.EngineException e) {
                return new Result(variant, kase, Outcome.NATIVE, firstLine(e.getMessage()));
            } catch (RuntimeException e) {
                return new Result(variant, kase, Outcome.OTHER_EXCEPTION, e + "");
            }
            return judge(variant, kase, kind, outputs);
        }
    }

    private static Result judge(String variant, String kase, Kind kind, NDList outputs) {
        boolean finite = true;
        boolean empty = true;
        for (NDArray o : outputs) {
            if (o.getDataType().isFloating()) {
                finite &= o.isInfinite().logicalOr(o.isNaN()).any().getBoolean() == false;
            }
            empty &= o.getShape().dimension() > 0 && o.getShape().get(0) == 0;
        }
        switch (kind) {
            case VALID, FREE:
                return new Result(variant, kase, finite ? Outcome.DOCUMENTED : Outcome.SILENT,
                        finite ? "" : "non-finite output from a valid input");
            case FREE_EMPTY:
                return new Result(variant, kase, finite ? Outcome.DOCUMENTED : Outcome.SILENT, "empty free axis");
            case BATCH0:
                return new Result(variant, kase, empty ? Outcome.DOCUMENTED : Outcome.SILENT,
                        "batch 0 gave " + outputs.getShapes()[0]);
            case NAN, INF:
                return new Result(variant, kase, finite ? Outcome.SILENT : Outcome.DOCUMENTED,
                        "non-finite input gave a finite output");
            default:
                return new Result(variant, kase, Outcome.SILENT, "accepted; output " + outputs.getShapes()[0]);
        }
    }

    private static NDArray make(NDManager m, Shape s, DataType type, Kind kind) {
        if (type.isInteger()) {
            NDArray ids = m.ones(s, type);
            if (s.size() > 0 && (kind == Kind.ID_NEGATIVE || kind == Kind.ID_HUGE)) {
                ids.set(new ai.djl.ndarray.index.NDIndex(index0(s)), kind == Kind.ID_NEGATIVE ? -1 : 1_000_000);
            }
            return kind == Kind.DTYPE ? ids.toType(DataType.FLOAT32, false) : ids;
        }
        if (kind == Kind.DTYPE_INT) {
            return m.ones(s, DataType.INT64);
        }
        NDArray x = m.randomNormal(0, 1, s, DataType.FLOAT32);
        if (s.size() > 0 && (kind == Kind.NAN || kind == Kind.INF)) {
            x.set(new ai.djl.ndarray.index.NDIndex(index0(s)), kind == Kind.NAN ? Float.NaN : Float.POSITIVE_INFINITY);
        }
        if (kind == Kind.DTYPE) {
            return x.toType(DataType.FLOAT64, false);
        }
        return x;
    }

    private static String index0(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            sb.append(i == 0 ? "" : ",").append(i == s.dimension() - 1 ? s.get(i) - 1 : 0);
        }
        return sb.toString();
    }

    static Shape batched(Shape s) {
        return with(s, 0, 2);
    }

    static Shape with(Shape s, int axis, long size) {
        long[] d = s.getShape().clone(); // getShape() is the live array
        d[axis] = size;
        return new Shape(d);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "null";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
