package io.github.mlpzoo.core.nn.patch;

import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

/** Patchify (no parameters) passes the contract's shape, determinism, leak and bad-shape checks. */
class PatchifyContractTest {

    @Test
    void patchifyPassesTheContract() {
        BlockContract.of(() -> new Patchify(16, 4, 4), new Shape(2, 16, 3))
                .withFreeAxes(0, 2)
                .skip(BlockContract.Check.GRADIENTS)
                .check();
    }
}
