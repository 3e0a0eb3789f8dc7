package io.github.mlpzoo.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.testkit.BlockContract.Check;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The contract kit itself: it passes on sound Linear-based blocks, and each check fails, alone, on a block
 * built to break exactly that check.
 */
class BlockContractTest {

    private static final Shape IN = new Shape(3, 4);

    // ------------------------------------------------------------------ blocks that pass

    @Test
    void passesOnValidatedMlp() {
        long t0 = System.nanoTime();
        BlockContract.of(() -> new Mlp(4, 8, 3), IN).check();
        System.out.printf("BlockContract on a 4-8-3 MLP: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    }

    @Test
    void passesOnTwoInputBlockWithIdsDropoutAndBatchNorm() {
        // input 0: (B, 2) ids in [0, 10); input 1: (B, 4) floats
        BlockContract.of(IdsAndFeatures::new, new Shape(3, 2), new Shape(3, 4))
                .withIds(0, IdsAndFeatures.VOCAB)
                .withBadShape(1, new Shape(3, 5, 1)) // explicit one: rank 3 instead of 2
                .check();
    }

    @Test
    void djlConvNormAndActivationBlocksRaiseNoFalseAlarm() {
        // (B, 2, 6, 6) -> conv 3x3 -> GELU -> LayerNorm -> (B, 4 * 6 * 6) -> Linear -> (B, 3)
        BlockContract.of(() -> new Validated(new SequentialBlock()
                        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).optPadding(new Shape(1, 1))
                                .build())
                        .add(Activation::gelu)
                        .add(LayerNorm.builder().build())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build()), 2, 6, 6),
                new Shape(2, 2, 6, 6)).check();
    }

    @Test
    void passesOnTheFaultlessReferenceOfTheBrokenBlocks() {
        assertEquals(Map.of(), contract(Fault.NONE).run());
    }

    /** An empty config for the test variant. */
    record NoConfig() {}

    @Test
    void registeredVariantIsCheckedFromItsDeclaredInputs() throws ReflectiveOperationException {
        Variant<NoConfig> variant = Variant.builder("ids_and_features", new NoConfig())
                .setDomain("ctr").setPaper("Test, 2024").setOfficialRepo("example/test")
                .setFactory(c -> new IdsAndFeatures())
                .setInputs(c -> new DataDesc[] {
                    new DataDesc(new Shape(1, 2), DataType.INT64, "ids"), new DataDesc(new Shape(1, 4), "x")})
                .build();
        // zoo-core registers no variants; install one in the registry for this test, then let it reload
        Field registry = Zoo.class.getDeclaredField("registry");
        registry.setAccessible(true);
        registry.set(null, Map.of(variant.name(), variant));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> BlockContract.ofVariant("ids_and_features", Map.of()).check());
            assertEquals("input 0 of ids_and_features is int64: declare its id range with .withIds(0, vocabSize)",
                    e.getMessage());
            BlockContract.ofVariant("ids_and_features", Map.of()).withIds(0, IdsAndFeatures.VOCAB).check();
        } finally {
            registry.set(null, null);
        }
    }

    @Test
    void freeAxesAreNotProbed() {
        // mean-pools a variable number of tokens: (B, T, 4) -> (B, 2)
        Map<Check, String> strict = BlockContract.of(TokenPool::new, new Shape(2, 3, 4)).run();
        assertEquals(Set.of(Check.BAD_SHAPES), strict.keySet(), strict.toString());
        assertTrue(strict.get(Check.BAD_SHAPES).contains(".withFreeAxes(0, 1)"), strict.toString());
        BlockContract.of(TokenPool::new, new Shape(2, 3, 4)).withFreeAxes(0, 1).check();
    }

    // ------------------------------------------------------------------ each check fails on its own

    @Test
    void leakingBlockFailsNoLeak() {
        assertOnlyFails(Fault.LEAK, Check.NO_LEAK, "after step 50");
    }

    @Test
    void unseededRandomFailsSeed() {
        assertOnlyFails(Fault.UNSEEDED_INIT, Check.SEED, "same Engine random seed");
    }

    @Test
    void wrongDeclaredShapeFailsOutputShape() {
        assertOnlyFails(Fault.WRONG_OUTPUT_SHAPE, Check.OUTPUT_SHAPE, "declares [(3, 4)]");
    }

    @Test
    void unusedParameterFailsGradients() {
        assertOnlyFails(Fault.DEAD_PARAMETER, Check.GRADIENTS, "unused");
    }

    @Test
    void unvalidatedInputFailsBadShapes() {
        assertOnlyFails(Fault.NO_VALIDATION, Check.BAD_SHAPES,
                "raised EngineException(\"mat1 and mat2 shapes cannot be multiplied (3x5 and 4x3)\"); "
                        + "expected IllegalArgumentException naming \"axis 1\" and the expected size 4");
        // and skipping the check lets the rest pass
        assertEquals(Map.of(), contract(Fault.NO_VALIDATION).skip(Check.BAD_SHAPES).run());
    }

    @Test
    void vagueErrorMessageFailsBadShapes() {
        assertOnlyFails(Fault.VAGUE_MESSAGE, Check.BAD_SHAPES, "does not name \"axis 1\" and the expected size 4");
    }

    @Test
    void stateLostInSaveLoadFailsSaveLoad() {
        assertOnlyFails(Fault.FORGETFUL, Check.SAVE_LOAD, "save/load round trip");
    }

    @Test
    void nonFiniteOutputFailsFinite() {
        assertOnlyFails(Fault.NAN, Check.FINITE, "non-finite");
    }

    @Test
    void checkThrowsOneAssertionErrorNamingEachFailedCheck() {
        AssertionError e = assertThrows(AssertionError.class, () -> contract(Fault.LEAK).check());
        assertTrue(e.getMessage().startsWith("BlockContract failed 1 check(s) for Faulty"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  [no-leak] "), e.getMessage());
    }

    @Test
    void factoryAndArgumentsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> BlockContract.of(Faulty::new));
        assertThrows(IllegalArgumentException.class, () -> BlockContract.of(Faulty::new, new Shape(0, 4)));
        assertThrows(IllegalArgumentException.class, () -> BlockContract.of(Faulty::new, IN).withIds(1, 5));
        assertThrows(IllegalArgumentException.class, () -> BlockContract.of(Faulty::new, IN).withFreeAxes(0, 0));
        assertThrows(IllegalArgumentException.class, () -> BlockContract.of(Faulty::new, IN).withSteps(1));
        Block shared = new Mlp(4, 8, 3);
        Map<Check, String> f = BlockContract.of(() -> shared, IN).run();
        assertTrue(f.containsKey(Check.SAVE_LOAD) || f.containsKey(Check.SEED), f.toString());
    }

    private static BlockContract contract(Fault fault) {
        return BlockContract.of(() -> new Faulty(fault), IN);
    }

    private static void assertOnlyFails(Fault fault, Check check, String phrase) {
        Map<Check, String> failures = contract(fault).run();
        assertEquals(Set.of(check), failures.keySet(), failures.toString());
        assertTrue(failures.get(check).contains(phrase), failures.get(check));
    }

    // ------------------------------------------------------------------ test blocks

    /** (B, in) -> (B, out): Linear, ReLU, Linear, with the input validated first. */
    static final class Mlp extends AbstractBlock {
        private final int in;
        private final SequentialBlock net;

        Mlp(int in, int hidden, int out) {
            super((byte) 1);
            this.in = in;
            net = addChildBlock("net", new SequentialBlock()
                    .add(Linear.builder().setUnits(hidden).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(out).build()));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            InputCheck.count("Mlp", inputs, 1);
            InputCheck.shape("Mlp", "input", inputs.head(), InputCheck.ANY, in);
            return net.forward(ps, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return net.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            net.initialize(manager, dataType, inputShapes);
        }
    }

    /**
     * (B, 2) ids and (B, 4) floats -> (B, 3): summed field embeddings concatenated with the floats, then
     * BatchNorm (running statistics must survive save/load), Dropout (training output differs) and Linear.
     */
    static final class IdsAndFeatures extends AbstractBlock {
        static final int VOCAB = 10;
        private final IdEmbedding embedding;
        private final SequentialBlock head;

        IdsAndFeatures() {
            super((byte) 1);
            embedding = addChildBlock("embedding",
                    new IdEmbedding.Builder().setDictionarySize(VOCAB).setEmbeddingSize(5).build());
            head = addChildBlock("head", new SequentialBlock()
                    .add(BatchNorm.builder().build())
                    .add(Dropout.builder().optRate(0.5f).build())
                    .add(Linear.builder().setUnits(3).build()));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            InputCheck.count("IdsAndFeatures", inputs, 2);
            InputCheck.shape("IdsAndFeatures", "ids", inputs.get(0), InputCheck.ANY, 2);
            InputCheck.shape("IdsAndFeatures", "features", inputs.get(1), InputCheck.ANY, 4);
            NDArray e = embedding.forward(ps, new NDList(inputs.get(0)), training).head(); // (B, 2, 5)
            NDArray x = e.sum(new int[] {1}).concat(inputs.get(1), 1); // (B, 9)
            return head.forward(ps, new NDList(x), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 3)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            embedding.initialize(manager, dataType, inputShapes[0]);
            head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 9));
        }
    }

    /** (B, T, 4) -> (B, 2): mean over any number of tokens T, then Linear; validates the channel axis only. */
    static final class TokenPool extends AbstractBlock {
        private final Linear fc;

        TokenPool() {
            super((byte) 1);
            fc = addChildBlock("fc", Linear.builder().setUnits(2).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            InputCheck.shape("TokenPool", "input", inputs.head(), InputCheck.ANY, InputCheck.ANY, 4);
            return fc.forward(ps, new NDList(inputs.head().mean(new int[] {1})), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 2)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            fc.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 4));
        }
    }

    /** Validates (B, dims...) with InputCheck, then runs {@code inner}. */
    static final class Validated extends AbstractBlock {
        private final Block inner;
        private final long[] expected;

        Validated(Block inner, long... dims) {
            super((byte) 1);
            this.inner = addChildBlock("inner", inner);
            expected = new long[dims.length + 1];
            expected[0] = InputCheck.ANY;
            System.arraycopy(dims, 0, expected, 1, dims.length);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            InputCheck.shape("Validated", "input", inputs.singletonOrThrow(), expected);
            return inner.forward(ps, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            inner.initialize(manager, dataType, inputShapes);
        }
    }

    /** What {@link Faulty} gets wrong; {@code NONE} is the sound reference. */
    enum Fault {
        NONE, LEAK, UNSEEDED_INIT, WRONG_OUTPUT_SHAPE, DEAD_PARAMETER, NO_VALIDATION, VAGUE_MESSAGE, FORGETFUL, NAN
    }

    /**
     * A linear layer (B, 4) -> (B, 3) with its own parameters and exactly one fault:
     *
     * <ul>
     *   <li>LEAK: computes {@code W x} as {@code weight.matMul(x^T)}, so each result belongs to the weight's
     *       (long-lived) manager;
     *   <li>UNSEEDED_INIT: draws its initial weight from an unseeded {@link java.util.Random};
     *   <li>WRONG_OUTPUT_SHAPE: declares (B, 4) outputs;
     *   <li>DEAD_PARAMETER: registers a parameter that forward never reads;
     *   <li>NO_VALIDATION: lets the native op reject bad inputs (or broadcast them);
     *   <li>VAGUE_MESSAGE: rejects bad inputs with a message that names neither axis nor size;
     *   <li>FORGETFUL: keeps a running input mean (updated in training) in a Java field it never saves;
     *   <li>NAN: divides by zero.
     * </ul>
     */
    static final class Faulty extends AbstractBlock {
        private final Fault fault;
        private final Parameter weight;
        private final Parameter bias;
        private float runningShift;

        Faulty() {
            this(Fault.NONE);
        }

        Faulty(Fault fault) {
            super((byte) 1);
            this.fault = fault;
            Parameter.Builder w = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(3, 4));
            if (fault == Fault.UNSEEDED_INIT) {
                Random unseeded = new Random();
                w.optInitializer((m, shape, type) -> {
                    float[] v = new float[Math.toIntExact(shape.size())];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) unseeded.nextGaussian();
                    }
                    return m.create(v, shape);
                });
            }
            weight = addParameter(w.build());
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(3)).build());
            if (fault == Fault.DEAD_PARAMETER) {
                addParameter(Parameter.builder().setName("unused").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(3, 4)).build());
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            if (fault == Fault.VAGUE_MESSAGE) {
                if (!x.getShape().equals(new Shape(x.getShape().get(0), 4))) {
                    throw new IllegalArgumentException("Faulty: bad input");
                }
            } else if (fault != Fault.NO_VALIDATION) {
                InputCheck.shape("Faulty", "input", x, InputCheck.ANY, 4);
            }
            NDArray w = ps.getValue(weight, x.getDevice(), training);
            NDArray b = ps.getValue(bias, x.getDevice(), training);
            if (fault == Fault.FORGETFUL) {
                if (training) {
                    runningShift = 0.5f * runningShift + 0.5f * (x.mean().getFloat() + 1f);
                }
                x = x.sub(runningShift);
            }
            NDArray y = fault == Fault.LEAK
                    ? w.matMul(x.transpose()).transpose().add(b)
                    : Linear.linear(x, w, b).head();
            if (fault == Fault.NAN) {
                y = y.div(0f);
            }
            return new NDList(y);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long units = fault == Fault.WRONG_OUTPUT_SHAPE ? 4 : 3;
            return new Shape[] {new Shape(inputShapes[0].get(0), units)};
        }
    }
}
