package io.github.mlpzoo.core.testkit;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The checks every block and model of the zoo must pass, run from a module's JUnit test:
 *
 * <pre>{@code
 * BlockContract.of(() -> MixerBlock.builder().setTokens(4).setChannels(8).build(), new Shape(2, 4, 8))
 *         .check();
 * BlockContract.of(() -> new Din(cfg), new Shape(2, 3), new Shape(2, 5, 3))   // two inputs
 *         .withIds(0, 100).withIds(1, 100)                                      // integer ids in [0, 100)
 *         .withFreeAxes(1, 1)                                                   // history length may vary
 *         .check();
 * BlockContract.ofVariant("tabm", Map.of("dModel", "8", "nBlocks", "1")).check();   // a registered variant
 * }</pre>
 *
 * <p>The factory must return a new, uninitialized block on each call. Input shapes include the batch axis
 * (axis 0); keep them tiny (a whole run takes a fraction of a second for a small block). The checks, each
 * named in brackets in the failure message:
 *
 * <ol>
 *   <li>{@code [output-shape]}: {@code getOutputShapes(inputShapes)} equals the shapes of the outputs of an
 *       inference and a training forward.
 *   <li>{@code [finite]}: outputs of both forwards, the loss and every gradient are finite.
 *   <li>{@code [gradients]}: every parameter that requires a gradient gets a non-zero one within the first
 *       three training steps (so zero-initialised output layers pass once the first step has moved them).
 *   <li>{@code [no-leak]}: the manager owning the block holds no more arrays after {@code steps}
 *       (default 50) training steps than after one. Each step runs in its own sub-manager that is closed
 *       afterwards, so whatever survives was attached to the block's own manager during a forward: the
 *       classic case is an op whose first operand is a parameter ({@code weight.matMul(x)}), whose result
 *       belongs to the parameter's manager.
 *   <li>{@code [save-load]}: after the training steps, {@code saveParameters} through a byte stream and
 *       {@code loadParameters} into a block fresh from the factory (not initialized, as
 *       {@code Model.load} does it) gives the same inference output, within 1e-5 of its scale (MKL may
 *       round differently for differently aligned weights). Trained first, so running statistics and any
 *       other state that training changes must survive the round trip.
 *   <li>{@code [seed]}: two fresh blocks initialized after the same {@code Engine.setRandomSeed} give
 *       identical inference output, and identical training output (dropout masks included) when the seed
 *       is set again before each training forward.
 *   <li>{@code [bad-shapes]}: an inference forward on a wrong input raises {@link IllegalArgumentException}
 *       whose message names the problem as {@link io.github.mlpzoo.core.nn.InputCheck} does: for a wrong
 *       size, {@code "axis N"} and the expected size; for a wrong rank, {@code "rank R"} with the expected
 *       rank. Bad inputs are derived for every input (rank + 1 by appending an axis of size 2, and size + 1
 *       on each non-batch axis not declared free with {@link #withFreeAxes}) plus any given with
 *       {@link #withBadShape}.
 * </ol>
 *
 * <p>Training steps use a fixed random linear loss {@code sum(out * r)} (not degenerate after softmax or
 * normalisation, unlike {@code sum(out)}) and plain SGD with learning rate 1e-3. Inputs are float32 drawn
 * from N(0, 1) unless {@link #withIds} or {@link #withInput} says otherwise; they come from a seeded
 * {@link Random}, so a run is repeatable.
 *
 * <p>Every failed check is collected and {@link #check()} throws one {@link AssertionError} listing them
 * all, each prefixed by the check's name.
 */
public final class BlockContract {

    /** The checks, in the order they run; see the class javadoc. */
    public enum Check {
        OUTPUT_SHAPE("output-shape"),
        FINITE("finite"),
        GRADIENTS("gradients"),
        NO_LEAK("no-leak"),
        SAVE_LOAD("save-load"),
        SEED("seed"),
        BAD_SHAPES("bad-shapes");

        private final String label;

        Check(String label) {
            this.label = label;
        }

        /** The name used in failure messages, e.g. {@code no-leak}. */
        public String label() {
            return label;
        }
    }

    /** Makes the values of one input: an array of {@code shape} on {@code manager}, from {@code random}. */
    @FunctionalInterface
    public interface InputGenerator {
        /** A new array of {@code shape}; its data type is the input's. */
        NDArray generate(NDManager manager, Shape shape, Random random);
    }

    private static final int GRADIENT_STEPS = 3;
    private static final float LEARNING_RATE = 1e-3f;
    /** Save/load round trip: allowed difference, relative to the output's largest magnitude (at least 1). */
    private static final double SAVE_LOAD_TOLERANCE = 1e-5;
    private static final int SEED = 20240607;

    private final Supplier<? extends Block> factory;
    private final Shape[] shapes;
    private final InputGenerator[] generators;
    private final List<Set<Integer>> freeAxes = new ArrayList<>();
    private final Set<Integer> freeRank = new HashSet<>();
    private final List<Pair<Integer, Shape>> badShapes = new ArrayList<>();
    private final Set<Check> skipped = EnumSet.noneOf(Check.class);
    private String name;
    private int steps = 50;

    private BlockContract(Supplier<? extends Block> factory, Shape[] shapes) {
        this.factory = Objects.requireNonNull(factory, "factory");
        if (shapes == null || shapes.length == 0) {
            throw new IllegalArgumentException("BlockContract needs at least one input shape");
        }
        this.shapes = shapes.clone();
        this.generators = new InputGenerator[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i].dimension() == 0 || shapes[i].get(0) < 1) {
                throw new IllegalArgumentException(
                        "input " + i + " needs a batch axis of size >= 1 first; got " + shapes[i]);
            }
            generators[i] = normal();
            freeAxes.add(new HashSet<>());
        }
    }

    /**
     * A contract for the blocks {@code factory} builds, fed inputs of {@code inputShapes} (batch axis first).
     *
     * @param factory returns a new, uninitialized block on each call
     */
    public static BlockContract of(Supplier<? extends Block> factory, Shape... inputShapes) {
        return new BlockContract(factory, inputShapes);
    }

    /**
     * A contract for the registered variant {@code name} built with {@code overrides} (a tiny config),
     * fed its declared inputs with the batch axis set to 2. Integer inputs (ids) need their range: declare
     * it with {@link #withIds}, or the run stops with a message saying so.
     */
    public static BlockContract ofVariant(String name, Map<String, String> overrides) {
        Variant<?> variant = Zoo.variant(name);
        DataDesc[] inputs = variant.inputs(overrides);
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            long[] dims = inputs[i].getShape().getShape().clone();
            if (dims.length > 0) {
                dims[0] = 2;
            }
            shapes[i] = new Shape(dims);
        }
        BlockContract contract = of(() -> variant.create(overrides), shapes).named(name + " " + overrides);
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].getDataType().isFloating()) {
                int input = i;
                DataType type = inputs[i].getDataType();
                contract.generators[i] = (manager, shape, random) -> {
                    throw new IllegalStateException(String.format(
                            "input %d of %s is %s: declare its id range with .withIds(%d, vocabSize)",
                            input, name, type, input));
                };
            }
        }
        return contract;
    }

    /** Float32 values from N(0, 1): the default for every input. */
    public static InputGenerator normal() {
        return (manager, shape, random) -> {
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            return manager.create(v, shape);
        };
    }

    /** Int64 ids drawn uniformly from {@code [0, vocabSize)}. */
    public static InputGenerator ids(long vocabSize) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("ids needs vocabSize >= 1; got " + vocabSize);
        }
        return (manager, shape, random) -> {
            long[] v = new long[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.floorMod(random.nextLong(), vocabSize);
            }
            return manager.create(v, shape);
        };
    }

    /** The name used in messages; defaults to the block's class name. */
    public BlockContract named(String name) {
        this.name = name;
        return this;
    }

    /** Feeds input {@code input} with int64 ids in {@code [0, vocabSize)}. */
    public BlockContract withIds(int input, long vocabSize) {
        return withInput(input, ids(vocabSize));
    }

    /** Feeds input {@code input} from {@code generator} (which also fixes its data type). */
    public BlockContract withInput(int input, InputGenerator generator) {
        generators[index(input)] = Objects.requireNonNull(generator, "generator");
        return this;
    }

    /**
     * Declares axes of input {@code input} whose size may legitimately vary (e.g. a sequence length), so
     * no bad shape is derived for them. The batch axis 0 is always free.
     */
    public BlockContract withFreeAxes(int input, int... axes) {
        for (int a : axes) {
            if (a < 1 || a >= shapes[index(input)].dimension()) {
                throw new IllegalArgumentException(String.format(
                        "free axis of input %d must be in [1, %d); got %d",
                        input, shapes[input].dimension(), a));
            }
            freeAxes.get(input).add(a);
        }
        return this;
    }

    /** Declares that input {@code input} may have another rank, so no wrong-rank input is derived for it. */
    public BlockContract withFreeRank(int input) {
        freeRank.add(index(input));
        return this;
    }

    /**
     * Adds a wrong shape for input {@code input} (the others stay good) that must be rejected. The message
     * must name the first non-batch axis where it differs from the good shape and the good size there
     * ({@code "axis N"}, size), or the good rank ({@code "rank R"}) if the ranks differ.
     */
    public BlockContract withBadShape(int input, Shape bad) {
        badShapes.add(new Pair<>(index(input), Objects.requireNonNull(bad, "bad")));
        return this;
    }

    /** {@link #withBadShape} on input 0 for each shape: the shorthand for single-input blocks. */
    public BlockContract withBadShapes(Shape... bad) {
        for (Shape s : bad) {
            withBadShape(0, s);
        }
        return this;
    }

    /** Skips checks that cannot apply to this block; say why in a comment at the call site. */
    public BlockContract skip(Check... checks) {
        skipped.addAll(Arrays.asList(checks));
        return this;
    }

    /** The number of training steps for the leak check (default 50, at least 2). */
    public BlockContract withSteps(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be >= 2 to compare step 1 with step N; got " + steps);
        }
        this.steps = steps;
        return this;
    }

    /**
     * Runs every check not skipped.
     *
     * @throws AssertionError listing every failed check, each as {@code [label] what was wrong}
     */
    public void check() {
        Map<Check, String> failures = run();
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("BlockContract failed %d check(s) for %s with inputs %s:",
                    failures.size(), name, Arrays.toString(shapes)));
            failures.forEach((c, m) -> sb.append("\n  [").append(c.label()).append("] ").append(m));
            throw new AssertionError(sb.toString());
        }
    }

    /** Runs the checks and returns the failures, check to message, in check order. */
    Map<Check, String> run() {
        Engines.get();
        Map<Check, String> failures = new EnumMap<>(Check.class);
        try (NDManager base = NDManager.newBaseManager()) {
            Block block = build();
            if (name == null) {
                name = block.getClass().getSimpleName();
            }
            NDManager owner = base.newSubManager();
            NDList x = inputs(base, shapes, new Random(SEED));
            ParameterStore ps = new ParameterStore(owner, false);

            // The block has to build, initialize and run once in each mode, or nothing else can be checked.
            NDList inference;
            NDList training;
            try {
                seed(SEED);
                block.initialize(owner, DataType.FLOAT32, shapes);
                inference = forward(block, ps, x, false, base);
                training = forward(block, ps, x, true, base);
            } catch (RuntimeException e) {
                failures.put(Check.OUTPUT_SHAPE, "the block could not initialize and run a forward on good "
                        + "inputs: " + describe(e));
                return failures;
            }
            if (active(Check.OUTPUT_SHAPE)) {
                record(failures, Check.OUTPUT_SHAPE, () -> checkOutputShapes(block, inference, training));
            }
            if (active(Check.FINITE)) {
                record(failures, Check.FINITE, () -> {
                    requireFinite(inference, "inference output");
                    requireFinite(training, "training output");
                });
            }
            if (active(Check.GRADIENTS) || active(Check.FINITE) || active(Check.NO_LEAK)
                    || active(Check.SAVE_LOAD)) {
                train(block, ps, owner, base, failures);
            }
            if (active(Check.SAVE_LOAD)) {
                record(failures, Check.SAVE_LOAD, () -> checkSaveLoad(block, ps, x, base));
            }
            if (active(Check.SEED)) {
                record(failures, Check.SEED, () -> checkSeed(x, base));
            }
            if (active(Check.BAD_SHAPES)) {
                record(failures, Check.BAD_SHAPES, () -> checkBadShapes(block, ps, base));
            }
        }
        return failures;
    }

    // ---------------------------------------------------------------- checks

    private void checkOutputShapes(Block block, NDList inference, NDList training) {
        Shape[] declared;
        try {
            declared = block.getOutputShapes(shapes);
        } catch (RuntimeException e) {
            throw new AssertionError("getOutputShapes" + Arrays.toString(shapes) + " threw " + describe(e));
        }
        for (Pair<String, NDList> run : List.of(new Pair<>("inference", inference), new Pair<>("training", training))) {
            Shape[] actual = run.getValue().getShapes();
            if (!Arrays.equals(declared, actual)) {
                throw new AssertionError(String.format(
                        "getOutputShapes declares %s but the %s forward returned %s",
                        Arrays.toString(declared), run.getKey(), Arrays.toString(actual)));
            }
        }
    }

    /** Runs the training steps that the gradient, finiteness and leak checks observe. */
    private void train(Block block, ParameterStore ps, NDManager owner, NDManager base, Map<Check, String> failures) {
        Random random = new Random(SEED + 1);
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        block.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                trainable.put(p.getKey(), p.getValue());
            }
        });
        Set<String> moved = new HashSet<>();
        NDList projection = null;
        int afterFirst = -1;
        for (int step = 1; step <= steps; step++) {
            try (NDManager stepManager = base.newSubManager()) {
                NDList x = inputs(stepManager, shapes, random);
                NDArray loss;
                if (trainable.isEmpty()) {
                    // a parameter-free block (a view, a reshape): nothing to differentiate, forward only
                    NDList out = block.forward(ps, x, true);
                    if (projection == null) {
                        projection = projections(base, out, new Random(SEED + 2));
                    }
                    loss = loss(out, projection);
                } else {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList out = block.forward(ps, x, true);
                        if (projection == null) {
                            projection = projections(base, out, new Random(SEED + 2));
                        }
                        loss = loss(out, projection);
                        gc.backward(loss);
                    }
                }
                if (step == 1 && active(Check.FINITE) && !failures.containsKey(Check.FINITE)) {
                    float l = loss.toType(DataType.FLOAT32, false).getFloat();
                    if (!Float.isFinite(l)) {
                        failures.put(Check.FINITE, "training loss sum(out * r) is " + l + " at step 1");
                    }
                }
                for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
                    NDArray w = e.getValue().getArray();
                    try (NDArray g = w.getGradient()) {
                        if (step <= GRADIENT_STEPS) {
                            float[] v = g.toType(DataType.FLOAT32, false).toFloatArray();
                            boolean nonZero = false;
                            boolean finite = true;
                            for (float f : v) {
                                nonZero |= f != 0f;
                                finite &= Float.isFinite(f);
                            }
                            if (nonZero) {
                                moved.add(e.getKey());
                            }
                            if (!finite && step == 1 && active(Check.FINITE)
                                    && !failures.containsKey(Check.FINITE)) {
                                failures.put(Check.FINITE, "gradient of parameter " + e.getKey()
                                        + " has non-finite values at step 1");
                            }
                        }
                        try (NDArray update = g.mul(LEARNING_RATE)) {
                            w.subi(update);
                        }
                        g.subi(g); // PyTorch accumulates gradients; clear them for the next step
                    }
                }
            } catch (RuntimeException e) {
                String msg = "training step " + step + " threw " + describe(e);
                for (Check c : List.of(Check.GRADIENTS, Check.NO_LEAK)) {
                    if (active(c)) {
                        failures.putIfAbsent(c, msg);
                    }
                }
                return;
            }
            if (step == 1) {
                afterFirst = owner.getManagedArrays().size();
            }
        }
        if (active(Check.GRADIENTS)) {
            List<String> dead = new ArrayList<>();
            for (String p : trainable.keySet()) {
                if (!moved.contains(p)) {
                    dead.add(p);
                }
            }
            if (!dead.isEmpty()) {
                failures.put(Check.GRADIENTS, String.format(
                        "parameter(s) %s got no non-zero gradient in %d training steps (of %d trainable); "
                                + "unused in forward, detached, or cut off by a non-differentiable op",
                        dead, GRADIENT_STEPS, trainable.size()));
            }
        }
        if (active(Check.NO_LEAK)) {
            int afterLast = owner.getManagedArrays().size();
            if (afterLast > afterFirst) {
                failures.put(Check.NO_LEAK, String.format(
                        "the block's manager held %d arrays after training step 1 and %d after step %d "
                                + "(+%.1f per step): forward attaches arrays to a long-lived manager, e.g. an op "
                                + "whose first operand is a parameter or a create() on the parameter's manager",
                        afterFirst, afterLast, steps, (afterLast - afterFirst) / (double) (steps - 1)));
            }
        }
    }

    private void checkSaveLoad(Block block, ParameterStore ps, NDList x, NDManager base) {
        byte[] bytes;
        try (ByteArrayOutputStream bos = new ByteArrayOutputStream();
                DataOutputStream os = new DataOutputStream(bos)) {
            block.saveParameters(os);
            os.flush();
            bytes = bos.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("saveParameters threw " + describe(e));
        }
        NDList expected = forward(block, ps, x, false, base);
        try (NDManager m = base.newSubManager()) {
            Block fresh = build();
            try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(bytes))) {
                fresh.loadParameters(m, is);
                if (is.available() > 0) {
                    throw new AssertionError(String.format(
                            "loadParameters left %d of %d saved bytes unread: save and load disagree on the layout",
                            is.available(), bytes.length));
                }
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new AssertionError("loadParameters into a fresh block threw " + describe(e));
            }
            NDList actual;
            try {
                actual = forward(fresh, new ParameterStore(m, false), x, false, m);
            } catch (RuntimeException e) {
                throw new AssertionError("inference forward of the loaded block threw " + describe(e)
                        + " (state created in initialize() is missing after loadParameters?)");
            }
            // Float32 rounding, not bit identity: the loaded weights sit at other addresses, and MKL's kernels may
            // sum in another order for another alignment (seen: 16 of 120 values off by 4.8e-7 of 4.9 in a CI run);
            // state that was not saved moves outputs by far more than 1e-5 of their scale.
            String diff = compare(expected, actual, SAVE_LOAD_TOLERANCE);
            if (diff != null) {
                throw new AssertionError("inference output after the save/load round trip differs from the "
                        + "trained block's: " + diff + " (state not saved by saveParameters/saveMetadata?)");
            }
        }
    }

    private void checkSeed(NDList x, NDManager base) {
        NDList[] inference = new NDList[2];
        NDList[] training = new NDList[2];
        for (int i = 0; i < 2; i++) {
            NDManager m = base.newSubManager();
            Block b = build();
            ParameterStore ps = new ParameterStore(m, false);
            seed(SEED + 7);
            b.initialize(m, DataType.FLOAT32, shapes);
            inference[i] = forward(b, ps, x, false, m);
            seed(SEED + 8);
            training[i] = forward(b, ps, x, true, m);
        }
        String diff = compare(inference[0], inference[1], 0);
        if (diff != null) {
            throw new AssertionError("two fresh blocks initialized after the same Engine random seed give "
                    + "different inference output: " + diff + " (a random source the engine seed does not "
                    + "control, e.g. java.util.Random or Math.random?)");
        }
        diff = compare(training[0], training[1], 0);
        if (diff != null) {
            throw new AssertionError("the same seed before a training forward gives different training "
                    + "output: " + diff + " (randomness in forward that the engine seed does not control?)");
        }
    }

    private void checkBadShapes(Block block, ParameterStore ps, NDManager base) {
        List<String> problems = new ArrayList<>();
        for (Pair<Integer, Shape> bad : badInputs()) {
            int input = bad.getKey();
            Shape wrong = bad.getValue();
            String expect = expectation(shapes[input], wrong);
            Shape[] all = shapes.clone();
            all[input] = wrong;
            try (NDManager m = base.newSubManager()) {
                NDList x = inputs(m, all, new Random(SEED + 3));
                String what = String.format("input %d of shape %s (good: %s)", input, wrong, shapes[input]);
                try {
                    block.forward(ps, x, false);
                    problems.add(what + " was accepted; expected IllegalArgumentException naming " + expect
                            + hint(input, shapes[input], wrong));
                } catch (IllegalArgumentException e) {
                    String msg = String.valueOf(e.getMessage());
                    if (!mentions(msg, shapes[input], wrong)) {
                        problems.add(what + " raised IllegalArgumentException(\"" + msg + "\"), which does not "
                                + "name " + expect);
                    }
                } catch (RuntimeException e) {
                    problems.add(what + " raised " + describe(e) + "; expected IllegalArgumentException naming "
                            + expect + " (validate with InputCheck before any native op)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems));
        }
    }

    // ---------------------------------------------------------------- helpers

    private boolean active(Check c) {
        return !skipped.contains(c);
    }

    private static void record(Map<Check, String> failures, Check check, Runnable body) {
        try {
            body.run();
        } catch (AssertionError e) {
            failures.putIfAbsent(check, e.getMessage());
        } catch (RuntimeException e) {
            failures.putIfAbsent(check, "threw " + describe(e));
        }
    }

    private Block build() {
        Block b = factory.get();
        if (b == null) {
            throw new IllegalStateException("the block factory returned null");
        }
        if (b.isInitialized() && !b.getParameters().isEmpty()) {
            throw new IllegalStateException("the block factory must return a new, uninitialized block on each call");
        }
        return b;
    }

    private int index(int input) {
        if (input < 0 || input >= shapes.length) {
            throw new IllegalArgumentException(
                    "input index must be in [0, " + shapes.length + "); got " + input);
        }
        return input;
    }

    private static void seed(int seed) {
        Engine.getInstance().setRandomSeed(seed);
    }

    private NDList inputs(NDManager manager, Shape[] inputShapes, Random random) {
        NDList x = new NDList(inputShapes.length);
        for (int i = 0; i < inputShapes.length; i++) {
            NDArray a = generators[i].generate(manager, inputShapes[i], random);
            if (!a.getShape().equals(inputShapes[i])) {
                throw new IllegalStateException(String.format(
                        "the generator of input %d made shape %s; asked for %s", i, a.getShape(), inputShapes[i]));
            }
            x.add(a);
        }
        return x;
    }

    /** A forward on copies of {@code x} attached to {@code m}, so intermediates land in {@code m}. */
    private static NDList forward(Block block, ParameterStore ps, NDList x, boolean training, NDManager m) {
        NDList copy = new NDList(x.size());
        for (NDArray a : x) {
            NDArray c = a.duplicate();
            c.attach(m);
            copy.add(c);
        }
        return block.forward(ps, copy, training);
    }

    /** One fixed random array per floating-point output, for the loss {@code sum(out * r)}. */
    private static NDList projections(NDManager m, NDList out, Random random) {
        NDList r = new NDList(out.size());
        for (NDArray o : out) {
            float[] v = new float[Math.toIntExact(o.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            r.add(m.create(v, o.getShape()).toType(o.getDataType().isFloating() ? o.getDataType()
                    : DataType.FLOAT32, false));
        }
        return r;
    }

    private static NDArray loss(NDList out, NDList projection) {
        NDArray loss = null;
        for (int i = 0; i < out.size(); i++) {
            NDArray o = out.get(i);
            if (!o.getDataType().isFloating()) {
                continue;
            }
            if (!o.getShape().equals(projection.get(i).getShape())) {
                throw new IllegalStateException("output " + i + " changed shape between training steps: "
                        + projection.get(i).getShape() + " then " + o.getShape());
            }
            NDArray term = o.mul(projection.get(i)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        if (loss == null) {
            throw new IllegalStateException("the block has no floating-point output to differentiate");
        }
        return loss;
    }

    private static void requireFinite(NDList list, String what) {
        for (int i = 0; i < list.size(); i++) {
            NDArray a = list.get(i);
            if (!a.getDataType().isFloating()) {
                continue;
            }
            float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
            for (int j = 0; j < v.length; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new AssertionError(String.format(
                            "%s %d of shape %s has a non-finite value (%s at flat index %d)",
                            what, i, a.getShape(), v[j], j));
                }
            }
        }
    }

    /**
     * {@code null} if every value of {@code a} and {@code b} agrees within {@code tolerance} times the output's
     * largest magnitude (at least 1); {@code tolerance} 0 asks for bit-identical outputs. Else what differs.
     */
    private static String compare(NDList a, NDList b, double tolerance) {
        if (a.size() != b.size()) {
            return "output count " + a.size() + " vs " + b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            NDArray u = a.get(i);
            NDArray v = b.get(i);
            if (!u.getShape().equals(v.getShape())) {
                return "output " + i + " shape " + u.getShape() + " vs " + v.getShape();
            }
            double[] p = u.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] q = v.toType(DataType.FLOAT64, false).toDoubleArray();
            double max = 0;
            double largest = 0;
            for (double pj : p) {
                largest = Math.max(largest, Math.abs(pj));
            }
            double allowed = tolerance * Math.max(1, largest);
            int differing = 0;
            for (int j = 0; j < p.length; j++) {
                if (Double.compare(p[j], q[j]) != 0 && !(Math.abs(p[j] - q[j]) <= allowed)) {
                    differing++;
                    max = Math.max(max, Math.abs(p[j] - q[j]));
                }
            }
            if (differing > 0) {
                return String.format("output %d differs in %d of %d values (max |diff| %.3g; largest |value| %.3g)",
                        i, differing, p.length, max, largest);
            }
        }
        return null;
    }

    /** The derived bad inputs followed by the given ones, as (input index, wrong shape). */
    private List<Pair<Integer, Shape>> badInputs() {
        Set<Pair<Integer, Shape>> out = new LinkedHashSet<>();
        Map<Integer, Set<Shape>> seen = new HashMap<>();
        for (int i = 0; i < shapes.length; i++) {
            Shape good = shapes[i];
            if (!freeRank.contains(i)) {
                add(out, seen, i, good.addAll(new Shape(2)));
            }
            for (int a = 1; a < good.dimension(); a++) {
                if (!freeAxes.get(i).contains(a)) {
                    long[] dims = good.getShape().clone();
                    dims[a] += 1;
                    add(out, seen, i, new Shape(dims));
                }
            }
        }
        for (Pair<Integer, Shape> p : badShapes) {
            add(out, seen, p.getKey(), p.getValue());
        }
        return new ArrayList<>(out);
    }

    private static void add(Set<Pair<Integer, Shape>> out, Map<Integer, Set<Shape>> seen, int input, Shape s) {
        if (seen.computeIfAbsent(input, k -> new HashSet<>()).add(s)) {
            out.add(new Pair<>(input, s));
        }
    }

    /** What the message for {@code wrong} must name, in words. */
    private static String expectation(Shape good, Shape wrong) {
        if (good.dimension() != wrong.dimension()) {
            return "\"rank " + good.dimension() + "\"";
        }
        int a = firstDifference(good, wrong);
        return a < 0 ? "the problem" : "\"axis " + a + "\" and the expected size " + good.get(a);
    }

    private static boolean mentions(String msg, Shape good, Shape wrong) {
        if (good.dimension() != wrong.dimension()) {
            return Pattern.compile("rank " + good.dimension() + "(?!\\d)").matcher(msg).find();
        }
        int a = firstDifference(good, wrong);
        if (a < 0) {
            return true;
        }
        return Pattern.compile("axis " + a + "(?!\\d)").matcher(msg).find()
                && Pattern.compile("(?<![\\d.])" + good.get(a) + "(?![\\d.])").matcher(msg).find();
    }

    /** The first non-batch axis where the shapes differ, or -1. */
    private static int firstDifference(Shape good, Shape wrong) {
        for (int a = 1; a < good.dimension(); a++) {
            if (good.get(a) != wrong.get(a)) {
                return a;
            }
        }
        return -1;
    }

    private static String hint(int input, Shape good, Shape wrong) {
        if (good.dimension() != wrong.dimension()) {
            return " (if any rank is fine, declare .withFreeRank(" + input + "))";
        }
        int a = firstDifference(good, wrong);
        return a < 0 ? "" : " (if this axis may vary, declare .withFreeAxes(" + input + ", " + a + "))";
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + "(\"" + e.getMessage() + "\")";
    }
}
