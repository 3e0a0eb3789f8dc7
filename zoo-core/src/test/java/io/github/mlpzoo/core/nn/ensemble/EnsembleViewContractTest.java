package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

/** EnsembleView has no parameters; the contract still checks its shapes, determinism, leaks and bad shapes. */
class EnsembleViewContractTest {

    @Test
    void viewOfMembersPassesTheContract() {
        BlockContract.of(() -> new EnsembleView(4), new Shape(3, 4, 5))
                .withFreeAxes(0, 2)
                .skip(BlockContract.Check.GRADIENTS)
                .check();
    }
}
